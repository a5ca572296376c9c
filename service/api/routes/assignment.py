"""Who works which case: bulk assignment, the staff a case can go to, and reminders of what is
due (for portals and the page's badge)."""

from fastapi import APIRouter, Query

from service.api.deps import PrincipalDep, WorkspaceDep
from service.api.errors import responses
from service.api.routes.cases import IsoDate
from service.casework import assignment, reminders, staff
from service.casework.views import BulkAssign, CaseSummary, Reminders, StaffMember

router = APIRouter(tags=["assignment"])


@router.post("/v1/cases/assign", response_model=list[CaseSummary], responses=responses(404))
def assign_cases(body: BulkAssign, ws: WorkspaceDep, principal: PrincipalDep) -> list[CaseSummary]:
    """Assigns every case of `case_ids` to `assignee` (a user id or email, `me`, or null to
    unassign) and answers their summaries. All or nothing: an id that is not the tenant's
    answers 404 and no case changes."""
    return assignment.assign_cases(ws, principal.tenant, body.case_ids, body.assignee, principal.user_id)


@router.get("/v1/assignees", response_model=list[StaffMember], responses=responses())
def assignees(ws: WorkspaceDep, principal: PrincipalDep) -> list[StaffMember]:
    """The practice's active users, by email: whom a case can be assigned to."""
    with ws.session() as session:
        return staff.active_staff(session, principal.tenant)


@router.get("/v1/reminders", response_model=Reminders, responses=responses())
def get_reminders(
    ws: WorkspaceDep,
    principal: PrincipalDep,
    assignee: str | None = Query(
        default=None, max_length=254, description="`me` (a signed-in user), `unassigned`, or a user id or email"
    ),
    today: IsoDate | None = Query(default=None, description="the day to count from (default: the server's date)"),
) -> Reminders:
    """Open cases (new or drafted) by how soon they are due: `overdue`, then due within `1`
    (today or tomorrow), `7` and `14` days, each case in the tightest; no patient fields."""
    return reminders.reminders(ws, principal.tenant, today, assignee, principal.user_id)
