"""Review before sending, sending with proof, and the practice's review setting."""

from fastapi import APIRouter, Response
from pydantic import BaseModel, StrictBool

from service.api.deps import PrincipalDep, TenantDep, WorkspaceDep
from service.api.errors import responses
from service.casework import review, sending
from service.casework.views import ReviewView, SendingView, SendRequest
from service.delivery.fax import fax_sender

router = APIRouter(tags=["sending"])


class TenantSettings(BaseModel):
    review_required: StrictBool


@router.get("/v1/appeals/{appeal_id}/review", response_model=ReviewView, responses=responses(404))
def get_review(appeal_id: str, ws: WorkspaceDep, tenant: TenantDep) -> ReviewView:
    return review.review_of(ws, tenant, appeal_id)


@router.post("/v1/appeals/{appeal_id}/review-request", response_model=ReviewView, responses=responses(404))
def request_review(appeal_id: str, ws: WorkspaceDep, principal: PrincipalDep) -> ReviewView:
    """Ask a reviewer to approve the letter; records who asked and when."""
    return review.request_review(ws, principal, appeal_id)


@router.post(
    "/v1/appeals/{appeal_id}/approve",
    response_model=ReviewView,
    responses=responses(403, 404),
)
def approve(appeal_id: str, ws: WorkspaceDep, principal: PrincipalDep) -> ReviewView:
    """A reviewer's approval, with who and when; editing the letter afterwards withdraws it."""
    return review.approve(ws, principal, appeal_id)


@router.post(
    "/v1/appeals/{appeal_id}/send", response_model=SendingView, status_code=201, responses=responses(404, 409, 502)
)
def send(appeal_id: str, body: SendRequest, ws: WorkspaceDep, principal: PrincipalDep) -> SendingView:
    """Record that the packet went out (fax, mail or portal) with its confirmation or tracking
    number, or fax it through the configured fax service. Keeps the packet's SHA-256, marks the
    case sent and says whether it was filed on time. With review required: 409 until approved."""
    return sending.send_appeal(ws, principal, appeal_id, body, fax_sender(ws.settings))


@router.get(
    "/v1/appeals/{appeal_id}/payer-packet.pdf",
    response_class=Response,
    responses={
        200: {"content": {"application/pdf": {}}, "description": "the packet as it would be sent"},
        **responses(404),
    },
)
def payer_packet(appeal_id: str, ws: WorkspaceDep, tenant: TenantDep) -> Response:
    """What `send` sends: a cover sheet addressed from the payer directory, the letter and the
    evidence packet, each page after the cover with the claim number and its page number."""
    return Response(
        sending.payer_packet(ws, tenant, appeal_id),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="appeal-{appeal_id}.pdf"'},
    )


@router.get("/v1/cases/{case_id}/sendings", response_model=list[SendingView], responses=responses(404))
def case_sendings(case_id: str, ws: WorkspaceDep, tenant: TenantDep) -> list[SendingView]:
    return sending.sendings(ws, tenant, case_id)


@router.get("/v1/tenant/settings", response_model=TenantSettings, responses=responses())
def tenant_settings(ws: WorkspaceDep, tenant: TenantDep) -> TenantSettings:
    return TenantSettings(review_required=review.review_required(ws, tenant))


@router.put("/v1/tenant/settings", response_model=TenantSettings, responses=responses(403))
def put_tenant_settings(body: TenantSettings, ws: WorkspaceDep, tenant: TenantDep) -> TenantSettings:
    """Admins only: whether letters need a reviewer's approval before they can be sent."""
    return TenantSettings(review_required=review.set_review_required(ws, tenant, body.review_required))
