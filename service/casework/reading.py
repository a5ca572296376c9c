"""Reading one stored upload: every page (OCR where needed), the pages stored sealed, the
case's index brought up to date, progress and the outcome recorded on the document's row.

Whichever runs the job (the CLI inline, the server's thread, a job worker) calls this; a document
that fails is marked `failed` with its reason and nothing else of the case is touched.
"""

import json
import logging
import time

from service.casework.state import Workspace
from service.errors import InputError
from service.pipeline import prepare_index
from service.records.pdf import read_pdf_bytes
from service.store.db import CaseRow, DocumentRow, now

log = logging.getLogger(__name__)


def read_document(ws: Workspace, tenant: str, case_id: str, doc_id: str) -> None:
    with ws.sessions.begin() as session:
        row = session.get(DocumentRow, doc_id)
        if row is None or row.status not in ("queued", "processing"):
            return
        row.status, row.updated_at = "processing", now()
        name = ws.cipher.open(row.name, f"name:{doc_id}").decode()
        sha = row.sha256
    files = ws.files(tenant, case_id)
    try:
        document = read_pdf_bytes(files.upload(doc_id), name, ws.settings, _progress(ws, doc_id))
        files.save_pages(doc_id, document)
        with ws.case_components(tenant, case_id) as components:
            prepare_index([document], components, tenant, case_id)
    except InputError as exc:
        _finish(ws, tenant, case_id, doc_id, sha, error=(exc.code, exc.without_name(name).message))
        return
    except Exception as exc:
        log.warning("document could not be read: %s", exc.__class__.__name__)
        _finish(ws, tenant, case_id, doc_id, sha, error=("ingest_failed", "the document could not be read"))
        return
    pages = [{"number": p.number, "ocr": p.ocr, "chars": len(p.text.strip()), "note": p.note} for p in document.pages]
    _finish(ws, tenant, case_id, doc_id, sha, pages=pages)


def give_up(ws: Workspace, doc_id: str) -> None:
    """Best effort after an unexpected error: the document is `failed`, so drafting the rest of
    its case is not blocked behind it."""
    try:
        with ws.sessions.begin() as session:
            row = session.get(DocumentRow, doc_id)
            if row is not None and row.status in ("queued", "processing"):
                row.status, row.error_code, row.updated_at = "failed", "ingest_failed", now()
                row.error_message = "the document could not be read; send it again to retry"
    except Exception as exc:
        log.error("could not mark a document failed: %s", exc.__class__.__name__)


def _progress(ws: Workspace, doc_id: str):
    last = [0.0]

    def report(done: int, total: int, scanned: int) -> None:
        if done < total and time.monotonic() - last[0] < 0.25:
            return
        last[0] = time.monotonic()
        with ws.sessions.begin() as session:
            row = session.get(DocumentRow, doc_id)
            if row is not None:
                row.pages_done, row.pages_total, row.pages_ocr, row.updated_at = done, total, scanned, now()

    return report


def _finish(ws: Workspace, tenant: str, case_id: str, doc_id: str, sha: str, pages: list | None = None, error: tuple | None = None) -> None:
    with ws.write_lock:
        with ws.sessions.begin() as session:
            row = session.get(DocumentRow, doc_id)
            if row is not None:
                row.updated_at = now()
                if error:
                    row.status, (row.error_code, row.error_message) = "failed", error
                else:
                    row.status, row.pages_done, row.pages = "ready", row.pages_total, json.dumps(pages)
                return
        # Deleted while it was being read: leave nothing of it behind.
        with ws.session() as session:
            case_left = session.get(CaseRow, case_id) is not None
        if case_left:
            ws.erase_document(tenant, case_id, doc_id, sha)
        else:
            ws.erase_case(tenant, case_id)
