"""The eval's page cache: every system reads the same charts, so pages already read (and
OCR'd) are kept by file hash and read once. The product keeps each case's pages with the case;
the eval hands this cache to its workspaces as their page reader (`Workspace.read`), so the
product's own reading job reads through it."""

import hashlib
import json
from pathlib import Path

from service.config import Settings
from service.models import RecordDocument
from service.pipeline import unique_names
from service.records.pdf import read_pdf_bytes

READER_VERSION = "11"
"""Bumped when reading changes what a page's text is (4: scanned tables rebuilt row by row; 8:
a scan sent turned is read upright; 9: text-layer pages read region by region; 10: scans
cleaned of rules and specks, read region by region; 11: a ruled table's unsure words read
again one at a time), so pages cached by an older reader are
read again."""


class PageCache:
    """A page reader (`read(data, name, settings, progress)`) whose cache lives under `home`,
    whichever home the workspace reading through it has."""

    def __init__(self, home: Path):
        self.home = home

    def path(self, settings: Settings, sha: str) -> Path:
        flavour = f"{READER_VERSION}-{settings.ocr_enabled}-{settings.ocr_cleanup}-{settings.ocr_lang}-{settings.ocr_dpi}-{settings.ocr_min_chars}"
        return self.home / "pages" / f"{sha}-{flavour}.json"

    def __call__(self, data: bytes, name: str, settings: Settings, progress=None) -> RecordDocument:
        sha = hashlib.sha256(data).hexdigest()
        path = self.path(settings, sha)
        if path.is_file():
            try:
                cached = RecordDocument.model_validate_json(path.read_text(encoding="utf-8"))
                pages = [page.model_copy(update={"document": name}) for page in cached.pages]
                return cached.model_copy(update={"name": name, "pages": pages})
            except ValueError:
                path.unlink(missing_ok=True)
        document = read_pdf_bytes(data, name, settings, progress)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(document.model_dump()), encoding="utf-8")
        tmp.replace(path)
        return document


def read_record(data: bytes, name: str, settings: Settings, progress=None) -> RecordDocument:
    """One file through the cache under the settings' own home."""
    return PageCache(settings.home)(data, name, settings, progress)


def read_documents(records: list[tuple[str, bytes]], settings: Settings, read=read_record) -> list[RecordDocument]:
    """Every distinct file's pages, named as the product names a case's uploads (a second
    'notes.pdf' is 'notes (2).pdf'; the same file twice is read once): for the baselines, which
    read the page text the product read but do not draft along its road."""
    documents, seen = [], set()
    for name, (_, data) in zip(unique_names([name for name, _ in records]), records):
        sha = hashlib.sha256(data).hexdigest()
        if sha not in seen:
            seen.add(sha)
            documents.append(read(data, name, settings))
    return documents
