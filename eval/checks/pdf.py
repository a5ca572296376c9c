"""Hand-written charts are kept as text (easy to read and review) and printed to a PDF only when
the eval runs, so the check reads them by the same road as an uploaded file."""

import io

from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

PAGE_BREAK = "\f"
LINE_HEIGHT = 13
TOP = 750
BOTTOM = 40


def pages_of(text: str) -> list[list[str]]:
    """A chart's pages: a form-feed line separates them."""
    pages = [part.strip("\n").splitlines() for part in text.split(PAGE_BREAK)]
    return [p for p in pages if any(line.strip() for line in p)]


def text_pdf(pages: list[list[str]]) -> bytes:
    """One PDF page per chart page, in a fixed-width font so tables keep their columns."""
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=letter, invariant=1)
    for lines in pages:
        c.setFont("Courier", 9)
        y = TOP
        for line in lines:
            if y < BOTTOM:
                raise ValueError("a chart page is too long for one PDF page: split it with a form-feed line")
            c.drawString(36, y, line.rstrip())
            y -= LINE_HEIGHT
        c.showPage()
    c.save()
    return buffer.getvalue()
