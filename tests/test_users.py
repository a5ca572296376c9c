"""Staff accounts: argon2 hashes, the same answer for every wrong sign-in, lockout and its end,
disabling, and `overturn users` through the CLI runner. No server: the store's functions on a
database of their own."""

import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from service.errors import (
    AccountLockedError,
    DuplicateEmailError,
    InputError,
    InvalidCredentialsError,
    InvalidEmailError,
    InvalidTenantError,
    WeakPasswordError,
)
from service.store import users
from service.store.db import AuditEventRow, UserRow, WebSessionRow, now, open_database
from service.store.users import authenticate, create_user, disable_user, list_users
from service.store.web_sessions import principal_for_session, start_session
from tests.cli_runner import run_cli

PASSWORD = "correct horse battery"


@pytest.fixture
def sessions(tmp_path):
    return open_database(f"sqlite:///{tmp_path / 'users.db'}")


def _row(sessions, user_id: str) -> UserRow:
    with sessions() as session:
        row = session.get(UserRow, user_id)
        assert row is not None
        return row


def _events(sessions) -> list[AuditEventRow]:
    with sessions() as session:
        return list(session.scalars(select(AuditEventRow).order_by(AuditEventRow.seq)))


def test_passwords_are_argon2_hashes_and_emails_are_lower_case(sessions):
    row, generated = create_user(sessions, "clinic-a", "  Biller@Clinic.Example ", "biller", PASSWORD)
    assert generated is None and row.email == "biller@clinic.example" and row.id.startswith("usr_")
    stored = _row(sessions, row.id).password_hash
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert authenticate(sessions, "BILLER@clinic.example", PASSWORD).id == row.id


def test_a_generated_password_is_long_random_and_works_once_handed_over(sessions):
    row, generated = create_user(sessions, "clinic-a", "new@clinic.example", "reviewer")
    assert generated is not None and len(generated) >= 20
    assert generated not in _row(sessions, row.id).password_hash
    assert authenticate(sessions, "new@clinic.example", generated).role == "reviewer"


@pytest.mark.parametrize(
    ("tenant", "email", "role", "password", "error"),
    [
        ("clinic-a", "someone@clinic.example", "biller", "short", WeakPasswordError),
        ("clinic-a", "not-an-email", "biller", PASSWORD, InvalidEmailError),
        ("clinic-a", "a@b", "biller", PASSWORD, InvalidEmailError),
        ("Clinic A", "someone@clinic.example", "biller", PASSWORD, InvalidTenantError),
        ("clinic-a", "someone@clinic.example", "owner", PASSWORD, InputError),
    ],
    ids=["weak-password", "no-at", "no-domain", "bad-tenant", "unknown-role"],
)
def test_accounts_are_checked_before_they_are_made(sessions, tenant, email, role, password, error):
    with pytest.raises(error):
        create_user(sessions, tenant, email, role, password)
    assert list_users(sessions) == []


def test_weak_and_duplicate_answer_their_statuses(sessions):
    create_user(sessions, "clinic-a", "one@clinic.example", "biller", PASSWORD)
    with pytest.raises(DuplicateEmailError) as duplicate:
        create_user(sessions, "clinic-b", "ONE@clinic.example", "admin", PASSWORD)
    assert duplicate.value.status == 409
    with pytest.raises(WeakPasswordError) as weak:
        create_user(sessions, "clinic-a", "two@clinic.example", "biller", "x" * 11)
    assert weak.value.status == 422


def test_unknown_email_and_wrong_password_get_the_same_answer_and_both_spend_a_hash(sessions, monkeypatch):
    create_user(sessions, "clinic-a", "known@clinic.example", "biller", PASSWORD)
    verified = []
    original = users._verify
    monkeypatch.setattr(users, "_verify", lambda h, p: verified.append(h) or original(h, p))
    answers = []
    for email in ("known@clinic.example", "nobody@clinic.example"):
        with pytest.raises(InvalidCredentialsError) as denied:
            authenticate(sessions, email, "wrong password here")
        answers.append((denied.value.status, denied.value.code, denied.value.message))
    assert answers[0] == answers[1] and answers[0][:2] == (401, "invalid_credentials")
    assert len(verified) == 2 and all(h.startswith("$argon2id$") for h in verified)


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one_until_the_lock_ends(sessions):
    row, _ = create_user(sessions, "clinic-a", "locked@clinic.example", "biller", PASSWORD)
    for _ in range(4):
        with pytest.raises(InvalidCredentialsError):
            authenticate(sessions, "locked@clinic.example", "wrong password here")
    with pytest.raises(AccountLockedError) as fifth:
        authenticate(sessions, "locked@clinic.example", "wrong password here")
    assert fifth.value.status == 423 and fifth.value.code == "account_locked"
    with pytest.raises(AccountLockedError, match="15 minutes"):
        authenticate(sessions, "locked@clinic.example", PASSWORD)
    later = now() + timedelta(minutes=15, seconds=1)
    assert authenticate(sessions, "locked@clinic.example", PASSWORD, at=later).id == row.id
    unlocked = _row(sessions, row.id)
    assert unlocked.failed_attempts == 0 and unlocked.locked_until is None


def test_lockout_follows_the_settings_and_a_success_resets_the_count(sessions):
    create_user(sessions, "clinic-a", "strict@clinic.example", "biller", PASSWORD)
    for _ in range(2):
        with pytest.raises(InvalidCredentialsError):
            authenticate(sessions, "strict@clinic.example", "wrong password here", lockout_attempts=3)
    authenticate(sessions, "strict@clinic.example", PASSWORD, lockout_attempts=3)
    for _ in range(2):  # the count started again: two more are not yet three in a row
        with pytest.raises(InvalidCredentialsError):
            authenticate(sessions, "strict@clinic.example", "wrong password here", lockout_attempts=3)
    with pytest.raises(AccountLockedError, match="2 minutes"):
        authenticate(sessions, "strict@clinic.example", "wrong", lockout_attempts=3, lockout_minutes=2)


def test_a_lock_set_in_the_past_has_ended(sessions):
    row, _ = create_user(sessions, "clinic-a", "past@clinic.example", "biller", PASSWORD)
    with sessions.begin() as session:
        session.get(UserRow, row.id).locked_until = now() - timedelta(seconds=1)
    assert authenticate(sessions, "past@clinic.example", PASSWORD).id == row.id


def test_a_disabled_user_cannot_sign_in_and_their_sessions_end(sessions):
    row, _ = create_user(sessions, "clinic-a", "gone@clinic.example", "admin", PASSWORD)
    token, _ = start_session(sessions, authenticate(sessions, "gone@clinic.example", PASSWORD))
    assert principal_for_session(sessions, token, "", 15) is not None
    disable_user(sessions, "GONE@clinic.example")
    with pytest.raises(InvalidCredentialsError):
        authenticate(sessions, "gone@clinic.example", PASSWORD)
    assert principal_for_session(sessions, token, "", 15) is None
    with sessions() as session:
        assert all(s.ended_at is not None for s in session.scalars(select(WebSessionRow)))


def test_a_hash_made_with_old_parameters_is_made_again_at_sign_in(sessions):
    from argon2 import PasswordHasher

    row, _ = create_user(sessions, "clinic-a", "old@clinic.example", "biller", PASSWORD)
    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)
    with sessions.begin() as session:
        session.get(UserRow, row.id).password_hash = weak
    authenticate(sessions, "old@clinic.example", PASSWORD)
    stored = _row(sessions, row.id).password_hash
    assert stored != weak and not users.HASHER.check_needs_rehash(stored)


def test_every_sign_in_attempt_is_an_audit_event_without_the_email(sessions):
    from service.api.routes.session import audit_attempts

    row, _ = create_user(sessions, "clinic-a", "audited@clinic.example", "biller", PASSWORD)
    audited = audit_attempts(sessions)
    authenticate(sessions, "audited@clinic.example", PASSWORD, "10.0.0.7", attempted=audited)
    with pytest.raises(InvalidCredentialsError):
        authenticate(sessions, "audited@clinic.example", "wrong password here", "10.0.0.7", attempted=audited)
    with pytest.raises(InvalidCredentialsError):
        authenticate(sessions, "stranger@clinic.example", "wrong password here", "10.0.0.8", attempted=audited)
    for _ in range(5):
        with pytest.raises((InvalidCredentialsError, AccountLockedError)):
            authenticate(sessions, "audited@clinic.example", "wrong password here", "10.0.0.7", attempted=audited)
    events = [(e.action, e.actor, e.object, e.outcome, e.client, e.tenant) for e in _events(sessions)]
    me = f"user:{row.id}"
    assert events[:3] == [
        ("session.start", me, me, "ok", "10.0.0.7", "clinic-a"),
        ("session.start", me, me, "denied", "10.0.0.7", "clinic-a"),
        ("session.start", "anonymous", "", "denied", "10.0.0.8", ""),
    ]
    assert [e[3] for e in events[3:]] == ["denied"] * 3 + ["locked", "locked"]
    assert not any("audited@" in str(e) or "stranger@" in str(e) for e in events)


# ---- overturn users ---------------------------------------------------------------------------


def test_users_create_list_disable_through_the_cli(tmp_path):
    env = {"OVERTURN_HOME": str(tmp_path / "home")}
    made = run_cli(["users", "create", "--tenant", "clinic-a", "--email", "Ann@Clinic.example", "--role", "admin"], env)
    assert made.returncode == 0, made.stderr
    password = made.stdout.strip()
    assert len(password) >= 20 and "\n" not in password
    assert "shown only now" in made.stderr and password not in made.stderr

    piped = run_cli(
        [
            "users",
            "create",
            "--tenant",
            "clinic-a",
            "--email",
            "bo@clinic.example",
            "--role",
            "biller",
            "--password-stdin",
        ],
        env,
        input="a long enough passphrase\n",
    )
    assert piped.returncode == 0, piped.stderr
    assert "bo@clinic.example" in piped.stdout and "passphrase" not in piped.stdout + piped.stderr

    weak = run_cli(
        [
            "users",
            "create",
            "--tenant",
            "clinic-a",
            "--email",
            "cy@clinic.example",
            "--role",
            "biller",
            "--password-stdin",
        ],
        env,
        input="short\n",
    )
    assert weak.returncode == 2 and weak.stderr.startswith("error: a password has at least 12 characters")
    again = run_cli(
        ["users", "create", "--tenant", "clinic-b", "--email", "ann@clinic.example", "--role", "biller"], env
    )
    assert again.returncode == 2 and "exists already" in again.stderr

    listed = run_cli(["users", "list"], env)
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert len(lines) == 2 and "ann@clinic.example" in lines[0] and "admin" in lines[0] and "active" in lines[0]
    assert "$argon2" not in listed.stdout and password not in listed.stdout

    sessions = open_database(f"sqlite:///{tmp_path / 'home' / 'overturn.db'}")
    assert authenticate(sessions, "ann@clinic.example", password).role == "admin"
    assert authenticate(sessions, "bo@clinic.example", "a long enough passphrase").role == "biller"

    gone = run_cli(["users", "disable", "BO@clinic.example"], env)
    assert gone.returncode == 0 and "disabled" in gone.stdout
    assert "disabled" in run_cli(["users", "list", "--tenant", "clinic-a"], env).stdout.splitlines()[1]
    with pytest.raises(InvalidCredentialsError):
        authenticate(sessions, "bo@clinic.example", "a long enough passphrase")
    unknown = run_cli(["users", "disable", "nobody@clinic.example"], env)
    assert unknown.returncode == 2 and unknown.stderr.startswith("error: no user")

    cli_events = [(e.actor, e.action, e.tenant) for e in _events(sessions) if e.actor == "cli"]
    assert cli_events == [
        ("cli", "user.create", "clinic-a"),
        ("cli", "user.create", "clinic-a"),
        ("cli", "user.disable", "clinic-a"),
    ]


def test_a_sign_in_takes_a_hash_worth_of_time_for_unknown_emails_too(sessions):
    """No timing oracle: an unknown email costs about what a wrong password does (argon2 takes
    tens of milliseconds; a lookup alone would take well under one)."""
    create_user(sessions, "clinic-a", "timed@clinic.example", "biller", PASSWORD)

    best = {"timed@clinic.example": float("inf"), "nobody@clinic.example": float("inf")}
    for _ in range(3):  # interleaved, the fastest of each: a busy machine slows both alike
        for email in best:
            started = time.perf_counter()
            with pytest.raises(InvalidCredentialsError):
                authenticate(sessions, email, "wrong password here", lockout_attempts=100)
            best[email] = min(best[email], time.perf_counter() - started)
    known, unknown = best.values()
    assert unknown > 0.3 * known and unknown > 0.005
