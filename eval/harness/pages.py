"""The eval's page cache: every system reads the same charts, so pages already read (and
OCR'd) are kept by file hash and read once. The product keeps each case's pages with the case."""

import hashlib
import json
from pathlib import Path

from service.config import Settings
from service.models import RecordDocument
from service.records.pdf import read_pdf_bytes

READER_VERSION = "11"
"""Bumped when reading changes what a page's text is (4: scanned tables rebuilt row by row; 8:
a scan sent turned is read upright; 9: text-layer pages read region by region; 10: scans
cleaned of rules and specks, read region by region; 11: a ruled table's unsure words read
again one at a time), so pages cached by an older reader are
read again."""


def _cache_path(settings: Settings, sha: str) -> Path:
    flavour = f"{READER_VERSION}-{settings.ocr_enabled}-{settings.ocr_cleanup}-{settings.ocr_lang}-{settings.ocr_dpi}-{settings.ocr_min_chars}"
    return settings.home / "pages" / f"{sha}-{flavour}.json"


def read_record(data: bytes, name: str, settings: Settings) -> RecordDocument:
    sha = hashlib.sha256(data).hexdigest()
    path = _cache_path(settings, sha)
    if path.is_file():
        try:
            cached = RecordDocument.model_validate_json(path.read_text(encoding="utf-8"))
            pages = [page.model_copy(update={"document": name}) for page in cached.pages]
            return cached.model_copy(update={"name": name, "pages": pages})
        except ValueError:
            path.unlink(missing_ok=True)
    document = read_pdf_bytes(data, name, settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(document.model_dump()), encoding="utf-8")
    tmp.replace(path)
    return document
