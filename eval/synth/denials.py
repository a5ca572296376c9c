"""Imported denials for the remittance eval: per scenario a Medicare Part B 835 that denies one
claim, and the patient's chart in two styles (typed prose notes; terse clinician shorthand).

Each chart holds one line of evidence per requirement of the code the letter argues (TCM's own
for 99495/99496), marked in the source as [[...]]: the marked words are the gold, a verbatim
substring of the PDF text. One page belongs to ANOTHER patient with the same last name (other
MRN and date of birth) and carries a plausible evidence line: it must never be cited.
Every name and number is invented.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .layout import render_pdf, text_page
from .people import NamePool, Person
from .remittance import ClaimSpec, LineSpec, RemittanceSpec, write_835

STYLES = ("prose", "terse")
PRACTICE = "Maple Family Medicine  |  1180 Alder Street, Fairview, TN 37062  |  (615) 555-0142"
FOOTER = "CONFIDENTIAL: This record contains protected health information. Redisclosure is prohibited."
PROVIDER = "Ana Rivera, MD"
GOLD = re.compile(r"\[\[(.+?)\]\]")


@dataclass
class Scenario:
    id: str
    code: str
    """The CARC the 835 carries ('CO-50')."""
    cpt: str
    modifiers: list[str]
    rarcs: list[str]
    served: date
    charge: Decimal
    lines: dict[str, dict[str, str]]
    """requirement id -> style -> the evidence line, gold marked [[...]]."""
    filler: dict[str, list[str]]
    """style -> other chart lines (history, vitals, plan), no gold."""
    trap: dict[str, str]
    """style -> the other patient's plausible evidence line."""
    title: str
    extra_lines: list[LineSpec] = field(default_factory=list)


@dataclass
class DenialCase:
    id: str
    scenario: str
    style: str
    code: str
    cpt: str
    remittance: bytes
    chart_name: str
    chart: bytes
    gold: dict[str, str]
    """requirement id -> verbatim substring of the chart's text that proves it."""
    misfiled: tuple[str, int]
    """(document, page) of the other patient's page."""
    patient: Person
    other: Person
    tcm: bool = False


def _d(day: date, fmt: int) -> str:
    """Dates in the mixed formats real charts use."""
    return [f"{day:%m/%d/%Y}", f"{day:%b} {day.day}, {day.year}", day.isoformat(), f"{day.month}/{day.day}/{day:%y}"][
        fmt % 4
    ]


def _scenarios() -> list[Scenario]:
    tcm_dc, tcm_call, tcm_visit = date(2026, 8, 3), date(2026, 8, 4), date(2026, 8, 7)
    rpm, ccm, dev, auth, docs = (
        date(2026, 8, 12),
        date(2026, 8, 18),
        date(2026, 8, 25),
        date(2026, 8, 20),
        date(2026, 8, 27),
    )
    return [
        Scenario(
            "TCM-99496-CO-50",
            "50",
            "99496",
            [],
            [],
            tcm_visit,
            Decimal("276"),
            title="Transitional Care Management",
            lines={
                "discharge": {
                    "prose": f"Hospital course: [[discharged home from St. Luke's on {_d(tcm_dc, 0)}]] after a 4-day admission for CHF exacerbation.",
                    "terse": f"{_d(tcm_dc, 3)} [[d/c'd home from St. Luke's {_d(tcm_dc, 3)}]] after 4d adm CHF exac.",
                },
                "interactive_contact": {
                    "prose": f"On {_d(tcm_call, 1)} the nurse [[spoke with the patient by telephone the day after discharge]]; symptoms stable, TCM visit booked.",
                    "terse": f"{_d(tcm_call, 3)} [[TCM call completed w/ pt and daughter]], no SOB, appt set.",
                },
                "face_to_face": {
                    "prose": f"{_d(tcm_visit, 0)}: [[Transitional care visit in clinic, 4 days after discharge]], patient seen face to face.",
                    "terse": f"{_d(tcm_visit, 3)} [[TCM f2f visit in office]], 4d post d/c.",
                },
                "medication_reconciliation": {
                    "prose": "[[Medication reconciliation completed against the discharge list]]; furosemide increased to 40 mg daily, metoprolol continued.",
                    "terse": "[[Med rec done vs d/c list]]: furosemide 40 qd, metoprolol cont, KCl added.",
                },
                "decision_making": {
                    "prose": "[[Medical decision making of high complexity]]: decompensated heart failure with CKD 3b, high risk of readmission, discharge records and pending BNP reviewed.",
                    "terse": "[[MDM high complexity]] - CHF + CKD3b, hi readmit risk, reviewed d/c summary + labs.",
                },
            },
            filler={
                "prose": [
                    "History: 78-year-old with heart failure with reduced ejection fraction (EF 30%), CKD stage 3b and type 2 diabetes.",
                    "Vitals: BP 128/76, HR 72, weight 81.4 kg, down 2.1 kg since admission. Lungs with faint bibasilar crackles.",
                    "Plan: daily weights, 2 g sodium diet, BMP in one week, cardiology follow-up in 3 weeks. Return precautions reviewed.",
                ],
                "terse": [
                    "Hx: 78yo HFrEF EF 30%, CKD3b, DM2.",
                    "VS BP 128/76 HR 72 wt 81.4kg (-2.1). Lungs faint bibasilar crackles, 1+ LE edema.",
                    "Plan: daily wts, 2g Na, BMP 1wk, cards f/u 3wk. RTC prn.",
                ],
            },
            trap={
                "prose": f"On {_d(tcm_call, 0)} the nurse spoke with the patient by telephone after discharge from Mercy General; no concerns.",
                "terse": f"{_d(tcm_call, 3)} TCM call completed w/ pt after d/c from Mercy General, doing well.",
            },
        ),
        Scenario(
            "RPM-99457-CO-50",
            "50",
            "99457",
            [],
            ["N115"],
            rpm,
            Decimal("52"),
            title="Remote Physiologic Monitoring",
            lines={
                "diagnosis_findings": {
                    "prose": "Assessment: [[uncontrolled essential hypertension (I10), home readings averaging 164/96]] over the past month.",
                    "terse": "A: [[HTN uncontrolled (I10), home avg 164/96]] x30d.",
                },
                "prior_treatment": {
                    "prose": "Prior therapy: [[blood pressure remained elevated despite lisinopril 40 mg and amlodipine 10 mg]]; hydrochlorothiazide caused hyponatremia.",
                    "terse": "[[BP elevated despite lisinopril 40 + amlodipine 10]]; HCTZ stopped for low Na.",
                },
                "orders_plan": {
                    "prose": "Plan of care: [[remote monitoring order signed by Dr. Rivera]] with weekly review of transmitted readings and titration targets.",
                    "terse": "[[RPM order signed by Dr. Rivera]], plan: review readings weekly, titrate to <130/80.",
                },
                "clinical_rationale": {
                    "prose": "Rationale: [[treatment management is medically necessary because of high stroke risk]] given prior TIA and persistent stage 2 readings.",
                    "terse": "Rationale: [[RPM tx mgmt med necessary d/t hi stroke risk]] (hx TIA).",
                },
            },
            filler={
                "prose": [
                    f"Treatment management {_d(rpm, 0)}: 24 minutes of interactive review with the patient this month.",
                    "Vitals in clinic: BP 162/94, HR 78. No chest pain, no neurologic symptoms.",
                    "Spironolactone 25 mg started; repeat potassium in 10 days.",
                ],
                "terse": [
                    f"{_d(rpm, 2)} RPM tx mgmt 24 min interactive w/ pt this mo.",
                    "VS BP 162/94 HR 78. No CP, no focal sx.",
                    "Start spironolactone 25, K+ 10d.",
                ],
            },
            trap={
                "prose": "Assessment: uncontrolled hypertension, home readings averaging 158/92 despite two agents.",
                "terse": "A: HTN uncontrolled, home avg 158/92 despite 2 agents.",
            },
        ),
        Scenario(
            "CCM-99490-CO-97",
            "97",
            "99490",
            [],
            [],
            ccm,
            Decimal("64"),
            title="Chronic Care Management",
            lines={
                "distinct_service": {
                    "prose": "[[Care management documented in a separate note from the office visit]]: care plan updated, pharmacy and cardiology coordinated.",
                    "terse": "[[CCM separate note from OV]]: care plan upd, pharmacy + cards coord.",
                },
                "distinct_circumstances": {
                    "prose": "The same-day visit (99214, modifier 25) [[addressed a new problem, acute low back pain]], unrelated to the chronic care work.",
                    "terse": "OV 99214-25 same day: [[new problem addressed - acute LBP]], unrelated to CCM.",
                },
                "separate_time": {
                    "prose": "[[Care management time of 22 minutes was not counted toward the office visit]]; clinical staff log attached.",
                    "terse": "[[CCM 22 min, time not counted toward OV]] (staff log).",
                },
            },
            filler={
                "prose": [
                    f"Office visit {_d(ccm, 1)}: chronic conditions include COPD, type 2 diabetes and atrial fibrillation.",
                    "Exam: lumbar paraspinal tenderness, negative straight leg raise, neurovascularly intact.",
                    "Plan: naproxen 500 mg twice daily for five days, heat, home exercise handout.",
                ],
                "terse": [
                    f"{_d(ccm, 3)} OV. Chronic: COPD, DM2, AF.",
                    "Exam: L paraspinal TTP, SLR neg, NV intact.",
                    "Plan: naproxen 500 bid x5d, heat, HEP.",
                ],
            },
            trap={
                "prose": "Care management documented separately from the visit; 25 minutes of staff time.",
                "terse": "CCM separate note, 25 min staff time.",
            },
            extra_lines=[
                LineSpec(
                    "99214",
                    Decimal("131"),
                    [("CO", "45", Decimal("21.40")), ("PR", "2", Decimal("21.92"))],
                    modifiers=["25"],
                    date_of_service=ccm,
                )
            ],
        ),
        Scenario(
            "RPM-99454-CO-151",
            "151",
            "99454",
            [],
            [],
            dev,
            Decimal("48"),
            title="Remote Monitoring Device Supply",
            lines={
                "units_documented": {
                    "prose": f"Device supply log: [[readings transmitted on 17 days from {_d(date(2026, 7, 27), 0)} to {_d(dev, 0)}]] on the replacement cuff.",
                    "terse": f"[[Device log: 17 days of readings {_d(date(2026, 7, 27), 3)}-{_d(dev, 3)}]], replacement cuff.",
                },
                "time_per_unit": {
                    "prose": "Time log: [[clinical staff spent 12 minutes on device setup and data review]] for this period.",
                    "terse": "[[Staff time 12 min setup + data review]] this period.",
                },
                "frequency_rationale": {
                    "prose": "The second supply period within 30 days was needed because [[the first device failed and was replaced]] during medication titration.",
                    "terse": "2nd supply in 30d: [[1st device failed, replaced]] during med titration.",
                },
            },
            filler={
                "prose": [
                    "Diagnosis: hypertensive heart disease with heart failure, on weekly titration of carvedilol.",
                    "The original cuff stopped transmitting after nine days; vendor ticket documented.",
                    "Readings on the new device range 128-146 systolic.",
                ],
                "terse": [
                    "Dx: HHD w/ HF, carvedilol titration weekly.",
                    "Orig cuff stopped transmitting d9, vendor ticket on file.",
                    "New device SBP 128-146.",
                ],
            },
            trap={
                "prose": "Device supply log: readings transmitted on 19 days this period.",
                "terse": "Device log 19 days of readings this period.",
            },
        ),
        Scenario(
            "RPM-99457-CO-197",
            "197",
            "99457",
            [],
            [],
            auth,
            Decimal("52"),
            title="Remote Monitoring Treatment Management",
            lines={
                "authorization_record": {
                    "prose": "Prior authorization: [[authorization number PA-77410352 approved]] for remote monitoring, valid 08/01/2026 through 10/31/2026.",
                    "terse": "[[Auth # PA-77410352 approved]] RPM, valid 8/1/26-10/31/26.",
                },
                "urgent_circumstances": {
                    "prose": "Monitoring began promptly because [[home readings above 180/110 required urgent intervention]].",
                    "terse": "Started promptly: [[home BP >180/110, urgent intervention]].",
                },
                "retro_authorization": {
                    "prose": f"On {_d(date(2026, 8, 21), 1)} the office [[notified the payer and requested retro authorization]] for the first week of monitoring.",
                    "terse": f"{_d(date(2026, 8, 21), 3)} [[payer notified, retro auth requested]] wk 1.",
                },
                "eligibility_verification": {
                    "prose": "Insurance verification note: [[benefits verified with the payer representative]], call reference 55120-A.",
                    "terse": "[[Eligibility verified w/ payer rep]], call ref 55120-A.",
                },
            },
            filler={
                "prose": [
                    f"Treatment management {_d(auth, 0)}: 21 minutes of interactive communication with the patient.",
                    "Amlodipine increased to 10 mg; patient instructed on correct cuff placement.",
                    "Diagnosis: resistant hypertension (I1A.0).",
                ],
                "terse": [
                    f"{_d(auth, 2)} RPM tx mgmt 21 min interactive w/ pt.",
                    "Amlodipine incr to 10, cuff technique reviewed.",
                    "Dx: resistant HTN.",
                ],
            },
            trap={
                "prose": "Prior authorization: authorization number PA-66029814 approved for remote monitoring.",
                "terse": "Auth # PA-66029814 approved RPM.",
            },
        ),
        Scenario(
            "CCM-99490-CO-252",
            "252",
            "99490",
            [],
            ["M127"],
            docs,
            Decimal("64"),
            title="Chronic Care Management",
            lines={
                "requested_records": {
                    "prose": f"[[Chronic care management progress note for date of service {_d(docs, 0)}]]: medication review and care plan update.",
                    "terse": f"[[CCM progress note DOS {_d(docs, 3)}]] - med review, care plan upd.",
                },
                "signed_dated_notes": {
                    "prose": f"[[Electronically signed by Ana Rivera, MD on {_d(docs, 1)}]].",
                    "terse": f"[[E-signed A. Rivera MD {_d(docs, 3)}]]",
                },
                "supporting_orders": {
                    "prose": "[[Comprehensive care plan signed by the patient and provider]] and CCM consent on file.",
                    "terse": "[[Care plan signed by pt + provider]], CCM consent on file.",
                },
            },
            filler={
                "prose": [
                    "Chronic conditions: type 2 diabetes with neuropathy, hypertension, hypothyroidism.",
                    "Clinical staff spent 26 minutes this month on care coordination and medication management.",
                    "A1c 7.9%; metformin continued, glipizide reduced for morning lows.",
                ],
                "terse": [
                    "Chronic: DM2 w/ neuropathy, HTN, hypothyroid.",
                    "Staff 26 min this mo care coord + med mgmt.",
                    "A1c 7.9. metformin cont, glipizide decr (AM lows).",
                ],
            },
            trap={
                "prose": "Chronic care management progress note: care plan reviewed, 24 minutes.",
                "terse": "CCM progress note, care plan reviewed, 24 min.",
            },
        ),
    ]


def _header(p: Person, style: str) -> list[str]:
    if style == "prose":
        return [f"Patient: {p.name}    MRN: {p.mrn}    DOB: {p.dob:%m/%d/%Y}"]
    return [f"{p.last.upper()}, {p.first.upper()}  |  MRN {p.mrn}  |  DOB {p.dob.month}/{p.dob.day}/{p.dob.year}"]


def _chart(
    s: Scenario, style: str, patient: Person, other: Person, document: str
) -> tuple[bytes, dict[str, str], tuple[str, int]]:
    gold = {}
    evidence = []
    for req, by_style in s.lines.items():
        line = by_style[style]
        gold[req] = GOLD.search(line).group(1)
        evidence.append(GOLD.sub(r"\1", line))
    half = (len(evidence) + 1) // 2
    filler = s.filler[style]
    title = s.title if style == "prose" else f"{s.title.upper()} - PROGRESS NOTE"
    sign = f"Electronically signed by {PROVIDER}" if style == "prose" else "-- AR"

    def page(who: Person, body: list[str], n: int) -> object:
        return text_page(title, _header(who, style), body, letterhead=PRACTICE, footer=f"{FOOTER}\nPage {n} of 3")

    first = page(patient, [filler[0], *evidence[:half], filler[1]], 1)
    trap = page(other, [filler[0].replace("78-year-old", "81-year-old"), s.trap[style], sign], 2)
    last = page(patient, [*evidence[half:], filler[2], sign], 3)
    pdf = render_pdf([first, trap, last], title=f"{patient.short} chart")
    return pdf, gold, (document, 2)


def denial_cases(seed: int = 835) -> list[DenialCase]:
    rng = random.Random(seed)
    out = []
    for n, s in enumerate(_scenarios()):
        for style in STYLES:
            pool = NamePool(rng)
            patient = pool.person()
            twin = pool.person()
            other = Person(
                twin.first if twin.first != patient.first else "Eunice",
                twin.middle,
                patient.last,
                twin.mrn,
                twin.dob if twin.dob != patient.dob else date(1950, 5, 5),
                twin.sex,
            )
            case_id = f"{s.id}/{style}"
            document = f"{patient.last.lower()}_chart.pdf"
            chart, gold, misfiled = _chart(s, style, patient, other, document)
            number = f"MFM-26-{2000 + 10 * n + STYLES.index(style)}"
            line = LineSpec(
                s.cpt, s.charge, [("CO", s.code, s.charge)], list(s.rarcs), list(s.modifiers), date_of_service=s.served
            )
            claim = ClaimSpec(
                number,
                patient.last.upper(),
                patient.first.upper(),
                f"{n + 1}EG4TE5MK{70 + n}{STYLES.index(style)}",
                [line, *s.extra_lines],
                filing="MB",
                payer_claim_number=f"22263{n:03d}{STYLES.index(style):04d}",
            )
            spec = RemittanceSpec(
                payer="NORIDIAN JF PART B", payer_id="01112", claims=[claim], paid_on=date(2026, 10, 2)
            )
            out.append(
                DenialCase(
                    id=case_id,
                    scenario=s.id,
                    style=style,
                    code=f"CO-{s.code}",
                    cpt=s.cpt,
                    remittance=write_835([spec]).encode(),
                    chart_name=document,
                    chart=chart,
                    gold=gold,
                    misfiled=misfiled,
                    patient=patient,
                    other=other,
                    tcm=s.cpt in {"99495", "99496"},
                )
            )
    return out
