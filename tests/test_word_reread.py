"""Unsure words of a ruled table read again one at a time: a garbled short cell is put right, a
sure word and a faint mark are left as they were. Real tesseract on images drawn here."""

import re
import shutil
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from service.records.ocr import read_image
from service.records.word_reread import reread_unsure

SANS = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
pytestmark = pytest.mark.skipif(
    shutil.which("tesseract") is None or not SANS.exists(), reason="tesseract or the DejaVu fonts are not installed"
)
HEADER = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"


def word_row(n: int, box: tuple[int, int, int, int], conf: float, text: str) -> str:
    left, top, width, height = box
    return f"5\t1\t1\t1\t1\t{n}\t{left}\t{top}\t{width}\t{height}\t{conf}\t{text}"


def words_of(tsv: str) -> list[str]:
    return [row.split("\t")[11] for row in tsv.splitlines()[1:]]


def test_an_unsure_word_is_replaced_by_its_reading_alone_and_a_sure_one_is_kept():
    font = ImageFont.truetype(str(SANS), 44)
    image = Image.new("L", (900, 140), 246)
    draw = ImageDraw.Draw(image)
    draw.text((60, 40), "PR", font=font, fill=20)
    draw.text((400, 40), "OA", font=font, fill=20)
    draw.line([(700, 40), (700, 100)], fill=232, width=2)  # a rule's light remnant, no word
    tsv = (
        "\n".join(
            [
                HEADER,
                word_row(1, (55, 35, 80, 60), 31.0, "(ole)"),  # what tesseract made of a lone cell
                word_row(2, (395, 35, 90, 60), 95.0, "0A"),  # sure, so never read again, right or not
                word_row(3, (690, 35, 25, 70), 20.0, "__"),
            ]
        )
        + "\n"
    )
    assert words_of(reread_unsure(tsv, image, "eng", 60)) == ["PR", "0A", "__"]


def test_rows_that_are_not_words_are_left_as_they_were():
    image = Image.new("L", (200, 80), 246)
    tsv = HEADER + "\n1\t1\t0\t0\t0\t0\t0\t0\t200\t80\t-1\t\n"
    assert reread_unsure(tsv, image, "eng", 60) == tsv


def remittance(rows: list[list[str]]) -> Image.Image:
    """A 300 dpi page: a remittance's service lines in a grid of thin grey rules, each adjustment
    group code alone in a wide cell."""
    font = ImageFont.truetype(str(SANS), 38)
    image = Image.new("L", (2550, 1400), 247)
    draw = ImageDraw.Draw(image)
    edges = [180, 520, 800, 1120, 1480, 1720, 2050, 2380]
    top, height = 200, 96
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            draw.text((edges[c] + 22, top + r * height + 26), cell, font=font, fill=25)
    bottom = top + len(rows) * height
    for r in range(len(rows) + 1):
        draw.line([(edges[0], top + r * height), (edges[-1], top + r * height)], fill=120, width=3)
    for x in edges:
        draw.line([(x, top), (x, bottom)], fill=120, width=3)
    return image


LINES = [
    ["Svc date", "Code", "Charge", "Allowed", "Grp", "Adj", "Amt"],
    ["4/2/26", "99490", "62.00", "0.00", "CO", "97", "62.00"],
    ["4/2/26", "99439", "47.00", "0.00", "OA", "18", "47.00"],
    ["4/9/26", "99214", "130.00", "92.10", "PR", "2", "18.42"],
    ["4/9/26", "G2211", "16.00", "16.00", "CO", "45", "0.00"],
]


def test_every_group_code_of_a_ruled_remittance_reads_as_printed():
    text = read_image(remittance(LINES), "eng", 120).text
    rows = [" ".join(line.split()) for line in text.splitlines() if re.match(r"\s*4/\d/26", line)]
    assert [row.split()[4] for row in rows] == [line[4] for line in LINES[1:]], rows
