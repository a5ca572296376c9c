"""Cases and their documents."""

import re
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from pydantic import BeforeValidator

from service.api.audit_log import note
from service.api.deps import JobsDep, PrincipalDep, TenantDep, WorkspaceDep
from service.api.errors import responses
from service.api.openapi import file_body
from service.api.upload import FilePart
from service.casework import assignment, documents, tracking
from service.casework import cases as service
from service.casework.views import CaseSummary, CaseUpdate, CaseView, DocumentView, PageText, TrackingStatus
from service.errors import FileTooLargeError
from service.models import Action, CaseFields

router = APIRouter(prefix="/v1/cases", tags=["cases"])


def _iso_date(value):
    """Only YYYY-MM-DD: pydantic would also read '0' as the epoch."""
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("must be a date as YYYY-MM-DD")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_date)]

MULTIPART_OVERHEAD = 64 * 1024
UPLOAD_BODY = file_body("one record PDF", "application/pdf")


@router.post("", response_model=CaseView, status_code=201, responses=responses(404))
def create_case(fields: CaseFields, request: Request, ws: WorkspaceDep, tenant: TenantDep) -> CaseView:
    """A denial to appeal: the claim fields as on the denial notice. A denial code the knowledge
    base does not hold answers 404 `unknown_code` (GET /v1/codes lists them)."""
    view = service.create_case(ws, tenant, fields)
    note(request, created=f"case:{view.id}", case_id=view.id)
    return view


CSV_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {"text/csv": {"schema": {"type": "string"}}},
        "description": "the cases, or with format=csv a CSV file",
    }
}


@router.get("", response_model=list[CaseSummary], responses={**CSV_RESPONSE, **responses()})
def list_cases(
    ws: WorkspaceDep,
    principal: PrincipalDep,
    action: Action | None = None,
    status: TrackingStatus | None = None,
    due_before: IsoDate | None = Query(
        default=None, description="only cases whose deadline is on or before this date (YYYY-MM-DD)"
    ),
    sort: Literal["updated", "queue", "deadline", "amount"] = Query(
        default="updated", description="updated: newest change first; queue: open work by deadline then amount"
    ),
    assignee: str | None = Query(
        default=None,
        max_length=254,
        description="only the cases of `me` (a signed-in user), `unassigned`, or a user id or email",
    ),
    format: Literal["json", "csv"] = "json",
):
    """The tenant's cases with their tracking (`status`, `action`, `deadline`, `days_left`,
    amounts, `assignee`). `sort=queue` is the work queue: open cases nearest their deadline
    first, then by amount. `format=csv` answers a CSV file of the same list. `assignee=me`
    with an API key answers 422 `no_signed_in_user`; an unknown assignee 422 `unknown_assignee`."""
    tenant = principal.tenant
    mine = assignment.select_assignee(ws, tenant, service.list_cases(ws, tenant), assignee, principal.user_id)
    found = tracking.sort_cases(tracking.filter_cases(mine, action, status, due_before), sort)
    if format == "csv":
        return Response(
            tracking.cases_csv(found),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="overturn-cases.csv"'},
        )
    return found


@router.patch("/{case_id}", response_model=CaseView, responses=responses(404))
def update_case(case_id: str, update: CaseUpdate, ws: WorkspaceDep, principal: PrincipalDep) -> CaseView:
    """Record what happened: `status` (sent, won, partly_won, lost, written_off; back to new or
    drafted to correct a mistake) and `amount_recovered`. `sent_at` and `decided_at` are set.
    `assignee`: a user id or email of an active user of the practice (422 `unknown_assignee`
    otherwise), `me` for a signed-in user, or null to unassign."""
    return tracking.update_case(ws, principal.tenant, case_id, update, principal.user_id)


@router.get("/{case_id}", response_model=CaseView, responses=responses(404))
def get_case(case_id: str, ws: WorkspaceDep, tenant: TenantDep) -> CaseView:
    return service.get_case(ws, tenant, case_id)


@router.delete("/{case_id}", status_code=204, response_class=Response, responses=responses(404))
def delete_case(case_id: str, ws: WorkspaceDep, tenant: TenantDep) -> Response:
    """Removes the case with its files, vectors, documents, appeals, exports and chats."""
    service.delete_case(ws, tenant, case_id)
    return Response(status_code=204)


@router.post(
    "/{case_id}/documents",
    response_model=DocumentView,
    status_code=202,
    responses={
        200: {"model": DocumentView, "description": "The same file was already in the case"},
        **responses(400, 404, 413, 415),
    },
    openapi_extra=UPLOAD_BODY,
)
async def upload_document(
    case_id: str, request: Request, response: Response, ws: WorkspaceDep, jobs: JobsDep, tenant: TenantDep
) -> DocumentView:
    """One record PDF as multipart/form-data (`file`). Checked at once (type, size, password,
    damage, page count), then read in the background: poll the document for `status` and
    `pages_done`. The same file sent again answers 200 with the document already there."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > ws.settings.max_upload_bytes + MULTIPART_OVERHEAD:
        raise FileTooLargeError(f"the upload is larger than the {ws.settings.max_upload_bytes / 1_048_576:g} MB limit")
    incoming = FilePart(request.headers.get("content-type"), request.stream())
    view, new = await documents.upload_document(ws, jobs, tenant, case_id, incoming)
    note(request, created=f"document:{view.id}")
    response.status_code = 202 if new else 200
    return view


@router.get("/{case_id}/documents/{doc_id}", response_model=DocumentView, responses=responses(404))
def get_document(case_id: str, doc_id: str, ws: WorkspaceDep, tenant: TenantDep) -> DocumentView:
    """Status, progress (`pages_done` of `pages_total`), per-page OCR flags, or the failure."""
    return documents.get_document(ws, tenant, case_id, doc_id)


@router.get("/{case_id}/documents/{doc_id}/pages/{number}", response_model=PageText, responses=responses(404, 409))
def get_page(case_id: str, doc_id: str, number: int, ws: WorkspaceDep, tenant: TenantDep) -> PageText:
    """A page's text as read (OCR included), 1-based: where a citation's quote can be shown in context."""
    return documents.page_text(ws, tenant, case_id, doc_id, number)


@router.delete("/{case_id}/documents/{doc_id}", status_code=204, response_class=Response, responses=responses(404))
def delete_document(case_id: str, doc_id: str, ws: WorkspaceDep, tenant: TenantDep) -> Response:
    """Removes one upload (its file, pages and vectors); the rest of the case stays."""
    documents.delete_document(ws, tenant, case_id, doc_id)
    return Response(status_code=204)
