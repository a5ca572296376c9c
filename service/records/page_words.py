"""Words and drawn rectangles of a text-layer page, with their positions, read with PDFium.

pypdf's layout text keeps a line's spacing but not where a column or a drawn box starts; the
page's regions (`regions`) are found from where each word and each box lies. PDFium reads a page
in a few milliseconds and is already used to render scans, so the document is opened once and
every call holds the process-wide PDFium lock (PDFium is not thread-safe).
"""

import logging
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from service.records.ocr import PDFIUM

log = logging.getLogger(__name__)

WORD_GAP = 0.2
"""A gap wider than this share of a glyph's height between two glyphs ends a word: a text layer
often draws the space between words as a move, not as a space character."""
LEAST_BOX = 6.0
"""Points: a drawn shape narrower or lower than this is a rule or a tick, not a box."""


@dataclass
class Word:
    x0: float
    x1: float
    top: float
    bottom: float
    text: str

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(frozen=True)
class Box:
    x0: float
    top: float
    x1: float
    bottom: float

    def holds(self, word: Word) -> bool:
        return self.x0 - 1 <= (word.x0 + word.x1) / 2 <= self.x1 + 1 and self.top - 1 <= word.middle <= self.bottom + 1


@dataclass
class PageGeometry:
    width: float
    height: float
    words: list[Word]
    boxes: list[Box]


def _words(textpage, height: float) -> list[Word]:
    count = textpage.count_chars()
    text = textpage.get_text_range(0, count) if count else ""
    if len(text) != count:
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(textpage, i) or 32) for i in range(count))
    rect = pdfium_c.FS_RECTF()
    words: list[list] = []
    current: list | None = None  # [x0, x1, top, bottom, chars]
    for index, char in enumerate(text):
        if char.isspace() or not char.isprintable():
            current = None  # a space, or one PDFium put in where the text moves on
            continue
        pdfium_c.FPDFText_GetLooseCharBox(textpage.raw, index, rect)
        left, right, y0, y1 = rect.left, rect.right, height - rect.top, height - rect.bottom
        size = y1 - y0
        if (
            current
            and abs(current[2] + current[3] - y0 - y1) < size
            and -0.5 * size <= left - current[1] <= WORD_GAP * size
        ):
            current[1] = max(current[1], right)
            current[4].append(char)
            continue
        current = [left, right, y0, y1, [char]]
        words.append(current)
    return [Word(w[0], w[1], w[2], w[3], "".join(w[4])) for w in words]


def _boxes(page, height: float) -> list[Box]:
    boxes = []
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH]):
        left, bottom, right, top = obj.get_bounds()
        if right - left >= LEAST_BOX and top - bottom >= LEAST_BOX:
            boxes.append(Box(left, height - top, right, height - bottom))
    return boxes


class DocumentGeometry:
    """One PDFium document for the whole file, opened on the first page asked for."""

    def __init__(self, data: bytes):
        self.data = data
        self.pdf: pdfium.PdfDocument | None = None
        self.failed = False

    def page(self, index: int) -> PageGeometry | None:
        if self.failed:
            return None
        with PDFIUM:
            try:
                if self.pdf is None:
                    self.pdf = pdfium.PdfDocument(self.data, password="")
                page = self.pdf[index]
            except Exception as exc:
                log.info("pdfium could not read a page's positions: %s", exc.__class__.__name__)
                self.failed = True
                return None
            try:
                if page.get_rotation() % 360:
                    return None  # positions of a turned page are not its reading positions
                width, height = page.get_size()
                textpage = page.get_textpage()
                try:
                    return PageGeometry(width, height, _words(textpage, height), _boxes(page, height))
                finally:
                    textpage.close()
            except Exception as exc:
                log.info("pdfium could not read a page's positions: %s", exc.__class__.__name__)
                return None
            finally:
                page.close()

    def close(self) -> None:
        if self.pdf is not None:
            with PDFIUM:
                self.pdf.close()
            self.pdf = None
