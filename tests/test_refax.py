"""The eval's fax re-sender and its page-faithfulness measure."""

import io

from PIL import Image
from pypdf import PdfReader

from eval.harness.foreign import quote_reads
from eval.harness.refax import refax
from tests.pdfs import make_pdf

PAGES = [[f"Page {n} of a clinic note about a follow-up visit."] for n in range(1, 5)]


def _reader(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def test_turned_fax_has_no_text_layer_and_sideways_pages_are_landscape():
    out = _reader(refax(make_pdf(PAGES), "turned"))
    assert len(out.pages) == 4
    assert all(not (page.extract_text() or "").strip() for page in out.pages)
    shapes = [float(p.mediabox.width) > float(p.mediabox.height) for p in out.pages]
    assert shapes == [False, True, False, True]  # turned 0, 90, 180, 270 degrees in turn


def test_bilevel_fax_is_black_and_white():
    page = _reader(refax(make_pdf(PAGES[:1]), "bilevel")).pages[0]
    image = next(iter(page.images)).image
    assert isinstance(image, Image.Image)
    assert set(image.convert("L").histogram()[1:255]) == {0}


def test_a_quote_reads_as_the_page_when_it_runs_along_one_column():
    drawn = "Sugar log reviewed with the patient; fasting values improved since March. Glucose readings: 18 of 30 days"
    truth = " ".join(drawn.split()).casefold()
    assert quote_reads("Sugar log reviewed with the patient;  fasting values\nimproved since March.", truth)
    assert quote_reads("Sugar log reviewed with the patiant; fasting values improved", truth)  # one OCR slip
    assert not quote_reads("Sugar log reviewed with   Glucose readings: 18 of 30 days   the patient; fasting", truth)
