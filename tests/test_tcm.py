"""Transitional care management argued as itself: its requirements and argument whichever code
denied it, and its clock (2 business days, 7 or 14 days, 30 days) checked on the cited dates."""

from datetime import date

import pytest

from service.config import Settings
from service.drafting.tcm import business_days_after, tcm_warnings
from service.knowledge import load_knowledge
from service.models import CaseFields, Evidence

KB = load_knowledge(Settings().code_dirs)
TCM_IDS = ["discharge", "interactive_contact", "face_to_face", "medication_reconciliation", "decision_making"]


def case(**kw) -> CaseFields:
    base = dict(
        claim_number="C-9",
        patient_name="Rosa Diaz",
        patient_id="M9",
        date_of_service="2026-07-10",
        payer="Noridian JF Medicare Part B",
        denial_code="CCM06",
        billed_cpt=["99495"],
    )
    return CaseFields(**{**base, **kw})


def ev(requirement: str, text: str, page_text: str | None = None, page: int = 1) -> tuple[Evidence, dict]:
    body = page_text or text
    start = body.index(text)
    item = Evidence(
        document="chart.pdf",
        page=page,
        start=start,
        end=start + len(text),
        text=text,
        requirement=requirement,
        score=1.0,
    )
    return item, {("chart.pdf", page): body}


def warnings_for(c: CaseFields, *pairs) -> list[str]:
    evidence, pages = [p[0] for p in pairs], {}
    for _, page in pairs:
        pages.update(page)
    return tcm_warnings(c, evidence, pages)


def test_a_payer_code_that_lists_tcm_argues_tcm_not_ccm():
    entry = KB.argument_for(case())
    assert entry.code == "CCM06" and [r.id for r in entry.evidence] == TCM_IDS
    assert "30-day service that begins on the day of discharge" in entry.appeal_argument
    assert "Chronic care management pays" not in entry.appeal_argument
    assert [r.id for r in KB.argument_for(case(billed_cpt=["99490"])).evidence][0] == "coordination_activities"


def test_a_carc_keeps_its_own_requirements_after_tcms():
    entry = KB.argument_for(case(denial_code="CO-50", billed_cpt=["99496"]))
    ids = [r.id for r in entry.evidence]
    assert ids[:5] == TCM_IDS and "diagnosis_findings" in ids
    assert entry.appeal_argument.index("Transitional care") < entry.appeal_argument.index("medically necessary")
    assert (
        KB.argument_for(case(denial_code="OA-22", billed_cpt=["99496"])).evidence == []
    )  # rebilled, no letter to argue


def test_business_days_skip_weekends_and_federal_holidays():
    assert business_days_after(date(2026, 7, 1), date(2026, 7, 2)) == 1
    assert (
        business_days_after(date(2026, 7, 2), date(2026, 7, 6)) == 1
    )  # Jul 3 observed Independence Day, then a weekend
    assert business_days_after(date(2026, 11, 25), date(2026, 11, 30)) == 2  # Thanksgiving, Friday, weekend, Monday
    assert business_days_after(date(2026, 3, 6), date(2026, 3, 6)) == 0


def test_timely_contact_and_visit_give_no_warning():
    page = (
        "Discharge summary received: discharged home from St. Luke's 07/02/2026.\n"
        "07/06/2026 10:15 TCM call w/ pt and daughter, meds reviewed by phone, appt confirmed\n"
        "07/10/2026 TCM visit: seen in clinic 8 days after discharge, med rec completed"
    )
    assert (
        warnings_for(
            case(),
            ev("discharge", "discharged home from St. Luke's 07/02/2026.", page),
            ev("interactive_contact", "TCM call w/ pt and daughter, meds reviewed by phone, appt confirmed", page),
            ev("face_to_face", "seen in clinic 8 days after discharge, med rec completed", page),
        )
        == []
    )


def test_late_contact_and_a_visit_outside_the_codes_window_are_warned():
    page = (
        "D/C from Mercy General on 6/26/2026\n"
        "7/2/2026 post-discharge call completed with patient\n"
        "Visit 7/8/2026: TCM face-to-face visit, high complexity"
    )
    found = warnings_for(
        case(billed_cpt=["99496"], date_of_service="2026-07-08"),
        ev("discharge", "D/C from Mercy General on 6/26/2026", page),
        ev("interactive_contact", "post-discharge call completed with patient", page),
        ev("face_to_face", "TCM face-to-face visit, high complexity", page),
    )
    assert any("4 business days after the discharge" in w for w in found)
    assert any("12 days after discharge; 99496 needs 7 or fewer (it fits 99495)" in w for w in found)


def test_missing_dates_are_said_to_be_unknown_not_assumed():
    assert warnings_for(case(), ev("interactive_contact", "TCM call completed"))[0].startswith("TCM: no discharge date")
    page = "Discharged 07/02/2026 from Mercy.\nSpoke with patient about new meds"
    found = warnings_for(
        case(),
        ev("discharge", "Discharged 07/02/2026 from Mercy.", page),
        ev("interactive_contact", "Spoke with patient about new meds", page),
    )
    assert any("no dated contact" in w for w in found) and any("no dated face-to-face visit" in w for w in found)


def test_a_date_of_service_outside_the_30_days_is_warned():
    page = "Discharged 05/01/2026.\n05/04/2026 TCM call\n05/12/2026 TCM visit"
    found = warnings_for(
        case(date_of_service="2026-07-10"),
        ev("discharge", "Discharged 05/01/2026.", page),
        ev("interactive_contact", "TCM call", page),
        ev("face_to_face", "TCM visit", page),
    )
    assert found == [
        "TCM: the date of service 2026-07-10 is outside the 30-day period from the discharge (2026-05-01 to 2026-05-30)."
    ]


@pytest.mark.parametrize("cpt", ["99490", "99457"])
def test_other_services_are_not_checked(cpt):
    assert tcm_warnings(case(billed_cpt=[cpt]), [], {}) == []


def test_a_tcm_claim_denied_under_ccm06_gets_a_tcm_letter(components):
    """A hospital follow-up chart as practices print it; the letter argues TCM and cites the call."""
    from service.pipeline import analyse_case, write_appeal
    from tests.pdfs import make_pdf

    chart = make_pdf(
        [
            [
                "Maple Family Medicine - Progress Notes",
                "Patient: DIAZ, ROSA  DOB 03/14/1949  MRN 220931",
                "Hospital Discharge Summary (received by fax 07/03/2026)",
                "Admitted 06/28/2026 for CHF exacerbation. Discharged home from St. Luke's Medical Center on 07/02/2026.",
                "Discharge meds: furosemide 40 mg daily (new), metoprolol succinate 50 mg, lisinopril 10 mg.",
            ],
            [
                "Patient: DIAZ, ROSA  MRN 220931",
                "Telephone Encounter 07/06/2026 10:15",
                "TCM call w/ pt and daughter (caregiver) within 2 business days of discharge. Reviewed new furosemide, daily weights, red flags.",
                "Appt made for TCM visit 7/10. Call by L. Ortiz RN.",
                "Office Visit 07/10/2026 - Transitional Care Visit",
                "Medication reconciliation completed against discharge list; lisinopril held for low BP.",
                "Assessment: acute on chronic systolic heart failure, CKD 3b, hyperkalemia risk; discharge records and pending BMP reviewed.",
                "Medical decision making: high complexity given readmission risk and drug interactions. Signed: A. Rivera MD",
            ],
        ]
    )
    c = case(
        billed_cpt=["99496"],
        date_of_service="2026-07-10",
        patient_name="Rosa Diaz",
        mrn="220931",
        patient_dob="1949-03-14",
    )
    analysis = analyse_case(c, [("chart.pdf", chart)], components)
    result = write_appeal(c, analysis)
    assert "Transitional care management is a 30-day service" in result.letter
    cited = {c.quote for c in result.citations}
    assert any("TCM call" in q for q in cited) and any("Medication reconciliation completed" in q for q in cited)
    assert not [w for w in result.warnings if w.startswith("TCM:")], result.warnings


@pytest.mark.parametrize(
    "line,expected",
    [
        ("07/02/2026 discharged home. Follow-up call 07/06/2026", date(2026, 7, 2)),
        (
            "Admitted 06/28/2026 for CHF. Discharged home from St. Luke's Medical Center on 07/02/2026.",
            date(2026, 7, 2),
        ),
        ("Discharge Date: 2026-07-02  Admit Date: 2026-06-28", date(2026, 7, 2)),
        ("Pt D/C'd Jul 2, 2026 to home w/ HH", date(2026, 7, 2)),
        ("HOSPITAL COURSE ... dc'd 7/2/26, f/u PCP", date(2026, 7, 2)),
    ],
)
def test_the_discharge_date_is_the_one_the_word_refers_to(line, expected):
    page = f"{line}\n07/03/2026 TCM call completed with patient\n07/08/2026 TCM visit in clinic"
    found = warnings_for(
        case(date_of_service="2026-07-08"),
        ev("discharge", line, page),
        ev("interactive_contact", "TCM call completed with patient", page),
        ev("face_to_face", "TCM visit in clinic", page),
    )
    assert found == [], found
