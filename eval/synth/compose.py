"""Page specs and their layout into positioned drawing ops.

The PDF writer and the scan rasterizer both draw from the same ops, so a scanned
page carries exactly the words and line breaks of its text-layer twin.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reportlab.pdfbase.pdfmetrics import stringWidth

PAGE_W, PAGE_H = 612.0, 792.0  # US Letter in points
MARGIN = 54.0
FOOTER_GAP = 22.0
SIZES = {
    "banner": 9.0,
    "letterhead": 8.5,
    "title": 13.5,
    "header": 10.0,
    "heading": 11.0,
    "body": 10.5,
    "small": 8.5,
    "table": 9.5,
    "footer": 8.0,
}


@dataclass
class Para:
    """A wrapped paragraph; `cut` marks where a sentence may be split across pages."""

    text: str
    bold: bool = False
    size: str = "body"
    indent: float = 0.0
    space_after: float = 4.0
    cut: int | None = None
    req: str | None = None  # requirement this block documents (None: heading, boilerplate)
    also: tuple = ()  # further requirements the block also serves


@dataclass
class Table:
    """A ruled grid; widths are fractions of the body width."""

    columns: list[str]
    rows: list[list[str]]
    widths: list[float] | None = None
    req: str | None = None
    row_also: dict = field(default_factory=dict)  # row index -> further requirements
    cut: int | None = None  # tables are never split


@dataclass
class Page:
    """One page: fixed header (banner, stamp, letterhead, title, patient and date lines) then
    body blocks; `footer` may hold several lines separated by newlines."""

    title: str
    header: list[str]
    blocks: list = field(default_factory=list)
    letterhead: str = ""
    footer: str = ""
    columns: int = 1
    scanned: bool = False
    rotate: float = 0.0
    noise: float = 0.0
    seed: int = 0
    banner: list[str] = field(default_factory=list)
    stamp: str = ""


@dataclass(frozen=True)
class Style:
    regular: str
    bold: str
    scale: float = 1.0


HELVETICA = Style("Helvetica", "Helvetica-Bold", 1.0)


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy word wrap on spaces; never hyphenates, so regexes see whole words.
    A line that fits is kept verbatim (header lines use runs of spaces as tabs)."""
    if stringWidth(text, font, size) <= width:
        return [text]
    lines, cur = [], ""
    for word in text.split():
        trial = f"{cur} {word}" if cur else word
        if cur and stringWidth(trial, font, size) > width:
            lines.append(cur)
            cur = word
        else:
            cur = trial
    if cur:
        lines.append(cur)
    return lines or [""]


class _Pen:
    """Collects ops and tracks the vertical cursor (y grows downwards, baseline based)."""

    def __init__(self, style: Style):
        self.style, self.ops, self.y = style, [], MARGIN

    def size(self, kind: str) -> float:
        return SIZES[kind] * self.style.scale

    def font(self, bold: bool) -> str:
        return self.style.bold if bold else self.style.regular

    def text(self, x: float, s: str, bold: bool, kind: str) -> None:
        self.ops.append(("text", x, self.y, self.font(bold), self.size(kind), s))

    def line(self, x1: float, y1: float, x2: float, y2: float, w: float = 0.6) -> None:
        self.ops.append(("line", x1, y1, x2, y2, w))


def _para_lines(pen: _Pen, p: Para, width: float) -> list[str]:
    return wrap(p.text, pen.font(p.bold), pen.size(p.size), width - p.indent)


def _para_height(pen: _Pen, p: Para, width: float) -> float:
    lead = pen.size(p.size) * 1.3
    return len(_para_lines(pen, p, width)) * lead + p.space_after * pen.style.scale


def _draw_para(pen: _Pen, p: Para, x: float, width: float) -> None:
    lead = pen.size(p.size) * 1.3
    for ln in _para_lines(pen, p, width):
        pen.y += lead
        pen.text(x + p.indent, ln, p.bold, p.size)
    pen.y += p.space_after * pen.style.scale


def _table_layout(pen: _Pen, t: Table, width: float):
    n = len(t.columns)
    fr = t.widths or [1.0 / n] * n
    cols = [f * width for f in fr]
    size, pad = pen.size("table"), 3.0 * pen.style.scale
    lead = size * 1.25
    rows = []
    for r, cells in enumerate([t.columns] + t.rows):
        bold = r == 0
        wrapped = [wrap(c, pen.font(bold), size, w - 2 * pad) for c, w in zip(cells, cols)]
        h = max(len(w) for w in wrapped) * lead + 2 * pad
        rows.append((bold, wrapped, h))
    return cols, rows, lead, pad


def _table_height(pen: _Pen, t: Table, width: float) -> float:
    _, rows, _, _ = _table_layout(pen, t, width)
    return sum(h for _, _, h in rows) + 18 * pen.style.scale


def _draw_table(pen: _Pen, t: Table, x: float, width: float) -> None:
    cols, rows, lead, pad = _table_layout(pen, t, width)
    top = pen.y + 10 * pen.style.scale  # clear gap: OCR otherwise reads text as table columns
    y = top
    for bold, wrapped, h in rows:
        cx = x
        for lines, w in zip(wrapped, cols):  # cell by cell keeps wrapped cells contiguous
            for i, ln in enumerate(lines):
                pen.ops.append(
                    ("text", cx + pad, y + pad + (i + 1) * lead - lead * 0.22, pen.font(bold), pen.size("table"), ln)
                )
            cx += w
        pen.line(x, y, x + width, y)
        y += h
    pen.line(x, y, x + width, y)
    cx = x
    for w in [0.0] + cols:
        cx += w
        pen.line(cx, top, cx, y)
    pen.y = y + 8 * pen.style.scale


def block_height(pen: _Pen, b, width: float) -> float:
    return _table_height(pen, b, width) if isinstance(b, Table) else _para_height(pen, b, width)


def _draw_block(pen: _Pen, b, x: float, width: float) -> None:
    (_draw_table if isinstance(b, Table) else _draw_para)(pen, b, x, width)


def _draw_header(pen: _Pen, page: Page) -> None:
    body_w = PAGE_W - 2 * MARGIN
    for ln in page.banner:
        for part in wrap(ln, pen.font(False), pen.size("banner"), body_w):
            pen.y += pen.size("banner") * 1.3
            pen.text(MARGIN, part, False, "banner")
    if page.banner:
        pen.y += 3
    if page.stamp:
        size = pen.size("heading")
        w = stringWidth(page.stamp, pen.font(True), size) + 12
        x = PAGE_W - MARGIN - w
        pen.y += size * 1.5
        pen.text(x + 6, page.stamp, True, "heading")
        top, bot = pen.y - size * 1.2, pen.y + size * 0.45
        for a, b, c, d in ((x, top, x + w, top), (x, bot, x + w, bot), (x, top, x, bot), (x + w, top, x + w, bot)):
            pen.line(a, b, c, d, 1.2)
        pen.y += 4
    if page.letterhead:
        pen.y += pen.size("letterhead") * 1.2
        pen.text(MARGIN, page.letterhead, False, "letterhead")
        pen.y += 6
    pen.y += pen.size("title") * 1.3
    pen.text(MARGIN, page.title, True, "title")
    pen.y += 4
    for ln in page.header:
        for part in wrap(ln, pen.font(False), pen.size("header"), body_w):
            pen.y += pen.size("header") * 1.35
            pen.text(MARGIN, part, False, "header")
    pen.y += 6
    pen.line(MARGIN, pen.y, PAGE_W - MARGIN, pen.y, 0.8)
    pen.y += 4


def body_bottom(footer_lines: int = 1) -> float:
    return PAGE_H - MARGIN - FOOTER_GAP - 10.0 * max(0, footer_lines - 1)


def compose(page: Page, style: Style = HELVETICA) -> tuple[list[tuple], bool]:
    """Lay out a page; returns (ops, fits). Paragraphs never break across columns."""
    pen = _Pen(style)
    _draw_header(pen, page)
    footer = page.footer.split("\n") if page.footer else []
    bottom, fits = body_bottom(len(footer)), True
    body_w = PAGE_W - 2 * MARGIN
    if page.columns == 1:
        for b in page.blocks:
            _draw_block(pen, b, MARGIN, body_w)
        fits = pen.y <= bottom
    else:
        gap = 18.0
        col_w = (body_w - gap) / 2
        top, col = pen.y, 0
        half = sum(block_height(pen, b, col_w) for b in page.blocks) / 2
        for b in page.blocks:
            h = block_height(pen, b, col_w)
            if col == 0 and pen.y > top and (pen.y + h > bottom or pen.y - top + h / 2 > half):
                col, pen.y = 1, top
            _draw_block(pen, b, MARGIN + col * (col_w + gap), col_w)
        fits = pen.y <= bottom
    for i, ln in enumerate(footer):
        pen.y = PAGE_H - MARGIN + 4 - 10.0 * (len(footer) - 1 - i)
        pen.text(MARGIN, ln, False, "footer")
    return pen.ops, fits


def page_text(page: Page) -> str:
    """All words on a page, for self-checks against gold (independent of rendering)."""
    parts = [*page.banner, page.stamp, page.letterhead, page.title, *page.header]
    for b in page.blocks:
        if isinstance(b, Table):
            parts += [" ".join(r) for r in [b.columns] + b.rows]
        else:
            parts.append(b.text)
    parts.append(page.footer)
    return " ".join(" ".join(parts).split())
