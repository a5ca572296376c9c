"""The audit trail, for a tenant's admin: who read or changed what, when and from where."""

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from service.api.deps import PrincipalDep, WorkspaceDep
from service.api.errors import responses
from service.api.routes.cases import IsoDate
from service.audit.events import MAX_LIST, EventFilter, list_events
from service.casework.views import UtcTime

router = APIRouter(tags=["audit"])


class AuditEvent(BaseModel):
    seq: int
    at: UtcTime
    actor: str
    """'user:<id>' or 'key:<id>'."""
    action: str
    object: str
    """Ids only: `case:<id>/document:<id>/page:<n>`, `appeal:<id>`; '?' for a path that held no id of ours."""
    case_id: str | None
    client: str
    outcome: str
    """`ok`, `denied` (403), `not_found` (404) or `error`."""


@router.get("/v1/audit", response_model=list[AuditEvent], responses=responses(403))
def list_audit(
    ws: WorkspaceDep,
    admin: PrincipalDep,
    case_id: Annotated[str | None, Query(max_length=64, description="only events about this case")] = None,
    user: Annotated[
        str | None, Query(max_length=254, description="only this actor: 'user:<id>', 'key:<id>', an id or an email")
    ] = None,
    start: Annotated[IsoDate | None, Query(alias="from", description="from this day (YYYY-MM-DD, UTC)")] = None,
    end: Annotated[IsoDate | None, Query(alias="to", description="through this day (YYYY-MM-DD, UTC)")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIST)] = 100,
) -> list[AuditEvent]:
    """The tenant's audit events, newest first: each read or change of a case, document, letter
    or chat, and sign-ins and user and key changes. Admins only; ids, never PHI."""
    rows = list_events(ws.sessions, admin.tenant, EventFilter(case_id, user, start, end), limit)
    return [
        AuditEvent(
            seq=r.seq,
            at=r.at,
            actor=r.actor,
            action=r.action,
            object=r.object,
            case_id=r.case_id,
            client=r.client,
            outcome=r.outcome,
        )
        for r in rows
    ]
