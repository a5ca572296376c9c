"""CCM39 charts: interactive contact log, engagement measures, patient goals, consent."""

from __future__ import annotations

import random

from ...model import Ctx, Section, days
from ..coord.prose import consent_section, draw_consent

REQUIREMENTS = ["interactive_time", "engagement_measures", "patient_goals", "consent"]
MISSABLE = REQUIREMENTS
DECOYS = ["interactive_time", "engagement_measures"]
STABLE = ["goals"]  # kept when the same patient's other month is imitated

MODES = ["Phone", "Phone", "Video", "Phone"]
TOPICS = [
    "Medication questions and refill timing",
    "Reviewed home blood pressure log",
    "Diet check-in after the holiday week",
    "Discussed new swelling in both ankles",
    "Planned transportation for the eye appointment",
    "Symptom check after the cold",
    "Reviewed how to use the new inhaler spacer",
    "Talked through sleep problems",
]
# (goal in the patient's words, progress template, range of n)
GOALS = [
    ("walk after dinner on 5 days a week", "walking after dinner on {n} days a week", (2, 5)),
    ("cut sweet tea down to one glass a day", "down to one glass on {n} of 7 days", (2, 6)),
    ("check blood sugar every morning before breakfast", "checked on {n} of {m} mornings", (12, 27)),
    ("fill the weekly pill organizer every Sunday", "organizer filled {n} of 4 Sundays", (2, 4)),
    ("eat a vegetable at lunch and dinner", "vegetables at both meals on {n} days a week", (2, 6)),
    ("do the chair exercises from physical therapy daily", "exercises done {n} days a week", (2, 6)),
]


def draw(rng: random.Random, ctx: Ctx) -> dict:
    v = draw_consent(rng)
    n = rng.randint(3, 5)
    ds = days(rng, n, v["consent_day"] + 1, ctx.last_day.day - 1)
    staff = ctx.ident.staff
    v["contacts"] = [
        (d, rng.choice(MODES), rng.randint(7, 16), rng.choice(staff[:2]).signed, t)
        for d, t in zip(ds, rng.sample(TOPICS, n))
    ]
    pam = rng.randint(44, 78)
    v.update(
        pam=pam,
        pam_prev=pam - rng.randint(3, 9),
        pam_day=rng.randint(4, 20),
        logins=rng.randint(4, 15),
        messages=rng.randint(1, 6),
        adherence=rng.randint(71, 97),
        readings=rng.randint(14, ctx.last_day.day - 2),
    )
    goals = rng.sample(GOALS, 2)
    m = ctx.last_day.day
    v["goals"] = [(g, p.format(n=rng.randint(*r), m=m)) for g, p, r in goals]
    v["goals_day"] = rng.randint(8, 24)
    return v


def pam_level(score: int) -> int:
    return 1 if score <= 47 else 2 if score <= 55 else 3 if score <= 67 else 4


def interactive_section(ctx: Ctx, v: dict) -> Section:
    s = Section("interactive_time", "CCM Interactive Contact Log", ctx.period_line())
    rows = v["contacts"]
    total = sum(r[2] for r in rows)
    s.fact(
        f"Total two-way communication with the patient in {ctx.month_label}: {total} minutes "
        f"over {len(rows)} contacts, all live phone or video.",
        f"{total} minutes",
    )
    if ctx.tables:
        s.table(
            ["Date", "Mode", "Minutes", "Staff", "Topic"],
            [[ctx.d(d), mo, str(mi), st, t] for d, mo, mi, st, t in rows],
            [0.14, 0.09, 0.12, 0.23, 0.42],
        )
    else:
        for d, mo, mi, st, t in rows:
            s.para(f"{ctx.d(d)} - {mo} call - {mi} min - {st}: {t}.", size="small", space_after=2)
    s.para("Non-interactive work (chart review, faxes) is logged separately and not included.")
    return s


def engagement_section(ctx: Ctx, v: dict) -> Section:
    s = Section("engagement_measures", "Patient Engagement Summary", ctx.period_line())
    s.fact(
        f"Patient Activation Measure completed on {ctx.d(v['pam_day'])}: PAM score of "
        f"{v['pam']} (level {pam_level(v['pam'])}), up from {v['pam_prev']} at the prior "
        "assessment.",
        f"PAM score of {v['pam']}",
    )
    s.fact(
        f"Patient portal use this month: {v['logins']} logins and {v['messages']} secure messages sent by the patient.",
        f"{v['logins']} logins",
    )
    s.fact(
        f"Medication adherence of {v['adherence']}% by proportion of days covered over the "
        "last 90 days, from pharmacy fill data.",
        f"adherence of {v['adherence']}%",
    )
    s.para(
        f"Home blood pressure readings submitted on {v['readings']} of {ctx.last_day.day} days in {ctx.month_label}."
    )
    s.para("Measures are reviewed with the patient at the monthly call.")
    return s


def goals_section(ctx: Ctx, v: dict) -> Section:
    s = Section("patient_goals", "Self-Management Goals", ctx.dos_line(v["goals_day"]))
    s.para(f"Goals set by the patient in their own words, reviewed on {ctx.d(v['goals_day'])}:")
    for i, (goal, progress) in enumerate(v["goals"], 1):
        s.fact(f"Goal {i}: patient wants to {goal}.", goal)
        if i == 1:
            s.fact(f"Progress: {progress}, per the patient's own log.", progress)
        else:
            s.para(f"Progress: {progress}, per the patient's own log.")
    s.para(
        "Patient chose to keep both goals for next month; barriers discussed were cold "
        "weather and knee pain in the mornings."
    )
    return s


def sections(ctx: Ctx, v: dict) -> list[Section]:
    out = []
    if ctx.has("consent"):
        out.append(consent_section(ctx, v))
    if ctx.has("interactive_time"):
        out.append(interactive_section(ctx, v))
    if ctx.has("engagement_measures"):
        out.append(engagement_section(ctx, v))
    if ctx.has("patient_goals"):
        out.append(goals_section(ctx, v))
    return out
