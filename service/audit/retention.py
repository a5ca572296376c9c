"""Keeping events for the retention period (HIPAA asks for six years, 164.316(b)(2)(i)) and no
longer: the oldest events are deleted and the deletion is itself an event.

The `audit.purge` event names the last purged event's number and hash, so `verify` can accept a
chain whose first event follows a recorded purge, and still fails on rows deleted without one.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import sessionmaker

from service.audit.trail import Link, append, chain_end
from service.store.db import AuditEventRow

PURGE = "audit.purge"
SYSTEM = "system:retention"
"""The actor of a purge: the retention rule, not a person."""

_MARK = re.compile(r"seq:(\d+)/hash:([0-9a-f]{64})")


@dataclass(frozen=True)
class Purged:
    count: int
    through: Link | None
    """The last event deleted; None when nothing was old enough."""


def purge_mark(link: Link) -> str:
    """A purge event's object: the last purged event, `seq:<n>/hash:<sha256>`."""
    return f"seq:{link.seq}/hash:{link.hash}"


def read_purge_mark(obj: str) -> Link | None:
    found = _MARK.fullmatch(obj)
    return Link(int(found[1]), found[2]) if found else None


def purge_expired(sessions: sessionmaker, today: date, retention_days: int) -> Purged:
    """Delete the events recorded before `today` less `retention_days` (with any of lower number:
    the chain is cut at one place), then append the `audit.purge` event that marks the cut."""
    cutoff = datetime.combine(today - timedelta(days=retention_days), time())
    with chain_end(sessions) as (session, last):
        through_seq = session.scalar(select(func.max(AuditEventRow.seq)).where(AuditEventRow.at < cutoff))
        if through_seq is None:
            return Purged(0, None)
        through = Link(
            through_seq, session.scalars(select(AuditEventRow.hash).where(AuditEventRow.seq == through_seq)).one()
        )
        old = AuditEventRow.seq <= through_seq
        count = session.scalar(select(func.count()).select_from(AuditEventRow).where(old)) or 0
        session.execute(delete(AuditEventRow).where(old))
        append(session, last, "", SYSTEM, PURGE, purge_mark(through), None, "", "ok")
    return Purged(count, through)
