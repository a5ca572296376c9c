"""CCM39 in the EHR, fax and notes styles."""

from __future__ import annotations

from ...model import Ctx, Section
from ...voice import Voice, fmt_date
from ..coord.styled import consent
from ..kit import fact_cells, grid, late, new, say
from .prose import pam_level

TOPICS = {
    "Medication questions and refill timing": "med questions, refill timing",
    "Reviewed home blood pressure log": "home BP log reviewed",
    "Diet check-in after the holiday week": "diet check-in after holiday wk",
    "Discussed new swelling in both ankles": "new swelling both ankles",
    "Planned transportation for the eye appointment": "ride for eye appt planned",
    "Symptom check after the cold": "sx check after cold",
    "Reviewed how to use the new inhaler spacer": "inhaler spacer technique",
    "Talked through sleep problems": "sleep problems",
}


def _who(vo: Voice, signed: str) -> str:
    name, cred = signed.rsplit(", ", 1)
    if vo.style == "notes":
        return f"{name.split()[0][0]}. {name.split()[-1]} {cred}"
    return signed


def interactive(ctx: Ctx, v: dict, vo: Voice) -> list[Section]:
    rows = v["contacts"]
    total = sum(r[2] for r in rows)
    if vo.style == "notes":
        out = []
        for d, mode, mi, st, topic in rows:
            day = ctx.day(d)
            s = new(
                vo,
                "interactive_time",
                vo.pick(["Telephone Encounter", "CCM Call", "Nursing Note"])
                if mode == "Phone"
                else "Video Visit - CCM",
                vo.enc(day, _who(vo, st)),
                who=_who(vo, st),
                date=day,
            )
            ph = f"{'call' if mode == 'Phone' else 'visit'} w/ pt, {mi} min"
            soap = vo.rng.random() < 0.4
            say(vo, s, f"{'S: ' if soap else ''}{mode} {ph} - {TOPICS[topic]}", ph)
            if soap:
                s.para(vo.pick(["A/P: f/u next month", "P: cont monthly CCM calls", "A/P: no changes, f/u prn"]))
            out.append(s)
        head, signed = vo.summary_header(ctx, _who(vo, rows[0][3]))
        s = new(
            vo,
            "interactive_time",
            vo.pick([f"Monthly Summary - {vo.month(ctx)}", f"CCM Monthly Note - {vo.month(ctx)}"]),
            head,
            who=_who(vo, rows[0][3]),
            date=signed,
        )
        ph = f"{total} min"
        say(vo, s, f"Total 2-way communication w/ pt this month: {ph}, {len(rows)} live contacts", ph)
        say(vo, s, "Chart review/faxes logged separately, not incl")
        return out + [s]
    s = new(
        vo,
        "interactive_time",
        vo.pick(["CCM Interactive Contact Log", "Patient Outreach Log", "Two-Way Communication Log"]),
        vo.period_header(ctx),
        who=rows[0][3],
        date=ctx.last_day,
    )
    run, table = 0, []
    for d, mode, mi, st, topic in rows:
        run += mi
        table.append([fmt_date(ctx.day(d), "mdy"), mode, str(mi), st, TOPICS[topic], str(run)])
    table.append(["Total", "", str(total), "", f"{len(rows)} live contacts", str(total)])
    grid(
        vo,
        s,
        ["Date", "Mode", "Minutes", "Staff", "Topic", "Running total"],
        table,
        [0.13, 0.09, 0.1, 0.2, 0.33, 0.15],
        tables=ctx.tables,
    )
    ph = f"{total} min"
    say(
        vo,
        s,
        vo.pick(
            [
                f"Total interactive time {ctx.month:%m/%Y}: {ph} (live phone/video)",
                f"Interactive communication this month: {ph} over {len(rows)} contacts",
            ]
        ),
        ph,
    )
    say(vo, s, "Non-interactive work (chart review, faxes) logged separately - not included")
    return [s]


def engagement(ctx: Ctx, v: dict, vo: Voice) -> Section:
    pam, prev, lvl = v["pam"], v["pam_prev"], pam_level(v["pam"])
    pday = ctx.day(v["pam_day"])
    nurse = ctx.ident.staff[0]
    if vo.style == "notes":
        title, entry, lead = late(vo, pday, vo.pick(["Engagement Check", "CCM Nursing Note"]))
        s = new(vo, "engagement_measures", title, vo.enc(entry, nurse), who=vo.who(nurse), date=entry)
        if lead:
            s.para(lead)
        say(vo, s, f"PAM done {vo.d(pday)} - score {pam} (lvl {lvl}), up from {prev}", f"score {pam}")
        say(vo, s, f"Portal: {v['logins']} logins, {v['messages']} msgs from pt this mo", f"{v['logins']} logins")
        say(vo, s, f"Med adherence {v['adherence']}% (PDC 90d, fill data)", f"adherence {v['adherence']}%")
        say(vo, s, f"Home BP readings {v['readings']}/{ctx.last_day.day} days")
        return s
    s = new(
        vo,
        "engagement_measures",
        vo.pick(["Patient Engagement Summary", "Engagement Metrics", "Patient Engagement Dashboard"]),
        vo.period_header(ctx),
        who=vo.who(nurse),
        date=ctx.last_day,
    )
    if ctx.tables and vo.rng.random() < 0.6:
        rows = [
            ["PAM score", f"{pam} (level {lvl})", fmt_date(pday, "mdy"), f"up from {prev}"],
            ["Portal logins", f"{v['logins']} logins", vo.month(ctx), ""],
            ["Secure messages sent by pt", str(v["messages"]), vo.month(ctx), ""],
            ["Medication adherence (PDC, 90 days)", f"{v['adherence']}%", "pharmacy fill data", ""],
            ["Home BP readings", f"{v['readings']} of {ctx.last_day.day} days", vo.month(ctx), ""],
        ]
        t = s.table(["Measure", "Value", "Date/Source", "Trend"], rows, [0.36, 0.2, 0.24, 0.2])
        fact_cells(s, t, f"{pam} (level {lvl})", f"{v['logins']} logins", f"{v['adherence']}%")
    else:
        say(vo, s, f"PAM score {pam} (level {lvl}) on {vo.ds(pday)}, prev {prev}", f"PAM score {pam}")
        say(vo, s, f"Portal use: {v['logins']} logins, {v['messages']} secure msgs sent by pt", f"{v['logins']} logins")
        say(vo, s, f"Med adherence {v['adherence']}% by PDC over 90 days (fill data)", f"adherence {v['adherence']}%")
    say(vo, s, "Measures reviewed w/ pt at monthly call")
    return s


def goals(ctx: Ctx, v: dict, vo: Voice) -> Section:
    day = ctx.day(v["goals_day"])
    nurse = ctx.ident.staff[0]
    (g1, p1), (g2, p2) = v["goals"]
    if vo.style == "fax":
        s = new(
            vo,
            "patient_goals",
            "My Health Goals - Self-Management Worksheet",
            f"Date reviewed: {vo.d(day)}    With: {vo.who(nurse)}",
            who=vo.who(nurse),
            date=day,
        )
        say(vo, s, f"My goal #1: {g1}", g1, mark=False)
        say(vo, s, f"How I am doing: {p1}", p1, mark=False)
        say(vo, s, f"My goal #2: {g2}", g2, mark=False)
        s.para(f"How I am doing: {p2}")
        s.para("[X] Keep both goals next month   [ ] Change goals")
        return s
    if vo.style == "notes":
        s = new(
            vo,
            "patient_goals",
            vo.pick(["Goal Review", "CCM Nursing Note"]),
            vo.enc(day, nurse),
            who=vo.who(nurse),
            date=day,
        )
        say(vo, s, f"Goals reviewed w/ pt (own words): 1) {g1}", g1)
        say(vo, s, f"now {p1} per pt log", p1)
        say(vo, s, f"2) {g2} - {p2}", g2)
        say(vo, s, "Barriers: cold wx, AM knee pain - pt keeping both goals")
        return s
    s = new(
        vo,
        "patient_goals",
        vo.pick(["Self-Management Goals", "Patient Goals"]),
        vo.enc(day, nurse, role="Staff"),
        who=vo.who(nurse),
        date=day,
    )
    say(vo, s, f"Goal 1 (pt's words): {g1}", g1)
    say(vo, s, f"Progress: {p1} per pt log", p1)
    say(vo, s, f"Goal 2 (pt's words): {g2}", g2)
    say(vo, s, f"Progress: {p2}")
    say(vo, s, "Pt chose to keep both goals; barriers cold weather, AM knee pain")
    return s


def sections(ctx: Ctx, v: dict, vo: Voice) -> list[Section]:
    out = []
    if ctx.has("consent"):
        out.append(consent(ctx, v, vo))
    if ctx.has("interactive_time"):
        out += interactive(ctx, v, vo)
    if ctx.has("engagement_measures"):
        out.append(engagement(ctx, v, vo))
    if ctx.has("patient_goals"):
        out.append(goals(ctx, v, vo))
    return out
