"""Scans sent turned (a fax upside down, a portrait note or a landscape log scanned sideways) are
read as well as the upright page, the turn is kept on the page, and the evidence packet shows the
page upright. Real tesseract on drawn pages."""

import difflib
import io
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageDraw, ImageFont
from pypdf import PdfReader

from service.casework.appeals import stored_rotations
from service.config import Settings
from service.drafting.packet import build_packet
from service.models import CaseFields, Citation, Page, RecordDocument
from service.records.ocr import ocr_tsv, read_image
from service.records.orientation import page_rotation, reads_upright, settle
from service.records.pdf import read_pdf_bytes
from service.records.tesseract import run_tesseract, tesseract_available
from service.store.crypto import Cipher
from service.store.files import CaseFiles
from tests.pdfs import _font, make_pdf, text_image

needs_tesseract = pytest.mark.skipif(
    not tesseract_available(), reason="tesseract-ocr is not installed (make setup installs it as root)"
)

NOTE = [
    "Home visit - 04/02/2026 - Priya Natarajan, MD",
    "Chief complaint: shortness of breath on exertion for two weeks.",
    "Exam: bilateral ankle edema, crackles at both lung bases.",
    "Echo 03/28/2026: ejection fraction 35 percent, moderate MR.",
    "Plan: start furosemide 40 mg daily, recheck BMP in one week.",
    "Follow up in clinic on 04/16/2026 with a daily weights log.",
]
LOG = [
    "LAKESIDE FAMILY PRACTICE - CARE COORDINATION MINUTES, MAY 2026",
    "",
    "Date        Minutes  Staff              Activity",
    "05/03/2026  20       Marta Keane, RN    Reviewed glucose log by phone",
    "05/10/2026  15       Luis Ortega, MA    Refill request sent to pharmacy",
    "05/17/2026  25       Marta Keane, RN    Care plan update with caregiver",
    "Total       60",
    "",
    "Minutes are entered by the staff member who did the work, on the day it was done.",
]
MONO = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"


def table_image() -> Image.Image:
    """A landscape letter page at 200 dpi holding a time log."""
    image = Image.new("L", (2200, 1700), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(MONO, 30) if Path(MONO).exists() else _font(30)
    for i, line in enumerate(LOG):
        draw.text((120, 150 + 56 * i), line, fill=0, font=font)
    return image


def turned(image: Image.Image, degrees: int) -> Image.Image:
    """The image as scanned turned `degrees` counterclockwise: it needs as many clockwise."""
    return image.rotate(degrees, expand=True, fillcolor=255)


def flat(text: str) -> str:
    return " ".join(text.split())


def similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, flat(a), flat(b)).ratio()


@pytest.fixture(scope="module")
def read(tmp_path_factory) -> RecordDocument:
    note, table = text_image(NOTE), table_image()
    pages = [{"image": turned(note, d)} for d in (0, 90, 180, 270)]
    pages += [{"image": table}, {"image": turned(table, 90)}, {"image": turned(table, 270)}]
    pages += [{"image": Image.new("L", (1700, 2200), 255)}, {"scan": ["Fax cover", "2 pages"]}]
    return read_pdf_bytes(make_pdf(pages), "turned.pdf", Settings(home=tmp_path_factory.mktemp("home")))


@needs_tesseract
def test_a_portrait_note_turned_any_way_reads_like_the_upright_one(read):
    upright, *turns = read.pages[:4]
    assert [p.rotation for p in read.pages[:4]] == [0, 90, 180, 270]
    assert all(p.ocr and p.note is None for p in read.pages[:4])
    for page in turns:
        assert similarity(page.text, upright.text) > 0.95, page.number
        for fact in ("04/02/2026", "ejection fraction 35 percent", "furosemide 40 mg daily", "04/16/2026"):
            assert fact in flat(page.text), (page.number, fact)


@needs_tesseract
def test_a_landscape_log_scanned_sideways_into_a_portrait_page_reads_row_by_row(read):
    landscape, *sideways = read.pages[4:7]
    assert [p.rotation for p in read.pages[4:7]] == [0, 90, 270]
    rows = [
        "05/10/2026 15 Luis Ortega, MA Refill request sent to pharmacy",
        "05/17/2026 25 Marta Keane, RN Care plan update with caregiver",
    ]
    for page in (landscape, *sideways):
        lines = [flat(line) for line in page.text.splitlines()]
        assert all(row in lines for row in rows), page.number
    for page in sideways:
        assert similarity(page.text, landscape.text) > 0.95, page.number


@needs_tesseract
def test_a_page_too_sparse_for_orientation_keeps_its_turn_without_error(read):
    blank, sparse = read.pages[7:9]
    assert (blank.rotation, blank.note, blank.text.strip()) == (0, None, "")
    assert (sparse.rotation, sparse.note) == (0, None) and "Fax cover" in sparse.text
    assert page_rotation(Image.new("L", (1700, 2200), 255), "eng", 60) == 0


@needs_tesseract
def test_a_doubtful_answer_is_settled_by_which_turn_reads_best():
    note = text_image(NOTE)
    assert settle(note, 180, "eng", 60) == 0  # a wrong guess does not turn an upright page
    assert settle(turned(note, 180), 180, "eng", 60) == 180
    assert settle(turned(note, 270), 90, "eng", 60) == 270  # the opposite of the guess reads best
    assert settle(Image.new("L", (1700, 2200), 255), 90, "eng", 60) == 0  # nothing to read: as it is


def test_the_turn_is_kept_with_the_page_and_old_pages_read_as_upright():
    doc = RecordDocument(
        name="a.pdf", sha256="0" * 64, pages=[Page(document="a.pdf", number=1, text="x", ocr=True, rotation=90)]
    )
    assert RecordDocument.model_validate_json(doc.model_dump_json()).pages[0].rotation == 90
    old = '{"name": "a.pdf", "sha256": "' + "0" * 64 + '", "pages": [{"document": "a.pdf", "number": 1, "text": "x"}]}'
    assert RecordDocument.model_validate_json(old).pages[0].rotation == 0


def shown(packet: bytes, index: int) -> tuple[str, tuple[int, int], tuple[int, int]]:
    """The packet page as a viewer shows it (pdfium applies /Rotate), read by tesseract: its
    words, its size, and where the word 'Exhibit' of the stamp starts (left, top)."""
    pdf = pdfium.PdfDocument(packet)
    try:
        image = pdf[index].render(scale=200 / 72, grayscale=True).to_pil()
    finally:
        pdf.close()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    rows = [
        line.split("\t")
        for line in run_tesseract(buffer.getvalue(), ["-l", "eng", "--psm", "3", "tsv"], 60)
        .stdout.decode()
        .splitlines()
    ]
    words = [row for row in rows[1:] if len(row) == 12 and row[0] == "5" and row[11].strip()]
    stamp = next((int(row[6]), int(row[7])) for row in words if row[11] == "Exhibit")
    return " ".join(row[11] for row in words), image.size, stamp


@needs_tesseract
def test_the_packet_shows_a_cited_turned_page_upright_with_its_stamp_on_top(case_fields):
    original = make_pdf([{"image": turned(text_image(NOTE), 180)}, {"image": turned(table_image(), 90)}])
    cites = [
        Citation(marker="[1]", document="fax.pdf", page=1, quote="q"),
        Citation(marker="[2]", document="fax.pdf", page=2, quote="q"),
    ]
    packet = build_packet(
        CaseFields.model_validate(case_fields),
        "Title",
        cites,
        {"fax.pdf": original},
        {("fax.pdf", 1): 180, ("fax.pdf", 2): 90},
    )
    pages = PdfReader(io.BytesIO(packet)).pages
    assert [pages[1].rotation, pages[2].rotation] == [180, 90]
    for index, fact, landscape in ((1, "furosemide 40 mg daily", False), (2, "Refill request sent to pharmacy", True)):
        words, (width, height), (left, top) = shown(packet, index)
        assert fact in words and (width > height) == landscape
        assert left > width / 2 and top < height / 10  # the stamp is at the top right of the page as shown


def test_the_packet_export_takes_each_page_turn_from_the_stored_pages(tmp_path):
    files = CaseFiles(tmp_path, "t1", "cas_1", Cipher(bytes(32)))
    pages = [Page(document="fax.pdf", number=n, text="x", ocr=True, rotation=r) for n, r in ((1, 0), (2, 270))]
    files.save_pages("doc_1", RecordDocument(name="fax.pdf", sha256="0" * 64, pages=pages))
    assert stored_rotations(files, "doc_1", "fax.pdf") == {("fax.pdf", 2): 270}
    assert stored_rotations(files, "doc_gone", "gone.pdf") == {}


@needs_tesseract
def test_only_a_read_that_is_not_upright_text_asks_which_way_up(monkeypatch):
    note = text_image(NOTE)
    reads = {d: ocr_tsv(turned(note, d), "eng", 60) for d in (0, 90, 180)}
    assert reads_upright(reads[0])
    assert not reads_upright(reads[90])  # read, if at all, as vertical lines of tall words
    assert not reads_upright(reads[180])  # upside down: unsure words
    assert not reads_upright(ocr_tsv(Image.new("L", (1700, 2200), 255), "eng", 60))

    def no_detection(*args):
        raise AssertionError("an upright page was sent to orientation detection")

    monkeypatch.setattr("service.records.ocr.page_rotation", no_detection)
    assert read_image(note, "eng", 60).rotation == 0


@needs_tesseract
def test_a_wrong_turn_is_not_taken_when_the_page_reads_worse_turned(monkeypatch):
    monkeypatch.setattr("service.records.ocr.reads_upright", lambda tsv: False)  # as if the first read were doubtful
    monkeypatch.setattr("service.records.ocr.page_rotation", lambda *args: 180)  # and detection wrong
    read = read_image(text_image(NOTE), "eng", 60)
    assert read.rotation == 0 and "furosemide 40 mg daily" in flat(read.text)
