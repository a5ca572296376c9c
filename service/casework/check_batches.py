"""Batches of checks: many cases' month checked against one code in the background, each result
kept (a batch is an explicit request to keep them).

A batch runs on a thread of the process that accepted it, one batch at a time per process (a
check reads and ranks like a draft: two at once would only share the cores). Its progress is in
`check_batches`, so whichever API worker is polled answers; a case that fails is counted with
its error code and the batch goes on. A batch whose process stopped stays `running` at the count
it reached; running it again checks every case again.
"""

import logging
import threading

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from service.casework.cases import find_case
from service.casework.check_store import billable_code, keep_check
from service.casework.check_views import BatchError, BatchRequest, BatchView
from service.casework.checks import check_case
from service.casework.state import Workspace, new_id
from service.errors import CheckBatchNotFoundError, OverturnError
from service.store.db import CheckBatchErrorRow, CheckBatchRow, DocumentRow, now

log = logging.getLogger(__name__)
_ONE_AT_A_TIME = threading.Semaphore(1)


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
            return list(session.scalars(query))
        wanted = list(dict.fromkeys(case_ids))
        for case_id in wanted:
            find_case(session, tenant, case_id)
    return wanted


def start_batch(ws: Workspace, tenant: str, actor: str, request: BatchRequest) -> BatchView:
    """Recorded, then run on its own thread; answers at once with the batch at 0 done."""
    code = billable_code(ws, request.code, request.month)
    month = request.month.strip()
    cases = batch_cases(ws, tenant, request.case_ids)
    batch_id = new_id("chb")
    with ws.sessions.begin() as session:
        session.add(
            CheckBatchRow(id=batch_id, tenant=tenant, code=code, month=month, total=len(cases), created_by=actor)
        )
    thread = threading.Thread(
        target=run_batch, args=(ws, tenant, actor, batch_id, cases), name=f"overturn-checks-{batch_id}", daemon=True
    )
    thread.start()
    return batch_view(ws, tenant, batch_id)


def run_batch(ws: Workspace, tenant: str, actor: str, batch_id: str, cases: list[str]) -> None:
    with _ONE_AT_A_TIME:
        with ws.session() as session:
            row = session.get(CheckBatchRow, batch_id)
            if row is None:
                return
            code, month = row.code, row.month
        for case_id in cases:
            _record(ws, batch_id, case_id, _check_one(ws, tenant, actor, case_id, code, month))
        with ws.sessions.begin() as session:
            live = session.get(CheckBatchRow, batch_id)
            if live is not None:
                live.status, live.updated_at = "done", now()


def _check_one(ws: Workspace, tenant: str, actor: str, case_id: str, code: str, month: str) -> str | None:
    """None when the case was checked and kept, else the error's code."""
    try:
        keep_check(ws, tenant, actor, case_id, check_case(ws, tenant, case_id, code, month))
    except OverturnError as exc:
        return exc.code
    except Exception as exc:  # one case's failure never stops the batch
        log.error("a batch check failed: %s", exc.__class__.__name__)
        return "check_failed"
    return None


def _record(ws: Workspace, batch_id: str, case_id: str, error: str | None) -> None:
    with ws.sessions.begin() as session:
        row = session.get(CheckBatchRow, batch_id)
        if row is None:
            return
        row.done += 1
        row.failed += int(error is not None)
        row.updated_at = now()
    if error is None:
        return
    try:
        with ws.sessions.begin() as session:
            session.add(CheckBatchErrorRow(batch_id=batch_id, case_id=case_id, code=error))
    except IntegrityError:  # the case was deleted meanwhile: counted, not named
        return


def batch_view(ws: Workspace, tenant: str, batch_id: str) -> BatchView:
    with ws.session() as session:
        row = session.get(CheckBatchRow, batch_id)
        if row is None or row.tenant != tenant:
            raise CheckBatchNotFoundError("no such batch")
        errors = list(
            session.scalars(
                select(CheckBatchErrorRow)
                .where(CheckBatchErrorRow.batch_id == batch_id)
                .order_by(CheckBatchErrorRow.id)
            )
        )
    return BatchView(
        id=row.id,
        status="done" if row.status == "done" else "running",
        done=row.done,
        total=row.total,
        failed=row.failed,
        code=row.code,
        month=row.month,
        errors=[BatchError(case_id=e.case_id, code=e.code) for e in errors],
    )
