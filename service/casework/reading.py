"""Reading one claimed upload: every page (OCR where needed), the pages stored sealed, the
case's index brought up to date, progress and the outcome recorded on the document's row.

Whichever runs the job (the CLI inline, a server's thread, `overturn worker`) claims the document
first (`claims.DOCUMENTS`) and calls this; a document that fails is marked `failed` with its reason
and nothing else of the case is touched. One that met a backend outage is read again later.
"""

import json
import logging
import time

from service.casework.claims import DOCUMENTS, Claim
from service.casework.state import Workspace
from service.errors import InputError, backend_unavailable
from service.pipeline import prepare_index
from service.store.db import CaseRow, DocumentRow

log = logging.getLogger(__name__)
RETRY_SECONDS = 10
"""A document whose reading met a database or Chroma server that did not answer waits this long
and is read again, as often as it takes: an outage is not the document's fault."""


def read_document(ws: Workspace, worker: str, job: Claim) -> None:
    tenant, case_id, doc_id = job.tenant, job.case_id, job.id
    with ws.session() as session:
        row = session.get(DocumentRow, doc_id)
        if row is None or row.claimed_by != worker:
            return
        name, sha = ws.cipher.open(row.name, f"name:{doc_id}").decode(), row.sha256
    files = ws.files(tenant, case_id)
    with DOCUMENTS.held(ws, worker, doc_id):
        try:
            document = ws.read(files.upload(doc_id), name, ws.settings, _progress(ws, worker, doc_id))
            files.save_pages(doc_id, document)
            with ws.case_components(tenant, case_id) as components:
                prepare_index([document], components, tenant, case_id)
        except InputError as exc:
            _finish(ws, worker, job, sha, error=(exc.code, exc.without_name(name).message))
            return
        except Exception as exc:
            if backend_unavailable(exc):
                log.warning(
                    "a backend did not answer while a document was read (%s); it is read again in %d s",
                    exc.__class__.__name__,
                    RETRY_SECONDS,
                )
                DOCUMENTS.retry_later(ws, worker, doc_id, RETRY_SECONDS)
                return
            log.warning("document could not be read: %s", exc.__class__.__name__)
            _finish(ws, worker, job, sha, error=("ingest_failed", "the document could not be read"))
            return
    pages = [
        {"number": p.number, "ocr": p.ocr, "chars": len(p.text.strip()), "note": p.note, "rotation": p.rotation}
        for p in document.pages
    ]
    _finish(ws, worker, job, sha, pages=pages)


def give_up(ws: Workspace, worker: str, doc_id: str) -> None:
    """Best effort after an unexpected error: the document is `failed`, so drafting the rest of
    its case is not blocked behind it."""
    try:
        DOCUMENTS.finish(
            ws,
            worker,
            doc_id,
            status="failed",
            error_code="ingest_failed",
            error_message="the document could not be read; send it again to retry",
        )
    except Exception as exc:
        log.error("could not mark a document failed: %s", exc.__class__.__name__)


def _progress(ws: Workspace, worker: str, doc_id: str):
    last = [0.0]

    def report(done: int, total: int, scanned: int) -> None:
        if done < total and time.monotonic() - last[0] < 0.25:
            return
        last[0] = time.monotonic()
        DOCUMENTS.report(ws, worker, doc_id, pages_done=done, pages_total=total, pages_ocr=scanned)

    return report


def _finish(
    ws: Workspace, worker: str, job: Claim, sha: str, pages: list | None = None, error: tuple | None = None
) -> None:
    if error:
        values = {"status": "failed", "error_code": error[0], "error_message": error[1]}
    else:
        values = {"status": "ready", "pages_done": len(pages or []), "pages": json.dumps(pages)}
    if DOCUMENTS.finish(ws, worker, job.id, **values):
        return
    with ws.session() as session:
        row_left = session.get(DocumentRow, job.id) is not None
        case_left = session.get(CaseRow, job.case_id) is not None
    if row_left:
        return  # our lease ran out and another worker has the document: its outcome stands
    # Deleted while it was being read: leave nothing of it behind.
    if case_left:
        ws.erase_document(job.tenant, job.case_id, job.id, sha)
    else:
        ws.erase_case(job.tenant, job.case_id)
