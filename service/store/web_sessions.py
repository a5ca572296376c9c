"""A signed-in browser's session: a random token in an HttpOnly cookie and a CSRF token the page
keeps in sessionStorage and sends as `X-CSRF-Token` with every change.

Only SHA-256 hashes of both tokens are stored (32 random bytes each: nothing to brute-force), so
neither can be read back from the database, and the CSRF token is answered once, at sign-in. A
session ends at sign-out, when its user is disabled, after `Settings.idle_minutes` without a
request (automatic logoff) or `Settings.session_hours` after sign-in however busy; an ended
session never comes back, and its row is deleted a day later (at the next sign-in).
"""

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, update
from sqlalchemy.orm import sessionmaker

from service.errors import SessionExpiredError
from service.models import ROLES, Principal, Role
from service.store.db import UserRow, WebSessionRow, now

KEEP_ENDED = timedelta(days=1)
"""How long an ended session's row stays (for whoever looks into a sign-out) before it is deleted."""
SEEN_EVERY_S = 30
"""`last_seen_at` is written at most this often: a busy page is not a write per request."""
MAX_TOKEN = 200


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(sessions: sessionmaker, user: UserRow, client: str = "", session_hours: int = 12) -> tuple[str, str]:
    """A new session for `user`: (the cookie's token, the CSRF token), each shown only now. Rows
    of sessions ended (or past their lifetime) more than a day ago are deleted on the way."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    stale = now() - KEEP_ENDED
    with sessions.begin() as session:
        session.execute(
            delete(WebSessionRow).where(
                or_(
                    WebSessionRow.ended_at < stale,
                    WebSessionRow.created_at < stale - timedelta(hours=session_hours),
                )
            )
        )
        session.add(
            WebSessionRow(
                id=_digest(token), user_id=user.id, tenant=user.tenant, csrf_hash=_digest(csrf), client=client[:64]
            )
        )
    return token, csrf


def active_session(
    sessions: sessionmaker, token: str, idle_minutes: int, at: datetime | None = None, session_hours: int = 12
) -> tuple[WebSessionRow, UserRow] | None:
    """The live session a cookie's token names and its user; None when the token is unknown, the
    session ended or the user is disabled. A session idle longer than `idle_minutes`, or signed
    in more than `session_hours` ago, is ended here and raises `SessionExpiredError`, so the page
    can say why it signs out."""
    if not token or len(token) > MAX_TOKEN:
        return None
    stamp = at or now()
    expired = False
    with sessions.begin() as session:
        row = session.get(WebSessionRow, _digest(token))
        if row is None or row.ended_at is not None:
            return None
        user = session.get(UserRow, row.user_id)
        if user is None or user.disabled_at is not None:
            row.ended_at = stamp
            return None
        idle = stamp - row.last_seen_at > timedelta(minutes=idle_minutes)
        if idle or stamp - row.created_at > timedelta(hours=session_hours):
            row.ended_at, expired = stamp, True
        elif (stamp - row.last_seen_at).total_seconds() >= SEEN_EVERY_S:
            row.last_seen_at = stamp
    if expired:
        raise SessionExpiredError()
    return row, user


def principal_for(user: UserRow, client: str = "") -> Principal:
    role: Role = user.role if user.role in ROLES else "biller"
    return Principal(tenant=user.tenant, role=role, actor=f"user:{user.id}", user_id=user.id, client=client)


def principal_for_session(sessions: sessionmaker, token: str, client: str, idle_minutes: int) -> Principal | None:
    """Who a session cookie's token acts as (see `active_session`)."""
    found = active_session(sessions, token, idle_minutes)
    return principal_for(found[1], client) if found else None


def end_session(sessions: sessionmaker, token: str) -> bool:
    """Sign-out: True when a live session ended."""
    if not token or len(token) > MAX_TOKEN:
        return False
    with sessions.begin() as session:
        row = session.get(WebSessionRow, _digest(token))
        if row is None or row.ended_at is not None:
            return False
        row.ended_at = now()
        return True


def end_user_sessions(sessions: sessionmaker, user_id: str) -> int:
    """Every live session of a user ended (the user was disabled); how many."""
    with sessions.begin() as session:
        done = session.execute(
            update(WebSessionRow)
            .where(WebSessionRow.user_id == user_id, WebSessionRow.ended_at.is_(None))
            .values(ended_at=now())
        )
        return done.rowcount or 0


def check_csrf(row: WebSessionRow, presented: str | None) -> bool:
    """The request carries the session's CSRF token (compared in constant time)."""
    if not presented or len(presented) > MAX_TOKEN:
        return False
    return hmac.compare_digest(row.csrf_hash, _digest(presented))
