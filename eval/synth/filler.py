"""Filler pages that pad a record realistically without proving any requirement.

They carry the patient header and an in-period date but never mention minutes,
goals, consent, engagement scores, registries, care plans or device data.
"""

from __future__ import annotations

import random

from .model import Ctx, Section

COMPLAINTS = [
    (
        "a cough for five days",
        "Lungs with scattered rhonchi that clear with cough.",
        "Viral bronchitis; supportive care, fluids, return if fever.",
    ),
    (
        "right knee pain after gardening",
        "Mild effusion, full range of motion, stable.",
        "Knee strain; ice, elevation, topical diclofenac.",
    ),
    (
        "an itchy rash on the left forearm",
        "Erythematous scaly patch, 3 cm, no drainage.",
        "Contact dermatitis; hydrocortisone cream twice daily for one week.",
    ),
    (
        "routine follow-up of chronic conditions",
        "Heart regular, lungs clear, no edema.",
        "Stable; continue current treatment and return in three months.",
    ),
    (
        "dizziness when standing up quickly",
        "Orthostatic change of 12 points systolic.",
        "Orthostatic symptoms; rise slowly, increase fluids, recheck at next visit.",
    ),
]
IMAGING = [
    (
        "Chest X-ray, two views",
        "Heart size normal. No focal consolidation, effusion or "
        "pneumothorax. Mild degenerative change of the thoracic spine.",
        "No acute cardiopulmonary process.",
    ),
    (
        "Renal ultrasound",
        "Right kidney 10.1 cm, left kidney 10.4 cm. Mildly increased "
        "cortical echogenicity. No hydronephrosis or stones.",
        "Findings consistent with medical renal disease. No obstruction.",
    ),
    (
        "Right knee X-ray, three views",
        "Moderate medial joint space narrowing with osteophytes. No fracture or effusion.",
        "Moderate osteoarthritis.",
    ),
]


def _vitals(ctx: Ctx, rng: random.Random, day: int) -> Section:
    s = Section("filler", "Vital Signs Flowsheet", ctx.dos_line(day))
    rows = []
    for i in range(rng.randint(4, 8)):
        d = ctx.d(max(1, day - 3 * i))
        rows.append(
            [
                d,
                f"{rng.randint(118, 158)}/{rng.randint(66, 94)}",
                str(rng.randint(58, 96)),
                f"{rng.randint(970, 991) / 10:.1f}",
                f"{rng.randint(140, 240)}",
                f"{rng.randint(92, 99)}%",
                rng.choice(["MA", "LPN", "RN"]),
            ]
        )
    s.table(["Date", "BP", "Pulse", "Temp (F)", "Weight (lb)", "SpO2", "By"], rows)
    s.para("Readings taken in clinic, seated, after five minutes of rest.")
    return s


def _labs(ctx: Ctx, rng: random.Random, day: int) -> Section:
    s = Section("filler", "Laboratory Results", ctx.dos_line(day))
    tests = [
        ("Sodium", rng.randint(134, 144), "mmol/L", "135-145"),
        ("Potassium", rng.randint(36, 52) / 10, "mmol/L", "3.5-5.1"),
        ("Creatinine", rng.randint(8, 19) / 10, "mg/dL", "0.6-1.2"),
        ("BUN", rng.randint(10, 38), "mg/dL", "7-25"),
        ("Glucose", rng.randint(88, 190), "mg/dL", "70-99"),
        ("Hemoglobin", rng.randint(108, 149) / 10, "g/dL", "12.0-16.0"),
        ("Platelets", rng.randint(150, 390), "K/uL", "150-400"),
        ("TSH", rng.randint(5, 48) / 10, "uIU/mL", "0.4-4.5"),
    ]
    rows = []
    for name, val, unit, ref in rng.sample(tests, rng.randint(5, 8)):
        lo, hi = (float(x) for x in ref.split("-"))
        rows.append([name, str(val), unit, ref, "H" if val > hi else "L" if val < lo else ""])
    s.table(["Test", "Result", "Units", "Reference", "Flag"], rows, [0.3, 0.17, 0.17, 0.22, 0.14])
    s.para(
        f"Collected {ctx.d(day)} 08:{rng.randint(10, 59)}. Resulted by the hospital outreach "
        f"laboratory. Reviewed by {ctx.ident.provider}."
    )
    return s


def _progress(ctx: Ctx, rng: random.Random, day: int) -> Section:
    cc, exam, plan = rng.choice(COMPLAINTS)
    s = Section("filler", "Office Visit Note", ctx.dos_line(day))
    s.para(f"Chief complaint: {cc}.")
    s.para(
        f"History: patient seen in clinic with {cc}. Denies chest pain, fever above 101, "
        "or shortness of breath at rest. Sleeping about six hours a night."
    )
    s.para(f"Exam: BP {rng.randint(122, 152)}/{rng.randint(70, 90)}, pulse {rng.randint(60, 90)}. {exam}")
    s.para(f"Assessment and plan: {plan}")
    s.para(f"Signed electronically by {ctx.ident.provider} on {ctx.d(day)}.")
    return s


def _imaging(ctx: Ctx, rng: random.Random, day: int) -> Section:
    study, findings, impression = rng.choice(IMAGING)
    s = Section("filler", "Radiology Report", ctx.dos_line(day))
    s.para(f"Exam: {study}. Ordering provider: {ctx.ident.provider}.")
    s.para(f"Findings: {findings}")
    s.para(f"Impression: {impression}")
    s.para("Electronically signed by the interpreting radiologist.")
    return s


def _fax(ctx: Ctx, rng: random.Random, day: int) -> Section:
    s = Section("filler", "Fax Cover Sheet", ctx.dos_line(day))
    s.para(f"From: {ctx.ident.practice}, medical records. Phone {ctx.ident.phone}.")
    s.para(f"To: claims review department. Pages including cover: {rng.randint(6, 40)}.")
    s.para("Re: requested medical records for the date of service listed above.")
    s.para(
        "This transmission contains confidential health information. If you received it in "
        "error, notify the sender and destroy all copies."
    )
    return s


def _face(ctx: Ctx, rng: random.Random, day: int) -> Section:
    s = Section("filler", "Patient Face Sheet", ctx.dos_line(day))
    s.para(f"Primary care provider: {ctx.ident.provider}, {ctx.ident.practice}.")
    s.para(
        f"Address: {rng.randint(10, 990)} {rng.choice(['Birch', 'Hill', 'Elm', 'Mill'])} Road, "
        "on file. Phone: on file. Preferred language: English."
    )
    s.para(f"Insurance: {ctx.ident.payer}. Secondary: supplemental plan on file.")
    s.para("Emergency contact: family member listed in registration. Advance directive on file.")
    return s


def _appointments(ctx: Ctx, rng: random.Random, day: int) -> Section:
    s = Section("filler", "Appointment History", ctx.dos_line(day))
    kinds = ["Office visit", "Lab draw", "Nurse visit", "Imaging", "Office visit"]
    rows = [
        [ctx.d(d), rng.choice(kinds), rng.choice(["Completed", "Completed", "Rescheduled"])]
        for d in sorted(rng.sample(range(1, ctx.last_day.day + 1), rng.randint(3, 7)))
    ]
    s.table(["Date", "Type", "Status"], rows, [0.3, 0.4, 0.3])
    return s


KINDS = [_vitals, _labs, _progress, _imaging, _fax, _face, _appointments]


def filler_section(ctx: Ctx, rng: random.Random) -> Section:
    kind = rng.choice(KINDS)
    return kind(ctx, rng, rng.randint(2, ctx.last_day.day - 1))


BOILERPLATE = [
    "This document was printed from the electronic health record for release to the payer. "
    "Entries appear in the order they were documented; late entries are labeled as such.",
    "Abbreviations used in this record: RN, registered nurse; LPN, licensed practical nurse; "
    "MA, medical assistant; EHR, electronic health record; PCP, primary care provider.",
    "Interpreter services were offered and declined; the patient's preferred language is "
    "English, and written materials were kept short and in large print.",
    "Emergency instructions on file: call 911 for chest pain, trouble breathing or signs of "
    "stroke; call the clinic's nurse line for urgent questions after hours.",
    "Advance care planning documents are scanned under the legal tab of the chart. The health "
    "care power of attorney on file was not changed.",
    "Allergies reviewed: sulfa drugs (rash) and adhesive tape (skin irritation). No new allergies reported.",
    "Release of information: the patient authorized release of these records to the health "
    "plan for claim review; the authorization is kept by the medical records department.",
    "Care team contact line: {phone}, weekdays 8:00 to 5:00. After-hours calls go to the "
    "on-call nurse service and are routed to the care team the next business day.",
    "Record integrity: this printout includes every entry for the period shown. Corrections, "
    "if any, show the original text struck through and the reason for the change.",
    "Patient identity was confirmed with two identifiers, name and date of birth, at each documented contact.",
    "Preferred pharmacy and mailing address were confirmed against registration. The patient "
    "asked that appointment reminders go to the home phone rather than by text message.",
    "Transportation: the patient no longer drives at night and relies on family or the county "
    "ride service for daytime appointments.",
    "Hearing and vision: wears reading glasses and a right hearing aid; instructions were given "
    "slowly, in a quiet room, with written copies.",
    "Documentation standard: notes follow the practice's charting policy and are signed "
    "electronically by the staff member who performed the work.",
]


def boilerplate(ctx: Ctx) -> list[str]:
    """Neutral chart prose used to fill a page whose last sentence runs onto the next."""
    return [b.format(phone=ctx.ident.phone) for b in BOILERPLATE]
