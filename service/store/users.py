"""Staff accounts: one email, one tenant, one role, a password kept as an argon2id hash.

Signing in answers the same `invalid_credentials` for an unknown email, a wrong password and a
disabled account, and spends one hash verification on each, so neither the answer nor its time
tells which. `Settings.lockout_attempts` wrong passwords in a row lock the account for
`Settings.lockout_minutes`: meanwhile it answers `account_locked`, even to the right password.
The caller hears of every attempt (the API makes it an audit event: `session.start` with outcome
ok, denied or locked, the user id when the email is known, never the email tried).
"""

import re
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from service.errors import (
    AccountLockedError,
    DuplicateEmailError,
    InvalidCredentialsError,
    InvalidEmailError,
    UnknownUserError,
    WeakPasswordError,
)
from service.store.db import UserRow, now
from service.store.keys import check_tenant_and_role
from service.store.web_sessions import end_user_sessions

MIN_PASSWORD = 12
MAX_PASSWORD = 1024
"""Longer input is refused before hashing (a megabyte of 'password' is not a password)."""
EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s.]+(\.[^@\s.]+)+")

Attempted = Callable[[UserRow | None, str, str], None]
"""Told of each sign-in attempt: (the user, or None for an unknown email; ok, denied or locked;
the client's address)."""

HASHER = PasswordHasher()
"""argon2id with argon2-cffi's defaults (RFC 9106's low-memory choice); a hash made with other
parameters is made again at the next sign-in."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def create_user(
    sessions: sessionmaker, tenant: str, email: str, role: str, password: str | None = None
) -> tuple[UserRow, str | None]:
    """A new account and, when no password is given, the generated one (shown once, never stored)."""
    email = normalise_email(email)
    if len(email) > 254 or not EMAIL.fullmatch(email):
        raise InvalidEmailError("an email looks like name@practice.example (at most 254 characters)")
    check_tenant_and_role(tenant, role)
    generated = None
    if password is None:
        password = generated = secrets.token_urlsafe(15)  # 20 characters, 120 random bits
    if len(password) < MIN_PASSWORD:
        raise WeakPasswordError(f"a password has at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise WeakPasswordError(f"a password has at most {MAX_PASSWORD} characters")
    row = UserRow(
        id=f"usr_{secrets.token_hex(12)}", tenant=tenant, email=email, role=role, password_hash=HASHER.hash(password)
    )
    try:
        with sessions.begin() as session:
            if session.scalars(select(UserRow.id).where(UserRow.email == email)).first() is not None:
                raise DuplicateEmailError("a user with this email exists already")
            session.add(row)
    except IntegrityError:  # the same email added by another process meanwhile
        raise DuplicateEmailError("a user with this email exists already") from None
    return row, generated


def list_users(sessions: sessionmaker, tenant: str | None = None) -> list[UserRow]:
    query = select(UserRow).order_by(UserRow.tenant, UserRow.email)
    if tenant is not None:
        query = query.where(UserRow.tenant == tenant)
    with sessions() as session:
        return list(session.scalars(query))


def get_user(sessions: sessionmaker, user_id: str) -> UserRow | None:
    with sessions() as session:
        return session.get(UserRow, user_id)


def disable_user(sessions: sessionmaker, email: str) -> UserRow:
    """The account can no longer sign in, and its signed-in sessions end at once."""
    with sessions.begin() as session:
        row = session.scalars(select(UserRow).where(UserRow.email == normalise_email(email))).first()
        if row is None:
            raise UnknownUserError("no user with this email")
        if row.disabled_at is None:
            row.disabled_at = now()
    end_user_sessions(sessions, row.id)
    return row


@cache
def _decoy_hash() -> str:
    """What an unknown email's password is checked against: the same work as a real account."""
    return HASHER.hash(secrets.token_urlsafe(16))


def _verify(password_hash: str, password: str) -> bool:
    try:
        return HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def authenticate(
    sessions: sessionmaker,
    email: str,
    password: str,
    client: str = "",
    *,
    lockout_attempts: int = 5,
    lockout_minutes: int = 15,
    at: datetime | None = None,
    attempted: Attempted | None = None,
) -> UserRow:
    """The account these credentials open, or `InvalidCredentialsError` / `AccountLockedError`.
    `attempted(user or None, outcome, client)` hears of every attempt, with outcome ok, denied or
    locked (the API records it in the audit trail, which lies above this layer). `at` is the time
    to judge the lock by (now unless a test says otherwise)."""

    def tell(user: UserRow | None, outcome: str) -> None:
        if attempted is not None:
            attempted(user, outcome, client)

    stamp = at or now()
    with sessions() as session:
        row = session.scalars(select(UserRow).where(UserRow.email == normalise_email(email)[:254])).first()
    if row is None or row.disabled_at is not None or len(password) > MAX_PASSWORD:
        _verify(row.password_hash if row is not None else _decoy_hash(), password[:MAX_PASSWORD])
        tell(row, "denied")
        raise InvalidCredentialsError()
    if row.locked_until is not None and row.locked_until > stamp:
        tell(row, "locked")
        raise AccountLockedError(_locked_message(row.locked_until - stamp))
    if not _verify(row.password_hash, password):
        locked_until = _count_failure(sessions, row.id, stamp, lockout_attempts, lockout_minutes)
        if locked_until is not None:
            tell(row, "locked")
            raise AccountLockedError(_locked_message(locked_until - stamp))
        tell(row, "denied")
        raise InvalidCredentialsError()
    with sessions.begin() as session:
        current = session.get(UserRow, row.id)
        assert current is not None
        current.failed_attempts, current.locked_until, current.last_sign_in_at = 0, None, stamp
        if HASHER.check_needs_rehash(current.password_hash):
            current.password_hash = HASHER.hash(password)
        row = current
    tell(row, "ok")
    return row


def _count_failure(
    sessions: sessionmaker, user_id: str, stamp: datetime, attempts: int, minutes: int
) -> datetime | None:
    """One more wrong password, counted in the database (two servers' failures both count); the
    lock's end when this one reached the limit (the count then starts again)."""
    with sessions.begin() as session:
        count = session.execute(
            update(UserRow)
            .where(UserRow.id == user_id)
            .values(failed_attempts=UserRow.failed_attempts + 1)
            .returning(UserRow.failed_attempts)
        ).scalar_one()
        if count < attempts:
            return None
        until = stamp + timedelta(minutes=minutes)
        session.execute(update(UserRow).where(UserRow.id == user_id).values(failed_attempts=0, locked_until=until))
        return until


def _locked_message(left: timedelta) -> str:
    minutes = max(1, -(-int(left.total_seconds()) // 60))
    return f"the account is locked after too many wrong passwords; try again in {minutes} minute{'s' * (minutes > 1)}"
