"""Appending audit events, each chained to the one before it by a SHA-256.

An event's hash covers its own fields and the previous event's hash, so editing a row changes
its hash and deleting one breaks the link after it. Events hold ids, actions and addresses,
never PHI: callers pass case and document ids, not names.
"""

import hashlib
import json
import threading
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from service.models import Principal
from service.store.db import AuditEventRow, now

GENESIS = "0" * 64
"""The `prev_hash` of the first event."""

_append = threading.Lock()


def event_hash(
    prev_hash: str,
    at: datetime,
    tenant: str,
    actor: str,
    action: str,
    obj: str,
    case_id: str | None,
    client: str,
    outcome: str,
) -> str:
    body = json.dumps(
        [prev_hash, at.isoformat(timespec="seconds"), tenant, actor, action, obj, case_id or "", client, outcome],
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
    with _append, sessions.begin() as session:
        _append_row(session, principal.tenant, principal.actor, action, obj, case_id, principal.client, outcome)


def _append_row(
    session: Session, tenant: str, actor: str, action: str, obj: str, case_id: str | None, client: str, outcome: str
) -> AuditEventRow:
    last = session.scalars(select(AuditEventRow.hash).order_by(AuditEventRow.seq.desc()).limit(1)).first()
    prev = last or GENESIS
    at = now()
    row = AuditEventRow(
        at=at,
        tenant=tenant,
        actor=actor[:80],
        action=action[:48],
        object=obj[:200],
        case_id=case_id,
        client=client[:64],
        outcome=outcome[:16],
        prev_hash=prev,
        hash=event_hash(prev, at, tenant, actor[:80], action[:48], obj[:200], case_id, client[:64], outcome[:16]),
    )
    session.add(row)
    return row
