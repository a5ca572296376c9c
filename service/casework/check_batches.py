"""Batches of checks: many cases' month checked against one code, each result kept (a batch is an
explicit request to keep them).

A batch is a row and one check job per case (`check_jobs`), claimed like documents and drafts
(`casework.claims`): whoever runs jobs (`OVERTURN_JOBS`: the caller inline, a server's checker
thread, or `overturn worker`) checks them, a killed runner's job is taken again after its lease,
and any API worker answers the poll by counting the jobs. A case that fails is marked failed with
its error code and the others go on.
"""

import logging

from sqlalchemy import func, select

from service.casework.cases import find_case
from service.casework.check_store import billable_code, keep_check
from service.casework.check_views import MAX_BATCH, BatchError, BatchRequest, BatchView
from service.casework.checks import check_case
from service.casework.claims import CHECKS, Claim
from service.casework.state import Workspace, new_id
from service.errors import (
    BackendUnavailableError,
    BatchRunningError,
    BatchTooLargeError,
    CheckBatchNotFoundError,
    OverturnError,
    backend_unavailable,
)
from service.store.db import CheckBatchRow, CheckJobRow, DocumentRow

log = logging.getLogger(__name__)


def batch_cases(ws: Workspace, tenant: str, case_ids: list[str] | None) -> list[str]:
    """The cases to check: those named (each must be the tenant's, 404 otherwise), or every case
    of the tenant with at least one ready document."""
    with ws.session() as session:
        if case_ids is None:
            query = (
                select(DocumentRow.case_id)
                .where(DocumentRow.tenant == tenant, DocumentRow.status == "ready")
                .distinct()
                .order_by(DocumentRow.case_id)
            )
            found = list(session.scalars(query.limit(MAX_BATCH + 1)))
            if len(found) > MAX_BATCH:
                raise BatchTooLargeError(
                    f"more than {MAX_BATCH} cases have ready documents; name the cases to check (case_ids)"
                )
            return found
        wanted = list(dict.fromkeys(case_ids))
        for case_id in wanted:
            find_case(session, tenant, case_id)
    return wanted


def _refuse_a_second(ws: Workspace, tenant: str) -> None:
    """One batch at a time per practice: a second would check the same cases again on the same cores."""
    with ws.session() as session:
        waiting = session.scalar(
            select(func.count())
            .select_from(CheckJobRow)
            .where(CheckJobRow.tenant == tenant, CheckJobRow.status.in_(("queued", "processing")))
        )
    if waiting:
        raise BatchRunningError("a batch of checks is still running for this practice; wait for it to finish")


def start_batch(ws: Workspace, tenant: str, actor: str, request: BatchRequest) -> str:
    """The batch and its jobs, queued; its id. Nothing is queued when the request is refused."""
    code = billable_code(ws, request.code, request.month)
    cases = batch_cases(ws, tenant, request.case_ids)
    _refuse_a_second(ws, tenant)
    batch_id = new_id("chb")
    with ws.sessions.begin() as session:
        session.add(
            CheckBatchRow(
                id=batch_id, tenant=tenant, code=code, month=request.month.strip(), total=len(cases), created_by=actor
            )
        )
        session.flush()
        for case_id in cases:
            session.add(CheckJobRow(id=new_id("chj"), tenant=tenant, batch_id=batch_id, case_id=case_id))
    return batch_id


def batch_jobs(ws: Workspace, batch_id: str) -> list[str]:
    with ws.session() as session:
        query = select(CheckJobRow.id).where(CheckJobRow.batch_id == batch_id).order_by(CheckJobRow.created_at)
        return list(session.scalars(query))


def run_check(ws: Workspace, worker: str, job: Claim) -> None:
    """Check a claimed job's case and keep the result, or mark the job failed with its code."""
    with ws.session() as session:
        row = session.get(CheckJobRow, job.id)
        batch = session.get(CheckBatchRow, row.batch_id) if row is not None else None
    if batch is None:  # the batch or the case was deleted meanwhile
        return
    with CHECKS.held(ws, worker, job.id):
        try:
            result = check_case(ws, job.tenant, job.case_id, batch.code, batch.month)
            keep_check(ws, job.tenant, batch.created_by, job.case_id, result)
        except OverturnError as exc:
            CHECKS.finish(ws, worker, job.id, status="failed", error_code=exc.code)
            return
        except Exception as exc:  # one case's failure never stops the batch
            down = backend_unavailable(exc)
            log.log(logging.WARNING if down else logging.ERROR, "a batch check failed: %s", exc.__class__.__name__)
            code = BackendUnavailableError.code if down else "check_failed"
            CHECKS.finish(ws, worker, job.id, status="failed", error_code=code)
            return
    CHECKS.finish(ws, worker, job.id, status="done")


def run_one_check(ws: Workspace, worker: str, job_id: str | None = None) -> bool:
    """Claim (this or the oldest waiting) check job and run it; False when there was none."""
    job = CHECKS.claim(ws, worker, job_id)
    if job is None:
        return False
    run_check(ws, worker, job)
    return True


def batch_view(ws: Workspace, tenant: str, batch_id: str) -> BatchView:
    """Progress counted from the jobs: a job whose case was deleted is gone, and counts as done."""
    with ws.session() as session:
        row = session.get(CheckBatchRow, batch_id)
        if row is None or row.tenant != tenant:
            raise CheckBatchNotFoundError("no such batch")
        counts = dict(
            session.execute(
                select(CheckJobRow.status, func.count())
                .where(CheckJobRow.batch_id == batch_id)
                .group_by(CheckJobRow.status)
            ).all()
        )
        failed = list(
            session.execute(
                select(CheckJobRow.case_id, CheckJobRow.error_code)
                .where(CheckJobRow.batch_id == batch_id, CheckJobRow.status == "failed")
                .order_by(CheckJobRow.created_at, CheckJobRow.id)
            ).all()
        )
    waiting = counts.get("queued", 0) + counts.get("processing", 0)
    return BatchView(
        id=row.id,
        status="running" if waiting else "done",
        done=max(row.total - waiting, 0),
        total=row.total,
        failed=len(failed),
        code=row.code,
        month=row.month,
        errors=[BatchError(case_id=case_id, code=code or "check_failed") for case_id, code in failed],
    )
