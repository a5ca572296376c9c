"""Drafting as a job: a request records a draft job, whoever runs jobs drafts it
(`appeals.draft_case_appeal`), and the request answers with the appeal once the job is done.

Inline and thread jobs draft in the requesting thread, so the answer is immediate; with
`OVERTURN_JOBS=queue` a job worker claims the job like a document (a killed worker's draft is
taken again after its lease) and the API worker only waits, up to `draft_wait_s`, before
answering with the job to poll. An error is recorded with its code and raised again to the
client as it would have been raised in the request.
"""

import logging
import time

from service.casework.appeals import draft_case, draftable, get_appeal
from service.casework.claims import DRAFTS, Claim
from service.casework.state import Workspace, new_id
from service.casework.views import AppealView, DraftJobView, ErrorDetail
from service.errors import (
    BackendUnavailableError,
    DraftFailedError,
    DraftJobNotFoundError,
    OverturnError,
    backend_unavailable,
    error_for,
)
from service.pipeline import CaseAnalysis
from service.store.db import DraftJobRow

log = logging.getLogger(__name__)


def warm_up() -> None:
    """Start building what every draft needs (the ConText reader) in the background: servers and
    workers at start, the CLI and the eval when a draft begins, while records are read."""
    from service.screening.care_events import warm_reader

    warm_reader()


def queue_draft(ws: Workspace, tenant: str, case_id: str) -> str:
    """A new draft job for the case; refused at once (404, 409) when the case cannot be drafted."""
    draftable(ws, tenant, case_id)
    job_id = new_id("drf")
    with ws.sessions.begin() as session:
        session.add(DraftJobRow(id=job_id, tenant=tenant, case_id=case_id))
    return job_id


def run_draft(ws: Workspace, worker: str, job: Claim) -> CaseAnalysis | None:
    """Draft a claimed job and record its outcome; the analysis the letter was written from, or
    None when the draft failed (its error is on the job)."""
    with DRAFTS.held(ws, worker, job.id):
        try:
            appeal, analysis = draft_case(ws, job.tenant, job.case_id)
        except OverturnError as exc:
            DRAFTS.finish(ws, worker, job.id, status="failed", error_code=exc.code, error_message=exc.message[:300])
            return None
        except Exception as exc:
            down = backend_unavailable(exc)
            log.log(logging.WARNING if down else logging.ERROR, "drafting failed: %s", exc.__class__.__name__)
            error = (
                BackendUnavailableError()
                if down
                else DraftFailedError("drafting failed on our side; nothing you sent was lost, draft again")
            )
            DRAFTS.finish(ws, worker, job.id, status="failed", error_code=error.code, error_message=error.message)
            return None
    DRAFTS.finish(ws, worker, job.id, status="done", appeal_id=appeal.id)
    return analysis


def run_one_draft(ws: Workspace, worker: str, job_id: str | None = None) -> bool:
    """Claim (this or the oldest waiting) draft job and draft it; False when there was none."""
    job = DRAFTS.claim(ws, worker, job_id)
    if job is None:
        return False
    run_draft(ws, worker, job)
    return True


def draft_here(ws: Workspace, worker: str, job_id: str) -> CaseAnalysis | None:
    """Claim this draft job and draft it in this thread (the CLI): the analysis the letter was
    written from; None when it failed or another runner holds the job (`await_draft` tells which)."""
    job = DRAFTS.claim(ws, worker, job_id)
    return None if job is None else run_draft(ws, worker, job)


def draft_job(ws: Workspace, tenant: str, job_id: str) -> DraftJobView:
    with ws.session() as session:
        row = session.get(DraftJobRow, job_id)
    if row is None or row.tenant != tenant:
        raise DraftJobNotFoundError("no such draft job")
    error = ErrorDetail(code=row.error_code, message=row.error_message or "") if row.error_code else None
    return DraftJobView(
        id=row.id,
        case_id=row.case_id,
        status=row.status,
        appeal_id=row.appeal_id,
        error=error,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def await_draft(ws: Workspace, tenant: str, job_id: str, wait_s: float) -> AppealView | DraftJobView:
    """The appeal once the job is done (its error raised if it failed), or the job itself when
    `wait_s` ran out first."""
    deadline, pause = time.monotonic() + wait_s, 0.05
    while True:
        job = draft_job(ws, tenant, job_id)
        if job.status == "done" and job.appeal_id:
            return get_appeal(ws, tenant, job.appeal_id)
        if job.status == "failed" and job.error:
            raise error_for(job.error.code, job.error.message)
        if time.monotonic() >= deadline:
            return job
        time.sleep(min(pause, max(0.0, deadline - time.monotonic())))
        pause = min(pause * 2, 0.5)
