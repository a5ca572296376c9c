"""Review before sending: a practice may require a reviewer's approval of each letter.

Asking for review and approving record who and when on the appeal; saving an edit to an approved
letter withdraws the approval (`appeals.save_letter`), so what was approved is what goes out.
"""

from sqlalchemy.orm import Session

from service.casework.appeals import load_appeal
from service.casework.cases import touch_case
from service.casework.state import Workspace
from service.casework.views import ReviewView
from service.errors import AppealNotFoundError
from service.models import Principal
from service.store.db import AppealRow, TenantSettingsRow, UserRow, now


def review_required(ws: Workspace, tenant: str) -> bool:
    with ws.session() as session:
        row = session.get(TenantSettingsRow, tenant)
    return bool(row and row.review_required)


def set_review_required(ws: Workspace, tenant: str, required: bool) -> bool:
    with ws.sessions.begin() as session:
        row = session.get(TenantSettingsRow, tenant)
        if row is None:
            session.add(TenantSettingsRow(tenant=tenant, review_required=required))
        else:
            row.review_required, row.updated_at = required, now()
    return required


def review_of(ws: Workspace, tenant: str, appeal_id: str) -> ReviewView:
    row, _ = load_appeal(ws, tenant, appeal_id)
    view = _view(row, review_required(ws, tenant))
    with ws.session() as session:
        view.requested_by_email = _email(session, tenant, view.requested_by)
        view.approved_by_email = _email(session, tenant, view.approved_by)
    return view


def _email(session: Session, tenant: str, actor: str | None) -> str | None:
    """A user actor's email, for the page; keys and the command line have none."""
    if not actor or not actor.startswith("user:"):
        return None
    user = session.get(UserRow, actor.removeprefix("user:"))
    return user.email if user is not None and user.tenant == tenant else None


def request_review(ws: Workspace, principal: Principal, appeal_id: str) -> ReviewView:
    with ws.sessions.begin() as session:
        row = _live(session, principal.tenant, appeal_id)
        row.review_requested_at, row.review_requested_by = now(), principal.actor
        touch_case(session, row.case_id)
    return review_of(ws, principal.tenant, appeal_id)


def approve(ws: Workspace, principal: Principal, appeal_id: str) -> ReviewView:
    """The route lets only reviewers and admins here; the approval names them."""
    with ws.sessions.begin() as session:
        row = _live(session, principal.tenant, appeal_id)
        row.approved_at, row.approved_by = now(), principal.actor
        touch_case(session, row.case_id)
    return review_of(ws, principal.tenant, appeal_id)


def _live(session: Session, tenant: str, appeal_id: str) -> AppealRow:
    row = session.get(AppealRow, appeal_id)
    if row is None or row.tenant != tenant:
        raise AppealNotFoundError("no such appeal")
    return row


def _view(row: AppealRow, required: bool) -> ReviewView:
    return ReviewView(
        appeal_id=row.id,
        review_required=required,
        requested_at=row.review_requested_at,
        requested_by=row.review_requested_by,
        approved_at=row.approved_at,
        approved_by=row.approved_by,
    )
