"""CCM20 charts: RPM order, setup note, transmission report, EHR sync, treatment notes.

The 30-day device period runs from setup (day 2) to day 31, so CCM20 cases use
31-day billing months.
"""

from __future__ import annotations

import random

from ...model import Ctx, Section, days

REQUIREMENTS = ["device_order", "automatic_transmission", "ehr_integration", "setup_education", "treatment_management"]
MISSABLE = ["ehr_integration", "setup_education", "treatment_management"]
DECOYS = ["automatic_transmission", "treatment_management"]
STABLE = ["kind", "model"]  # kept when the same patient's other month is imitated

DEVICES = {
    "bp": (
        ["CardiaLink BP-200", "TeleCuff 5", "PulseBridge LTE-2"],
        "cellular blood pressure monitor",
        "Essential (primary) hypertension",
        "I10",
        "demonstrated correct cuff placement",
        ["Date", "Systolic", "Diastolic", "Pulse", "Transmitted at"],
        [
            "amlodipine increased to 10 mg daily",
            "reviewed low readings after the dose change",
            "discussed salt intake and a home reading technique refresher",
        ],
    ),
    "scale": (
        ["VitalScale C3", "HomeWeigh LTE", "TrueMass Cell-4"],
        "cellular weight scale",
        "Chronic systolic (congestive) heart failure",
        "I50.22",
        "demonstrated stepping on the scale each morning",
        ["Date", "Weight (lb)", "Change (lb)", "Transmitted at"],
        [
            "weight up 4 lb in 3 days; furosemide increased for 3 days",
            "swelling improved; back to the usual diuretic dose",
            "reviewed low-salt food choices with the patient",
        ],
    ),
    "glucose": (
        ["GlucoSync G3", "SugarLink LTE", "DiaBridge Cell"],
        "cellular blood glucose meter",
        "Type 2 diabetes mellitus with hyperglycemia",
        "E11.65",
        "demonstrated a fingerstick reading with the new meter",
        ["Date", "Glucose (mg/dL)", "Timing", "Transmitted at"],
        [
            "fasting readings above 180; glipizide moved to before breakfast",
            "reviewed a low reading of 68 and the treatment steps",
            "discussed evening snacks and meal timing",
        ],
    ),
}


def draw(rng: random.Random, ctx: Ctx) -> dict:
    kind = rng.choice(sorted(DEVICES))
    dev = DEVICES[kind]
    data_days = days(rng, rng.randint(16, 26), 2, 31)
    readings, base = [], rng.randint(150, 230)
    for d in data_days:
        t = f"{rng.randint(6, 9):02d}:{rng.randint(0, 59):02d}"
        if kind == "bp":
            vals = [str(rng.randint(118, 168)), str(rng.randint(68, 98)), str(rng.randint(58, 92))]
        elif kind == "scale":
            step = rng.randint(-25, 25) / 10
            base = base + step
            vals = [f"{base:.1f}", f"{step:+.1f}"]
        else:
            vals = [str(rng.randint(96, 214)), rng.choice(["Fasting", "Fasting", "Before dinner"])]
        readings.append((d, vals, t))
    contacts = [(d, rng.randint(8, 15), note) for d, note in zip(days(rng, rng.randint(2, 3), 5, 29), dev[6])]
    alerts = rng.randint(1, 3)
    return {
        "kind": kind,
        "model": rng.choice(dev[0]),
        "readings": readings,
        "contacts": contacts,
        "alerts": alerts,
        "alert_days": days(rng, alerts, 3, 30),
        "order_day": 1,
        "setup_day": 2,
        "sync_min": rng.randint(2, 9),
    }


def sections(ctx: Ctx, v: dict) -> list[Section]:
    models, noun, dx, icd, demo, cols, _ = DEVICES[v["kind"]]
    nurse, doc = ctx.ident.staff[0].signed, ctx.ident.provider
    out = []
    s = Section("device_order", "Remote Physiologic Monitoring Order", ctx.dos_line(v["order_day"]))
    s.fact(
        f"Order: remote physiologic monitoring with a {v['model']} {noun}, one reading daily, "
        "data sent automatically to the practice.",
        v["model"],
    )
    s.fact(f"Diagnosis for monitoring: {dx} ({icd}).", icd)
    s.para(
        f"The device meets the FD&C Act section 201(h) definition of a medical device. "
        f"Ordering provider: {doc}. Monitoring episode starts at device setup."
    )
    out.append(s)
    if ctx.has("setup_education"):
        s = Section("setup_education", "RPM Device Setup and Education", ctx.dos_line(v["setup_day"]))
        s.fact(
            f"Device setup and patient education completed on {ctx.d(v['setup_day'])} by "
            f"{nurse} in clinic (20-minute visit).",
            f"setup and patient education completed on {ctx.d(v['setup_day'])}",
        )
        s.fact(f"Patient {demo} and explained what to do for readings outside the set range, using teach-back.", demo)
        s.para("Written instructions and the support line number were given to the patient.")
        out.append(s)
    s = Section("automatic_transmission", "RPM Monthly Transmission Report", ctx.period_line())
    rows = [[ctx.d(d), *vals, f"{ctx.d(d)} {t}"] for d, vals, t in v["readings"]]
    n = len(v["readings"])
    s.fact(
        f"Readings transmitted automatically by the device's cellular connection on {n} of 30 "
        f"days in the 30-day period {ctx.d(2)} - {ctx.d(31)}.",
        f"{n} of 30 days",
    )
    s.para("Source of every reading: device transmission; no readings were typed in by hand.")
    if ctx.tables:
        s.table(cols, rows)
    else:
        for r in rows:
            s.para("  ".join(r), size="small", space_after=1)
    out.append(s)
    if ctx.has("ehr_integration"):
        last_d, _, last_t = v["readings"][-1]
        hh, mm = last_t.split(":")
        sync = f"{ctx.d(last_d)} {hh}:{int(mm) + v['sync_min']:02d}" if int(mm) < 50 else f"{ctx.d(last_d)} {hh}:59"
        a = v["alerts"]
        s = Section("ehr_integration", "RPM Data Integration and Alerts", ctx.period_line())
        s.fact(
            "Device readings flow into the EHR vitals flowsheet through the vendor interface "
            f"within minutes of each transmission; last sync {sync}.",
            f"last sync {sync}",
        )
        s.fact(
            f"{a} out-of-range alert{'s' if a > 1 else ''} routed to the care team inbox on "
            + ", ".join(ctx.d(d) for d in v["alert_days"])
            + "; each reviewed the same day.",
            f"{a} out-of-range alert",
        )
        s.para(f"Monthly data review signed by {doc}.")
        out.append(s)
    if ctx.has("treatment_management"):
        s = Section("treatment_management", "RPM Treatment Management Notes", ctx.period_line())
        for d, m, note in v["contacts"]:
            s.para(f"{ctx.d(d)}: {m}-minute phone call with the patient by {nurse}; {note}.")
        total = sum(c[1] for c in v["contacts"])
        s.fact(
            f"Treatment management time for {ctx.month_label}: {total} minutes, including "
            f"{len(v['contacts'])} live calls with the patient.",
            f"{total} minutes",
        )
        out.append(s)
    return out
