"""Who reads an accepted upload and who drafts, chosen by `OVERTURN_JOBS`. The queues are the
documents and draft_jobs tables (`claims`): every runner claims a job there before running it,
so runners in any number of processes never run one twice, and a restart loses nothing.

`inline`: the caller reads the document, drafts, or checks a batch's cases before it returns
(the CLI).
`thread`: a thread in each server process reads waiting documents, oldest first (one at a time
keeps OCR and embedding from fighting over two cores), and another checks the cases of batches;
drafts run in the request's thread, at most `draft_concurrency` at once: the others wait their
turn, still queued, so that many drafts never take the CPU from the reader.
`queue`: the server only accepts uploads, draft requests and batches; `overturn worker` processes
(`Runner` with `--concurrency` reader threads, `draft_concurrency` drafter threads and a checker
thread) read, draft and check, each kind on its own threads: a queue of drafts never keeps
documents waiting.
"""

import logging
import os
import secrets
import socket
import threading
from collections.abc import Callable
from typing import Protocol

from service.casework.check_batches import batch_jobs, run_one_check
from service.casework.claims import DOCUMENTS
from service.casework.drafts import run_one_draft
from service.casework.reading import give_up, read_document
from service.casework.state import Workspace

log = logging.getLogger(__name__)
POLL_SECONDS = 1.0


def worker_name() -> str:
    """Unique per runner thread; host and pid tell an operator where a claim was made."""
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{secrets.token_hex(4)}"


class Jobs(Protocol):
    kind: str
    """`inline`, `thread` or `queue`, as `OVERTURN_JOBS` names it."""

    def start(self) -> None: ...
    def submit(self, tenant: str, case_id: str, doc_id: str) -> None: ...
    def submit_draft(self, job_id: str) -> None: ...
    def submit_checks(self, batch_id: str) -> None: ...
    def stop(self, timeout: float = 10) -> None: ...


def run_one(ws: Workspace, worker: str, doc_id: str | None = None) -> bool:
    """Claim (this or the oldest waiting) document and read it; False when there was none."""
    job = DOCUMENTS.claim(ws, worker, doc_id)
    if job is None:
        return False
    try:
        read_document(ws, worker, job)
    except Exception as exc:  # never let one document stop a runner, or stay stuck
        log.error("reading a document failed: %s", exc.__class__.__name__)
        give_up(ws, worker, job.id)
    return True


class InlineJobs:
    """Reads each document as it is submitted, in the caller's thread."""

    kind = "inline"

    def __init__(self, ws: Workspace):
        self.ws = ws
        self.worker = worker_name()

    def start(self) -> None:
        return None

    def submit(self, tenant: str, case_id: str, doc_id: str) -> None:
        run_one(self.ws, self.worker, doc_id)

    def submit_draft(self, job_id: str) -> None:
        run_one_draft(self.ws, self.worker, job_id)

    def submit_checks(self, batch_id: str) -> None:
        for job_id in batch_jobs(self.ws, batch_id):
            run_one_check(self.ws, self.worker, job_id)

    def stop(self, timeout: float = 10) -> None:
        return None


class Runner:
    """Threads that claim and run waiting jobs until stopped: `threads` readers read documents
    (oldest first), `drafters` (in `overturn worker`) draft waiting draft jobs and `checkers`
    check the cases of batches; each thread runs one kind only. `submit` wakes the readers (without it they look again every `POLL_SECONDS`).
    A server's runner has no drafters: `submit_draft` drafts in the request's thread, at most
    `draft_concurrency` at once."""

    kind = "thread"

    def __init__(self, ws: Workspace, threads: int = 1, drafters: int = 0, checkers: int = 1):
        self.ws = ws
        self.count = threads
        self.drafters = drafters
        self.checkers = checkers
        self.worker = worker_name()
        self.wake = threading.Event()
        self.draft_wake = threading.Event()
        self.check_wake = threading.Event()
        self.stopping = threading.Event()
        self.drafting = threading.BoundedSemaphore(ws.settings.draft_concurrency)
        self.threads: list[threading.Thread] = []

    def start(self) -> None:
        loops: list[tuple[str, Callable[[Workspace, str], bool], threading.Event]]
        loops = [("reader", run_one, self.wake)] * self.count
        loops += [("drafter", run_one_draft, self.draft_wake)] * self.drafters
        loops += [("checker", run_one_check, self.check_wake)] * self.checkers
        for n, (name, run, wake) in enumerate(loops):
            thread = threading.Thread(target=self._loop, args=(run, wake), name=f"overturn-{name}-{n}", daemon=True)
            thread.start()
            self.threads.append(thread)

    def submit(self, tenant: str, case_id: str, doc_id: str) -> None:
        self.wake.set()

    def submit_draft(self, job_id: str) -> None:
        with self.drafting:  # the job stays queued in the database while it waits its turn
            run_one_draft(self.ws, self.worker, job_id)

    def submit_checks(self, batch_id: str) -> None:
        self.check_wake.set()

    def stop(self, timeout: float = 10) -> None:
        self.stopping.set()
        self.wake.set()
        self.draft_wake.set()
        self.check_wake.set()
        for thread in self.threads:
            thread.join(timeout)

    def _loop(self, run: Callable[[Workspace, str], bool], wake: threading.Event) -> None:
        worker = worker_name()
        while not self.stopping.is_set():
            try:
                found = run(self.ws, worker)
            except Exception as exc:  # the database is down: wait and look again
                log.warning("claiming a job failed: %s", exc.__class__.__name__)
                found = False
            if not found:
                wake.wait(POLL_SECONDS)
                wake.clear()


class EnqueueOnly:
    """`queue`: accepted documents, draft jobs and check jobs wait in the database for `overturn worker`."""

    kind = "queue"

    def start(self) -> None:
        return None

    def submit(self, tenant: str, case_id: str, doc_id: str) -> None:
        return None

    def submit_draft(self, job_id: str) -> None:
        return None

    def submit_checks(self, batch_id: str) -> None:
        return None

    def stop(self, timeout: float = 10) -> None:
        return None


def make_jobs(ws: Workspace, kind: str) -> Jobs:
    if kind == "inline":
        return InlineJobs(ws)
    if kind == "queue":
        return EnqueueOnly()
    return Runner(ws)
