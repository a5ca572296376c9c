"""Read a record PDF into 1-based pages: pypdf text, OCR where a page has no usable text layer.

Every way a file can be unusable raises its own `InputError`, checked cheapest first, so a
client learns exactly what to fix and nothing else in the case is touched.
"""

import hashlib
import io
import logging
import os
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

import pypdfium2 as pdfium
from pypdf import PasswordType, PdfReader

from service.config import Settings
from service.errors import (
    CorruptPdfError,
    EmptyFileError,
    EncryptedPdfError,
    FileTooLargeError,
    NoPagesError,
    NotAPdfError,
    TooManyPagesError,
)
from service.models import Page, RecordDocument
from service.records.layout_rows import fold_rows
from service.records.ocr import PDFIUM, read_image, render_page
from service.records.page_words import DocumentGeometry
from service.records.regions import char_width, find_regions, region_text
from service.records.spans import REGION_BREAK
from service.records.tesseract import OcrUnavailable

log = logging.getLogger(__name__)
ALNUM = re.compile(r"[^\W_]", re.UNICODE)


def too_large(name: str, settings: Settings) -> FileTooLargeError:
    limit = settings.max_upload_bytes / 1_048_576
    return FileTooLargeError(f"{name}: larger than the {limit:g} MB limit")


def check_bytes(data: bytes | bytearray, name: str, settings: Settings) -> None:
    if not data:
        raise EmptyFileError(f"{name}: the file is empty")
    if len(data) > settings.max_upload_bytes:
        raise too_large(name, settings)
    if b"%PDF-" not in data[:1024]:
        raise NotAPdfError(f"{name}: not a PDF file")


def open_reader(data: bytes | bytearray, name: str) -> PdfReader:
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise EncryptedPdfError(f"{name}: the PDF is password-protected; upload it unlocked")
        count = len(reader.pages)
    except EncryptedPdfError:
        raise
    except Exception as exc:  # pypdf raises many types on damaged files
        log.info("unreadable pdf: %s", exc.__class__.__name__)
        raise CorruptPdfError(f"{name}: the PDF is damaged and cannot be read") from None
    if count == 0:
        raise NoPagesError(f"{name}: the PDF has no pages")
    return reader


def usable_chars(text: str) -> int:
    return len(ALNUM.findall(text))


def _has_image(page) -> bool:
    try:
        xobjects = page.get("/Resources", {}).get_object().get("/XObject", {}).get_object()
        return any(xo.get_object().get("/Subtype") == "/Image" for xo in xobjects.values())
    except Exception:
        return False


def _page_text(page, geometry: DocumentGeometry | None = None, index: int = 0) -> str:
    """The page's text layer. pypdf's layout mode keeps a table row on one line (its plain mode
    puts every separately drawn cell on a line of its own). A page whose words lie in regions
    (columns, a sidebar, drawn boxes: `regions`) is read region by region from the words'
    positions; otherwise side by side prose columns, which pypdf interleaves line by line, are
    put back in reading order from the layout text. A row whose cells wrap is folded back onto
    one line."""
    try:
        plain = page.extract_text() or ""
    except Exception as exc:
        log.info("text extraction failed on a page: %s", exc.__class__.__name__)
        return ""
    try:
        laid_out = tidy_layout(page.extract_text(extraction_mode="layout") or "")
    except Exception as exc:
        log.info("layout extraction failed on a page: %s", exc.__class__.__name__)
        return plain
    if usable_chars(laid_out) < usable_chars(plain):
        return plain
    by_region = None
    if geometry is not None and any(COLUMN_GAP.search(line) for line in laid_out.splitlines()):
        by_region = _text_by_region(geometry, index)
    if by_region is not None and usable_chars(by_region) >= usable_chars(laid_out):
        return by_region
    return _arranged(laid_out)


def _arranged(laid_out: str) -> str:
    return fold_rows(side_labels(in_columns(laid_out)))


def _text_by_region(geometry: DocumentGeometry, index: int) -> str | None:
    """The page's text region by region, `REGION_BREAK` between them; None for a page that is
    one region. Asked only of a page whose layout text has a wide gap inside a line: regions
    side by side (columns, a sidebar, a row of boxes) always leave one."""
    found = geometry.page(index)
    if found is None:
        return None
    regions = find_regions(found)
    if regions is None:
        return None
    char = char_width(found)
    return REGION_BREAK.join(_arranged(region_text(region, char)).strip("\n") for region in regions) + "\n"


COLUMN_GAP = re.compile(r"\S\s{5,}\S")


def tidy_layout(text: str) -> str:
    """Layout text without trailing spaces or blank lines: its blank lines mark vertical gaps of
    any size, not paragraphs, so they are dropped (OCR's blank lines, which do, are kept)."""
    lines = [line.rstrip() for line in text.splitlines() if line.strip()]
    return "\n".join(lines) + "\n" if lines else ""


def _columns(lines: list[str]) -> tuple[int, int, int] | None:
    """(where the right column starts, its first line, its last line) when the page holds two
    columns of prose side by side: several lines whose left part is a run of prose (four words or
    more) and whose right part starts at the same place, making up half the lines from the first
    such line to the last, and prose in one column running on from one line to the next (a
    wrapped line that starts lower case). Table rows have more cells, or short ones, and a cell
    never runs on into the row below. Below the last such line the columns go on while a line
    still has text on the right or runs on the left; a stamp or a footer ends them. Lines
    between the first and the last that cross the gutter (more than one full-width line) make
    it one column: a log whose wrapped rows end on a right-aligned figure."""
    found: list[tuple[int, int, int]] = []  # (line number, right part's start, left part's length)
    for number, line in enumerate(lines):
        parts = list(re.finditer(r"\S+(?: \S+)*", line))
        if len(parts) == 2 and len(parts[0].group(0)) >= 24 and len(parts[0].group(0).split()) >= 4:
            found.append((number, parts[1].start(), len(parts[0].group(0))))
    if not found or sum(left for _, _, left in found) / len(found) < 32:
        return None  # a two-cell table (drug | directions) has short left cells
    best = max((start for _, start, _ in found), key=lambda s: sum(abs(s - t) <= 2 for _, t, _ in found))
    rows = [number for number, start, _ in found if abs(best - start) <= 2]
    if len(rows) < 2 or len(rows) < 0.5 * (rows[-1] - rows[0] + 1):
        return None
    if len(rows) == 2 and not (rows[1] == rows[0] + 1 and _runs_on([lines[n][:best].strip() for n in rows])):
        return None  # two lines side by side are columns only when the left one runs on into the next
    column = min(start for _, start, _ in found if abs(best - start) <= 2)
    first, last = rows[0], rows[-1]
    while first > 0 and line_has_gap(lines[first - 1], column):
        above = lines[first - 1]
        if not above[column:].strip() or not _runs_on_either(lines[first - 1 : first + 1], column):
            break
        first -= 1  # a short first line ('Assessment' beside 'Plan: continue ...')
    while last + 1 < len(lines) and line_has_gap(lines[last + 1], column):
        below = lines[last + 1]
        if not below[column:].strip() and not below.strip()[:1].islower():
            break
        last += 1
    across = [n for n in range(first, last + 1) if n not in rows and not line_has_gap(lines[n], column)]
    if len(across) >= 2:
        return None  # lines written across the gutter ('checked' in log rows whose wraps end '13 min')
    return (column, first, last) if _runs_on_either(lines[first : last + 1], column) else None


def _runs_on(lines: list[str]) -> bool:
    """A line runs on into the next: the next starts lower case, or this one ends on a comma
    ('HM: A1c 8.2% (2026-02-03), flu shot October 9th,' above '2025, LDL 69 on statin')."""
    return any(a and (b[:1].islower() or a.endswith(",")) for a, b in zip(lines, lines[1:]))


def _runs_on_either(lines: list[str], column: int) -> bool:
    """Prose runs on from one of these lines to the next, in the left column or the right one."""
    left = [line[:column].strip() for line in lines]
    right = [line[column:].strip() for line in lines]
    return _runs_on(left) or _runs_on(right)


def side_by_side(text: str) -> bool:
    return _columns([line for line in text.splitlines() if line.strip()]) is not None


def in_columns(text: str) -> str:
    """Layout text of a two-column page in reading order: the lines above the columns, the left
    column, the right column, then the lines below (a footer)."""
    lines = [line for line in text.splitlines() if line.strip()]
    found = _columns(lines)
    if found is None:
        return text
    column, first, last = found
    left = [line[:column].rstrip() for line in lines[first : last + 1]]
    right = [line[column:].strip() for line in lines[first : last + 1]]
    body = [line for line in left + right if line.strip()]
    return "\n".join(lines[:first] + body + lines[last + 1 :]) + "\n"


SIDE_LABEL = re.compile(r"^[A-Z][A-Za-z]{1,14}(?: [A-Za-z]{1,14})?: \S")
"""'Time: 11 min', 'Signed: L. Mwangi LPN 2025-10-27': a label and its value printed in the margin."""
NOTE_HEADER = re.compile(
    r"^(?:patient|pt|name|mrn|dob|date|author|provider|member|acct|account)\b[^:]{0,12}:", re.IGNORECASE
)


def side_labels(text: str) -> str:
    """A note printed with a margin column of labels to its right ('Faxed recent labs to
    Northgate Kidney Care, f/u    Time: 11 min' / 'appt confirmed    Signed: L. Mwangi LPN'):
    two or more lines in a row whose right part is a label and its value, starting at one
    place, are read note first, then labels. Read across, the note's sentence would take in the
    signature. A grid of header labels ('Patient: ...    MRN: ...') is left as it is."""
    lines = text.splitlines()
    out: list[str] = []
    i = 0
    while i < len(lines):
        run = _label_run(lines, i)
        if len(run) < 2:
            out.append(lines[i])
            i += 1
            continue
        out += [left for left, _ in run if left.strip()] + [right for _, right in run]
        i += len(run)
    return "\n".join(out) + ("\n" if text.endswith("\n") else "")


def _split_label(line: str) -> tuple[int, str, str] | None:
    match = re.search(r"\S( {5,})(\S.*)$", line)
    if match is None or not SIDE_LABEL.match(match.group(2)) or re.search(r" {3,}", match.group(2)):
        return None
    left = line[: match.start(1)]
    if re.search(r"\S {3,}\S", left):
        return None  # cells of a table row, whose last cell opens with a label
    if NOTE_HEADER.match(left.strip()) or SIDE_LABEL.match(left.strip()) and len(left.split()) <= 3:
        return None
    return match.start(2), left, match.group(2)


def _label_run(lines: list[str], i: int) -> list[tuple[str, str]]:
    first = _split_label(lines[i])
    if first is None:
        return []
    run = [(first[1], first[2])]
    for line in lines[i + 1 :]:
        found = _split_label(line)
        if found is None or abs(found[0] - first[0]) > 2:
            break
        run.append((found[1], found[2]))
    return run if any(len(left.split()) >= 3 for left, _ in run) else []


def line_has_gap(line: str, column: int) -> bool:
    """No text runs across the column's edge: the line is blank just before it, or ends there."""
    return len(line) <= column - 2 or line[max(0, column - 3) : column].isspace()


def needs_ocr(text: str, has_image: bool, settings: Settings) -> bool:
    chars = usable_chars(text)
    return chars < settings.ocr_min_chars or (has_image and chars < 5 * settings.ocr_min_chars)


OCR_BATCH = 8
UNRENDERED = "the page could not be rendered for OCR"


class PageOcr(NamedTuple):
    text: str
    note: str | None = None  # why OCR read nothing (render failed, tesseract failed)
    rotation: int = 0  # degrees clockwise that turned the rendered page upright for reading


def ocr_pages(
    data: bytes, indexes: list[int], settings: Settings, done: Callable[[], None] = lambda: None
) -> dict[int, PageOcr]:
    """Page index -> what OCR read. Renders in batches to bound memory; `done` is called once
    per page finished, for progress reports."""
    results: dict[int, PageOcr] = {}
    if not indexes:
        return results
    try:
        with PDFIUM:
            pdf = pdfium.PdfDocument(data, password="")
    except Exception as exc:
        log.info("pdfium could not open a document: %s", exc.__class__.__name__)
        return {i: PageOcr("", UNRENDERED) for i in indexes}
    workers = max(1, min(4, os.cpu_count() or 1))
    try:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for start in range(0, len(indexes), OCR_BATCH):
                futures = {}
                for index in indexes[start : start + OCR_BATCH]:
                    try:
                        image = render_page(pdf, index, settings.ocr_dpi)
                    except Exception as exc:
                        log.info("page render failed: %s", exc.__class__.__name__)
                        results[index] = PageOcr("", UNRENDERED)
                        done()
                        continue
                    futures[index] = pool.submit(
                        read_image, image, settings.ocr_lang, settings.ocr_timeout_s, settings.ocr_cleanup
                    )
                for index, future in futures.items():
                    try:
                        read = future.result()
                        results[index] = PageOcr(read.text, None, read.rotation)
                    except OcrUnavailable as exc:
                        results[index] = PageOcr("", f"OCR failed: {exc}")
                    done()
    finally:
        with PDFIUM:
            pdf.close()
    return results


def inspect_pdf(data: bytes | bytearray, name: str, settings: Settings) -> PdfReader:
    """Every check that needs no page text (size, type, password, damage, page count): cheap
    enough to answer an upload at once, before the slow reading starts."""
    check_bytes(data, name, settings)
    reader = open_reader(data, name)
    if len(reader.pages) > settings.max_pages:
        raise TooManyPagesError(f"{name}: more than {settings.max_pages} pages")
    return reader


def read_pdf_bytes(
    data: bytes, name: str, settings: Settings, progress: Callable[[int, int, int], None] | None = None
) -> RecordDocument:
    """`progress(pages_done, pages_total, pages_to_ocr)` is called as pages are read (a scanned
    page counts as done once OCR has read it)."""
    reader = inspect_pdf(data, name, settings)
    total = len(reader.pages)
    report = progress or (lambda done, total, scanned: None)
    texts, todo = [], []
    geometry = DocumentGeometry(data)
    try:
        for index, pdf_page in enumerate(reader.pages):
            texts.append(_page_text(pdf_page, geometry, index))
            if settings.ocr_enabled and needs_ocr(texts[-1], _has_image(pdf_page), settings):
                todo.append(index)
    finally:
        geometry.close()
    finished = [total - len(todo)]
    report(finished[0], total, len(todo))

    def page_done() -> None:
        finished[0] += 1
        report(finished[0], total, len(todo))

    read = ocr_pages(data, todo, settings, page_done)
    pages: list[Page] = []
    for index, text in enumerate(texts):
        ocr_text, note, rotation = read.get(index, PageOcr(""))
        ocr = usable_chars(ocr_text) > usable_chars(text)
        if ocr:
            text = f"{text.rstrip()}\n{ocr_text}" if text.strip() else ocr_text
        pages.append(Page(document=name, number=index + 1, text=text, ocr=ocr, note=note, rotation=rotation))
    return RecordDocument(name=name, sha256=hashlib.sha256(data).hexdigest(), pages=pages)


def load_pdf_file(path: Path, settings: Settings, name: str | None = None) -> bytes:
    """The bytes of a record file on disk, refusing a missing path, a folder or an oversized
    file before anything is read into memory."""
    name = name or path.name
    try:
        size = path.stat().st_size
    except OSError:
        raise NotAPdfError(f"{name}: no such file") from None
    if path.is_dir():
        raise NotAPdfError(f"{name}: is a folder, not a PDF file")
    if size > settings.max_upload_bytes:
        raise too_large(name, settings)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise NotAPdfError(f"{name}: cannot be read ({exc.__class__.__name__})") from None


def read_pdf(path: Path, settings: Settings, name: str | None = None) -> RecordDocument:
    name = name or path.name
    return read_pdf_bytes(load_pdf_file(path, settings, name), name, settings)
