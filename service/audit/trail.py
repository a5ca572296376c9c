"""Appending audit events, each chained to the one before it by a SHA-256.

An event's hash covers its own fields and the previous event's hash, so editing a row changes
its hash and deleting one breaks the link after it. Events hold ids, actions and addresses,
never PHI: callers pass case and document ids, not names.

There is one chain for every tenant and every process, so reading the last event and appending
the next must never interleave (two events chained to the same predecessor would fork it):

- PostgreSQL: `pg_advisory_xact_lock(CHAIN_LOCK)` is the transaction's first statement; every
  API and job worker process waits there, and the lock goes with the commit.
- SQLite: the transaction begins with `BEGIN IMMEDIATE`, which takes the database's write lock
  before the last event is read (a plain deferred transaction would read first and only lock at
  the insert, so two processes could read the same last hash). Threads of one process queue on a
  lock of their own first, so they wait on each other rather than on SQLite's busy timeout.

`seq` is set here, one more than the last event's, rather than by the database's counter
(PostgreSQL's skips numbers on a rollback): numbers without a gap let `verify` name a deleted row.
"""

import hashlib
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from service.models import Principal
from service.store.db import AuditEventRow, now

GENESIS = "0" * 64
"""The `prev_hash` of the first event."""

CHAIN_LOCK = int.from_bytes(b"overturn", "big")
"""The PostgreSQL advisory lock every appender takes (a constant: one chain per database)."""

CASE_ID_CHARS = 40
"""The width of `audit_events.case_id`: a longer id is not one of ours and is not kept."""

_append = threading.Lock()


@dataclass(frozen=True)
class Link:
    """Where the chain ends: the last event's number and hash (the next event follows it)."""

    seq: int
    hash: str


START = Link(0, GENESIS)


def row_hash(row: AuditEventRow) -> str:
    """The hash `row` should carry: its fields as stored and the hash of the event before it."""
    body = json.dumps(
        [
            row.prev_hash,
            row.at.isoformat(timespec="seconds"),
            row.tenant,
            row.actor,
            row.action,
            row.object,
            row.case_id or "",
            row.client,
            row.outcome,
        ],
        separators=(",", ":"),
        ensure_ascii=True,
    )
    return hashlib.sha256(body.encode()).hexdigest()


def record(
    sessions: sessionmaker,
    principal: Principal,
    action: str,
    obj: str = "",
    case_id: str | None = None,
    outcome: str = "ok",
) -> None:
    """Append one event for `principal` (its tenant, actor and client address)."""
    with chain_end(sessions) as (session, last):
        append(session, last, principal.tenant, principal.actor, action, obj, case_id, principal.client, outcome)


@contextmanager
def chain_end(sessions: sessionmaker) -> Iterator[tuple[Session, Link]]:
    """A transaction holding the chain's lock, and where the chain ends; what is appended in it
    is committed when the block ends (or nothing is, if it raises)."""
    with _append, sessions.begin() as session:
        yield session, _lock(session)


def _lock(session: Session) -> Link:
    """Take the chain's lock for the rest of `session`'s transaction (as its first statement),
    then read where the chain ends."""
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        session.connection().exec_driver_sql("BEGIN IMMEDIATE")
    elif dialect == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK})
    last = session.execute(
        select(AuditEventRow.seq, AuditEventRow.hash).order_by(AuditEventRow.seq.desc()).limit(1)
    ).first()
    return Link(last.seq, last.hash) if last else START


def append(
    session: Session,
    last: Link,
    tenant: str,
    actor: str,
    action: str,
    obj: str,
    case_id: str | None,
    client: str,
    outcome: str,
) -> AuditEventRow:
    """The event after `last`, added to `session` (whose transaction holds the chain's lock)."""
    actor, action, obj, client, outcome = actor[:80], action[:48], obj[:200], client[:64], outcome[:16]
    case_id = case_id if case_id and len(case_id) <= CASE_ID_CHARS else None
    row = AuditEventRow(
        seq=last.seq + 1,
        at=now(),
        tenant=tenant,
        actor=actor,
        action=action,
        object=obj,
        case_id=case_id,
        client=client,
        outcome=outcome,
        prev_hash=last.hash,
    )
    row.hash = row_hash(row)
    session.add(row)
    return row
