"""Blocks, tables and pagination: turning a layout's block list into at most a few pages that
fit in both renderings (Helvetica for text letters, the scan font for scans).

Layouts only list blocks; this module decides where pages break and how wide columns are.
"""

from __future__ import annotations

from dataclasses import replace

from reportlab.pdfbase.pdfmetrics import stringWidth

from ..compose import HELVETICA, MARGIN, PAGE_W, SIZES, Page, Para, Table, compose
from ..scan import SCAN_SCALE, scan_style


def H(text: str) -> Para:
    return Para(text, bold=True, size="heading", space_after=3)


def P(text: str, **kw) -> Para:
    return Para(text, **kw)


def lines(texts: list[str], size: str = "body", bold_first: bool = False) -> list[Para]:
    """An address or label block: short lines with no gap between them."""
    out = [Para(t, size=size, space_after=0.5, bold=bold_first and i == 0) for i, t in enumerate(texts)]
    if out:
        out[-1] = replace(out[-1], space_after=6)
    return out


BREAK = object()  # a forced page break in a block list


class Keep:
    """A block that must stay on the page of the block after it (a heading)."""

    def __init__(self, block):
        self.block = block


def _fits(page: Page) -> bool:
    """Fits in the scan font at scale 1.0 (the larger of the two renderings)."""
    return compose(page, scan_style(1.0))[1]


def _groups(items: list) -> list:
    """Blocks bundled with the headings kept above them; BREAK stays a marker."""
    out, held = [], []
    for it in items:
        if it is BREAK:
            if held:
                out.append(held)
                held = []
            out.append(BREAK)
        elif isinstance(it, Keep):
            held.append(it.block)
        else:
            out.append(held + [it])
            held = []
    if held:
        out.append(held)
    return out


def _paginate(first: Page, items: list, cont: Page) -> list[Page]:
    """Fill each page with as many whole groups as fit (found by bisection: a page that
    holds n groups holds fewer); headings stay with their block; BREAK starts a page."""
    groups, pages, template, i = _groups(items), [], first, 0
    while i < len(groups):
        if groups[i] is BREAK:
            i += 1
            continue
        run = i
        while run < len(groups) and groups[run] is not BREAK:
            run += 1

        def page_of(k: int, i: int = i, template: Page = template) -> Page:
            """A page of the next `k` groups from group `i` (this run's start), laid out as `template`."""
            return replace(template, blocks=[b for g in groups[i : i + k] for b in g])

        lo, hi = 0, run - i  # lo groups fit; find the largest
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if _fits(page_of(mid)):
                lo = mid
            else:
                hi = mid - 1
        if lo == 0:
            raise ValueError("a block does not fit on an empty page")
        pages.append(page_of(lo))
        i += lo
        template = cont
    for page in pages:
        if not compose(page, HELVETICA)[1]:
            raise ValueError("a page overflows in Helvetica")
    return pages


def table_widths(columns: list[str], rows: list[list[str]]) -> list[float]:
    """Column fractions from the scan font's metrics at its largest scale (wider than
    Helvetica), so no word spills into the next column in either rendering."""
    style = scan_style(SCAN_SCALE)
    size = SIZES["table"] * style.scale
    pad = 2 * 3.0 * style.scale + 3.0
    body = PAGE_W - 2 * MARGIN
    mins, wants = [], []
    for c, head in enumerate(columns):
        cells = [(head, True)] + [(r[c], False) for r in rows]
        mn = max(
            stringWidth(w, style.bold if b else style.regular, size) for t, b in cells for w in (t.split() or [""])
        )
        wt = max(stringWidth(t, style.bold if b else style.regular, size) for t, b in cells if not b)
        wt = max(wt, mn)
        mins.append(mn + pad)
        wants.append(wt + pad)
    if sum(mins) > body:
        raise ValueError("table too wide")
    if sum(wants) <= body:
        slack = (body - sum(wants)) / len(wants)
        ws = [w + slack for w in wants]
    else:
        k = (body - sum(mins)) / (sum(wants) - sum(mins))
        ws = [m + (w - m) * k for m, w in zip(mins, wants)]
    return [w / body for w in ws]


def _table(columns: list[str], rows: list[list[str]]) -> Table:
    return Table(columns, rows, table_widths(columns, rows))


def _fit_table(build, money: str, tdate: str) -> tuple[Table, str, str]:
    """The service-line table in the chosen money and date formats, or narrower ones when
    it would be too wide for the page: (table, money, tdate)."""
    for mk, dk in [(money, tdate), (".", tdate), (".", "mdy_s"), (".", "mmddyy")]:
        cols, rows = build(mk, dk)
        try:
            return _table(cols, rows), mk, dk
        except ValueError:
            continue
    raise ValueError("service table too wide in every format")
