"""Checks before billing: a month's documentation against a billable code's requirements, for a
stored case or for uploaded files; the kept checks listed and as CSV; batches of checks."""

from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import APIRouter, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from service.api.audit_log import note
from service.api.deps import JobsDep, PrincipalDep, TenantDep, WorkspaceDep
from service.api.errors import responses
from service.api.upload import Form
from service.casework import check_batches, check_store
from service.casework.check_views import BatchRequest, BatchView, CheckRequest, StoredCheck
from service.errors import BadUploadError, FileTooLargeError
from service.models import CheckPatient, CheckResult

router = APIRouter(tags=["checks"])

MULTIPART_OVERHEAD = 64 * 1024
CHECK_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": CheckRequest.model_json_schema()},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["code", "month", "fields", "files"],
                    "properties": {
                        "code": {"type": "string", "description": "the billable code, e.g. 99490"},
                        "month": {"type": "string", "description": "YYYY-MM"},
                        "fields": {
                            "type": "string",
                            "description": "JSON of the patient's fields: "
                            + ", ".join(CheckPatient.model_fields)
                            + " (a claim's case fields also do)",
                        },
                        "files": {
                            "type": "array",
                            "items": {"type": "string", "format": "binary"},
                            "description": f"the month's record PDFs (at most {check_store.MAX_FILES}, "
                            "within the upload size limit together)",
                        },
                    },
                },
                "encoding": {"files": {"contentType": "application/pdf"}},
            },
        },
    }
}
QUERY_MONTH = Query(max_length=32, description="YYYY-MM", examples=["2026-04"])
QUERY_CODE = Query(max_length=16, description="the billable code", examples=["99490"])


JSON_LIMIT = 64 * 1024
T = TypeVar("T")


def _one_at_a_time(request: Request, check: Callable[..., T]) -> Callable[..., T]:
    """The check run when one of the app's checking slots is free (`app.state.checking`)."""

    def run(*args: Any) -> T:
        with request.app.state.checking:
            return check(*args)

    return run


@router.post(
    "/v1/checks",
    response_model=CheckResult,
    responses=responses(404, 409, 413, 415),
    openapi_extra=CHECK_BODY,
)
async def post_check(request: Request, ws: WorkspaceDep, principal: PrincipalDep) -> CheckResult:
    """A month's documentation checked against a billable code: each requirement met, missing
    or at risk with the quotes that show it, the month's minutes row by row, the codes it
    supports. As JSON (`case_id`): the stored case's ready documents (404 for an unknown case,
    409 while none is ready); `store: true` keeps the result. As multipart/form-data (`code`,
    `month`, `fields`, `files`): the uploaded PDFs, read in memory and refused as document
    uploads are (type, password, damage, size, pages); nothing is kept. 422 `invalid_month`,
    404 `unknown_code`, 422 `invalid_fields`."""
    kind = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if kind == "multipart/form-data":
        limit = ws.settings.max_upload_bytes
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > limit + MULTIPART_OVERHEAD:
            raise FileTooLargeError(f"the upload is larger than the {limit / 1_048_576:g} MB limit")
        form = await Form("files", limit, check_store.MAX_FILES).read(
            request.headers.get("content-type"), request.stream()
        )
        fields = form.fields
        return await run_in_threadpool(
            _one_at_a_time(request, check_store.check_uploads),
            ws,
            fields.get("code", ""),
            fields.get("month", ""),
            fields.get("fields", ""),
            form.files,
        )
    if kind != "application/json":
        raise HTTPException(415, "send JSON (a stored case) or multipart/form-data (files)")
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > JSON_LIMIT:
        raise BadUploadError("a check's JSON body is limited to 64 KB")
    try:
        body = CheckRequest.model_validate_json(await request.body())
    except ValidationError as exc:
        raise RequestValidationError(exc.errors()) from None
    note(request, case_id=body.case_id)
    result, check_id = await run_in_threadpool(
        _one_at_a_time(request, check_store.check_stored_case), ws, principal.tenant, principal.actor, body
    )
    if check_id is not None:
        note(request, created=f"check:{check_id}")
    return result


@router.get("/v1/checks", response_model=list[StoredCheck], responses=responses(404))
def list_checks(ws: WorkspaceDep, tenant: TenantDep, month: str = QUERY_MONTH, code: str = QUERY_CODE):
    """The newest kept check of each case for the month and code, months not ready first."""
    return check_store.newest_checks(ws, tenant, month, code)


@router.get(
    "/v1/checks.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}, "description": "one row per patient"}}
    | responses(404),
)
def checks_csv(ws: WorkspaceDep, tenant: TenantDep, month: str = QUERY_MONTH, code: str = QUERY_CODE) -> Response:
    """The same list as CSV for the billing office: one row per patient, not-ready months first."""
    text = check_store.newest_checks_csv(ws, tenant, month, code)
    name = f"overturn-checks-{check_store.billable_code(ws, code, month)}-{month.strip()}.csv"
    return Response(
        text, media_type="text/csv; charset=utf-8", headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@router.post("/v1/checks/batch", response_model=BatchView, status_code=202, responses=responses(404, 409))
def start_batch(
    body: BatchRequest, request: Request, ws: WorkspaceDep, jobs: JobsDep, principal: PrincipalDep
) -> BatchView:
    """Checks many cases' month against one code in the background and keeps every result:
    the named `case_ids` (404 if one is not the practice's), or with null every case with a
    ready document. Poll `GET /v1/checks/batch/{id}` until `status` is `done`."""
    batch_id = check_batches.start_batch(ws, principal.tenant, principal.actor, body)
    note(request, created=f"check_batch:{batch_id}")
    jobs.submit_checks(batch_id)
    return check_batches.batch_view(ws, principal.tenant, batch_id)


@router.get("/v1/checks/batch/{batch_id}", response_model=BatchView, responses=responses(404))
def get_batch(batch_id: str, ws: WorkspaceDep, tenant: TenantDep) -> BatchView:
    """A batch's progress: `done` of `total` cases, `failed`, and each failed case's error code."""
    return check_batches.batch_view(ws, tenant, batch_id)
