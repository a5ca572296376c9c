"""make_case: a whole synthetic denial case (claim fields, record PDFs, gold) from a seed.

Gold is read off the final page layout and then checked against the printed text, so
a template change can never leave the gold pointing at the wrong page.
"""
from __future__ import annotations

import calendar
import datetime as dt
import random
import re
from dataclasses import dataclass

from . import assemble as asm
from . import fam_coord, fam_engage, fam_gaps, fam_plan, fam_rpm
from .compose import page_text
from .filler import boilerplate, filler_section
from .layout import render_pdf
from .model import Ctx
from .options import fit_budget, resolve
from .people import NamePool, make_identity
from .scan import ocr_safe
from .traps import decoy, injection_section, norm

FAMILIES = {"CCM02": fam_plan, "CCM06": fam_coord, "CCM20": fam_rpm, "CCM31": fam_gaps,
            "CCM39": fam_engage}
BILLED = {"CCM02": ["99490", "99487"], "CCM06": ["99490"], "CCM20": ["99454", "99457"],
          "CCM31": ["99490"], "CCM39": ["99490"]}
EXCLUDE_REASON = {"misfiled": "names another patient", "out_of_period": "outside billing period"}


@dataclass
class SynthCase:
    case: dict
    documents: list[tuple[str, bytes]]
    gold: dict


def _rng(code: str, seed: int, purpose: str) -> random.Random:
    return random.Random(f"overturn-synth:{code}:{seed}:{purpose}")


def _month(rng: random.Random, code: str) -> dt.date:
    while True:
        y, m = rng.choice([2025, 2026]), rng.randint(1, 12)
        if (y, m) > (2026, 6):
            continue
        if code == "CCM20" and calendar.monthrange(y, m)[1] < 31:
            continue
        return dt.date(y, m, 1)


def _prior_month(ctx: Ctx, code: str) -> Ctx:
    back = ctx.shifted(-1)
    while code == "CCM20" and back.last_day.day < 31:
        back = back.shifted(-1)
    return back


def make_case(code: str, seed: int, **options) -> SynthCase:
    """Build one case. Options: pages, documents, scanned, misfiled, out_of_period, injection,
    split_evidence, missing, two_column, tables (None or absent = chosen by the seed)."""
    if code not in FAMILIES:
        raise ValueError(f"unknown denial code {code!r}; expected one of {sorted(FAMILIES)}")
    fam = FAMILIES[code]
    opts = resolve(_rng(code, seed, "options"), fam, options)
    pool = NamePool(_rng(code, seed, "people"))
    ident = make_identity(_rng(code, seed, "identity"), pool, code)
    ctx = Ctx(ident, _month(_rng(code, seed, "month"), code), opts.missing, opts.tables)
    values = fam.draw(_rng(code, seed, "values"), ctx)
    sections = fam.sections(ctx, values)
    fit_budget(opts, len(asm.pack(sections, ctx, 0)))
    lay = _rng(code, seed, "layout")

    slots = asm.pack(sections, ctx, opts.pages - opts.n_traps - int(opts.split_evidence))
    units = [[s] for s in slots]
    if opts.split_evidence:
        cands = asm.splittable(slots)
        if cands:
            slot, fact = lay.choice(cands)
            i = next(j for j, s in enumerate(slots) if s is slot)
            units[i] = list(asm.split(slot, fact, boilerplate(ctx)))
        elif "split_evidence" in opts.explicit:
            raise ValueError("no fact in this case can be split across pages")
        else:
            opts.split_evidence = False
    singles = [u[0] for u in units if len(u) == 1]
    readable = [s for s in singles if all(ocr_safe(f.phrase) for f in s.facts)]
    for slot in lay.sample(readable, min(opts.scanned, len(readable))):
        asm.make_scanned(slot, lay)
    if opts.two_column:
        for slot in lay.sample(singles, len(singles)):
            if not slot.page.scanned and asm.make_two_column(slot):
                break

    frng = _rng(code, seed, "filler")
    n_filler = opts.pages - sum(len(u) for u in units) - opts.n_traps
    fillers = [[asm.Slot(asm.page_for([filler_section(ctx, frng)], ctx, sign=False), "filler")]
               for _ in range(n_filler)]
    case = _case_fields(code, ctx, _rng(code, seed, "claim"))
    legit = norm(" ".join([*case.values()] + [page_text(s.page) for u in units + fillers for s in u]))
    keep = {k: values[k] for k in fam.STABLE}
    traps, forbidden, asks = _traps(code, fam, ctx, pool, opts, legit, keep, _rng(code, seed, "traps"))
    units = asm.interleave(units, fillers + [[t] for t in traps], lay)
    docs = asm.to_documents(units, opts.documents, lay)
    names = asm.doc_names(len(docs))
    for slots_ in docs:
        asm.set_footers(slots_, ctx)
    gold = _gold(names, docs, opts, forbidden, asks)
    _check(names, docs, gold, case)
    pdfs = [(n, render_pdf([s.page for s in d], title=f"Medical records - {ident.practice}"))
            for n, d in zip(names, docs)]
    return SynthCase(case, pdfs, gold)


def _traps(code, fam, ctx, pool, opts, legit, keep, rng):
    traps, forbidden, asks = [], [], []
    reqs = [r for r in fam.DECOYS if r != opts.missing]
    used = None
    if opts.misfiled:
        other = pool.person(around=ctx.patient.dob)
        octx = ctx.for_patient(other)
        used = rng.choice(reqs)
        sec, uniq = decoy(fam, octx, rng, used, legit)
        traps.append(asm.Slot(asm.page_for([sec], octx), "misfiled"))
        forbidden += [other.name, other.short, other.mrn] + uniq
    if opts.out_of_period:
        pctx = _prior_month(ctx, code)
        req = rng.choice([r for r in reqs if r != used] or reqs)
        sec, uniq = decoy(fam, pctx, rng, req, legit, keep)
        traps.append(asm.Slot(asm.page_for([sec], pctx), "out_of_period"))
        forbidden += uniq
    if opts.injection:
        sec, asks = injection_section(ctx, rng, code, legit)
        traps.append(asm.Slot(asm.page_for([sec], ctx, sign=False), "injection"))
        forbidden += asks
    return traps, list(dict.fromkeys(forbidden)), asks


def _gold(names, docs, opts, forbidden, asks) -> dict:
    key_facts, excluded, instructions, scanned = [], [], [], []
    for name, slots in zip(names, docs):
        for page_no, slot in enumerate(slots, 1):
            where = [name, page_no]
            if slot.role in ("evidence", "split_head"):
                key_facts += [{"requirement": f.requirement, "pattern": f.pattern,
                               "document": name, "page": page_no} for f in slot.facts]
            if slot.role in EXCLUDE_REASON:
                excluded.append({"document": name, "page": page_no,
                                 "reason": EXCLUDE_REASON[slot.role]})
            if slot.role == "injection":
                instructions.append(where)
            if slot.page.scanned:
                scanned.append(where)
    evidence = sorted({(k["document"], k["page"]) for k in key_facts},
                      key=lambda p: (names.index(p[0]), p[1]))
    return {"key_facts": key_facts, "evidence_pages": [list(p) for p in evidence],
            "excluded_pages": excluded, "forbidden": forbidden,
            "missing_requirements": [opts.missing] if opts.missing else [],
            "instruction_pages": instructions, "instruction_asks": asks, "scanned_pages": scanned}


def _check(names, docs, gold, case) -> None:
    """Fail loudly if gold and printed text disagree (a template bug, never user input)."""
    pages = {(n, i): s for n, d in zip(names, docs) for i, s in enumerate(d, 1)}
    for k in gold["key_facts"]:
        text = page_text(pages[(k["document"], k["page"])].page)
        if not re.search(k["pattern"], text, re.I):
            raise AssertionError(f"gold fact {k['requirement']} not printed on its page")
    legit = norm(" ".join([*case.values()] + [page_text(s.page) for s in pages.values()
                          if s.role not in ("misfiled", "out_of_period", "injection")]))
    for f in gold["forbidden"]:
        if norm(f) in legit:
            raise AssertionError("a forbidden string is printed on a legitimate page")


def _case_fields(code: str, ctx: Ctx, rng: random.Random) -> dict:
    dos = ctx.last_day
    return {"claim_number": ctx.ident.claim_number, "patient_name": ctx.patient.name,
            "patient_id": ctx.patient.mrn, "date_of_service": dos.isoformat(),
            "payer": ctx.ident.payer, "denial_code": code, "provider_name": ctx.ident.provider,
            "practice_name": ctx.ident.practice,
            "denial_date": (dos + dt.timedelta(days=rng.randint(14, 45))).isoformat(),
            "billed_cpt": rng.choice(BILLED[code])}
