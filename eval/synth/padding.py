"""Filler pages that lengthen a packet without adding evidence: the generator's own filler
(vitals, labs, office visits, imaging, face sheets), printed for a given patient and month.

For a generated case they are printed in the case's chart style, from the same identity and
month `make_case` draws from the same seed. For a chart written by someone else they are printed
in the plain house style for that chart's patient (name, MRN, birth date) and billing month, so
every added page is the right patient's, in period, and proves nothing the denial asks for.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from . import assemble as asm
from . import pages, styled
from .charts import FAMILIES, _legends, _month, _rng
from .layout import render_pdf
from .model import Ctx
from .people import Identity, NamePool, Person, Staff, make_identity
from .voice import Voice

FAX_SCANNED = 0.3
"""Share of a fax packet's filler pages sent as images, as `styled.fax_scans` does for its own."""


def case_filler(code: str, seed: int, n: int, case: dict, style: str = "prose", legends=None) -> bytes:
    """`n` filler pages for the case `make_case(code, seed, style, legends, ...)` builds: same
    patient, practice, staff and billing month, in the case's chart style, as one PDF."""
    if code not in FAMILIES:
        raise ValueError(f"unknown denial code {code!r}")
    pool = NamePool(_rng(code, seed, "people"))
    ident = make_identity(_rng(code, seed, "identity"), pool, code)
    ctx = Ctx(ident, _month(_rng(code, seed, "month"), code))
    vo = Voice(style, ctx, _rng(code, seed, f"padding-voice:{style}"), _legends(code, seed, style, legends))
    return _render(ctx, vo, _rng(code, seed, "padding"), n, case)


@dataclass(frozen=True)
class _Named(Person):
    """A patient whose name is printed as the chart gives it (no middle initial invented)."""

    full: str = ""
    dob_known: bool = True

    @property
    def name(self) -> str:
        return self.full

    def header(self) -> str:
        return super().header() if self.dob_known else f"Patient: {self.full}    MRN: {self.mrn}"

    @property
    def short(self) -> str:
        return self.full


def chart_filler(case: dict, month: dt.date, dob: dt.date | None, n: int, seed: int = 0) -> bytes:
    """`n` filler pages in the house style for another author's chart: its patient (as the case
    names them, MRN from `mrn` or `patient_id`), practice and provider, dated in `month`."""
    rng = random.Random(f"overturn-padding:{case.get('claim_number')}:{seed}")
    name = " ".join(str(case["patient_name"]).split())
    first, _, last = name.partition(" ")
    patient = _Named(
        first,
        "",
        last or first,
        str(case.get("mrn") or case["patient_id"]),
        dob or dt.date(1900, 1, 1),
        "",
        full=name,
        dob_known=dob is not None,
    )
    base = make_identity(rng, NamePool(rng), str(case.get("denial_code", "")))
    ident = Identity(
        patient,
        str(case.get("provider_name") or base.provider),
        str(case.get("practice_name") or base.practice),
        base.address,
        base.phone,
        str(case.get("payer") or base.payer),
        base.staff[:1] + (Staff("Records Desk", "MA"),),
        str(case.get("claim_number") or base.claim_number),
    )
    ctx = Ctx(ident, month.replace(day=1))
    return _render(ctx, Voice("prose", ctx, rng, False), rng, n, case)


def _render(ctx: Ctx, vo: Voice, rng: random.Random, n: int, case: dict) -> bytes:
    if n <= 0:
        raise ValueError("n must be at least 1")
    fill = [
        styled.prose_filler(ctx, rng) if vo.style == "prose" else styled.filler(ctx, rng, vo, case) for _ in range(n)
    ]
    slots = [asm.Slot(pages.page_for(vo, [s], ctx, sign=False), "filler") for s in fill]
    if vo.style == "fax":
        for slot in slots:
            if rng.random() < FAX_SCANNED:
                asm.make_scanned(slot, rng)
    pages.finish(vo, slots, ctx, 1)
    return render_pdf([s.page for s in slots], title=f"Medical records - {ctx.ident.practice}")
