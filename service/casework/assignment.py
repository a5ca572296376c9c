"""Who works which case: several cases assigned at once from the queue, and the queue cut to
one assignee's work (or the unassigned)."""

from service.casework.cases import find_case, list_cases
from service.casework.staff import assignee_id, wanted_assignee
from service.casework.state import Workspace
from service.casework.views import CaseSummary
from service.store.db import now


def assign_cases(
    ws: Workspace, tenant: str, case_ids: list[str], assignee: str | None, user_id: str | None = None
) -> list[CaseSummary]:
    """Every case to `assignee` (a user id or email, `me`, or None to unassign), in one
    transaction: an id that is not the tenant's answers 404 and no case changes."""
    ids = list(dict.fromkeys(case_ids))
    with ws.sessions.begin() as session:
        rows = [find_case(session, tenant, case_id) for case_id in ids]
        target = assignee_id(session, tenant, assignee, user_id)
        for row in rows:
            if row.assignee != target:
                row.assignee, row.updated_at = target, now()
    found = {c.id: c for c in list_cases(ws, tenant, ids)}
    return [found[case_id] for case_id in ids]


def select_assignee(
    ws: Workspace, tenant: str, cases: list[CaseSummary], assignee: str | None, user_id: str | None = None
) -> list[CaseSummary]:
    """The cases of one assignee: `me`, `unassigned`, or a user id or email of the tenant
    (a disabled user's too). None keeps every case."""
    if assignee is None:
        return cases
    with ws.session() as session:
        target = wanted_assignee(session, tenant, assignee, user_id)
    return [c for c in cases if c.assignee == target]
