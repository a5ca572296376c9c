"""The evidence packet: a cover sheet, then every cited page copied from the original PDFs in
the order the letter first cites them, each stamped with its exhibit markers, so the letter's
"attached please find" is literally true and a reviewer can check each quote on its page.
"""

import io
import logging
from xml.sax.saxutils import escape

from pypdf import PdfReader, PdfWriter, Transformation

from service.drafting.render import font_name
from service.models import CaseFields, Citation
from service.records.pdf import open_reader

log = logging.getLogger(__name__)


def cited_pages(citations: list[Citation]) -> list[tuple[str, int, list[str]]]:
    """(document, page, markers) in order of first citation; a page cited twice appears once."""
    order: dict[tuple[str, int], list[str]] = {}
    for c in citations:
        order.setdefault((c.document, c.page), []).append(c.marker)
    return [(doc, page, markers) for (doc, page), markers in order.items()]


def _cover(case: CaseFields, code_title: str, rows: list[tuple[int, str, int, list[str]]], missing: list[str]) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import letter
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import inch
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = font_name()
    body = ParagraphStyle("body", fontName=font, fontSize=10, leading=13)
    title = ParagraphStyle("title", parent=body, fontSize=16, leading=20, spaceAfter=10)
    facts = [
        ("Claim number", case.claim_number),
        ("Patient", case.patient_name),
        ("Patient ID", case.patient_id),
        ("Date of service", case.date_of_service.isoformat()),
        ("Payer", case.payer),
        ("Denial", f"{case.denial_code}: {code_title}"),
    ]
    story = [Paragraph("Evidence packet", title)]
    story += [Paragraph(f"<b>{escape(k)}:</b> {escape(v)}", body) for k, v in facts]
    story.append(Spacer(1, 14))
    story.append(
        Paragraph(
            "The pages that follow are copies of the cited pages of the medical record, in the order the appeal letter cites them.",
            body,
        )
    )
    story.append(Spacer(1, 8))
    table = [["Packet page", "Document", "Page", "Cited as"]]
    table += [[str(at), Paragraph(escape(doc), body), str(page), " ".join(markers)] for at, doc, page, markers in rows]
    grid = Table(table, colWidths=[0.9 * inch, 3.6 * inch, 0.6 * inch, 1.4 * inch], repeatRows=1)
    grid.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), font),
                ("FONTSIZE", (0, 0), (-1, -1), 9),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8edf3")),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9aa5b1")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story.append(grid)
    if missing:
        story += [Spacer(1, 10), *[Paragraph(escape(m), body) for m in missing]]
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=letter,
        title="Evidence packet",
        author="Overturn",
        invariant=1,
        leftMargin=inch,
        rightMargin=inch,
        topMargin=0.8 * inch,
        bottomMargin=0.8 * inch,
    ).build(story)
    return buffer.getvalue()


def stamp(width: float, height: float, label: str, footer: bool = False):
    """A one-page overlay with `label` on a white patch: top right (the exhibit markers), or
    centred at the foot (`footer`: the payer packet's claim number and page)."""
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=(width, height), invariant=1)
    c.setFont(font_name(), 8)
    text_width = c.stringWidth(label, font_name(), 8)
    x, y = ((width - text_width) / 2, 12) if footer else (width - text_width - 16, height - 16)
    c.setFillColorRGB(1, 1, 1)
    c.rect(x - 6, y - 4, text_width + 12, 13, stroke=0, fill=1)
    c.setFillColorRGB(0.1, 0.2, 0.45)
    c.drawString(x, y, label)
    c.save()
    return PdfReader(io.BytesIO(buffer.getvalue())).pages[0]


def shown_placement(page) -> tuple[Transformation, float, float]:
    """The shown page's width and height, and what takes a stamp drawn on the page as shown into
    the page's own coordinates: a page with /Rotate is shown turned clockwise, so the stamp is
    turned back counterclockwise and moved onto the page's box."""
    shown = page.rotation % 360
    box = page.mediabox
    width, height = float(box.width), float(box.height)
    shift = {0: (0.0, 0.0), 90: (width, 0.0), 180: (width, height), 270: (0.0, height)}[shown]
    placed = Transformation().rotate(shown).translate(shift[0] + float(box.left), shift[1] + float(box.bottom))
    return (placed, height, width) if shown in (90, 270) else (placed, width, height)


def build_packet(
    case: CaseFields,
    code_title: str,
    citations: list[Citation],
    originals: dict[str, bytes],
    rotations: dict[tuple[str, int], int] | None = None,
    first_page: int = 1,
) -> bytes:
    """`originals` maps each document name (as cited) to its PDF bytes; `rotations` maps a
    (document, page) to the degrees clockwise that show it upright (`Page.rotation`).
    `first_page`: the number its cover has in a larger packet, so the exhibit list's page numbers
    are the ones printed on the pages (the payer packet puts a cover and the letter before it)."""
    rotations = rotations or {}
    pages = cited_pages(citations)
    readers: dict[str, PdfReader] = {}
    rows, copies, included, missing = [], [], [], []
    for doc, number, markers in pages:
        reader = None
        if doc in originals:
            reader = readers.get(doc) or readers.setdefault(doc, open_reader(originals[doc], doc))
        if reader is None or number > len(reader.pages):
            missing.append(f"{doc} page {number} ({' '.join(markers)}) is no longer stored and is not included.")
            continue
        label = f"Exhibit {' '.join(markers)} \u2014 {doc}, page {number}"
        copies.append((reader.pages[number - 1], label, rotations.get((doc, number), 0)))
        included.append((doc, number, markers))
    cover_pages = 1
    for _ in range(3):  # the cover may run over a page; number the copies after it
        rows = [(first_page + cover_pages + i, doc, page, markers) for i, (doc, page, markers) in enumerate(included)]
        cover = PdfReader(io.BytesIO(_cover(case, code_title, rows, missing)))
        if len(cover.pages) == cover_pages:
            break
        cover_pages = len(cover.pages)
    writer = PdfWriter()
    for page in cover.pages:
        writer.add_page(page)
    for page, label, turn in copies:
        added = writer.add_page(page)
        if turn % 360:  # a scan sent sideways or upside down is shown the way reading found upright
            added.rotate(turn % 360)
        try:
            placed, width, height = shown_placement(added)
            added.merge_transformed_page(stamp(width, height, label), placed)
        except Exception as exc:  # an odd page still goes in, unstamped
            log.info("packet stamp skipped: %s", exc.__class__.__name__)
    writer.add_metadata({"/Title": "Evidence packet", "/Producer": "Overturn"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
