"""Who reads an accepted upload, chosen by `OVERTURN_JOBS`.

`inline`: the caller reads it before it returns (the CLI; a server with no background work).
`thread`: one background thread per server takes queued documents in turn; one document at a
time keeps OCR and embedding from fighting over two cores. Documents left queued or half-read by a
stopped server are picked up again at the next start.
"""

import logging
import queue
import threading
import time
from typing import Protocol

from sqlalchemy import select

from service.casework.reading import give_up, read_document
from service.casework.state import Workspace
from service.store.db import DocumentRow

log = logging.getLogger(__name__)
STOP = object()


class Jobs(Protocol):
    def start(self) -> None: ...
    def submit(self, tenant: str, case_id: str, doc_id: str) -> None: ...
    def stop(self, timeout: float = 10) -> None: ...


class InlineJobs:
    """Reads each document as it is submitted, in the caller's thread."""

    def __init__(self, ws: Workspace):
        self.ws = ws

    def start(self) -> None:
        for tenant, case_id, doc_id in requeue_pending(self.ws):
            self.submit(tenant, case_id, doc_id)

    def submit(self, tenant: str, case_id: str, doc_id: str) -> None:
        try:
            read_document(self.ws, tenant, case_id, doc_id)
        except Exception as exc:
            log.error("reading a document failed: %s", exc.__class__.__name__)
            give_up(self.ws, doc_id)

    def stop(self, timeout: float = 10) -> None:
        return None


class ThreadJobs:
    def __init__(self, ws: Workspace):
        self.ws = ws
        self.jobs: queue.Queue = queue.Queue()
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        for job in requeue_pending(self.ws):
            self.jobs.put(job)
        self.thread = threading.Thread(target=self._run, name="overturn-reader", daemon=True)
        self.thread.start()

    def submit(self, tenant: str, case_id: str, doc_id: str) -> None:
        self.jobs.put((tenant, case_id, doc_id))

    def stop(self, timeout: float = 10) -> None:
        if self.thread is not None:
            self.jobs.put(STOP)
            self.thread.join(timeout)

    def wait_idle(self, timeout: float = 300) -> bool:
        """For tests: True once every queued document has been handled."""
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
                read_document(self.ws, *job)
            except Exception as exc:  # never let one document stop the thread, or stay stuck
                log.error("reading a document failed: %s", exc.__class__.__name__)
                give_up(self.ws, job[2])
            finally:
                self.jobs.task_done()


def requeue_pending(ws: Workspace) -> list[tuple[str, str, str]]:
    """Documents a stopped process left queued or half-read, reset to queued, oldest first."""
    with ws.sessions.begin() as session:
        pending = list(session.scalars(
            select(DocumentRow).where(DocumentRow.status.in_(("queued", "processing"))).order_by(DocumentRow.created_at)
        ))
        for row in pending:
            row.status, row.pages_done = "queued", 0
        return [(row.tenant, row.case_id, row.id) for row in pending]


def make_jobs(ws: Workspace, kind: str) -> Jobs:
    if kind == "inline":
        return InlineJobs(ws)
    return ThreadJobs(ws)
