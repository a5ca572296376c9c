"""CCM02 (the care plan) in the EHR, fax and notes styles."""

from __future__ import annotations

from ...model import Ctx, Section
from ...voice import Voice
from ..kit import fact_cells, grid, late, new, say
from .prose import _meds

ABBR = {
    "E11.9": "DM2 w/o complications",
    "I10": "HTN",
    "N18.31": "CKD stage 3a",
    "I50.22": "chronic systolic CHF",
    "J44.9": "COPD",
    "E78.5": "HLD",
    "F33.1": "MDD, recurrent, moderate",
    "M17.0": "OA both knees",
}


def _head(ctx: Ctx, v: dict, vo: Voice, req: str, part: str) -> Section:
    day = ctx.day(v["review"])
    title = {
        "ehr": "Comprehensive Care Plan",
        "fax": "CARE PLAN",
        "notes": vo.pick(["CCM Care Plan", "Care Plan Note"]),
    }[vo.style]
    header = vo.enc(day, ctx.ident.staff[0]) if vo.style == "notes" else vo.enc(day, kind="Care Plan")
    s = new(vo, req, title, header, who=ctx.ident.provider, date=day)
    if vo.style != "notes":
        s.heading(part)
    return s


def problems(ctx: Ctx, v: dict, vo: Voice) -> Section:
    s = _head(ctx, v, vo, "problem_list", "Problem List")
    conds = v["conds"]
    if vo.style == "notes":
        s.para("Chronic problems (expected >12 mo, high risk of decline):")
        for i, (_desc, icd, *_r) in enumerate(conds):
            say(vo, s, f"{i + 1}. {ABBR[icd]} ({icd})", *([icd] if i < 2 else []))
        return s
    onset = [str(ctx.month.year - vo.rng.randint(2, 19)) for _ in conds]
    rows = [[desc, icd, on, "Active"] for (desc, icd, *_r), on in zip(conds, onset)]
    t = grid(vo, s, ["Problem", "ICD-10", "Onset", "Status"], rows, [0.55, 0.15, 0.15, 0.15], tables=ctx.tables)
    if vo.style == "fax":
        fact_cells(s, t, conds[0][0].split(",")[0], conds[1][0].split(",")[0])  # unwrapped for OCR
    else:
        fact_cells(s, t, conds[0][1], conds[1][1])
    say(vo, s, "Conditions expected to last 12+ months; significant risk of decline w/o management")
    return s


def goals(ctx: Ctx, v: dict, vo: Voice) -> Section:
    s = _head(ctx, v, vo, "measurable_goals", "Goals / Expected Outcomes")
    texts = [(c[2].format(**v["fill"]), c[3].format(**v["fill"])) for c in v["conds"]]
    if vo.style == "notes" or not ctx.tables or vo.rng.random() < 0.4:
        for i, (text, ph) in enumerate(texts):
            say(vo, s, text, *([ph] if i < 2 else []))
    else:
        rows = [[t.split(": ", 1)[0], t.split(": ", 1)[1].rstrip("."), "In progress"] for t, _ in texts]
        tab = s.table(["Problem", "Measurable goal", "Status"], rows, [0.2, 0.62, 0.18])
        fact_cells(s, tab, texts[0][1], texts[1][1])
    say(vo, s, f"Prognosis: {v['prognosis']}; expected outcome stable at home w/ monthly f/u")
    return s


def assessments(ctx: Ctx, v: dict, vo: Voice) -> Section:
    s = _head(ctx, v, vo, "assessments", "Assessments")
    mc, phq = f"Mini-Cog {v['minicog']}/5", f"PHQ-9 score {v['phq']}"
    a, b = v["iadls"]
    if vo.style == "notes":
        say(vo, s, f"Fx: indep ADLs, needs help w/ {a} + {b}; {mc}", mc)
        say(vo, s, f"Mood: {phq}, widowed, church weekly, no food insecurity", phq)
        say(vo, s, f"Home: {v['home']} - {v['hazard']}", v["home"])
        say(vo, s, f"CG: {v['carer']} visits {v['visits']}, helps w/ meds, no strain")
        return s
    say(vo, s, f"Functional: independent basic ADLs; needs help w/ {a} and {b}")
    say(vo, s, f"Cognitive: {mc}", mc)
    say(vo, s, f"Psychosocial: {phq}; widowed, attends church weekly, no food insecurity", phq)
    say(vo, s, f"Environment: lives in {v['home']}; {v['hazard']}", v["home"])
    say(vo, s, f"Caregiver: {v['carer']} visits {v['visits']}, helps w/ meds, no strain reported")
    return s


def medications(ctx: Ctx, v: dict, vo: Voice) -> Section:
    s = _head(ctx, v, vo, "medication_management", "Medication Management")
    meds, (change, change_ph) = _meds(v)
    day = ctx.day(v["review"])
    if vo.style == "notes":
        title, entry, lead = late(vo, day, "Med Rec")
        if lead:
            s.title, s.date_line = title, vo.enc(entry, ctx.ident.staff[0])
            s.meta["sign"] = (ctx.ident.provider, entry)
            s.para(lead)
        ph = f"{len(meds)} active meds"
        say(vo, s, f"Med rec {vo.d(day)} w/ pill bottles + pharmacy fill hx - {ph}", ph)
        say(vo, s, f"Change: {change}", change_ph)
        say(vo, s, "Uses weekly pill organizer, no duplicates")
        return s
    ph, n = f"Med list reconciled {vo.ds(day)}", f"{len(meds)} meds"
    say(vo, s, f"{ph} - {n}", ph, n)
    say(vo, s, f"Change this month: {change}", change_ph)
    rows = [[m, "Active"] for m in meds]
    grid(vo, s, ["Medication / Sig", "Status"], rows, [0.78, 0.22], tables=ctx.tables)
    say(vo, s, "Weekly pill organizer; no duplicate therapies")
    return s


def review(ctx: Ctx, v: dict, vo: Voice) -> Section:
    s = _head(ctx, v, vo, "plan_shared_reviewed", "Review and Sharing")
    day, copy = ctx.day(v["review"]), ctx.day(v["copy"])
    carer = v["carer"]
    init = ctx.day(v["initiated"]) if "initiated" in v else None
    if vo.style == "fax":
        if init:
            ph = f"initiated: {vo.d(init)}"
            say(vo, s, f"Care plan {ph}", ph, mark=False)
        ph = f"Date reviewed/revised: {vo.d(day)}"
        say(vo, s, f"[X] Reviewed with patient   [X] Caregiver present ({carer})   {ph}", ph, mark=False)
        ph = f"Copy to patient via portal on {vo.d(copy)}"
        say(vo, s, f"[X] {ph}   [X] Paper copy mailed", ph, mark=False)
        s.para(f"Responsible clinician: {ctx.ident.provider}    Next review: 3 months")
        return s
    if vo.style == "notes":
        if init:
            ph = f"initiated {vo.d(init)}"
            say(vo, s, f"CP {ph}", ph)
        ph = f"reviewed + revised w/ pt and {carer} {vo.d(day)}"
        say(vo, s, f"CP {ph}, goals/interventions updated", ph)
        ph = f"portal {vo.d(copy)}"
        say(vo, s, f"Copy to pt via {ph} + paper copy mailed", ph)
        return s
    if init:
        ph = f"initiated {vo.ds(init)}"
        say(vo, s, f"Care plan {ph}", ph)
    ph = f"reviewed/revised {vo.ds(day)}"
    say(vo, s, f"Care plan {ph} w/ pt and {carer}; goals + interventions updated", ph)
    ph = f"via portal {vo.ds(copy)}"
    say(vo, s, f"Copy provided to pt {ph}; paper copy mailed at pt request", ph)
    say(vo, s, f"Responsible clinician: {ctx.ident.provider}; next review in 3 months")
    return s


def sections(ctx: Ctx, v: dict, vo: Voice) -> list[Section]:
    out = [problems(ctx, v, vo)]
    for req, fn in (
        ("measurable_goals", goals),
        ("assessments", assessments),
        ("medication_management", medications),
        ("plan_shared_reviewed", review),
    ):
        if ctx.has(req):
            out.append(fn(ctx, v, vo))
    return out
