"""Remittances (X12 835) in, triaged cases out; the tenant's outcome figures."""

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool

from service.api.deps import TenantDep, WorkspaceDep
from service.api.errors import responses
from service.api.openapi import file_body
from service.api.upload import FilePart
from service.casework import tracking
from service.casework.remittances import import_remittance
from service.casework.upload import receive
from service.casework.views import RemittanceImport, StatsView

router = APIRouter(tags=["remittances"])

REMITTANCE_BODY = file_body("one X12 835 file (5010 X221A1)")


@router.post(
    "/v1/remittances",
    response_model=RemittanceImport,
    status_code=201,
    responses=responses(413),
    openapi_extra=REMITTANCE_BODY,
)
async def post_remittance(request: Request, ws: WorkspaceDep, tenant: TenantDep) -> RemittanceImport:
    """An 835 as multipart/form-data (`file`): one case per denied claim (or per group of lines
    denied for different reasons), each with its `action`, the rule that chose it and its
    deadline. Claims that cannot be read are listed in `errors` with their segment position;
    the others are kept. The same claim sent again updates its case. A file that is not an 835
    at all answers 422 `invalid_remittance`."""
    received = await receive(
        FilePart(request.headers.get("content-type"), request.stream()), ws.settings.max_upload_bytes
    )
    return await run_in_threadpool(import_remittance, ws, tenant, bytes(received.data))


@router.get("/v1/stats", response_model=StatsView, responses=responses())
def get_stats(
    ws: WorkspaceDep,
    tenant: TenantDep,
    month: str | None = Query(
        default=None, max_length=32, description="YYYY-MM: count only that month's kept checks", examples=["2026-04"]
    ),
) -> StatsView:
    """Cases by status and action, money denied and recovered, overdue work, and outcomes
    (won, partly won, lost, win rate) by denial code and by payer; `missing_requirements`: what
    the newest kept check of each case, code and month misses, most often first."""
    return tracking.case_stats(ws, tenant, month=month)
