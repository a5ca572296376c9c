"""CCM02 charts: the comprehensive care plan, one section per requirement."""

from __future__ import annotations

import datetime as dt
import random

from ...model import Ctx, Section, pick
from ...people import md

REQUIREMENTS = ["problem_list", "measurable_goals", "assessments", "medication_management", "plan_shared_reviewed"]
MISSABLE = REQUIREMENTS[1:]
DECOYS = ["measurable_goals", "medication_management", "plan_shared_reviewed"]
STABLE = ["conds", "carer"]  # kept when the same patient's other month is imitated

# (description, ICD-10, goal template, goal phrase template, medications)
CONDITIONS = [
    (
        "Type 2 diabetes mellitus without complications",
        "E11.9",
        "Diabetes: A1c below {a1c}% by {by} (last A1c {last}%).",
        "A1c below {a1c}% by {by}",
        ["metformin 1000 mg twice daily", "glipizide 5 mg daily"],
    ),
    (
        "Essential (primary) hypertension",
        "I10",
        "Hypertension: home blood pressure average below {bp} within 90 days.",
        "below {bp} within 90 days",
        ["lisinopril 20 mg daily", "amlodipine 5 mg daily"],
    ),
    (
        "Chronic kidney disease, stage 3a",
        "N18.31",
        "Kidney disease: keep eGFR above {egfr} and recheck urine albumin by {by}.",
        "eGFR above {egfr}",
        [],
    ),
    (
        "Chronic systolic (congestive) heart failure",
        "I50.22",
        "Heart failure: weight within 3 pounds of a dry weight of {dry} pounds, no admissions through {by}.",
        "dry weight of {dry} pounds",
        ["furosemide 40 mg daily", "carvedilol 12.5 mg twice daily"],
    ),
    (
        "Chronic obstructive pulmonary disease, unspecified",
        "J44.9",
        "COPD: no more than one flare needing steroids through {by}.",
        "no more than one flare needing steroids",
        ["tiotropium inhaler daily", "albuterol inhaler as needed"],
    ),
    (
        "Hyperlipidemia, unspecified",
        "E78.5",
        "Lipids: LDL below {ldl} mg/dL by {by}.",
        "LDL below {ldl} mg/dL",
        ["atorvastatin 40 mg at bedtime"],
    ),
    (
        "Major depressive disorder, recurrent, moderate",
        "F33.1",
        "Mood: PHQ-9 below 10 by {by}, with weekly contact with the daughter's family.",
        "PHQ-9 below 10 by {by}",
        ["sertraline 100 mg daily"],
    ),
    (
        "Bilateral primary osteoarthritis of knee",
        "M17.0",
        "Knees: walk to the mailbox and back daily with pain below {pain} of 10.",
        "pain below {pain} of 10",
        ["acetaminophen 650 mg three times daily as needed"],
    ),
]
IADLS = ["shopping", "transportation", "laundry", "managing money", "housework"]
HOMES = [
    "a second-floor walk-up apartment",
    "a one-story house with three entry steps",
    "a mobile home with a ramp",
    "a senior apartment building with an elevator",
]
HAZARDS = ["no grab bars in the bathroom", "loose rugs in the hallway", "poor lighting on the stairs"]
CARERS = ["daughter", "son", "spouse", "niece"]


def draw(rng: random.Random, ctx: Ctx) -> dict:
    conds = pick(rng, CONDITIONS, rng.randint(3, 4))
    end = ctx.last_day
    by = dt.date(end.year + (end.month + 2) // 12, (end.month + 2) % 12 + 1, 1) - dt.timedelta(days=1)
    a1c = rng.choice([7.0, 7.5, 8.0])
    fill = {
        "a1c": f"{a1c:.1f}",
        "last": f"{a1c + rng.randint(5, 18) / 10:.1f}",
        "by": md(by),
        "bp": rng.choice(["130/80", "135/85", "140/90"]),
        "egfr": rng.choice([35, 40, 45]),
        "dry": rng.randint(150, 230),
        "ldl": rng.choice([70, 100]),
        "pain": rng.randint(3, 5),
    }
    extra = rng.sample(
        ["aspirin 81 mg daily", "vitamin D3 2000 units daily", "omeprazole 20 mg daily", "docusate 100 mg daily"],
        rng.randint(1, 3),
    )
    review = rng.randint(6, 20)
    return {
        "conds": conds,
        "fill": fill,
        "extra_meds": extra,
        "egfr_now": rng.randint(36, 44),
        "review": review,
        "copy": review + rng.randint(0, 2),
        "minicog": rng.randint(3, 5),
        "phq": rng.randint(2, 14),
        "iadls": rng.sample(IADLS, 2),
        "home": rng.choice(HOMES),
        "hazard": rng.choice(HAZARDS),
        "carer": rng.choice(CARERS),
        "visits": rng.choice(["twice a week", "three times a week", "daily"]),
        "prognosis": rng.choice(["fair", "good", "fair to good", "guarded"]),
    }


def _meds(v: dict) -> tuple[list[str], tuple[str, str]]:
    """Medication list and this month's change, derived from the conditions so that a
    decoy month for the same patient keeps the same drugs."""
    meds = [m for c in v["conds"] for m in c[4]] + v["extra_meds"]
    codes = {c[1] for c in v["conds"]}
    if "E11.9" in codes:
        return meds, (
            f"metformin reduced to 500 mg twice daily for eGFR {v['egfr_now']}",
            "metformin reduced to 500 mg twice daily",
        )
    if "I10" in codes:
        return meds, (
            "amlodipine increased to 10 mg daily for home readings above goal",
            "amlodipine increased to 10 mg daily",
        )
    return meds, ("ibuprofen stopped; patient told to use acetaminophen for pain", "ibuprofen stopped")


def sections(ctx: Ctx, v: dict) -> list[Section]:
    title = "Comprehensive Care Plan"
    date = ctx.dos_line(v["review"])
    out = []
    s = Section("problem_list", title, date)
    s.heading("Problem list (chronic conditions expected to last 12 months or longer)")
    for i, (desc, icd, *_rest) in enumerate(v["conds"]):
        line = f"{i + 1}. {desc} ({icd})"
        s.fact(line, icd) if i < 2 else s.para(line)
    s.para(
        "These conditions place the patient at significant risk of decompensation and "
        "functional decline without ongoing management."
    )
    out.append(s)
    if ctx.has("measurable_goals"):
        s = Section("measurable_goals", title, date)
        s.heading("Treatment goals and expected outcomes")
        for i, c in enumerate(v["conds"]):
            text, phrase = c[2].format(**v["fill"]), c[3].format(**v["fill"])
            s.fact(text, phrase) if i < 2 else s.para(text)
        s.para(
            f"Prognosis: {v['prognosis']}. Expected outcome: stable at home with monthly "
            "follow-up and no avoidable emergency visits."
        )
        out.append(s)
    if ctx.has("assessments"):
        s = Section("assessments", title, date)
        s.heading("Functional, cognitive, psychosocial, environmental and caregiver assessment")
        s.fact(
            f"Functional and cognitive: independent in basic ADLs; needs help with "
            f"{v['iadls'][0]} and {v['iadls'][1]}; Mini-Cog score of {v['minicog']} of 5.",
            f"Mini-Cog score of {v['minicog']} of 5",
        )
        s.fact(
            f"Psychosocial: PHQ-9 score of {v['phq']}; widowed, attends church weekly, no food insecurity reported.",
            f"PHQ-9 score of {v['phq']}",
        )
        s.fact(f"Environmental: lives in {v['home']}; {v['hazard']}; home safety check offered.", v["home"])
        s.para(
            f"Caregiver: {v['carer']} visits {v['visits']} and helps with medicines; "
            "reports no caregiver strain at this time."
        )
        out.append(s)
    if ctx.has("medication_management"):
        s = Section("medication_management", title, date)
        s.heading("Medication management")
        meds, change = _meds(v)
        s.fact(
            f"Medication reconciliation completed on {ctx.d(v['review'])}: {len(meds)} "
            "active medications checked against pharmacy fill history and pill bottles.",
            f"{len(meds)} active medications",
        )
        s.fact(f"Change this month: {change[0]}.", change[1])
        if ctx.tables:
            s.table(
                ["#", "Medication and directions", "Status"],
                [[str(i + 1), m, "Active"] for i, m in enumerate(meds)],
                [0.07, 0.7, 0.23],
            )
        else:
            for i, m in enumerate(meds):
                s.para(f"{i + 1}. {m} - active", size="small", space_after=2)
        s.para("Patient uses a weekly pill organizer; no duplicate therapies found.")
        out.append(s)
    if ctx.has("plan_shared_reviewed"):
        s = Section("plan_shared_reviewed", title, date)
        s.heading("Review and sharing")
        s.fact(
            f"Care plan reviewed and revised on {ctx.d(v['review'])} with the patient and "
            f"{v['carer']}; goals and interventions updated.",
            f"reviewed and revised on {ctx.d(v['review'])}",
        )
        s.fact(
            f"Copy provided to patient via portal on {ctx.d(v['copy'])}, and a paper copy "
            "was mailed at the patient's request.",
            f"provided to patient via portal on {ctx.d(v['copy'])}",
        )
        s.para(
            f"Responsible clinician: {ctx.ident.provider}. Care manager: "
            f"{ctx.ident.staff[0].signed}. Next scheduled review in three months."
        )
        out.append(s)
    return out
