"""Jobs claimed through the database, so any number of threads and processes (API servers,
`overturn worker`s) share one queue per kind of job: the documents table (reading), the
draft_jobs table (drafting) and the check_jobs table (batches of checks).

A claim is a conditional UPDATE (queued, or processing under a lease that ran out, ->
processing by this worker); whoever's UPDATE changed the row owns the job. The owner renews its
lease while it works; a worker that dies (kill -9) stops renewing, and after the lease another
worker takes the job again. A job started `MAX_ATTEMPTS` times without finishing is failed with
its reason instead of being tried forever.
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import and_, func, or_, select, update

from service.casework.state import Workspace
from service.store.db import CheckJobRow, DocumentRow, DraftJobRow, now

MAX_ATTEMPTS = 3


@dataclass(frozen=True)
class Claim:
    tenant: str
    case_id: str
    id: str


@dataclass(frozen=True)
class Queue:
    """One table whose rows are jobs: `status` queued -> processing -> (done state) | failed."""

    table: type[DocumentRow] | type[DraftJobRow] | type[CheckJobRow]
    exhausted: tuple[str, str]
    """The error code and message of a job started MAX_ATTEMPTS times."""
    on_claim: dict = field(default_factory=dict)

    def _waiting(self, at):
        t = self.table
        return or_(t.status == "queued", and_(t.status == "processing", t.lease_until < at))

    def _owned(self, worker: str):
        return and_(self.table.status == "processing", self.table.claimed_by == worker)

    def claim(self, ws: Workspace, worker: str, job_id: str | None = None) -> Claim | None:
        """This job, or the oldest one waiting, now owned by `worker`; None when there is none
        (or another worker was quicker)."""
        t, at = self.table, now()
        query = select(t.id, t.tenant, t.case_id, t.attempts).where(self._waiting(at))
        if job_id is not None:
            query = query.where(t.id == job_id)
        with ws.session() as session:
            candidates = session.execute(query.order_by(t.created_at).limit(20)).all()
        for found in candidates:
            if found.attempts >= MAX_ATTEMPTS:
                code, message = self.exhausted
                self._change(ws, found.id, self._waiting(at), status="failed", error_code=code, error_message=message)
                continue
            if self._change(
                ws,
                found.id,
                self._waiting(at),
                status="processing",
                claimed_by=worker,
                lease_until=at + timedelta(seconds=ws.settings.job_lease_s),
                attempts=t.attempts + 1,
                **self.on_claim,
            ):
                return Claim(found.tenant, found.case_id, found.id)
        return None

    def pending(self, ws: Workspace) -> int:
        """Jobs queued or running, across every tenant."""
        with ws.session() as session:
            return session.scalar(select(func.count()).where(self.table.status.in_(("queued", "processing")))) or 0

    def renew(self, ws: Workspace, worker: str, job_id: str) -> bool:
        return self._change(
            ws, job_id, self._owned(worker), lease_until=now() + timedelta(seconds=ws.settings.job_lease_s)
        )

    def report(self, ws: Workspace, worker: str, job_id: str, **values) -> bool:
        """Progress, written only while the claim is still this worker's."""
        return self._change(ws, job_id, self._owned(worker), **values)

    def finish(self, ws: Workspace, worker: str, job_id: str, **values) -> bool:
        """The outcome; False when the claim is no longer ours (the row was deleted, or our
        lease ran out and another worker took it)."""
        return self._change(ws, job_id, self._owned(worker), claimed_by=None, lease_until=None, **values)

    def retry_later(self, ws: Workspace, worker: str, job_id: str, seconds: float) -> bool:
        """Give the job up for now without using an attempt (a backend was down: not the job's
        fault); any worker takes it again once `seconds` have passed."""
        return self._change(
            ws,
            job_id,
            self._owned(worker),
            claimed_by=None,
            attempts=self.table.attempts - 1,
            lease_until=now() + timedelta(seconds=seconds),
        )

    def _change(self, ws: Workspace, job_id: str, condition, **values) -> bool:
        t = self.table
        with ws.sessions.begin() as session:
            result = session.execute(
                update(t).where(t.id == job_id, condition).values(updated_at=now(), **values),
                execution_options={"synchronize_session": False},
            )
            return result.rowcount == 1

    @contextmanager
    def held(self, ws: Workspace, worker: str, job_id: str) -> Iterator[None]:
        """Renew the lease every quarter of its length while the body runs."""
        stop = threading.Event()

        def keep() -> None:
            while not stop.wait(ws.settings.job_lease_s / 4):
                self.renew(ws, worker, job_id)

        keeper = threading.Thread(target=keep, name="overturn-lease", daemon=True)
        keeper.start()
        try:
            yield
        finally:
            stop.set()
            keeper.join(5)


DOCUMENTS = Queue(
    DocumentRow,
    exhausted=(
        "ingest_failed",
        f"reading was started {MAX_ATTEMPTS} times and never finished; send the file again to retry",
    ),
    on_claim={"pages_done": 0},
)
DRAFTS = Queue(
    DraftJobRow,
    exhausted=("draft_failed", f"drafting was started {MAX_ATTEMPTS} times and never finished; draft again"),
)
CHECKS = Queue(
    CheckJobRow,
    exhausted=("check_failed", f"checking was started {MAX_ATTEMPTS} times and never finished; run the batch again"),
)
