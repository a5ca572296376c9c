"""Who reads an accepted upload, chosen by `OVERTURN_JOBS`. The queue is the documents table
itself (`claims`): every runner claims a document there before reading it, so runners in any
number of processes never read one twice, and a restart loses nothing.

`inline`: the caller reads the document before it returns (the CLI).
`thread`: a thread in each server process reads waiting documents, oldest first; one at a time
keeps OCR and embedding from fighting over two cores.
`queue`: the server only accepts uploads; `overturn worker` processes (`Runner` with
`--concurrency` threads) read them.
"""

import logging
import os
import secrets
import socket
import threading
from typing import Protocol

from service.casework.claims import claim
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
    def stop(self, timeout: float = 10) -> None: ...


def run_one(ws: Workspace, worker: str, doc_id: str | None = None) -> bool:
    """Claim (this or the oldest waiting) document and read it; False when there was none."""
    job = claim(ws, worker, doc_id)
    if job is None:
        return False
    try:
        read_document(ws, worker, job)
    except Exception as exc:  # never let one document stop a runner, or stay stuck
        log.error("reading a document failed: %s", exc.__class__.__name__)
        give_up(ws, worker, job.doc_id)
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

    def stop(self, timeout: float = 10) -> None:
        return None


class Runner:
    """`threads` loops that claim and read waiting documents until stopped; `submit` wakes them
    (without it they look again every `POLL_SECONDS`)."""

    kind = "thread"

    def __init__(self, ws: Workspace, threads: int = 1):
        self.ws = ws
        self.count = threads
        self.wake = threading.Event()
        self.stopping = threading.Event()
        self.threads: list[threading.Thread] = []

    def start(self) -> None:
        for n in range(self.count):
            thread = threading.Thread(target=self._loop, name=f"overturn-reader-{n}", daemon=True)
            thread.start()
            self.threads.append(thread)

    def submit(self, tenant: str, case_id: str, doc_id: str) -> None:
        self.wake.set()

    def stop(self, timeout: float = 10) -> None:
        self.stopping.set()
        self.wake.set()
        for thread in self.threads:
            thread.join(timeout)

    def _loop(self) -> None:
        worker = worker_name()
        while not self.stopping.is_set():
            try:
                found = run_one(self.ws, worker)
            except Exception as exc:  # the database is down: wait and look again
                log.warning("claiming a document failed: %s", exc.__class__.__name__)
                found = False
            if not found:
                self.wake.wait(POLL_SECONDS)
                self.wake.clear()


class EnqueueOnly:
    """`queue`: accepted documents wait in the database for `overturn worker`."""

    kind = "queue"

    def start(self) -> None:
        return None

    def submit(self, tenant: str, case_id: str, doc_id: str) -> None:
        return None

    def stop(self, timeout: float = 10) -> None:
        return None


def make_jobs(ws: Workspace, kind: str) -> Jobs:
    if kind == "inline":
        return InlineJobs(ws)
    if kind == "queue":
        return EnqueueOnly()
    return Runner(ws)
