"""The letter as a Word document or a PDF, built from the same text the JSON carries.

The text is the single source: both renderers walk its lines, so an exported letter can never
say something the validated text does not.
"""

import io
import re
from pathlib import Path
from xml.sax.saxutils import escape

from service.drafting.template import split_letter
from service.models import DraftResult

BULLET = re.compile(r"^- ")
NUMBERED = re.compile(r"^\d+\. ")
RE_LABEL = re.compile(
    r"^(RE|Claim number|Patient|Patient ID|Date of service|Services billed|Denial code|Denial date|Rendering provider):"
)


NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _sections(letter: str) -> tuple[list[str], list[str]]:
    """Body and Sources lines; characters a document cannot hold (control characters from OCR
    or an edit, lone surrogates) become spaces, so an export never fails on them."""
    body, sources = split_letter(NOT_IN_XML.sub(" ", letter))
    return body.rstrip("\n").split("\n"), [line for line in sources.split("\n") if line.strip()]


def to_docx(result: DraftResult) -> bytes:
    from docx import Document
    from docx.shared import Pt

    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(11)
    body, sources = _sections(result.letter)
    for line in body:
        if BULLET.match(line):
            document.add_paragraph(line[2:], style="List Bullet")
        elif NUMBERED.match(line):
            document.add_paragraph(NUMBERED.sub("", line), style="List Number")
        elif RE_LABEL.match(line):
            label, _, value = line.partition(":")
            paragraph = document.add_paragraph()
            paragraph.paragraph_format.space_after = Pt(0)
            paragraph.add_run(f"{label}:").bold = True
            paragraph.add_run(value)
        else:
            document.add_paragraph(line)
    if sources:
        document.add_heading("Sources", level=2)
        for line in sources:
            document.add_paragraph(line).paragraph_format.space_after = Pt(2)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def font_name() -> str:
    """A TrueType font with wide Latin coverage, from reportlab's own files (nothing downloaded)."""
    from reportlab import rl_config
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "OverturnSans" in pdfmetrics.getRegisteredFontNames():
        return "OverturnSans"
    for folder in rl_config.TTFSearchPath:
        for name in ("Vera.ttf",):
            path = Path(folder) / name
            if path.is_file():
                pdfmetrics.registerFont(TTFont("OverturnSans", str(path)))
                return "OverturnSans"
    return "Helvetica"


def to_pdf(result: DraftResult) -> bytes:
    from reportlab.lib.pagesizes import letter
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import inch
    from reportlab.platypus import Flowable, ListFlowable, ListItem, Paragraph, SimpleDocTemplate, Spacer

    font = font_name()
    normal = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=14, spaceAfter=0)
    small = ParagraphStyle("sources", parent=normal, fontSize=8.5, leading=11, spaceAfter=3)
    heading = ParagraphStyle("heading", parent=normal, fontSize=12, leading=16, spaceBefore=10, spaceAfter=6)
    body, sources = _sections(result.letter)
    story: list[Flowable] = []
    bullets: list[str] = []

    def flush():
        if bullets:
            story.append(
                ListFlowable([ListItem(Paragraph(b, normal)) for b in bullets], bulletType="bullet", leftIndent=14)
            )
            bullets.clear()

    for line in body:
        if BULLET.match(line):
            bullets.append(escape(line[2:]))
            continue
        flush()
        story.append(Paragraph(escape(line), normal) if line.strip() else Spacer(1, 8))
    flush()
    if sources:
        story += [Paragraph("Sources", heading), *[Paragraph(escape(s), small) for s in sources]]
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=letter,
        leftMargin=inch,
        rightMargin=inch,
        topMargin=0.8 * inch,
        bottomMargin=0.8 * inch,
        title="Appeal letter",
        author="Overturn",
        invariant=1,
    ).build(story)
    return buffer.getvalue()
