"""Checking the chain: every event's hash recomputed from its fields, in number order, each
linked to the one before.

What it finds, and names by the first event where the chain stops holding:
- a field edited in place: the event's own hash no longer matches (`edited`);
- an event deleted: a number is missing before the next one (`missing`), or the first event
  follows no recorded purge (`unanchored`);
- an event inserted, reordered or rewritten with a fresh hash: the next one's `prev_hash` no
  longer names it (`unlinked`).
Deleting the newest events leaves a shorter chain that still holds: compare the head a run
reports with one noted earlier to see that.
"""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from service.audit.retention import PURGE, read_purge_mark
from service.audit.trail import GENESIS, Link, row_hash
from service.store.db import AuditEventRow

BATCH = 1000


@dataclass(frozen=True)
class Break:
    """The first event where the chain does not hold, and why (ids and numbers only)."""

    seq: int
    problem: str
    """`edited`, `missing`, `unanchored` or `unlinked`."""
    detail: str


@dataclass(frozen=True)
class Verification:
    count: int
    head: Link | None
    """The last event checked: note it to detect a later cut of the newest events."""
    broken: Break | None


def verify(sessions: sessionmaker) -> Break | None:
    """The first broken event, or None when the whole chain holds."""
    return verify_chain(sessions).broken


def verify_chain(sessions: sessionmaker) -> Verification:
    with sessions() as session:
        marks = {
            link.seq: link.hash
            for obj in session.scalars(select(AuditEventRow.object).where(AuditEventRow.action == PURGE))
            if (link := read_purge_mark(obj)) is not None
        }
        rows = session.scalars(select(AuditEventRow).order_by(AuditEventRow.seq).execution_options(yield_per=BATCH))
        before: Link | None = None
        count = 0
        for row in rows:
            broken = _first_problem(row, before, marks)
            if broken is not None:
                return Verification(count, before, broken)
            before = Link(row.seq, row.hash)
            count += 1
        return Verification(count, before, None)


def _first_problem(row: AuditEventRow, before: Link | None, marks: dict[int, str]) -> Break | None:
    if before is None and row.seq == 1 and row.prev_hash != GENESIS:
        return Break(row.seq, "unlinked", "the first event does not start the chain")
    if before is None and row.seq != 1 and marks.get(row.seq - 1) != row.prev_hash:
        return Break(
            row.seq, "unanchored", f"the log starts at event {row.seq} with no recorded purge of the events before it"
        )
    if before is not None and row.seq != before.seq + 1:
        gone = (
            f"event {before.seq + 1} is"
            if row.seq == before.seq + 2
            else f"events {before.seq + 1} to {row.seq - 1} are"
        )
        return Break(row.seq, "missing", f"{gone} missing")
    if before is not None and row.prev_hash != before.hash:
        return Break(row.seq, "unlinked", f"it does not follow event {before.seq} (changed, inserted or reordered)")
    if row.hash != row_hash(row):
        return Break(row.seq, "edited", "its fields do not match its hash")
    return None
