"""A document's reading job, claimed through the database, so any number of threads and
processes (API servers, `overturn worker`s) share one queue: the documents table.

A claim is a conditional UPDATE (queued, or processing under a lease that ran out, ->
processing by this worker); whoever's UPDATE changed the row owns the job. The owner renews its
lease while it works; a worker that dies (kill -9) stops renewing, and after the lease another
worker takes the document again. A document whose reading was started `MAX_ATTEMPTS` times
without finishing is failed with its reason instead of being tried forever.
"""

import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Iterator

from sqlalchemy import and_, func, or_, select, update

from service.casework.state import Workspace
from service.store.db import DocumentRow, now

MAX_ATTEMPTS = 3


@dataclass(frozen=True)
class Claim:
    tenant: str
    case_id: str
    doc_id: str


def _waiting(at):
    return or_(DocumentRow.status == "queued", and_(DocumentRow.status == "processing", DocumentRow.lease_until < at))


def claim(ws: Workspace, worker: str, doc_id: str | None = None) -> Claim | None:
    """This document, or the oldest one waiting, now owned by `worker`; None when there is none
    (or another worker was quicker)."""
    at = now()
    query = select(DocumentRow.id, DocumentRow.tenant, DocumentRow.case_id, DocumentRow.attempts).where(_waiting(at))
    if doc_id is not None:
        query = query.where(DocumentRow.id == doc_id)
    with ws.session() as session:
        candidates = session.execute(query.order_by(DocumentRow.created_at).limit(20)).all()
    for found in candidates:
        if found.attempts >= MAX_ATTEMPTS:
            _change(ws, found.id, _waiting(at), status="failed", error_code="ingest_failed",
                    error_message=f"reading was started {found.attempts} times and never finished; send the file again to retry")
            continue
        if _change(ws, found.id, _waiting(at), status="processing", claimed_by=worker, pages_done=0,
                   lease_until=at + timedelta(seconds=ws.settings.job_lease_s), attempts=DocumentRow.attempts + 1):
            return Claim(found.tenant, found.case_id, found.id)
    return None


def pending(ws: Workspace) -> int:
    """Documents queued or being read, across every tenant."""
    with ws.session() as session:
        return session.scalar(select(func.count()).where(DocumentRow.status.in_(("queued", "processing")))) or 0


def renew(ws: Workspace, worker: str, doc_id: str) -> bool:
    return _change(ws, doc_id, _owned(worker), lease_until=now() + timedelta(seconds=ws.settings.job_lease_s))


def report(ws: Workspace, worker: str, doc_id: str, **values) -> bool:
    """Progress, written only while the claim is still this worker's."""
    return _change(ws, doc_id, _owned(worker), **values)


def finish(ws: Workspace, worker: str, doc_id: str, **values) -> bool:
    """The outcome; False when the claim is no longer ours (the document was deleted, or our
    lease ran out and another worker took it)."""
    return _change(ws, doc_id, _owned(worker), claimed_by=None, lease_until=None, **values)


def _owned(worker: str):
    return and_(DocumentRow.status == "processing", DocumentRow.claimed_by == worker)


def _change(ws: Workspace, doc_id: str, condition, **values) -> bool:
    with ws.sessions.begin() as session:
        result = session.execute(
            update(DocumentRow).where(DocumentRow.id == doc_id, condition).values(updated_at=now(), **values),
            execution_options={"synchronize_session": False},
        )
        return result.rowcount == 1


@contextmanager
def held(ws: Workspace, worker: str, doc_id: str) -> Iterator[None]:
    """Renew the lease every quarter of its length while the body runs."""
    stop = threading.Event()

    def keep() -> None:
        while not stop.wait(ws.settings.job_lease_s / 4):
            renew(ws, worker, doc_id)

    keeper = threading.Thread(target=keep, name="overturn-lease", daemon=True)
    keeper.start()
    try:
        yield
    finally:
        stop.set()
        keeper.join(5)
