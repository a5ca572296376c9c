"""What happened to each case after drafting, the work queue, outcomes by code and payer, CSV.

The stats read only the clear columns of `cases` (status, dates, money, codes, payer) and never
decrypt a patient's fields (the requirements kept checks miss are counted from the checks); the queue, the filters and the CSV order and cut the case list.
"""

import csv
import io
from collections import defaultdict
from datetime import date

from sqlalchemy import select

from service.casework.cases import find_case, get_case
from service.casework.check_store import missing_requirements
from service.casework.staff import assignee_id
from service.casework.state import Workspace
from service.casework.views import (
    DECIDED_STATUSES,
    OPEN_STATUSES,
    CaseSummary,
    CaseUpdate,
    CaseView,
    CodeStats,
    StatsView,
)
from service.store.db import CaseRow, now

QUEUE_SORTS = ("updated", "queue", "deadline", "amount")
CSV_COLUMNS = [
    "id",
    "claim_number",
    "patient_name",
    "payer",
    "denial_code",
    "action",
    "action_rule",
    "status",
    "records",
    "deadline",
    "days_left",
    "appeal_level",
    "amount_denied",
    "amount_recovered",
    "sent_at",
    "decided_at",
    "documents",
    "source",
    "created_at",
    "updated_at",
    "assignee",
]
"""`assignee` is the assignee's email: what a spreadsheet's reader knows them by."""


def update_case(ws: Workspace, tenant: str, case_id: str, update: CaseUpdate, user_id: str | None = None) -> CaseView:
    """`user_id` is the caller's, for an assignee given as `me`; an assignee left out of the
    update stays, one given as null is removed."""
    with ws.sessions.begin() as session:
        row = find_case(session, tenant, case_id)
        if "assignee" in update.model_fields_set:
            row.assignee = assignee_id(session, tenant, update.assignee, user_id)
        if update.status is not None and update.status != row.status:
            row.status = update.status
            if update.status == "sent" and row.sent_at is None:
                row.sent_at = now()
            if update.status in DECIDED_STATUSES:
                row.decided_at = now()
            elif update.status in OPEN_STATUSES + ("sent",):
                row.decided_at = None
        if update.amount_recovered is not None:
            row.amount_recovered = round(update.amount_recovered, 2)
        row.updated_at = now()
    return get_case(ws, tenant, case_id)


def sort_cases(cases: list[CaseSummary], sort: str) -> list[CaseSummary]:
    """`queue`: open work first (new, drafted), nearest deadline first (none last), then the
    larger amount; sent and decided cases after it. `updated` is the default, newest first."""
    if sort == "deadline":
        return sorted(cases, key=lambda c: (c.deadline is None, c.deadline or date.max, -c.amount_denied))
    if sort == "amount":
        return sorted(cases, key=lambda c: (-c.amount_denied, c.deadline or date.max))
    if sort == "queue":
        return sorted(
            cases,
            key=lambda c: (
                c.status not in OPEN_STATUSES,
                c.status in DECIDED_STATUSES,
                c.deadline is None,
                c.deadline or date.max,
                -c.amount_denied,
            ),
        )
    return cases


def filter_cases(
    cases: list[CaseSummary], action: str | None, status: str | None, due_before: date | None
) -> list[CaseSummary]:
    return [
        c
        for c in cases
        if (action is None or c.action == action)
        and (status is None or c.status == status)
        and (due_before is None or (c.deadline is not None and c.deadline <= due_before))
    ]


def cases_csv(cases: list[CaseSummary]) -> str:
    """One row per case, for the practice's spreadsheet. Cells that a spreadsheet would run as a
    formula are prefixed with a quote."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for case in cases:
        row = {**case.model_dump(mode="json"), "assignee": case.assignee_email}
        writer.writerow({k: _cell(row.get(k)) for k in CSV_COLUMNS})
    return out.getvalue()


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _number(text) else text


def _number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def case_stats(ws: Workspace, tenant: str, today: date | None = None, month: str | None = None) -> StatsView:
    """`month` (YYYY-MM) narrows only `missing_requirements` to the checks of that month."""
    today = today or date.today()
    with ws.session() as session:
        rows = list(session.scalars(select(CaseRow).where(CaseRow.tenant == tenant)))
    by_status: dict[str, int] = defaultdict(int)
    by_action: dict[str, int] = defaultdict(int)
    codes: dict[str, list[CaseRow]] = defaultdict(list)
    payers: dict[str, list[CaseRow]] = defaultdict(list)
    for row in rows:
        by_status[row.status] += 1
        by_action[row.action or "none"] += 1
        codes[row.denial_code].append(row)
        payers[row.payer or "(not recorded)"].append(row)
    open_rows = [r for r in rows if r.status in OPEN_STATUSES]
    return StatsView(
        cases=len(rows),
        by_status=dict(by_status),
        by_action=dict(by_action),
        amount_denied=round(sum(r.amount_denied for r in rows), 2),
        amount_recovered=round(sum(r.amount_recovered or 0 for r in rows), 2),
        overdue=sum(1 for r in open_rows if r.deadline is not None and r.deadline < today),
        due_in_14_days=sum(1 for r in open_rows if r.deadline is not None and 0 <= (r.deadline - today).days <= 14),
        by_code=_grouped(codes),
        by_payer=_grouped(payers),
        missing_requirements=missing_requirements(ws, tenant, month),
    )


def _grouped(groups: dict[str, list[CaseRow]]) -> list[CodeStats]:
    out = []
    for key, rows in groups.items():
        count: defaultdict[str, int] = defaultdict(int)
        for row in rows:
            count[row.status] += 1
        decided = count["won"] + count["partly_won"] + count["lost"]
        out.append(
            CodeStats(
                key=key,
                cases=len(rows),
                open=sum(count[s] for s in OPEN_STATUSES) + count["sent"],
                won=count["won"],
                partly_won=count["partly_won"],
                lost=count["lost"],
                written_off=count["written_off"],
                amount_denied=round(sum(r.amount_denied for r in rows), 2),
                amount_recovered=round(sum(r.amount_recovered or 0 for r in rows), 2),
                win_rate=round((count["won"] + count["partly_won"]) / decided, 3) if decided else None,
            )
        )
    return sorted(out, key=lambda s: (-s.cases, s.key))
