"""CCM06 in the EHR, fax and notes styles; the consent page is shared with CCM39."""

from __future__ import annotations

from ...model import Ctx, Section
from ...voice import Voice, fmt_date
from ..kit import TERSE, fact_cells, grid, new, say

CALLS = {
    "cardiology": [
        "Called {org} - sent 2 wks home BP readings; cardiology RN: no change to diuretic",
        "{org} contacted re home BP log, faxed; no diuretic change per cardiology RN",
    ],
    "pharmacy": [
        "Called {org} - refills synced to one pickup date, blister packs confirmed",
        "{org}: refill sync set up, blister packaging confirmed",
    ],
    "home health": [
        "Spoke w/ {org} RN re skilled nursing visit schedule + wound check",
        "{org} nurse called back - SN visits and wound check reviewed",
    ],
    "nephrology": [
        "Faxed recent labs to {org}, f/u appt confirmed",
        "Labs faxed to {org}; f/u appt confirmed w/ their scheduler",
    ],
    "community": [
        "Referred pt to {org} for transportation help - intake call done",
        "{org} referral for rides; intake completed by phone",
    ],
    "DME supplier": [
        "Called {org} to order shower chair, delivery confirmed",
        "Shower chair ordered from {org}, delivery date confirmed",
    ],
}
OUTCOME = {
    "cardiology": "Home BP log sent; no diuretic change",
    "pharmacy": "Refills synced, blister packs",
    "home health": "SN visit schedule, wound check reviewed",
    "nephrology": "Labs faxed, f/u confirmed",
    "community": "Ride program referral, intake done",
    "DME supplier": "Shower chair ordered, delivery set",
}


def consent(ctx: Ctx, v: dict, vo: Voice) -> Section:
    day = ctx.day(v["consent_day"])
    st = vo.who(ctx.ident.staff[0])
    verbal = v["consent_kind"] == "Verbal"
    medicare = "Medicare" in ctx.ident.payer
    cost = "20% coinsurance" if medicare else f"${v['copay']} copay"
    if vo.style == "fax":
        s = new(
            vo,
            "consent",
            vo.pick(["CHRONIC CARE MANAGEMENT CONSENT FORM", "Patient Consent - Chronic Care Management"]),
            f"Date: {vo.d(day)}    Staff: {st}",
            who=st,
            date=day,
        )
        say(
            vo,
            s,
            "[X] Patient agrees to receive chronic care management services   [ ] Declines",
            "agrees to receive chronic care management services",
            mark=False,
        )
        say(vo, s, f"[X] Cost sharing explained: {cost} may apply each month", cost, mark=False)
        say(vo, s, "[X] Only one practitioner may bill CCM in a calendar month", mark=False)
        say(
            vo,
            s,
            "[X] Patient may stop CCM at any time, effective end of month",
            "may stop CCM at any time",
            mark=False,
        )
        kind = "[X] Verbal   [ ] Written" if verbal else "[ ] Verbal   [X] Written"
        s.para(f"Consent obtained: {kind}", relevant=True)
        ph = f"Consent date: {vo.d(day)}"
        say(vo, s, f"{ph}   Obtained by: {st}", ph, mark=False)
        return s
    if vo.style == "ehr":
        s = new(
            vo,
            "consent",
            vo.pick(["CCM Enrollment", "Chronic Care Management Consent", "Care Management Enrollment Note"]),
            vo.enc(day, ctx.ident.staff[0], vo.pick(["Telephone", "Office Visit"]), role="Staff"),
            who=st,
            date=day,
        )
        how = "verbally" if verbal else "in writing"
        ph = f"CCM consent given {how} by pt on {vo.ds(day)}"
        say(vo, s, f"{ph}, documented", ph)
        say(vo, s, f"Cost sharing reviewed - {cost} applies to CCM each month", cost)
        say(vo, s, "Informed only one practitioner can bill CCM per calendar month")
        say(
            vo,
            s,
            "Right to stop CCM at any time reviewed w/ pt (effective end of month)",
            "Right to stop CCM at any time",
        )
        say(vo, s, "Consent to share care plan electronically w/ outside providers: Yes")
        return s
    s = new(
        vo,
        "consent",
        vo.pick(["Telephone Encounter", "CCM Enrollment Note", "Nursing Note"]),
        vo.enc(day, ctx.ident.staff[0]),
        who=st,
        date=day,
    )
    say(vo, s, "Spoke w/ pt re CCM program - services explained, pt had questions re cost")
    kind = "verbal" if verbal else "written"
    ph = f"{kind} consent obtained {vo.d(day)}"
    say(vo, s, f"Pt agrees, {ph}", ph)
    say(vo, s, f"Told {cost} applies monthly, only 1 provider bills per month", cost)
    say(vo, s, "Pt aware can stop at any time, effective end of month", "can stop at any time")
    return s


def time_rows(ctx: Ctx, v: dict, vo: Voice) -> list:
    rows = [(d, m, vo.who(st), TERSE.get(a, a), False) for d, m, st, a in v["extra_rows"]]
    if ctx.has("coordination_activities"):
        rows += [(d, m, vo.who(st), f"Care coordination with {org}", True) for d, kind, org, m, st in v["contacts"]]
    return sorted(rows)


def time_log(ctx: Ctx, v: dict, vo: Voice) -> Section:
    rows = time_rows(ctx, v, vo)
    total = sum(r[1] for r in rows)
    doc = ctx.ident.provider
    if vo.style == "notes" and vo.rng.random() < 0.4:
        who = vo.who(ctx.ident.staff[0])
        head, signed = vo.summary_header(ctx, who)
        s = new(vo, "time_log", f"Monthly Summary - {vo.month(ctx)}", head, who=who, date=signed)
        say(vo, s, f"Total CCM clinical staff time this month: {total} min", f"{total} min")
        say(vo, s, f"{len(rows)} entries, all clinical staff under gen supervision of {doc}")
        say(vo, s, "Time by same-day different staff not double counted")
        return s
    title = vo.pick(["CCM Time Log", "Chronic Care Management - Time Tracking", "Care Management Time Entries"])
    s = new(vo, "time_log", title, vo.period_header(ctx), who=vo.who(ctx.ident.staff[0]), date=ctx.last_day)
    also = {i: ("coordination_activities",) for i, r in enumerate(rows) if r[4]}
    if vo.style == "notes":
        for i, (d, m, who, act, _coord) in enumerate(rows):
            s.para(
                f"{vo.d(ctx.day(d))} - {m} min - {who} - {act[0].lower() + act[1:]}",
                also=also.get(i, ()),
                space_after=1,
            )
        say(vo, s, f"Total this month {total} min", f"{total} min")
        return s
    run, table = 0, []
    for d, m, who, act, _ in rows:
        run += m
        table.append([fmt_date(ctx.day(d), "mdy"), str(m), who, act, str(run)])
    table.append(["Total", str(total), "", f"{vo.month(ctx)} total", str(total)])
    grid(
        vo,
        s,
        ["Date", "Minutes", "Staff", "Activity", "Running total"],
        table,
        [0.15, 0.1, 0.2, 0.4, 0.15],
        also,
        ctx.tables,
    )
    ph = vo.pick([f"{total} min", f"{total} minutes"])
    say(
        vo,
        s,
        vo.pick(
            [
                f"Total clinical staff time this month: {ph}",
                f"Cumulative CCM time {ctx.month:%m/%Y}: {ph}",
                f"Total: {ph} clinical staff time",
            ]
        ),
        ph,
    )
    say(vo, s, f"Clinical staff under general supervision of {doc}")
    return s


def coordination(ctx: Ctx, v: dict, vo: Voice) -> list[Section]:
    contacts = v["contacts"]
    if vo.style == "notes":
        out = []
        for d, kind, org, m, st in contacts:
            day = ctx.day(d)
            s = new(
                vo,
                "coordination_activities",
                vo.pick(["Telephone Encounter", "Care Coordination Note", "Nursing Note"]),
                vo.enc(day, st),
                who=vo.who(st),
                date=day,
            )
            say(vo, s, vo.pick(CALLS[kind]).format(org=org), org)
            say(vo, s, vo.pick([f"{m} min", f"Time: {m} min", f"~{m} min"]))
            out.append(s)
        return out
    s = new(
        vo,
        "coordination_activities",
        vo.pick(["Care Coordination Log", "Care Coordination - Outside Contacts"]),
        vo.period_header(ctx),
        who=vo.who(ctx.ident.staff[0]),
        date=ctx.last_day,
    )
    if ctx.tables and vo.rng.random() < 0.6:
        rows = [
            [fmt_date(ctx.day(d), "mdy"), org, kind.title(), OUTCOME[kind], vo.who(st)]
            for d, kind, org, m, st in contacts
        ]
        t = s.table(["Date", "Contact", "Type", "Outcome", "Staff"], rows, [0.13, 0.31, 0.12, 0.28, 0.16])
        fact_cells(s, t, *[c[2] for c in contacts])
    else:
        for d, kind, org, _m, st in contacts:
            say(vo, s, f"{vo.ds(ctx.day(d))} " + vo.pick(CALLS[kind]).format(org=org) + f" ({vo.who(st)})", org)
    say(vo, s, f"Care plan changes routed to {ctx.ident.provider}")
    return [s]


def transitions(ctx: Ctx, v: dict, vo: Voice) -> Section:
    t = v["transition"]
    dc, call, appt = ctx.day(t["discharge"]), ctx.day(t["call"]), ctx.day(t["appt"])
    nurse = ctx.ident.staff[0]
    if vo.style == "notes":
        late = vo.rng.random() < 0.5
        entry = ctx.day(t["call"] + vo.rng.randint(1, 3)) if late else call
        title = "Telephone Note - Late Entry" if late else vo.pick(["TCM Call", "Post D/C Call"])
        s = new(vo, "care_transitions", title, vo.enc(entry, nurse), who=vo.who(nurse), date=entry)
        if late:
            s.para(f"Late entry for call of {vo.d(call)}")
        hosp = f"{t['hospital']} {vo.d(dc)}"
        say(vo, s, f"Pt d/c from {hosp} after {t['los']} days, dx {t['reason']}", hosp)
        ph = f"Called pt {vo.d(call)}"
        say(vo, s, f"{ph} - sx reviewed, d/c meds reconciled vs home list", ph)
        ap = f"1st appt {vo.d(appt)}"
        say(vo, s, f"Referral {t['referral']} - {ap}, ride arranged", ap)
        say(vo, s, "D/C summary rec'd + reviewed")
        return s
    s = new(
        vo,
        "care_transitions",
        vo.pick(["Transition of Care - Post-Discharge Call", "TCM Follow-up", "Post-Discharge Telephone Encounter"]),
        vo.enc(call, nurse, "Telephone", role="Staff"),
        who=vo.who(nurse),
        date=call,
    )
    hosp = f"{t['hospital']} on {vo.ds(dc)}"
    say(vo, s, f"D/C from {hosp} after {t['los']}-day stay ({t['reason']})", hosp)
    say(vo, s, "D/C summary received and reviewed by RN")
    ph = f"TCM call completed w/ pt {vo.ds(call)}"
    say(vo, s, f"{ph}: symptoms reviewed, d/c meds reconciled vs home list", ph)
    ap = f"first appt {vo.ds(appt)}"
    say(vo, s, f"Referral to {t['referral']} tracked - {ap}, transportation arranged", ap)
    return s


def sections(ctx: Ctx, v: dict, vo: Voice) -> list[Section]:
    out = []
    if ctx.has("consent"):
        out.append(consent(ctx, v, vo))
    if ctx.has("care_transitions"):
        out.append(transitions(ctx, v, vo))
    if ctx.has("coordination_activities"):
        out += coordination(ctx, v, vo)
    if ctx.has("time_log"):
        out.append(time_log(ctx, v, vo))
    return out
