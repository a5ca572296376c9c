"""make_case: a whole synthetic denial case (claim fields, record PDFs, gold) from a seed.

Gold is read off the final page layout and then checked against the printed text, so
a template change can never leave the gold pointing at the wrong page. A case is written
in one chart style (voice.STYLES); "prose" is the original house style.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
from dataclasses import dataclass
from functools import partial

from . import assemble as asm
from . import counter, injections, pages, styled
from .compose import page_text
from .gold import EXCLUDE_REASON, check, make_gold  # noqa: F401  (EXCLUDE_REASON re-exported)
from .layout import render_pdf
from .model import Ctx
from .options import fit_budget, resolve
from .people import NamePool, Person, make_identity
from .scan import ocr_safe
from .traps import decoy, injection_section, norm
from .voice import STYLES, Voice, fmt_date

FAMILIES = styled.PROSE
BILLED = {
    "CCM02": ["99490", "99487"],
    "CCM06": ["99490"],
    "CCM20": ["99454", "99457"],
    "CCM31": ["99490"],
    "CCM39": ["99490"],
}


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


def _legends(code: str, seed: int, style: str, legends) -> bool:
    if legends is not None:
        return bool(legends)
    return style != "prose" and _rng(code, seed, "legends").random() < 0.5


def make_case(code: str, seed: int, style: str = "prose", legends=None, **options) -> SynthCase:
    """Build one case in a chart style (prose, ehr, fax, notes). Options: pages, documents,
    scanned, misfiled, out_of_period, injection, split_evidence, missing, two_column, tables
    (None or absent = chosen by the seed); same_name, counter_evidence, standing_before,
    polite_injection (absent = off). legends=None: chosen by the seed (never in prose)."""
    if code not in FAMILIES:
        raise ValueError(f"unknown denial code {code!r}; expected one of {sorted(FAMILIES)}")
    if style not in STYLES:
        raise ValueError(f"unknown style {style!r}; expected one of {STYLES}")
    fam = FAMILIES[code]
    opts = resolve(_rng(code, seed, "options"), fam, options)
    pool = NamePool(_rng(code, seed, "people"))
    ident = make_identity(_rng(code, seed, "identity"), pool, code)
    ctx = Ctx(ident, _month(_rng(code, seed, "month"), code), opts.missing, opts.tables)
    values = fam.draw(_rng(code, seed, "values"), ctx)
    if opts.standing_before:
        styled.apply_standing(code, values, _rng(code, seed, "standing"))
    vo = Voice(style, ctx, _rng(code, seed, f"voice:{style}"), _legends(code, seed, style, legends))
    build = styled.builder(code, vo)
    make = partial(pages.page_for, vo)
    sections = build(ctx, values)
    styled.copy_forward(code, sections, ctx, values, vo, _rng(code, seed, "copy"))
    counters = (
        counter.plant(sections, ctx, values, vo, _rng(code, seed, "counter"), make) if opts.counter_evidence else []
    )
    sections = styled.fit_sections(sections, ctx, make, vo.fits)
    fit_budget(opts, len(asm.pack(sections, ctx, 0, make, vo.fits)))
    lay = _rng(code, seed, "layout")

    slots = asm.pack(sections, ctx, opts.pages - opts.n_traps - int(opts.split_evidence), make, vo.fits)
    units = [[s] for s in slots]
    if opts.split_evidence:
        cands = asm.splittable(slots)
        if cands:
            slot, fact = lay.choice(cands)
            i = next(j for j, s in enumerate(slots) if s is slot)
            units[i] = list(asm.split(slot, fact, pages.padding(vo, ctx), style != "prose"))
        elif "split_evidence" in opts.explicit:
            raise ValueError("no fact in this case can be split across pages")
        else:
            opts.split_evidence = False
    singles = [u[0] for u in units if len(u) == 1]
    if style == "fax":
        styled.fax_scans(units, [], lay, opts.scanned)
    else:
        readable = [s for s in singles if all(ocr_safe(f.phrase) for f in s.facts)]
        for slot in lay.sample(readable, min(opts.scanned, len(readable))):
            asm.make_scanned(slot, lay)
    if opts.two_column:
        for slot in lay.sample(singles, len(singles)):
            if not slot.page.scanned and asm.make_two_column(slot):
                break

    case = _case_fields(code, ctx, _rng(code, seed, "claim"))
    if style != "prose":
        case = styled.case_ids(case, ctx, vo, _rng(code, seed, "ids"))
    frng = _rng(code, seed, "filler")
    n_filler = opts.pages - sum(len(u) for u in units) - opts.n_traps
    if style == "prose":
        fill = [styled.prose_filler(ctx, frng) for _ in range(n_filler)]
    else:
        fill = [styled.filler(ctx, frng, vo, case) for _ in range(n_filler)]
    fillers = [[asm.Slot(make([s], ctx, sign=False), "filler")] for s in fill]
    legit = norm(" ".join([*case.values()] + [page_text(s.page) for u in units + fillers for s in u]))
    keep = {k: values[k] for k in fam.STABLE}
    traps, forbidden, asks, cover = _traps(
        code, fam, ctx, pool, opts, legit, keep, _rng(code, seed, "traps"), vo, build, make, case
    )
    if style == "fax" and cover is None and fillers:
        cover = asm.Slot(make([pages.cover_section(vo, ctx, case)], ctx, sign=False), "cover")
        fillers = fillers[1:]
    others = fillers + [[t] for t in traps]
    units = asm.interleave(units, others, lay)
    if cover is not None:
        units = [[cover]] + units
        others.append([cover])
    if style == "fax":
        styled.fax_scans([], [s for u in others for s in u], lay, 0)
    docs = asm.to_documents(units, opts.documents, lay)
    names = asm.doc_names(len(docs))
    for i, slots_ in enumerate(docs):
        pages.finish(vo, slots_, ctx, i)
    gold = make_gold(names, docs, opts.missing, forbidden, asks, style, vo.legends, counters)
    check(names, docs, gold, case)
    pdfs = [
        (n, render_pdf([s.page for s in d], title=f"Medical records - {ident.practice}")) for n, d in zip(names, docs)
    ]
    return SynthCase(case, pdfs, gold)


def _other_patient(ctx: Ctx, pool: NamePool, opts, rng: random.Random) -> Person:
    p = ctx.patient
    if not opts.same_name:
        return pool.person(around=p.dob)
    mrn = p.mrn
    while mrn == p.mrn:
        mrn = str(rng.randint(1_000_000, 9_899_999))
    dob = p.dob + dt.timedelta(days=rng.choice([-1, 1]) * rng.randint(200, 4000))
    return Person(p.first, p.middle, p.last, mrn, dob, p.sex)


def _traps(code, fam, ctx, pool, opts, legit, keep, rng, vo, build, make, case):
    traps, forbidden, asks = [], [], []
    reqs = [r for r in fam.DECOYS if r != opts.missing]
    prose = vo.style == "prose"
    kw = {} if prose else {"build": build}
    used = cover = None
    if opts.misfiled:
        other = _other_patient(ctx, pool, opts, rng)
        octx = ctx.for_patient(other)
        used = rng.choice(reqs)
        sec, uniq = decoy(fam, octx, rng, used, legit, **kw)
        sec = styled.fit_sections([sec], octx, make, vo.fits)[0]
        slot = asm.Slot(make([sec], octx), "misfiled")
        traps.append(slot)
        if opts.same_name:
            shown = page_text(slot.page)
            dobs = [f"{other.dob:%m/%d/%Y}", fmt_date(other.dob, "mdy_l")]
            forbidden += [other.mrn] + [d for d in dict.fromkeys(dobs) if d in shown] + uniq
        else:
            forbidden += [other.name, other.short, other.mrn] + uniq
    if opts.out_of_period:
        pctx = _prior_month(ctx, code)
        if prose:
            req = rng.choice([r for r in reqs if r != used] or reqs)
        else:
            tb = [r for r in styled.TIME_BOUND[code] if r != opts.missing] or reqs
            req = rng.choice([r for r in tb if r != used] or tb)
        sec, uniq = decoy(fam, pctx, rng, req, legit, keep, **kw)
        sec = styled.fit_sections([sec], pctx, make, vo.fits)[0]
        traps.append(asm.Slot(make([sec], pctx), "out_of_period"))
        forbidden += uniq
    if opts.injection:
        if prose and not opts.polite_injection:
            sec, asks = injection_section(ctx, rng, code, legit)
            kind = "page"
        else:
            sec, asks, kind = injections.injection(ctx, vo, rng, code, legit, opts.polite_injection)
        if kind == "cover" and vo.style != "fax":
            kind = "page"
        if kind == "cover":  # the fax cover sheet's Notes field carries it; placed first
            cover = asm.Slot(make([pages.cover_section(vo, ctx, case, sec)], ctx, sign=False), "injection")
        else:
            slot = asm.Slot(make([sec], ctx, sign=False), "injection")
            if kind == "scan":
                asm.make_scanned(slot, rng)
            traps.append(slot)
        forbidden += asks
    return traps, list(dict.fromkeys(forbidden)), asks, cover


def _case_fields(code: str, ctx: Ctx, rng: random.Random) -> dict:
    dos = ctx.last_day
    return {
        "claim_number": ctx.ident.claim_number,
        "patient_name": ctx.patient.name,
        "patient_id": ctx.patient.mrn,
        "date_of_service": dos.isoformat(),
        "payer": ctx.ident.payer,
        "denial_code": code,
        "provider_name": ctx.ident.provider,
        "practice_name": ctx.ident.practice,
        "denial_date": (dos + dt.timedelta(days=rng.randint(14, 45))).isoformat(),
        "billed_cpt": rng.choice(BILLED[code]),
    }
