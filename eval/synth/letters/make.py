"""The entry points: draw the claim, people and wording for a seed, let the layout write the
blocks, paginate, add the furniture, check the gold is printed, then scan or render.
"""

from __future__ import annotations

import threading

from ..assemble import Slot, make_scanned
from ..compose import Page
from ..layout import render_pdf
from ..people import NamePool
from ..scan import SCAN_SCALE, ocr_safe, scan_style
from . import cms_idn, commercial_eob, medicaid_notice, medicare_mac
from .claim import _build_claim
from .context import Ctx
from .furniture import _finish, _noise, _placeholder
from .gold import LetterFields, _check
from .parties import _party
from .render import _paginate
from .scenarios import LAYOUTS
from .values import _rng

MAX_PAGES = 3

BUILDERS = {
    "medicare_mac": medicare_mac.write_letter,
    "commercial_eob": commercial_eob.write_letter,
    "cms_idn": cms_idn.write_letter,
    "medicaid_notice": medicaid_notice.write_letter,
}
DATE_KINDS = ["mdy", "long", "iso", "dmy", "abbr", "mdy", "long"]
NAME_KINDS = ["LAST, FIRST M", "LAST, FIRST", "First M. Last", "First Last", "FIRST M LAST", "Last, First M"]


_FONTS = threading.Lock()


def _register_fonts() -> None:
    """scan_style registers the scan font on first use; do it once, under a lock, so letters
    can be made from several threads."""
    with _FONTS:
        for scale in (SCAN_SCALE, 1.0, 0.92):
            scan_style(scale)


def build_pages(layout: str, seed: int, scanned: bool = False) -> tuple[list[Page], LetterFields]:
    """The letter's pages (before rendering) and its gold fields."""
    if layout not in BUILDERS:
        raise ValueError(f"unknown layout {layout!r}; expected one of {LAYOUTS}")
    _register_fonts()
    claim = _build_claim(_rng(layout, seed, "claim"), layout, scanned)
    pool = NamePool(_rng(layout, seed, "people"))
    patient = pool.person()
    party = _party(_rng(layout, seed, "party"), pool)
    w = _rng(layout, seed, "wording")
    c = Ctx(layout, seed, w, claim, patient, party, scanned, w.choice(DATE_KINDS), w.choice(NAME_KINDS))
    first, items, cont, gold, tag = BUILDERS[layout](c)
    noise = _noise(_rng(layout, seed, "noise"), claim, scanned, party, tag)
    form = tag if tag.startswith("Form") else ""
    if form:
        noise.footer_id = noise.footer_id.replace(form, "NDN")
    pages = _paginate(_placeholder(first, noise, form), items, _placeholder(cont, noise, form))
    if len(pages) > MAX_PAGES:
        raise ValueError(f"{layout} seed {seed}: {len(pages)} pages")
    pages = _finish(pages, noise, form)
    _check(pages, gold, c.shows)
    if scanned:
        if not (ocr_safe(gold.claim_number) and ocr_safe(gold.patient_id)):
            raise AssertionError("an ID on a scanned letter is not OCR-safe")
        srng = _rng(layout, seed, "scan")
        slots = [Slot(pg, "letter") for pg in pages]
        for slot in slots:
            make_scanned(slot, srng)
        pages = [s.page for s in slots]
    return pages, gold


def make_letter(layout: str, seed: int, scanned: bool = False) -> tuple[bytes, LetterFields]:
    """A PDF of the letter (1-3 pages) and its gold fields; the same seed gives the same bytes.
    scanned=True: every page is an image with no text layer (OCR needed)."""
    pages, gold = build_pages(layout, seed, scanned)
    return render_pdf(pages, title=f"Correspondence - {gold.payer}"), gold
