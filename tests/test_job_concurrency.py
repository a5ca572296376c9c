"""Reading and drafting have concurrency of their own: a server runs at most `draft_concurrency`
drafts at once (the rest wait, still queued), and a job worker's reader threads read while its
drafter threads are busy."""

import os
import threading
import time

import pytest

from service.casework import claims, drafts
from service.casework.jobs import Runner
from service.casework.state import open_workspace
from service.components import Components
from service.config import Settings
from service.errors import SettingsError
from service.store.db import DraftJobRow
from tests.pdfs import make_pdf
from tests.test_casework import _ready_case, upload, wait_idle


@pytest.fixture
def ws(tmp_path, embedder):
    settings = Settings(home=tmp_path / "home", draft_concurrency=2)
    return open_workspace(settings, Components(settings, embedder=embedder))


class HeldDrafts:
    """Drafts that start, say so, and go on (to the real draft) only once released."""

    def __init__(self, monkeypatch):
        self.real = drafts.draft_case
        self.lock = threading.Lock()
        self.running = self.most = 0
        self.started = threading.Semaphore(0)
        self.release = threading.Event()
        monkeypatch.setattr(drafts, "draft_case", self.draft)

    def draft(self, ws, tenant, case_id):
        with self.lock:
            self.running += 1
            self.most = max(self.most, self.running)
        self.started.release()
        try:
            self.release.wait(120)
            return self.real(ws, tenant, case_id)
        finally:
            with self.lock:
                self.running -= 1


def drained(ws, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while claims.DRAFTS.pending(ws):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def statuses(ws, job_ids):
    with ws.session() as session:
        return sorted(session.get(DraftJobRow, i).status for i in job_ids)


def test_drafts_beyond_the_limit_wait_queued_and_all_finish(ws, case_fields, monkeypatch):
    case_id = _ready_case(ws, case_fields)
    held = HeldDrafts(monkeypatch)
    server = Runner(ws)  # a server's runner: drafts run in the requests' threads
    job_ids = [drafts.queue_draft(ws, "t1", case_id) for _ in range(5)]
    requests = [threading.Thread(target=server.submit_draft, args=(i,)) for i in job_ids]
    for request in requests:
        request.start()
    try:
        assert held.started.acquire(timeout=60) and held.started.acquire(timeout=60)
        assert not held.started.acquire(timeout=1)  # a third draft does not start while two run
        assert statuses(ws, job_ids) == ["processing"] * 2 + ["queued"] * 3
    finally:
        held.release.set()
        for request in requests:
            request.join(120)
    assert held.most == 2
    assert statuses(ws, job_ids) == ["done"] * 5


def test_a_worker_reads_documents_while_its_drafters_are_busy(ws, case_fields, monkeypatch):
    case_id = _ready_case(ws, case_fields)
    held = HeldDrafts(monkeypatch)
    job_ids = [drafts.queue_draft(ws, "t1", case_id) for _ in range(3)]
    doc, _ = upload(ws, Runner(ws), case_id, "late.pdf", make_pdf([["A late note on the care plan."]]))
    worker = Runner(ws, threads=1, drafters=1)  # as `overturn worker --concurrency 1`
    worker.start()
    try:
        assert held.started.acquire(timeout=60)  # the drafter is busy, with more drafts waiting
        assert wait_idle(ws, 60)  # and the document is read all the same
        assert claims.DRAFTS.pending(ws) == 3
        held.release.set()
        assert drained(ws, 120)  # then the drafter drafts the rest, one at a time
    finally:
        held.release.set()
        worker.stop(timeout=60)
    assert held.most == 1
    assert statuses(ws, job_ids) == ["done"] * 3


def test_the_draft_limit_is_a_setting_one_per_core_by_default(tmp_path):
    assert Settings(home=tmp_path).draft_concurrency == (os.cpu_count() or 1)
    assert Settings.from_env({"OVERTURN_HOME": str(tmp_path), "OVERTURN_DRAFT_CONCURRENCY": "3"}).draft_concurrency == 3
    with pytest.raises(SettingsError, match="OVERTURN_DRAFT_CONCURRENCY"):
        Settings.from_env({"OVERTURN_HOME": str(tmp_path), "OVERTURN_DRAFT_CONCURRENCY": "0"})
