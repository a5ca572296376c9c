"""The background reader: one thread takes queued documents, reads every page (OCR where
needed), stores the pages sealed, indexes them, and records progress and the outcome.

One document at a time keeps OCR and embedding from fighting over two cores; a document that
fails is marked `failed` with its reason and nothing else of the case is touched. Documents left
queued or half-read by a stopped server are picked up again at the next start.
"""

import json
import logging
import queue
import threading
import time

from sqlalchemy import select

from service.errors import InputError
from service.pipeline import doc_key, prepare_index
from service.casework.state import Workspace
from service.records.pdf import read_pdf_bytes
from service.store.db import CaseRow, DocumentRow, now

log = logging.getLogger(__name__)
STOP = object()


class IngestWorker:
    def __init__(self, ws: Workspace):
        self.ws = ws
        self.jobs: queue.Queue = queue.Queue()
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        with self.ws.sessions.begin() as session:
            pending = list(session.scalars(
                select(DocumentRow).where(DocumentRow.status.in_(("queued", "processing"))).order_by(DocumentRow.created_at)
            ))
            for row in pending:
                row.status, row.pages_done = "queued", 0
            jobs = [(row.tenant, row.case_id, row.id) for row in pending]
        for job in jobs:
            self.jobs.put(job)
        self.thread = threading.Thread(target=self._run, name="overturn-ingest", daemon=True)
        self.thread.start()

    def submit(self, tenant: str, case_id: str, doc_id: str) -> None:
        self.jobs.put((tenant, case_id, doc_id))

    def stop(self, timeout: float = 10) -> None:
        if self.thread is not None:
            self.jobs.put(STOP)
            self.thread.join(timeout)

    def wait_idle(self, timeout: float = 300) -> bool:
        """For tests and the CLI: True once every queued document has been handled."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.jobs.unfinished_tasks == 0:
                return True
            time.sleep(0.05)
        return False

    def _run(self) -> None:
        while True:
            job = self.jobs.get()
            try:
                if job is STOP:
                    return
                self.process(*job)
            except Exception as exc:  # never let one document stop the worker, or stay stuck
                log.error("ingest worker error: %s", exc.__class__.__name__)
                self._give_up(job[2])
            finally:
                self.jobs.task_done()

    def process(self, tenant: str, case_id: str, doc_id: str) -> None:
        ws = self.ws
        with ws.sessions.begin() as session:
            row = session.get(DocumentRow, doc_id)
            if row is None or row.status not in ("queued", "processing"):
                return
            row.status, row.updated_at = "processing", now()
            name = ws.cipher.open(row.name, f"name:{doc_id}").decode()
            sha = row.sha256
        files = ws.files(tenant, case_id)
        try:
            document = read_pdf_bytes(files.upload(doc_id), name, ws.settings, self._progress(doc_id))
            files.save_pages(doc_id, document)
            with ws.case_components(tenant, case_id) as components:
                prepare_index([document], components, tenant, case_id)
        except InputError as exc:
            self._finish(tenant, case_id, doc_id, sha, error=(exc.code, exc.without_name(name).message))
            return
        except Exception as exc:
            log.warning("document could not be read: %s", exc.__class__.__name__)
            self._finish(tenant, case_id, doc_id, sha, error=("ingest_failed", "the document could not be read"))
            return
        pages = [{"number": p.number, "ocr": p.ocr, "chars": len(p.text.strip()), "note": p.note} for p in document.pages]
        self._finish(tenant, case_id, doc_id, sha, pages=pages)

    def _give_up(self, doc_id: str) -> None:
        """Best effort: a document the worker could not finish is `failed`, so drafting the rest
        of its case is not blocked behind it."""
        try:
            with self.ws.sessions.begin() as session:
                row = session.get(DocumentRow, doc_id)
                if row is not None and row.status in ("queued", "processing"):
                    row.status, row.error_code, row.updated_at = "failed", "ingest_failed", now()
                    row.error_message = "the document could not be read; send it again to retry"
        except Exception as exc:
            log.error("could not mark a document failed: %s", exc.__class__.__name__)

    def _progress(self, doc_id: str):
        last = [0.0]

        def report(done: int, total: int, scanned: int) -> None:
            if done < total and time.monotonic() - last[0] < 0.25:
                return
            last[0] = time.monotonic()
            with self.ws.sessions.begin() as session:
                row = session.get(DocumentRow, doc_id)
                if row is not None:
                    row.pages_done, row.pages_total, row.pages_ocr, row.updated_at = done, total, scanned, now()

        return report

    def _finish(self, tenant: str, case_id: str, doc_id: str, sha: str, pages: list | None = None, error: tuple | None = None) -> None:
        ws = self.ws
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
                ws.files(tenant, case_id).remove_document(doc_id)
                ws.components.vectors.delete_document(tenant, case_id, doc_key(sha))
            else:
                ws.components.vectors.delete_case(tenant, case_id)
                ws.files(tenant, case_id).purge()
