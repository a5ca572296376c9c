"""CCM31 (care gaps) in the EHR, fax and notes styles."""

from __future__ import annotations

import datetime as dt

from ...model import Ctx, Section
from ...voice import Voice, fmt_date
from ..kit import grid, late, new, say

SHORT = {
    "Diabetic retinal exam": "retinal exam",
    "Colorectal cancer screening": "CRC screening",
    "Pneumococcal vaccine": "pneumococcal vax",
    "Shingles vaccine": "shingles vax",
    "Kidney health evaluation": "kidney health eval (uACR)",
    "Breast cancer screening": "mammogram",
    "Diabetic foot exam": "diabetic foot exam",
}


STATUS = ("preventive_status",)
"""A registry row names a screening or vaccine and where it stands ('mammogram overdue by 8
months'): a reviewer accepts it as preventive status too."""


def _flu(v: dict) -> dt.date:
    m, d, y = (int(x) for x in v["flu"].split("/"))
    return dt.date(y, m, d)


def registry(ctx: Ctx, v: dict, vo: Voice) -> Section:
    run = ctx.day(v["run"])
    n = len(v["gaps"])
    acted = ctx.has("gap_actions")
    s = new(
        vo,
        "gap_registry",
        vo.pick(["Care Gap Registry Report", "Population Health - Care Gaps", "Health Maintenance Registry"])
        if vo.style != "notes"
        else "Registry Review",
        vo.period_header(ctx),
        who=vo.who(ctx.ident.staff[0]),
        date=run,
    )
    ph1, ph2 = f"run {vo.ds(run)}", f"{n} open care gaps"
    if vo.style == "notes":
        say(vo, s, f"Pop health registry {ph1} ({v['panel']} pts in CCM panel) - {ph2} for pt", ph1, ph2)
        for g in v["gaps"]:
            s.para(f"{SHORT[g[0]]} - {g[1]}", space_after=1, also=STATUS)
        return s
    say(vo, s, f"Registry query {ph1} across {v['panel']} pts in chronic care panel", ph1)
    say(vo, s, f"{ph2} found for this pt", ph2)
    rows, also = [], {}
    for i, (g, d) in enumerate(zip(v["gaps"], v["act_days"])):
        action = g[2].format(**v).split(" for ")[0] if acted else "-"
        rows.append(
            [g[0], g[1], "Outreach started" if acted else "Open", action, fmt_date(ctx.day(d), "mdy") if acted else ""]
        )
        also[i] = (*STATUS, "gap_actions") if acted else STATUS
    grid(
        vo,
        s,
        ["Measure", "Reason flagged", "Status", "Action", "Date"],
        rows,
        [0.22, 0.26, 0.14, 0.26, 0.12],
        also,
        ctx.tables,
    )
    say(vo, s, f"Generated from structured EHR data, {ctx.ident.practice}")
    return s


def actions(ctx: Ctx, v: dict, vo: Voice) -> Section:
    nurse = ctx.ident.staff[0]
    days = [ctx.day(d) for d in v["act_days"]]
    if vo.style == "notes":
        title, entry, lead = late(vo, days[-1], vo.pick(["Telephone Encounter - Care Gaps", "Care Gap Outreach Note"]))
        s = new(vo, "gap_actions", title, vo.enc(entry, nurse), who=vo.who(nurse), date=entry)
        if lead:
            s.para(lead)
        s.para("Called pt re open care gaps:")
    else:
        s = new(
            vo,
            "gap_actions",
            vo.pick(["Care Gap Outreach and Orders", "Care Gap Closure Actions"]),
            vo.period_header(ctx, nurse),
            who=vo.who(nurse),
            date=days[-1],
        )
    for i, (g, day) in enumerate(zip(v["gaps"], days)):
        text = f"{vo.ds(day)} {g[2].format(**v)}; pt informed by phone"
        if vo.style == "notes":
            text = text.replace("the patient", "pt").replace("; pt informed by phone", ", pt aware")
        say(vo, s, text, *([g[3].format(**v)] if i < 3 else []))
    say(vo, s, "Results to registry when received")
    return s


def preventive(ctx: Ctx, v: dict, vo: Voice) -> Section:
    day, flu = ctx.day(v["a1c_day"]), _flu(v)
    if vo.style == "notes":
        s = new(
            vo,
            "preventive_status",
            vo.pick(["Health Maintenance", "HM Review"]),
            vo.enc(day, ctx.ident.staff[0]),
            who=vo.who(ctx.ident.staff[0]),
            date=day,
        )
        a1c, fl = f"A1c {v['a1c']}%", f"flu shot {vo.d(flu)}"
        say(vo, s, f"HM: {a1c} ({vo.d(day)}), {fl}, LDL {v['ldl']} on statin, Td current", a1c, fl)
        return s
    s = new(
        vo,
        "preventive_status",
        vo.pick(["Health Maintenance Summary", "Preventive Services Summary"]),
        vo.enc(day),
        date=day,
    )
    a1c = f"A1c {v['a1c']}%"
    if vo.style == "fax":  # "A1c" does not survive OCR; the fax page states the LDL instead
        ldl = f"LDL {v['ldl']} mg/dL"
        say(vo, s, f"Diabetes measure: most recent {a1c} ({vo.ds(day)}); {ldl} on statin", ldl)
    else:
        say(vo, s, f"Diabetes measure: most recent {a1c} ({vo.ds(day)})", a1c)
    fl = f"Influenza vaccine given {vo.ds(flu)}"
    say(vo, s, f"{fl} - current season", fl)
    rows = [
        ["Hemoglobin A1c", "Done", fmt_date(day, "mdy"), f"{v['a1c']}%"],
        ["Influenza vaccine", "Done", fmt_date(flu, "mdy"), "Given"],
        ["LDL cholesterol", "Done", fmt_date(day, "mdy"), f"{v['ldl']} mg/dL"],
        ["Td booster", "Current", "within 10 yrs", ""],
    ]
    grid(vo, s, ["Topic", "Status", "Last done", "Result"], rows, [0.34, 0.18, 0.24, 0.24], tables=ctx.tables)
    return s


def protocol(ctx: Ctx, v: dict, vo: Voice) -> Section:
    s = new(
        vo,
        "review_process",
        vo.pick(["Care Gap Review Protocol", "Care Gap Closure Workflow"]) if vo.style != "notes" else "CCM Team Note",
        vo.period_header(ctx),
        who=ctx.ident.provider,
        date=ctx.day(v["run"]),
    )
    p = f"Protocol {v['protocol']}"
    fb = "first business day of each month"
    if vo.style == "notes":
        say(vo, s, f"Per {p}: registry run {fb} for all CCM pts", p, fb)
        say(vo, s, f"Open gaps to RN CM, reviewed at {v['huddle']} huddle, outreach w/in 5 bus days")
        return s
    say(vo, s, f"{p} (care gap closure): registry query run {fb} for every CCM pt", p, fb)
    say(vo, s, f"Open gaps assigned to RN care manager, reviewed at {v['huddle']} huddle")
    say(vo, s, "Outreach on each gap w/in 5 business days")
    say(vo, s, f"Protocol owner: {ctx.ident.provider}; this month's run on schedule")
    return s


def sections(ctx: Ctx, v: dict, vo: Voice) -> list[Section]:
    out = [registry(ctx, v, vo)]
    if ctx.has("gap_actions"):
        out.append(actions(ctx, v, vo))
    out.append(preventive(ctx, v, vo))
    if ctx.has("review_process"):
        out.append(protocol(ctx, v, vo))
    return out
