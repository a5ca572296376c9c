"""Denial letters read into claim fields (nothing stored)."""

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from service.api.deps import TenantDep, WorkspaceDep
from service.api.errors import responses
from service.api.openapi import file_body
from service.api.upload import FilePart
from service.casework.notices import read_notice_file
from service.casework.upload import receive
from service.models import NoticeReading

router = APIRouter(tags=["notices"])
NOTICE_BODY = file_body("the payer's denial letter or EOB: a PDF (text or scanned) or UTF-8 text")


@router.post("/v1/notices", response_model=NoticeReading, responses=responses(413, 415), openapi_extra=NOTICE_BODY)
async def post_notice(request: Request, ws: WorkspaceDep, tenant: TenantDep) -> NoticeReading:
    """Claim fields read from a denial letter, each with `confidence`, the `page` and `quote` it
    came from, and `review` when it is under the bar (0.75): confirm those before using them.
    Nothing is stored; create the case with the fields you accept (POST /v1/cases)."""
    received = await receive(
        FilePart(request.headers.get("content-type"), request.stream()), ws.settings.max_upload_bytes
    )
    return await run_in_threadpool(read_notice_file, ws, bytes(received.data), "notice")
