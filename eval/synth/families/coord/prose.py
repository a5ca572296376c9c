"""CCM06 charts: coordination log, staff time log, transitions of care, consent.

The consent note and the time log are shared with other families (CCM39 uses both).
"""

from __future__ import annotations

import random

from ...model import Ctx, Section, days, pick

REQUIREMENTS = ["coordination_activities", "time_log", "care_transitions", "consent"]
MISSABLE = REQUIREMENTS
DECOYS = ["time_log", "care_transitions"]
STABLE: list[str] = []  # nothing patient-specific needs keeping across months

CARDIO = ["Lakeside Cardiology", "Riverbend Heart Associates", "Summit Cardiovascular Group"]
PHARM = ["Main Street Pharmacy", "Corner Drug & Compounding", "Valley Community Pharmacy"]
HOME = ["BrightPath Home Health", "Evergreen Visiting Nurses", "CareBridge Home Health"]
OTHER = [
    ("nephrology", ["Northgate Kidney Care", "Prairie Nephrology Clinic"]),
    ("community", ["Area Agency on Aging", "Meals on Wheels of the county"]),
    ("DME supplier", ["Apex Medical Supply", "HomeWell Equipment"]),
]
HOSPITALS = ["St. Brendan Medical Center", "Mercy Valley Hospital", "Good Shepherd Regional"]
ADMITS = [
    ("heart failure exacerbation", "cardiac rehabilitation"),
    ("COPD exacerbation", "pulmonary rehabilitation"),
    ("hyperglycemia with dehydration", "diabetes self-management education"),
    ("a fall with a wrist fracture", "outpatient physical therapy"),
]
NEUTRAL = [
    "Monthly medication review by phone with the patient",
    "Care plan update after chart review",
    "Symptom check-in call with the patient",
    "Reviewed clinic vitals and recent labs with the provider",
    "Prepared visit summary and updated problem notes",
    "Called patient about upcoming labs",
]


def consent_section(ctx: Ctx, v: dict) -> Section:
    """Consent note: date, cost sharing, one practitioner a month, right to stop."""
    s = Section("consent", "Chronic Care Management Enrollment and Consent", ctx.dos_line(v["consent_day"]))
    who = ctx.ident.staff[0].signed
    s.fact(
        f"{v['consent_kind']} consent for chronic care management obtained on "
        f"{ctx.d(v['consent_day'])} by {who} after the program was explained to the patient.",
        f"consent for chronic care management obtained on {ctx.d(v['consent_day'])}",
    )
    if "Medicare" in ctx.ident.payer:
        s.fact(
            "Patient was told that the Medicare Part B coinsurance of 20% applies to these "
            "services each month and may be billed to the supplemental plan.",
            "coinsurance of 20%",
        )
    else:
        s.fact(
            f"Patient was told that plan cost sharing, currently a ${v['copay']} copay per "
            "month, may apply to these services.",
            f"${v['copay']} copay",
        )
    s.para(
        "Patient understands that only one practitioner can bill for this service in a "
        f"calendar month and that {ctx.ident.provider} will be that practitioner."
    )
    s.fact(
        "Patient was informed of the right to stop care management at any time, effective "
        "at the end of the calendar month, by calling the clinic.",
        "right to stop care management at any time",
    )
    s.para(
        f"Patient agreed to electronic sharing of the care plan with outside providers. "
        f"Witness: {ctx.ident.staff[1].signed}."
    )
    return s


def draw_consent(rng: random.Random) -> dict:
    return {
        "consent_day": rng.randint(1, 3),
        "copay": rng.choice([10, 15, 20, 25]),
        "consent_kind": rng.choice(["Verbal", "Verbal", "Written"]),
    }


def draw(rng: random.Random, ctx: Ctx) -> dict:
    v = draw_consent(rng)
    staff = ctx.ident.staff
    orgs = [("cardiology", rng.choice(CARDIO)), ("pharmacy", rng.choice(PHARM)), ("home health", rng.choice(HOME))]
    kind, names = rng.choice(OTHER)
    orgs.append((kind, rng.choice(names)))
    orgs = pick(rng, orgs, rng.randint(3, 4))
    admit, referral = rng.choice(ADMITS)
    dc = rng.randint(5, 11)
    v["transition"] = {
        "hospital": rng.choice(HOSPITALS),
        "reason": admit,
        "referral": referral,
        "discharge": dc,
        "los": rng.randint(2, 5),
        "call": dc + rng.randint(1, 2),
        "appt": dc + rng.randint(9, 16),
    }
    cdays = days(rng, len(orgs), v["consent_day"] + 2, 27)
    v["contacts"] = [(d, kind, org, rng.randint(6, 16), rng.choice(staff[:2])) for d, (kind, org) in zip(cdays, orgs)]
    extra = [
        (d, rng.randint(5, 15), rng.choice(staff), a)
        for d, a in zip(days(rng, rng.randint(2, 4), v["consent_day"] + 1, 29), rng.sample(NEUTRAL, 4))
    ]
    if sum(r[1] for r in extra) < 22:  # the month must clear the 20-minute threshold alone
        d, m, st, a = extra[-1]
        extra[-1] = (d, m + 22 - sum(r[1] for r in extra), st, a)
    v["extra_rows"] = extra
    return v


def _purpose(kind: str, org: str, t: dict, ctx: Ctx) -> str:
    return {
        "cardiology": f"Called {org} to send two weeks of home blood pressure readings; "
        "the cardiologist's nurse confirmed no change to the diuretic.",
        "pharmacy": f"Called {org} to synchronize refills to one pickup date and confirm the new blister packaging.",
        "home health": f"Spoke with the {org} nurse about the skilled-nursing visit schedule and wound check findings.",
        "nephrology": f"Faxed recent labs to {org} and confirmed the follow-up appointment.",
        "community": f"Referred patient to {org} for transportation help; intake call completed.",
        "DME supplier": f"Called {org} to order a shower chair and confirm delivery.",
    }[kind]


def time_rows(ctx: Ctx, v: dict) -> list[tuple[int, int, str, str]]:
    rows = [(d, m, st.signed, a) for d, m, st, a in v["extra_rows"]]
    if ctx.has("coordination_activities"):
        rows += [(d, m, st.signed, f"Care coordination with {org}") for d, kind, org, m, st in v["contacts"]]
    return sorted(rows)


def time_log_section(ctx: Ctx, v: dict, title="CCM Clinical Staff Time Log", req="time_log") -> Section:
    s = Section(req, title, ctx.period_line())
    rows = time_rows(ctx, v)
    total = sum(r[1] for r in rows)  # summary first: OCR keeps text above a grid intact
    s.fact(
        f"Total clinical staff time for {ctx.month_label}: {total} minutes, all by clinical "
        f"staff under the general supervision of {ctx.ident.provider}.",
        f"{total} minutes",
    )
    if ctx.tables:
        s.table(
            ["Date", "Minutes", "Staff", "Activity"],
            [[ctx.d(d), str(m), who, a] for d, m, who, a in rows],
            [0.15, 0.12, 0.25, 0.48],
        )
    else:
        for d, m, who, a in rows:
            s.para(f"{ctx.d(d)} - {m} min - {who} - {a}", size="small", space_after=2)
    s.para("Time spent on the same day by different staff members was not counted twice.")
    return s


def sections(ctx: Ctx, v: dict) -> list[Section]:
    out = []
    if ctx.has("consent"):
        out.append(consent_section(ctx, v))
    t = v["transition"]
    if ctx.has("care_transitions"):
        s = Section("care_transitions", "Transition of Care Follow-up", ctx.dos_line(t["call"]))
        s.fact(
            f"Patient was discharged from {t['hospital']} on {ctx.d(t['discharge'])} after a "
            f"{t['los']}-day stay for {t['reason']}.",
            f"discharged from {t['hospital']} on {ctx.d(t['discharge'])}",
        )
        s.para(f"Discharge summary received and reviewed by {ctx.ident.staff[0].signed}.")
        s.fact(
            f"Follow-up phone call with the patient completed on {ctx.d(t['call'])}; "
            "symptoms reviewed and discharge medications reconciled against the home list.",
            f"phone call with the patient completed on {ctx.d(t['call'])}",
        )
        s.fact(
            f"Referral to {t['referral']} tracked: first appointment confirmed for "
            f"{ctx.d(t['appt'])} and transportation arranged.",
            f"first appointment confirmed for {ctx.d(t['appt'])}",
        )
        out.append(s)
    if ctx.has("coordination_activities"):
        s = Section("coordination_activities", "Care Coordination Log", ctx.period_line())
        s.para("Contacts with outside providers and community resources this month:")
        for d, kind, org, _m, st in v["contacts"]:
            s.fact(f"{ctx.d(d)}: {_purpose(kind, org, t, ctx)} ({st.signed})", org)
        s.para(f"Care plan changes from these contacts were routed to {ctx.ident.provider}.")
        out.append(s)
    if ctx.has("time_log"):
        out.append(time_log_section(ctx, v))
    return out
