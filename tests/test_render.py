import io
from datetime import date

import pytest
from docx import Document
from pypdf import PdfReader

from service.drafting.render import to_docx, to_pdf
from service.models import Citation, DraftResult

LETTER = """Northside Family Medicine
April 20, 2026

RE: Request for redetermination of a denied claim
Claim number: CLM-77
Patient: Maria L. Gonzalez

The enclosed medical record documents the following:

- Interactive communication time: "RN call with patient, 22 minutes & more <ok>." [1]

Attached please find:
1. A copy of the denial notice.

------------------------------------------------------------------------
Sources
[1] rec.pdf, page 2: "RN call with patient, 22 minutes & more <ok>."
"""
RESULT = DraftResult(
    letter=LETTER,
    citations=[Citation(marker="[1]", document="rec.pdf", page=2, quote="x")],
    excluded_pages=[],
    warnings=[],
    deadline=date(2026, 8, 13),
)


def test_docx_holds_the_letter_bullets_and_sources():
    doc = Document(io.BytesIO(to_docx(RESULT)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Claim number: CLM-77" in text and "22 minutes & more <ok>" in text
    assert any(p.style.name == "List Bullet" for p in doc.paragraphs)
    assert "[1] rec.pdf, page 2" in text


def test_pdf_holds_the_letter_and_sources():
    data = to_pdf(RESULT)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "CLM-77" in text and "Sources" in text and "22 minutes & more <ok>" in text
    assert data == to_pdf(RESULT)  # deterministic bytes


@pytest.mark.parametrize("odd", ["\x00", "\x0b", "\x0c", "\x1b", "\ud800"])
def test_exports_survive_characters_documents_cannot_hold(odd):
    result = DraftResult(
        letter=f"Dear reviewer,{odd}\n- a quote{odd} [1]\nSincerely,", citations=[], excluded_pages=[], warnings=[]
    )
    text = "\n".join(p.text for p in Document(io.BytesIO(to_docx(result))).paragraphs)
    assert "Dear reviewer" in text and odd not in text
    assert to_pdf(result).startswith(b"%PDF")
