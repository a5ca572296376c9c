"""CCM31 charts: registry run, outreach and orders, preventive status, review protocol."""

from __future__ import annotations

import datetime as dt
import random

from ...model import Ctx, Section, days
from ...people import md
from .styled import STATUS

REQUIREMENTS = ["gap_registry", "gap_actions", "preventive_status", "review_process"]
MISSABLE = ["gap_actions", "review_process"]
DECOYS = ["gap_registry", "preventive_status"]
STABLE: list[str] = []  # nothing patient-specific needs keeping across months

EYE = ["Westfield Eye Associates", "Clearview Retina Group", "Northside Vision Center"]
IMAGING = ["Parkside Imaging Center", "Valley Breast Imaging"]
# (gap, why flagged, action template, action phrase, sex or None)
GAPS = [
    (
        "Diabetic retinal exam",
        "none on record in 24 months",
        "referral placed to {eye} for a dilated retinal exam",
        "{eye}",
        None,
    ),
    (
        "Colorectal cancer screening",
        "no colonoscopy or stool test on file",
        "FIT kit ordered and mailed to the patient",
        "FIT kit ordered",
        None,
    ),
    (
        "Pneumococcal vaccine",
        "not on record after age 65",
        "PCV20 pneumococcal vaccine given at the nurse visit",
        "PCV20 pneumococcal vaccine",
        None,
    ),
    (
        "Shingles vaccine",
        "series incomplete, 1 of 2 doses",
        "second recombinant zoster vaccine dose scheduled at the pharmacy",
        "recombinant zoster vaccine",
        None,
    ),
    (
        "Kidney health evaluation",
        "urine albumin-to-creatinine ratio due for 14 months",
        "urine albumin-to-creatinine ratio ordered",
        "albumin-to-creatinine ratio ordered",
        None,
    ),
    (
        "Breast cancer screening",
        "mammogram overdue by 8 months",
        "screening mammogram ordered at {img}",
        "screening mammogram ordered",
        "F",
    ),
    (
        "Diabetic foot exam",
        "not documented in 15 months",
        "monofilament foot exam completed at the nurse visit",
        "monofilament foot exam",
        None,
    ),
]


def _first_business_day(month: dt.date) -> int:
    d = month
    while d.weekday() >= 5:
        d += dt.timedelta(days=1)
    return d.day


def draw(rng: random.Random, ctx: Ctx) -> dict:
    pool = [g for g in GAPS if g[4] in (None, ctx.patient.sex)]
    gaps = rng.sample(pool, rng.randint(3, 4))
    run = _first_business_day(ctx.month)
    flu_year = ctx.month.year if ctx.month.month >= 11 else ctx.month.year - 1
    return {
        "run": run,
        "panel": rng.randint(600, 2400),
        "gaps": gaps,
        "eye": rng.choice(EYE),
        "img": rng.choice(IMAGING),
        "act_days": days(rng, len(gaps), run + 1, 26),
        "a1c": f"{rng.randint(64, 92) / 10:.1f}",
        "a1c_day": rng.randint(2, 12),
        "flu": md(dt.date(flu_year, 10, rng.randint(1, 28))),
        "ldl": rng.randint(62, 128),
        "protocol": f"QI-{rng.randint(2, 19):02d}",
        "huddle": rng.choice(["Tuesday", "Thursday"]),
    }


def _registry(ctx: Ctx, v: dict) -> Section:
    s = Section("gap_registry", "Care Gap Registry Report", ctx.period_line())
    n = len(v["gaps"])
    s.fact(
        f"The population health registry query was run on {ctx.d(v['run'])} across "
        f"{v['panel']} patients in the chronic care panel; {n} open care gaps found for this "
        "patient.",
        f"run on {ctx.d(v['run'])}",
        f"{n} open care gaps",
    )
    rows = [[g[0], g[1], "Open" if not ctx.has("gap_actions") else "Outreach started"] for g in v["gaps"]]
    if ctx.tables:
        s.table(
            ["Care gap", "Reason flagged", "Status"], rows, [0.32, 0.43, 0.25], dict.fromkeys(range(len(rows)), STATUS)
        )
    else:
        for r in rows:
            s.para(f"- {r[0]}: {r[1]} ({r[2]}).", size="small", space_after=2, also=STATUS)
    s.para(f"Report generated from structured EHR data for {ctx.ident.practice}.")
    return s


def _actions(ctx: Ctx, v: dict) -> Section:
    s = Section("gap_actions", "Care Gap Outreach and Orders", ctx.period_line())
    s.para(f"Actions taken by {ctx.ident.staff[0].signed} with {ctx.ident.provider}:")
    for i, (g, d) in enumerate(zip(v["gaps"], v["act_days"])):
        text = f"{ctx.d(d)}: " + g[2].format(**v) + "; patient informed by phone."
        phrase = g[3].format(**v)
        s.fact(text, phrase) if i < 3 else s.para(text)
    s.para("Results will be posted to the registry when received.")
    return s


def _preventive(ctx: Ctx, v: dict) -> Section:
    s = Section("preventive_status", "Preventive Services Summary", ctx.dos_line(v["a1c_day"]))
    items = [
        ("Hemoglobin A1c", f"{v['a1c']}%", ctx.d(v["a1c_day"])),
        ("Influenza vaccine", "Given", v["flu"]),
        ("LDL cholesterol", f"{v['ldl']} mg/dL", ctx.d(v["a1c_day"])),
        ("Tetanus-diphtheria booster", "Current", "within 10 years"),
    ]
    s.fact(
        f"Diabetes quality measure: most recent hemoglobin A1c {v['a1c']}% on {ctx.d(v['a1c_day'])}.",
        f"hemoglobin A1c {v['a1c']}%",
    )
    s.fact(f"Influenza vaccine given {v['flu']} for the current season.", f"Influenza vaccine given {v['flu']}")
    if ctx.tables:
        s.table(["Service", "Result", "Date"], [list(i) for i in items], [0.45, 0.25, 0.3])
    s.para(
        f"LDL cholesterol {v['ldl']} mg/dL on statin therapy. Items flagged as open are listed on the registry report."
    )
    return s


def _review(ctx: Ctx, v: dict) -> Section:
    s = Section("review_process", "Care Gap Review Protocol", ctx.period_line())
    s.fact(
        f"Protocol {v['protocol']} (care gap closure): the registry query is run on the first "
        "business day of each month for every patient enrolled in chronic care management.",
        f"Protocol {v['protocol']}",
        "first business day of each month",
    )
    s.para(
        f"Open gaps are assigned to the RN care manager and reviewed at the {v['huddle']} "
        "care team huddle; each gap gets outreach within 5 business days."
    )
    s.para(f"Protocol owner: {ctx.ident.provider}. This month's run was completed on schedule.")
    return s


def sections(ctx: Ctx, v: dict) -> list[Section]:
    out = [_registry(ctx, v)]
    if ctx.has("gap_actions"):
        out.append(_actions(ctx, v))
    out.append(_preventive(ctx, v))
    if ctx.has("review_process"):
        out.append(_review(ctx, v))
    return out
