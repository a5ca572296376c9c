"""Writes page specs to PDF bytes with reportlab, byte-identical for identical input.

Text pages get a real text layer (Helvetica); scanned pages are a single image with
no text at all, so extractors find nothing and OCR is required.
"""

from __future__ import annotations

import io

from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from .compose import HELVETICA, PAGE_H, PAGE_W, Page, Para, Table, compose
from .scan import rasterize

__all__ = ["Page", "Para", "Table", "render_pdf", "text_page", "table_page"]


def text_page(title: str, header: list[str], paragraphs: list[str], **kw) -> Page:
    """Convenience: a plain page of wrapped paragraphs."""
    return Page(title, header, [Para(p) for p in paragraphs], **kw)


def table_page(
    title: str, header: list[str], columns: list[str], rows: list[list[str]], notes: list[str] = (), **kw
) -> Page:
    """Convenience: a grid (e.g. daily device readings) followed by note lines."""
    return Page(title, header, [Table(columns, rows)] + [Para(n) for n in notes], **kw)


def _draw_ops(c: canvas.Canvas, ops: list[tuple]) -> None:
    for op in ops:
        if op[0] == "text":
            _, x, y, font, size, s = op
            c.setFont(font, size)
            c.drawString(x, PAGE_H - y, s)
        else:
            _, x1, y1, x2, y2, w = op
            c.setLineWidth(w)
            c.line(x1, PAGE_H - y1, x2, PAGE_H - y2)


def _draw_scan(c: canvas.Canvas, page: Page) -> None:
    img = rasterize(page)
    c.drawImage(ImageReader(img), 0, 0, width=PAGE_W, height=PAGE_H)


def render_pdf(pages: list[Page], title: str = "Medical record") -> bytes:
    """Render pages in order; raises ValueError if a text page overflows."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(PAGE_W, PAGE_H), invariant=1, pageCompression=1)
    c.setTitle(title)
    c.setCreator("Overturn synthetic record generator")
    for page in pages:
        if page.scanned:
            _draw_scan(c, page)
        else:
            ops, fits = compose(page, HELVETICA)
            if not fits:
                raise ValueError(f"page overflows: {page.title!r}")
            _draw_ops(c, ops)
        c.showPage()
    c.save()
    return buf.getvalue()
