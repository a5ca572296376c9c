"""CCM20 (remote monitoring) in the EHR, fax and notes styles."""

from __future__ import annotations

from ...model import Ctx, Section
from ...pages import page_for
from ...voice import Voice, fmt_date
from ..kit import fact_cells, grid, late, new, say
from .prose import DEVICES

SHORT = {"bp": "BP cuff", "scale": "scale", "glucose": "glucometer"}
NOTE_TERSE = {
    "amlodipine increased to 10 mg daily": "amlodipine incr to 10 mg daily",
    "reviewed low readings after the dose change": "low readings after dose change reviewed",
    "discussed salt intake and a home reading technique refresher": "salt intake, technique refresher",
    "weight up 4 lb in 3 days; furosemide increased for 3 days": "wt up 4 lb/3 days, furosemide incr x3 days",
    "swelling improved; back to the usual diuretic dose": "swelling better, back to usual diuretic",
    "reviewed low-salt food choices with the patient": "low-salt food choices reviewed",
    "fasting readings above 180; glipizide moved to before breakfast": "fasting >180, glipizide moved to before bkfst",
    "reviewed a low reading of 68 and the treatment steps": "low of 68 reviewed + hypoglycemia steps",
    "discussed evening snacks and meal timing": "evening snacks/meal timing",
}


def order(ctx: Ctx, v: dict, vo: Voice) -> Section:
    _, noun, dx, icd, *_ = DEVICES[v["kind"]]
    day, doc = ctx.day(v["order_day"]), ctx.ident.provider
    model = v["model"]
    if vo.style == "fax":
        s = new(
            vo,
            "device_order",
            "REMOTE PATIENT MONITORING ORDER FORM",
            f"Order date: {vo.d(day)}    Ordering provider: {doc}",
            who=doc,
            date=day,
        )
        boxes = {
            "bp": "[X] BP monitor   [ ] Scale   [ ] Glucometer",
            "scale": "[ ] BP monitor   [X] Scale   [ ] Glucometer",
            "glucose": "[ ] BP monitor   [ ] Scale   [X] Glucometer",
        }[v["kind"]]
        s.para(f"Device: {boxes}")
        say(vo, s, f"Model: {model} {noun}", model, mark=False)
        s.para("Frequency: 1 reading daily    Transmission: [X] Automatic (cellular)   [ ] Manual entry")
        say(vo, s, f"Diagnosis: {dx} ({icd})", dx, mark=False)
        s.para("Device meets FD&C Act 201(h) medical device definition: [X] Yes")
        return s
    if vo.style == "notes":
        s = new(
            vo,
            "device_order",
            vo.pick(["Order Note", "Provider Note - RPM Order"]),
            vo.enc(day, doc),
            who=doc,
            date=day,
        )
        say(vo, s, f"RPM ordered - {model} {SHORT[v['kind']]}, 1 reading/day, auto-transmits to office", model)
        say(vo, s, f"Dx: {dx} ({icd})", icd)
        say(vo, s, "Device meets FDA 201(h) definition, episode starts at setup")
        return s
    s = new(
        vo,
        "device_order",
        vo.pick(["Order: Remote Physiologic Monitoring", "RPM Order"]),
        vo.enc(day, kind="Order"),
        who=doc,
        date=day,
    )
    rows = [
        ["Order", "Remote physiologic monitoring"],
        ["Device", f"{model} {noun}"],
        ["Frequency", "1 reading daily"],
        ["Transmission", "Automatic (cellular) to practice"],
        ["Diagnosis", f"{dx} ({icd})"],
        ["Ordering provider", doc],
        ["Status", "Signed"],
    ]
    t = grid(vo, s, ["Field", "Value"], rows, [0.3, 0.7], tables=ctx.tables)
    fact_cells(s, t, model, icd)
    say(vo, s, "Device meets FD&C Act 201(h) medical device definition")
    return s


def setup(ctx: Ctx, v: dict, vo: Voice) -> Section:
    demo = DEVICES[v["kind"]][4]
    day, nurse = ctx.day(v["setup_day"]), ctx.ident.staff[0]
    if vo.style == "fax":
        s = new(
            vo,
            "setup_education",
            "RPM Patient Education Checklist",
            f"Date: {vo.d(day)}    Educator: {vo.who(nurse)}",
            who=vo.who(nurse),
            date=day,
        )
        ph = f"Setup date: {vo.d(day)}"
        say(vo, s, f"[X] Device set up, paired and tested    {ph}", ph, mark=False)
        say(vo, s, f"[X] Patient {demo}", demo, mark=False)
        s.para("[X] What to do for readings out of range   [X] Teach-back completed")
        s.para("[X] Written instructions + support line given   Visit length: 20 min")
        return s
    if vo.style == "notes":
        title, entry, lead = late(vo, day, vo.pick(["Nurse Visit - RPM Setup", "RPM Setup Note"]))
        s = new(vo, "setup_education", title, vo.enc(entry, nurse), who=vo.who(nurse), date=entry)
        if lead:
            s.para(lead)
        ph = f"RPM device setup + teaching done {vo.d(day)}"
        say(vo, s, f"{ph} in clinic, ~20 min", ph)
        say(vo, s, f"Pt {demo}, teach-back ok", demo)
        say(vo, s, "Out of range plan reviewed, written instructions + support # given")
        return s
    s = new(
        vo,
        "setup_education",
        vo.pick(["RPM Device Setup and Education", "RPM Enrollment - Setup"]),
        vo.enc(day, nurse, "Nurse Visit", role="Staff", model=v["model"]),
        who=vo.who(nurse),
        date=day,
    )
    ph = f"Setup/education completed {vo.ds(day)}"
    say(vo, s, f"{ph} in clinic (20 min)", ph)
    say(vo, s, f"Pt {demo} - teach-back done", demo)
    say(vo, s, "Reviewed what to do for readings outside set range")
    say(vo, s, "Written instructions and support line # given")
    return s


def transmission(ctx: Ctx, v: dict, vo: Voice) -> list[Section]:
    """The monthly flowsheet; a long one runs onto a continuation page, as printouts do."""
    cols = DEVICES[v["kind"]][5]
    n = len(v["readings"])
    a, b = ctx.day(2), ctx.day(31)
    title = vo.pick(
        [
            "RPM Monthly Transmission Report",
            "Device Flowsheet - Remote Monitoring",
            f"{v['model']} - Monthly Data Report",
        ]
    )
    who = vo.who(ctx.ident.staff[0])
    s = new(vo, "automatic_transmission", title, vo.period_header(ctx), who=who, date=ctx.last_day)
    ph = f"{n} of 30 days"
    if vo.style == "notes":
        say(vo, s, f"Cuff/device transmitting - readings rec'd on {ph} in window {vo.span(a, b)}", ph)
        say(vo, s, "All auto-uploaded by device (cellular), none manual")
    else:
        say(vo, s, f"Days w/ automatic transmissions: {ph} ({vo.span(a, b)})", ph)
        say(vo, s, "Source: device transmission (cellular) for every reading - no manual entries")
    rows = [[fmt_date(ctx.day(d), "mdy"), *vals, f"{t}", "Device"] for d, vals, t in v["readings"]]
    head = cols[:-1] + ["Time", "Source"]
    base = len(s.blocks)
    t = grid(vo, s, head, rows, tables=ctx.tables)

    def show(k: int) -> None:
        if t is not None:
            t.rows = rows[:k]
        else:
            del s.blocks[base:]
            grid(vo, s, head, rows[:k], tables=False)

    cut = n
    while cut > 8 and not vo.fits(page_for(vo, [s], ctx)):
        cut -= 1
        show(cut)
    if cut == n:
        return [s]
    cut = max(8, cut - 2)  # room for a comment line
    show(cut)
    s2 = new(vo, "automatic_transmission", f"{title} (continued)", vo.period_header(ctx), who=who, date=ctx.last_day)
    grid(vo, s2, head, rows[cut:], tables=ctx.tables)
    ph = f"{n} days w/ data"
    say(vo, s2, f"End of report: {ph}, {n} readings, all device-transmitted", ph)
    return [s, s2]


def integration(ctx: Ctx, v: dict, vo: Voice) -> Section:
    last_d, _, last_t = v["readings"][-1]
    hh, mm = last_t.split(":")
    mm = f"{int(mm) + v['sync_min']:02d}" if int(mm) < 50 else "59"
    sync = f"{vo.ds(ctx.day(last_d))} {hh}:{mm}"
    a = v["alerts"]
    dates = ", ".join(vo.ds(ctx.day(d)) for d in v["alert_days"])
    s = new(
        vo,
        "ehr_integration",
        vo.pick(["RPM Data Integration and Alerts", "Interface Status - RPM"])
        if vo.style != "notes"
        else "RPM Data Review",
        vo.period_header(ctx),
        who=ctx.ident.provider,
        date=ctx.last_day,
    )
    alert = f"{a} out-of-range alert{'s' if a > 1 else ''}"
    if vo.style == "notes":
        say(vo, s, f"Vendor interface ok - readings in vitals flowsheet, last sync {sync}", f"last sync {sync}")
        say(vo, s, f"{alert} to inbox {dates}, each reviewed same day", alert)
    else:
        say(vo, s, f"Readings post to EHR vitals flowsheet via vendor interface; last sync {sync}", f"last sync {sync}")
        say(vo, s, f"{alert} routed to care team inbox {dates} - reviewed same day", alert)
    say(vo, s, f"Monthly data review signed by {ctx.ident.provider}")
    return s


def treatment(ctx: Ctx, v: dict, vo: Voice) -> list[Section]:
    nurse = ctx.ident.staff[0]
    calls = v["contacts"]
    total = sum(c[1] for c in calls)
    if vo.style == "notes":
        out = []
        for d, m, text in calls:
            day = ctx.day(d)
            s = new(
                vo,
                "treatment_management",
                vo.pick(["Telephone Encounter", "RPM Call"]),
                vo.enc(day, nurse),
                who=vo.who(nurse),
                date=day,
            )
            ph = f"call w/ pt, {m} min"
            soap = vo.rng.random() < 0.4
            say(vo, s, f"{'S: ' if soap else ''}RPM {ph} - {NOTE_TERSE.get(text, text)}", ph)
            if soap:
                s.para(
                    vo.pick(
                        [
                            "A/P: cont RPM, f/u call next wk",
                            "A/P: cont current plan, recheck readings 1 wk",
                            "P: f/u call 1-2 wks, pt to call w/ sx",
                        ]
                    )
                )
            out.append(s)
        head, signed = vo.summary_header(ctx, vo.who(nurse))
        s = new(vo, "treatment_management", f"Monthly Summary - {vo.month(ctx)}", head, who=vo.who(nurse), date=signed)
        say(vo, s, f"RPM treatment mgmt time this month: {total} min, {len(calls)} live calls", f"{total} min")
        return out + [s]
    s = new(
        vo,
        "treatment_management",
        vo.pick(["RPM Treatment Management", "RPM Time Log"]),
        vo.period_header(ctx),
        who=vo.who(nurse),
        date=ctx.last_day,
    )
    run, rows = 0, []
    for d, m, text in calls:
        run += m
        rows.append(
            [
                fmt_date(ctx.day(d), "mdy"),
                str(m),
                vo.who(nurse),
                "Phone call w/ pt",
                NOTE_TERSE.get(text, text),
                str(run),
            ]
        )
    rows.append(["Total", str(total), "", f"{len(calls)} live calls", "", str(total)])
    grid(
        vo,
        s,
        ["Date", "Minutes", "Staff", "Interaction", "Note", "Running total"],
        rows,
        [0.13, 0.1, 0.17, 0.16, 0.3, 0.14],
        tables=ctx.tables,
    )
    ph = f"{total} min"
    say(vo, s, f"Treatment management time {vo.month(ctx)}: {ph} incl {len(calls)} live calls w/ pt", ph)
    return [s]


def sections(ctx: Ctx, v: dict, vo: Voice) -> list[Section]:
    out = [order(ctx, v, vo)]
    if ctx.has("setup_education"):
        out.append(setup(ctx, v, vo))
    out += transmission(ctx, v, vo)
    if ctx.has("ehr_integration"):
        out.append(integration(ctx, v, vo))
    if ctx.has("treatment_management"):
        out += treatment(ctx, v, vo)
    return out
