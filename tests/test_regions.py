"""A text-layer page laid out in regions (columns, a sidebar, drawn boxes) is read region by
region: every region's text is on the page, and no sentence (a quote) takes words from two."""

import re

import pytest

from service.config import Settings
from service.models import Page
from service.records.pdf import read_pdf_bytes
from service.records.spans import split_sentences
from tests import region_pdfs

WORD = re.compile(r"[A-Za-z][A-Za-z'-]{3,}")


def read(data: bytes, tmp_path) -> Page:
    return read_pdf_bytes(data, "regions.pdf", Settings(home=tmp_path, ocr_enabled=False)).pages[0]


def flat(text: str) -> str:
    return " ".join(text.split())


def missing_lines(page: Page, regions: dict[str, list[str]]) -> list[str]:
    lines = {flat(line) for line in page.text.splitlines()}
    return [line for lines_ in regions.values() for line in lines_ if flat(line) not in lines]


def crossing(page: Page, regions: dict[str, list[str]]) -> list[str]:
    """Sentences holding words found in one region only, of two regions or more."""
    words = {name: set(WORD.findall(" ".join(lines))) for name, lines in regions.items()}
    own = {
        name: found - set().union(*(w for other, w in words.items() if other != name)) for name, found in words.items()
    }
    out = []
    for sentence in split_sentences(page):
        present = set(WORD.findall(sentence.text))
        if sum(bool(present & words_) for words_ in own.values()) >= 2:
            out.append(flat(sentence.text)[:80])
    return out


CASES = {
    "two_columns": region_pdfs.two_columns,
    "sidebar_right": lambda: region_pdfs.sidebar("right"),
    "sidebar_left": lambda: region_pdfs.sidebar("left"),
    "soap_grid": region_pdfs.soap_grid,
    "callout": region_pdfs.callout,
    "table_under_sidebar": region_pdfs.table,
}


@pytest.mark.parametrize("make", CASES.values(), ids=CASES.keys())
def test_every_region_is_read_whole_and_no_sentence_crosses_two(make, tmp_path):
    data, regions = make()
    page = read(data, tmp_path)
    assert missing_lines(page, regions) == [], page.text
    assert crossing(page, regions) == [], page.text


def test_the_boxes_of_a_soap_grid_are_read_row_by_row_left_to_right(tmp_path):
    data, regions = region_pdfs.soap_grid()
    text = read(data, tmp_path).text
    heads = [text.find(lines[0] + "\n") for lines in regions.values()]
    assert -1 not in heads and heads == sorted(heads), text


def test_a_table_drawn_as_a_grid_keeps_each_row_one_sentence(tmp_path):
    data, regions = region_pdfs.table()
    sentences = [flat(s.text) for s in split_sentences(read(data, tmp_path))]
    assert [row for row in regions["rows"] if row not in sentences] == [], sentences


def test_a_sentence_never_crosses_the_break_between_two_regions():
    text = "Plan reviewed with the daughter, who will bring the\n\n\nlog of readings to the visit\n"
    sentences = [s.text for s in split_sentences(Page(document="a.pdf", number=1, text=text))]
    assert sentences == ["Plan reviewed with the daughter, who will bring the", "log of readings to the visit"]


def test_each_region_is_measured_on_its_own():
    """A wrapped line of a narrow column, as wide as its column, runs on into the next even when
    the region beside it is wider."""
    left = (
        "Patient asked for the nurse to call her son before",
        "Friday about the new pill box and the refill plan, and",
        "she will keep the log.",
    )
    wide = "Outside records from the cardiology group were received by fax and filed under the visit of 03/02/2026."
    text = "\n".join(left) + "\n\n\n" + wide + "\n" + wide + "\n"
    sentences = [flat(s.text) for s in split_sentences(Page(document="a.pdf", number=1, text=text))]
    assert flat(" ".join(left)) in sentences, sentences
