"""Render PDF pages with PDFium and read them with the local tesseract binary.

tesseract is called as a process (stdin -> stdout), so nothing is downloaded and no page image
touches the disk. Pages are read by a small thread pool: each worker mostly waits on its
tesseract process, so two cores read two pages at once. tesseract reports word boxes and
`ocr_layout` lays them out, so a scanned table's rows come out whole.
"""

import threading
from typing import NamedTuple

import numpy as np
import pypdfium2 as pdfium
from PIL import Image

from service.records.ocr_layout import lay_out
from service.records.orientation import confidence, page_rotation, reads_upright, turn
from service.records.scan_cleanup import clean
from service.records.tesseract import png, tesseract_tsv
from service.records.word_reread import reread_unsure


def skew_angle(image: Image.Image, limit: float = 4.0, step: float = 0.25) -> float:
    """The small rotation that makes text lines most horizontal: the row-ink profile of a
    level page has the sharpest peaks (largest variance)."""
    small = image.convert("L")
    small.thumbnail((800, 800))
    ink = Image.eval(small, lambda v: 255 if v < 160 else 0)
    best, best_score = 0.0, -1.0
    for i in range(int(-limit / step), int(limit / step) + 1):
        angle = i * step
        rows = np.asarray(ink.rotate(angle, resample=Image.Resampling.NEAREST, fillcolor=0), dtype=np.float32).sum(
            axis=1
        )
        score = float(np.var(rows))
        if score > best_score:
            best, best_score = angle, score
    return best


def deskew(image: Image.Image) -> Image.Image:
    angle = skew_angle(image)
    if abs(angle) < 0.2:
        return image
    return image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)


PDFIUM = threading.Lock()
"""pdfium is not thread-safe, not even across documents: every call into it holds this lock. Two
job workers rendering scans at once crashed the whole process (a segfault seen in CI)."""


def render_page(pdf: pdfium.PdfDocument, index: int, dpi: int) -> Image.Image:
    with PDFIUM:
        page = pdf[index]
        try:
            return page.render(scale=dpi / 72, grayscale=True).to_pil()
        finally:
            page.close()


def render_pages(data: bytes, dpi: int, indexes: list[int] | None = None) -> list[Image.Image]:
    """Pages of a whole PDF as grey images (all of them, or those at `indexes`), the document
    opened and closed under the PDFium lock: for the eval and the benches, which render a few
    pages at once; reading a record renders in batches (`pdf.ocr_pages`)."""
    with PDFIUM:
        pdf = pdfium.PdfDocument(data)
    try:
        return [render_page(pdf, index, dpi) for index in (range(len(pdf)) if indexes is None else indexes)]
    finally:
        with PDFIUM:
            pdf.close()


class OcrRead(NamedTuple):
    text: str
    rotation: int  # degrees clockwise the image was turned to read it upright: 0, 90, 180 or 270


def read_image(image: Image.Image, lang: str, timeout_s: float, cleanup: bool = True) -> OcrRead:
    """Straighten, clean, encode and OCR one page image; safe to run in a worker thread. A read
    that is not upright text sends the page to orientation detection, and a page found turned is
    read again turned upright: an upright page, the usual case, costs no more than before.
    `cleanup=False` skips `scan_cleanup` (for the bench that measures it)."""
    first = _Prepared(image, cleanup, lang, timeout_s)
    if reads_upright(first.tsv):
        return OcrRead(first.text(), 0)
    rotation = page_rotation(image, lang, timeout_s)
    if rotation:
        again = _Prepared(turn(image, rotation), cleanup, lang, timeout_s)
        if reads_upright(again.tsv) or confidence(again.tsv) > confidence(first.tsv):
            return OcrRead(again.text(), rotation)
    return OcrRead(first.text(), 0)


class _Prepared:
    """One way up of a page: straightened, cleaned (table rules and fax speckle painted over:
    `scan_cleanup`) and read. A ruled grid is read again on its own as one block of rows when the
    page is laid out (tesseract's page reading, once the rules are gone, takes the grid's columns
    for text columns and may drop a narrow one of short numbers). Words of the grid read unsure
    are read again one at a time (`word_reread`)."""

    def __init__(self, image: Image.Image, cleanup: bool, lang: str, timeout_s: float) -> None:
        self.page, self.grids = deskew(image), []
        if cleanup:
            cleaned = clean(self.page)
            self.page, self.grids = cleaned.image, cleaned.grids
        self.lang, self.timeout_s = lang, timeout_s
        self.tsv = tesseract_tsv(png(self.page), lang, timeout_s)

    def text(self) -> str:
        regions = []
        for left, top, right, bottom in self.grids:
            box = (
                max(0, left - GRID_MARGIN),
                max(0, top - GRID_MARGIN),
                min(self.page.width, right + GRID_MARGIN),
                min(self.page.height, bottom + GRID_MARGIN),
            )
            crop = self.page.crop(box)
            tsv = tesseract_tsv(png(crop), self.lang, self.timeout_s, psm=6)
            regions.append((box, reread_unsure(tsv, crop, self.lang, self.timeout_s)))
        return lay_out(self.tsv, regions)


GRID_MARGIN = 8
"""Pixels of paper kept around a grid read on its own."""


def ocr_tsv(image: Image.Image, lang: str, timeout_s: float) -> str:
    """tesseract's TSV (words with their boxes and confidence) for the straightened image."""
    return tesseract_tsv(png(deskew(image)), lang, timeout_s)
