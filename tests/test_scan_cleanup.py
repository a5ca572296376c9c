"""Scans cleaned before OCR: a ruled table reads row by row with no rule read as a character, and a
speckled low-resolution black-and-white fax reads better than it did. Real tesseract on pages
drawn here with PIL and put in real PDFs."""

import io
import random
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageDraw, ImageFont

from eval.harness.ocr_accuracy import accuracy
from service.records.ocr import read_image, render_page
from service.records.scan_cleanup import clean, run_lengths

SANS = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
SERIF = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None or not SANS.exists() or not SERIF.exists(),
    reason="tesseract or the DejaVu fonts are not installed",
)
DATE = re.compile(r"\d{1,2}/\d{1,2}/\d{2,4}")

REFILLS = [
    ["Date", "Caller", "Min", "Reason"],
    ["02/03/2026", "Son Tomas", "11", "Insulin pen refill"],
    ["02/09/2026", "Patient", "6", "Pharmacy switched"],
    ["02/17/2026", "Home aide", "18", "Swollen feet, weights"],
    ["02/24/2026", "Patient", "9", "Eye clinic date"],
]


def as_pdf(image: Image.Image, dpi: int) -> bytes:
    """An image-only PDF page, the way a scanner or fax server files one."""
    out = io.BytesIO()
    image.save(out, "PDF", resolution=dpi)
    return out.getvalue()


def rendered(pdf: bytes) -> Image.Image:
    document = pdfium.PdfDocument(pdf)
    try:
        return render_page(document, 0, 300)
    finally:
        document.close()


def ruled_table(rows: list[list[str]], tilt: float = 0.6) -> Image.Image:
    """A 300 dpi page: a title, then a grid table with every cell boxed in grey rules."""
    font = ImageFont.truetype(str(SANS), 40)
    image = Image.new("L", (2550, 3300), 250)
    draw = ImageDraw.Draw(image)
    draw.text((200, 200), "Telephone log, February", font=font, fill=15)
    edges = [200, 620, 1060, 1300, 2200]
    top, height = 340, 110
    for r, row in enumerate(rows):
        y = top + r * height
        for c, cell in enumerate(row):
            draw.text((edges[c] + 25, y + 30), cell, font=font, fill=15)
    bottom = top + len(rows) * height
    for r in range(len(rows) + 1):
        draw.line([(edges[0], top + r * height), (edges[-1], top + r * height)], fill=90, width=3)
    for x in edges:
        draw.line([(x, top), (x, bottom)], fill=90, width=3)
    draw.text((200, bottom + 80), "Calls are timed by the nurse who answers them.", font=font, fill=15)
    return image.rotate(tilt, resample=Image.Resampling.BICUBIC, fillcolor=250)


@needs_tesseract
def test_a_ruled_table_reads_one_row_per_line_with_no_rule_read_as_a_character():
    text = read_image(rendered(as_pdf(ruled_table(REFILLS), 300)), "eng", 120).text
    lines = [" ".join(line.split()) for line in text.splitlines()]
    for row in REFILLS:
        assert " ".join(row) in lines, f"row {REFILLS.index(row)} is not one line of its own"
    for line in lines:
        assert len(DATE.findall(line)) <= 1, "two rows ran together"
        assert not re.search(r"[|\[\](){}]", line), "a rule was read as a character"
    assert "Date   Caller   Min   Reason" in text.splitlines(), "the cells are set apart as a table's"


def fax(lines: list[str], seed: int = 5) -> Image.Image:
    """A 200 dpi black-and-white fax: serif text, lone specks of a pixel or two all over."""
    font = ImageFont.truetype(str(SERIF), 23)
    image = Image.new("L", (1700, 2200), 255)
    draw = ImageDraw.Draw(image)
    y = 160
    for line in lines:
        draw.text((130, y), line, font=font, fill=0)
        y += 38
    pixels = np.asarray(image).copy()
    rng = random.Random(seed)
    for _ in range(9000):
        x, y = rng.randrange(1, 1698), rng.randrange(1, 2198)
        pixels[y : y + rng.choice((1, 2)), x : x + rng.choice((1, 2))] = 0
    return Image.fromarray(pixels).point(lambda v: 255 if v > 128 else 0).convert("1")


NOTE = [
    "Outgoing call to the patient's daughter about the new blood thinner.",
    "She picked up the prescription on Monday and set out the pill box.",
    "Reviewed bleeding signs to watch for and when to call the office.",
    "Appointment with the heart clinic moved to the third week of March.",
    "Daughter will bring the home blood pressure readings to that visit.",
    "Total time on the call was fourteen minutes, all of it with family.",
]


@needs_tesseract
def test_a_speckled_200_dpi_fax_reads_better_once_cleaned():
    page = rendered(as_pdf(fax(NOTE), 200))
    truth = "\n".join(NOTE)
    with ThreadPoolExecutor(max_workers=2) as pool:  # the two reads at once, as the product reads pages
        raw = pool.submit(read_image, page.copy(), "eng", 120, cleanup=False)
        cleaned = pool.submit(read_image, page, "eng", 120)
        before, after = accuracy(raw.result().text, truth), accuracy(cleaned.result().text, truth)
    assert after >= before and after >= 0.93, f"{before:.3f} -> {after:.3f}"  # 0.896 -> 0.946 when written


def test_rules_go_and_letters_stay():
    """On pixels alone: a long thin line is painted over, a letter's stem and a word are not."""
    image = Image.new("L", (1200, 600), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(SANS), 36) if SANS.exists() else ImageFont.load_default()
    for row in range(8):
        draw.text((60, 60 + row * 60), "Illinois lilt 111 ||| minimal", font=font, fill=0)
    draw.line([(40, 560), (1150, 560)], fill=0, width=2)
    draw.line([(1170, 40), (1170, 580)], fill=0, width=2)
    cleaned = np.asarray(clean(image).image) < 128
    ink = np.asarray(image) < 128
    assert not cleaned[555:566, 40:1150].any() and not cleaned[40:580, 1165:1176].any()
    assert (cleaned[:540, :1100] == ink[:540, :1100]).all(), "no letter lost a pixel"


def test_run_lengths_along_either_axis():
    mask = np.array([[1, 1, 0, 1], [0, 1, 0, 1], [0, 1, 1, 1]], dtype=bool)
    assert run_lengths(mask, 1).tolist() == [[2, 2, 0, 1], [0, 1, 0, 1], [0, 3, 3, 3]]
    assert run_lengths(mask, 0).tolist() == [[1, 3, 0, 3], [0, 3, 0, 3], [0, 3, 1, 3]]
