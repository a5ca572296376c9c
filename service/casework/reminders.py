"""Reminders: open cases by how soon their appeal is due, each in the tightest window it fits.

A deadline today counts as due within 1 day (it can still be filed today), yesterday's is
overdue; a case with no deadline (the plan decides, or nothing to appeal) or that is no longer
open (sent, won, lost, written off) is in no bucket. `remind` is pure: the cases and the day
are handed in, so the same cases give the same reminders whatever the clock says.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from service.casework.assignment import select_assignee
from service.casework.cases import list_cases
from service.casework.state import Workspace
from service.casework.views import OPEN_STATUSES, AssigneeCounts, CaseSummary, Reminder, Reminders

OVERDUE = "overdue"
WINDOWS = (1, 7, 14)


def bucket(days_left: int, windows: tuple[int, ...] = WINDOWS) -> str | None:
    """`overdue` before the deadline's day, else the smallest window that holds it (None past all)."""
    if days_left < 0:
        return OVERDUE
    return next((str(w) for w in sorted(windows) if days_left <= w), None)


def remind(
    cases: Iterable[CaseSummary], today: date, windows: tuple[int, ...] = WINDOWS, within: int | None = None
) -> Reminders:
    """The open cases due within the largest window (or `within` days) and the overdue ones,
    by bucket, nearest deadline first, then the larger amount; counted in all and per assignee."""
    names = [OVERDUE, *(str(w) for w in sorted(windows))]
    buckets: dict[str, list[Reminder]] = {name: [] for name in names}
    for case in cases:
        if case.status not in OPEN_STATUSES or case.deadline is None:
            continue
        left = (case.deadline - today).days
        name = bucket(left, windows)
        if name is None or (within is not None and left > within):
            continue
        buckets[name].append(_reminder(case, left))
    for items in buckets.values():
        items.sort(key=lambda r: (r.deadline, -r.amount_denied, r.id))
    return Reminders(
        today=today,
        buckets=buckets,
        counts={name: len(items) for name, items in buckets.items()},
        by_assignee=_per_assignee(buckets),
    )


def _reminder(case: CaseSummary, days_left: int) -> Reminder:
    assert case.deadline is not None
    return Reminder(
        id=case.id,
        denial_code=case.denial_code,
        payer=case.payer,
        status=case.status,
        action=case.action,
        deadline=case.deadline,
        days_left=days_left,
        amount_denied=case.amount_denied,
        assignee=case.assignee,
        assignee_email=case.assignee_email,
    )


def _per_assignee(buckets: dict[str, list[Reminder]]) -> list[AssigneeCounts]:
    """One entry per assignee with reminders, by email; the unassigned work last."""
    counts: dict[str | None, dict[str, int]] = defaultdict(lambda: dict.fromkeys(buckets, 0))
    emails: dict[str | None, str | None] = {}
    for name, items in buckets.items():
        for r in items:
            counts[r.assignee][name] += 1
            emails[r.assignee] = r.assignee_email
    order = sorted(counts, key=lambda a: (a is None, emails[a] or a or ""))
    return [AssigneeCounts(assignee=a, assignee_email=emails[a], counts=counts[a]) for a in order]


def reminders(
    ws: Workspace,
    tenant: str,
    today: date | None = None,
    assignee: str | None = None,
    user_id: str | None = None,
    within: int | None = None,
) -> Reminders:
    """The tenant's reminders, of one assignee when `assignee` is given (`me`, `unassigned`, a
    user id or email)."""
    cases = select_assignee(ws, tenant, list_cases(ws, tenant), assignee, user_id)
    return remind(cases, today or date.today(), within=within)
