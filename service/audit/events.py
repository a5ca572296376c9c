"""Reading the trail back: one tenant's events for its admin (`GET /v1/audit`), and every
tenant's (or one's) between two dates for an export (`overturn audit export`)."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, func, select
from sqlalchemy.orm import sessionmaker

from service.store.db import AuditEventRow, UserRow

MAX_LIST = 1000
EXPORT_BATCH = 1000


@dataclass(frozen=True)
class EventFilter:
    case_id: str | None = None
    user: str | None = None
    """'user:<id>' or 'key:<id>' as events name them, a bare user or key id, or a user's email."""
    start: date | None = None
    end: date | None = None
    """Inclusive: events of that whole day count."""


def list_events(sessions: sessionmaker, tenant: str, where: EventFilter, limit: int = 100) -> list[AuditEventRow]:
    """`tenant`'s events matching `where`, newest first, at most `limit` (and `MAX_LIST`)."""
    query = _between(select(AuditEventRow).where(AuditEventRow.tenant == tenant), where.start, where.end)
    if where.case_id is not None:
        query = query.where(AuditEventRow.case_id == where.case_id)
    if where.user is not None:
        actors = _actors(sessions, tenant, where.user)
        if not actors:
            return []
        query = query.where(AuditEventRow.actor.in_(actors))
    with sessions() as session:
        return list(session.scalars(query.order_by(AuditEventRow.seq.desc()).limit(max(1, min(limit, MAX_LIST)))))


def export_events(
    sessions: sessionmaker, start: date | None, end: date | None, tenant: str | None = None
) -> Iterator[AuditEventRow]:
    """Events in number order (the chain's), read a batch at a time."""
    query = _between(select(AuditEventRow), start, end)
    if tenant is not None:
        query = query.where(AuditEventRow.tenant == tenant)
    with sessions() as session:
        yield from session.scalars(query.order_by(AuditEventRow.seq).execution_options(yield_per=EXPORT_BATCH))


def _between(query: Select, start: date | None, end: date | None) -> Select:
    if start is not None:
        query = query.where(AuditEventRow.at >= datetime.combine(start, time()))
    if end is not None:
        query = query.where(AuditEventRow.at < datetime.combine(end + timedelta(days=1), time()))
    return query


def _actors(sessions: sessionmaker, tenant: str, user: str) -> list[str]:
    """The actor names `user` can mean: an email is looked up among the tenant's staff."""
    if user.startswith(("user:", "key:")):
        return [user]
    if "@" in user:
        with sessions() as session:
            found = session.scalar(
                select(UserRow.id).where(UserRow.tenant == tenant, func.lower(UserRow.email) == user.lower())
            )
        return [f"user:{found}"] if found else []
    return [f"user:{user}", f"key:{user}"]
