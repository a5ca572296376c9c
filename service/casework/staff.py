"""The tenant's staff as the work queue sees them: who a case may be assigned to, and the email
shown beside an assignee's id. Only reads `users` (creating and disabling them is elsewhere);
a user of another tenant is answered exactly like one that does not exist."""

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from service.casework.views import StaffMember
from service.errors import NoSignedInUserError, UnknownAssigneeError
from service.store.db import UserRow

ME = "me"
UNASSIGNED = "unassigned"
NO_USER = "'me' needs a signed-in user; an API key or the command line acts for no one: name a user id or email"
UNKNOWN = "the assignee is not an active user of this practice: give a user id or email"


def find_user(session: Session, tenant: str, value: str, active: bool = True) -> UserRow:
    """The tenant's user with this id or email (emails compared case-blind). `active` leaves out
    disabled users: work is assigned only to someone who can still sign in."""
    text = value.strip()
    query = select(UserRow).where(
        UserRow.tenant == tenant, or_(UserRow.id == text, func.lower(UserRow.email) == text.lower())
    )
    if active:
        query = query.where(UserRow.disabled_at.is_(None))
    row = session.scalars(query).first() if text else None
    if row is None:
        raise UnknownAssigneeError(UNKNOWN)
    return row


def assignee_id(session: Session, tenant: str, value: str | None, user_id: str | None) -> str | None:
    """The user id a case is to be assigned to: None unassigns; `me` is the signed-in user."""
    if value is None:
        return None
    if value.strip().lower() == ME:
        if user_id is None:
            raise NoSignedInUserError(NO_USER)
        value = user_id
    return find_user(session, tenant, value).id


def wanted_assignee(session: Session, tenant: str, value: str, user_id: str | None) -> str | None:
    """The user id a queue filter names (a disabled user's too, to find the work they left), or
    None for `unassigned`."""
    text = value.strip().lower()
    if text == UNASSIGNED:
        return None
    if text == ME:
        if user_id is None:
            raise NoSignedInUserError(NO_USER)
        return user_id
    return find_user(session, tenant, value, active=False).id


def emails(session: Session, tenant: str) -> dict[str, str]:
    """Every user id of the tenant with its email, for the case views."""
    rows = session.execute(select(UserRow.id, UserRow.email).where(UserRow.tenant == tenant))
    return {row.id: row.email for row in rows}


def active_staff(session: Session, tenant: str) -> list[StaffMember]:
    rows = session.scalars(
        select(UserRow).where(UserRow.tenant == tenant, UserRow.disabled_at.is_(None)).order_by(UserRow.email)
    )
    return [StaffMember(id=r.id, email=r.email) for r in rows]
