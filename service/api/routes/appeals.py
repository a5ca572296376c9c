"""Appeals: draft one for a case, fetch it, export it."""

from typing import Annotated

from fastapi import APIRouter, Header, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from service.api.audit_log import note
from service.api.deps import JobsDep, TenantDep, WorkspaceDep
from service.api.errors import RETRY, responses
from service.casework import appeals as service
from service.casework import drafts
from service.casework.views import AppealView, DraftJobView, Finding
from service.models import TEXT

router = APIRouter(tags=["appeals"])

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _file(content: bytes, media_type: str, filename: str) -> Response:
    return Response(
        content, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


def _binary(media_type: str, what: str) -> dict:
    return {200: {"content": {media_type: {"schema": {"type": "string", "format": "binary"}}}, "description": what}}


@router.post(
    "/v1/cases/{case_id}/appeals",
    response_model=AppealView,
    status_code=201,
    responses={
        202: {"model": DraftJobView, "description": "Still drafting: poll the job (`Location`)"},
        **responses(404, 409),
    },
)
def draft_appeal(
    case_id: str,
    request: Request,
    ws: WorkspaceDep,
    jobs: JobsDep,
    tenant: TenantDep,
    prefer: Annotated[str | None, Header(description="`respond-async`: answer 202 with the draft job at once")] = None,
):
    """Drafts the letter from the case's ready documents: every specific is a verbatim quote
    with a `[n]` marker resolving to document, page and quote. 409 while a document is still
    being read, or when no document could be read. When job workers draft
    (`OVERTURN_JOBS=queue`) and the draft is not done within the server's wait, or the client
    sent `Prefer: respond-async`: 202 with the draft job to poll."""
    job_id = drafts.queue_draft(ws, tenant, case_id)
    jobs.submit_draft(job_id)
    wait = 0.0 if prefer and "respond-async" in prefer.lower() else ws.settings.draft_wait_s
    outcome = drafts.await_draft(ws, tenant, job_id, wait)
    note(request, created=f"draft_job:{job_id}" if isinstance(outcome, DraftJobView) else f"appeal:{outcome.id}")
    if isinstance(outcome, DraftJobView):
        return JSONResponse(
            outcome.model_dump(mode="json"), status_code=202, headers={"Location": f"/v1/draft-jobs/{job_id}", **RETRY}
        )
    return outcome


@router.get("/v1/draft-jobs/{job_id}", response_model=DraftJobView, responses=responses(404))
def draft_job(job_id: str, ws: WorkspaceDep, tenant: TenantDep) -> DraftJobView:
    """A queued draft: `status` queued, processing, done (`appeal_id` set) or failed (`error`)."""
    return drafts.draft_job(ws, tenant, job_id)


@router.get(
    "/v1/appeals/{appeal_id}.docx",
    response_class=Response,
    responses={**_binary(DOCX, "The letter as a Word document"), **responses(404)},
)
def appeal_docx(appeal_id: str, ws: WorkspaceDep, tenant: TenantDep) -> Response:
    return _file(service.export_appeal(ws, tenant, appeal_id, "docx"), DOCX, f"appeal-{appeal_id}.docx")


@router.get(
    "/v1/appeals/{appeal_id}.pdf",
    response_class=Response,
    responses={**_binary("application/pdf", "The letter with its Sources list"), **responses(404)},
)
def appeal_pdf(appeal_id: str, ws: WorkspaceDep, tenant: TenantDep) -> Response:
    return _file(service.export_appeal(ws, tenant, appeal_id, "pdf"), "application/pdf", f"appeal-{appeal_id}.pdf")


@router.get(
    "/v1/appeals/{appeal_id}/packet.pdf",
    response_class=Response,
    responses={**_binary("application/pdf", "Cover sheet and the cited pages"), **responses(404)},
)
def appeal_packet(appeal_id: str, ws: WorkspaceDep, tenant: TenantDep) -> Response:
    """A cover sheet, then each cited page copied from the uploaded PDF in citation order."""
    return _file(service.export_appeal(ws, tenant, appeal_id, "packet"), "application/pdf", f"packet-{appeal_id}.pdf")


class LetterText(BaseModel):
    letter: str = Field(
        min_length=1, max_length=200_000, pattern=TEXT, description="the whole letter, Sources included"
    )


class Findings(BaseModel):
    findings: list[Finding]


@router.post("/v1/appeals/{appeal_id}/check", response_model=Findings, responses=responses(404))
def check_letter(appeal_id: str, body: LetterText, ws: WorkspaceDep, tenant: TenantDep) -> Findings:
    """Checks an edited letter without saving it: every `[n]` must resolve, quotes must be
    verbatim on their page, numbers and dates must come from the case, a cited quote or the code."""
    return Findings(findings=service.check_letter(ws, tenant, appeal_id, body.letter))


@router.put("/v1/appeals/{appeal_id}/letter", response_model=AppealView, responses=responses(404))
def save_letter(appeal_id: str, body: LetterText, ws: WorkspaceDep, tenant: TenantDep) -> AppealView:
    """Saves staff's edit (the exports use it) with its `findings`."""
    return service.save_letter(ws, tenant, appeal_id, body.letter)


@router.get("/v1/appeals/{appeal_id}", response_model=AppealView, responses=responses(404))
def get_appeal(appeal_id: str, ws: WorkspaceDep, tenant: TenantDep) -> AppealView:
    return service.get_appeal(ws, tenant, appeal_id)
