"""The audit trail's chain: one chain from many threads and processes, `verify` naming the first
event edited, deleted, reordered or cut without a recorded purge, retention, and the CLI's
`audit verify` and `audit export`. Real SQLite databases; the API's events are in test_audit_api.py."""

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import delete, select, text, update

from service.audit import trail
from service.audit.retention import PURGE, purge_expired
from service.audit.trail import GENESIS, record, row_hash
from service.audit.verify import verify, verify_chain
from service.models import Principal
from service.store.db import AuditEventRow, open_database
from tests.audit_appenders import in_processes, in_threads, links, numbers
from tests.cli_runner import run_cli

BILLER = Principal("clinic-a", "biller", "key:abcdefabcdef", client="10.0.0.7")


@pytest.fixture
def home(tmp_path):
    return tmp_path / "home"


@pytest.fixture
def sessions(home):
    home.mkdir()
    return open_database(f"sqlite:///{home / 'overturn.db'}")


def fill(sessions, count: int, principal: Principal = BILLER) -> None:
    for n in range(count):
        record(sessions, principal, "case.view", f"case:cas_{n:024x}", f"cas_{n:024x}")


def sql(sessions, statement, **params) -> None:
    with sessions.begin() as session:
        session.execute(statement if not isinstance(statement, str) else text(statement), params)


def test_a_clean_log_verifies(sessions):
    assert verify(sessions) is None and verify_chain(sessions).count == 0
    fill(sessions, 5)
    checked = verify_chain(sessions)
    assert checked.broken is None and checked.count == 5 and checked.head is not None and checked.head.seq == 5
    assert numbers(sessions) == [1, 2, 3, 4, 5]
    with sessions() as session:
        first = session.get(AuditEventRow, 1)
    assert first.prev_hash == GENESIS and first.hash == row_hash(first)
    assert (first.tenant, first.actor, first.client, first.outcome) == (
        "clinic-a",
        "key:abcdefabcdef",
        "10.0.0.7",
        "ok",
    )


def test_threads_append_one_chain(sessions):
    in_threads(sessions, threads=8, each=25)
    assert verify(sessions) is None
    assert numbers(sessions) == list(range(1, 201))
    assert len(set(links(sessions))) == 200, "two events follow the same one: the chain forked"


def test_processes_append_one_chain(sessions, home):
    """Two processes on one SQLite file: only BEGIN IMMEDIATE keeps them from reading the same
    last event (the thread lock is per process)."""
    in_processes(f"sqlite:///{home / 'overturn.db'}", processes=2, each=150)
    assert verify(sessions) is None
    assert numbers(sessions) == list(range(1, 301))
    assert len(set(links(sessions))) == 300


@pytest.mark.parametrize(
    ("column", "value"), [("action", "case.list"), ("actor", "key:zzzzzzzzzzzz"), ("object", "case:other")]
)
def test_an_edited_field_names_its_event(sessions, column, value):
    fill(sessions, 6)
    sql(sessions, f"UPDATE audit_events SET {column} = :value WHERE seq = 4", value=value)
    broken = verify(sessions)
    assert broken is not None and (broken.seq, broken.problem) == (4, "edited")


def test_an_edit_with_a_fresh_hash_names_the_next_event(sessions):
    fill(sessions, 6)
    with sessions.begin() as session:
        row = session.get(AuditEventRow, 3)
        row.actor = "key:zzzzzzzzzzzz"
        row.hash = row_hash(row)
    broken = verify(sessions)
    assert broken is not None and (broken.seq, broken.problem) == (4, "unlinked")


def test_a_deleted_row_names_the_next_event(sessions):
    fill(sessions, 6)
    sql(sessions, delete(AuditEventRow).where(AuditEventRow.seq == 3))
    broken = verify(sessions)
    assert broken is not None and (broken.seq, broken.problem) == (4, "missing")
    assert "3" in broken.detail


def test_reordered_rows_are_found(sessions):
    fill(sessions, 5)
    with sessions.begin() as session:
        two, three = session.get(AuditEventRow, 2), session.get(AuditEventRow, 3)
        fields = ("at", "actor", "action", "object", "case_id", "client", "outcome", "prev_hash", "hash")
        swapped = {f: getattr(three, f) for f in fields}, {f: getattr(two, f) for f in fields}
    for seq, values in zip((2, 3), swapped, strict=True):
        sql(sessions, update(AuditEventRow).where(AuditEventRow.seq == seq).values(**values))
    broken = verify(sessions)
    assert broken is not None and (broken.seq, broken.problem) == (2, "unlinked")


def test_an_inserted_row_is_found(sessions):
    """A forged event slipped in between 2 and 3 (the later ones renumbered to make room)."""
    fill(sessions, 4)
    sql(sessions, "UPDATE audit_events SET seq = seq + 10 WHERE seq >= 3")
    sql(sessions, "UPDATE audit_events SET seq = seq - 9 WHERE seq >= 13")
    with sessions.begin() as session:
        two = session.get(AuditEventRow, 2)
        forged = AuditEventRow(
            seq=3, at=two.at, tenant="clinic-a", actor="key:zzzzzzzzzzzz", action="case.view", object="",
            case_id=None, client="", outcome="ok", prev_hash=two.hash, hash="",
        )  # fmt: skip
        forged.hash = row_hash(forged)
        session.add(forged)
    broken = verify(sessions)
    assert broken is not None and (broken.seq, broken.problem) == (4, "unlinked")


def test_the_oldest_rows_deleted_without_a_purge_are_found(sessions):
    fill(sessions, 5)
    sql(sessions, delete(AuditEventRow).where(AuditEventRow.seq <= 2))
    broken = verify(sessions)
    assert broken is not None and (broken.seq, broken.problem) == (3, "unanchored")


def test_purge_keeps_the_retention_period_and_the_chain(sessions, monkeypatch):
    long_ago = datetime(2019, 3, 1, 9, 30)
    monkeypatch.setattr(trail, "now", lambda: long_ago)
    fill(sessions, 4)
    monkeypatch.undo()
    fill(sessions, 3)
    today = datetime.now(UTC).date()
    assert purge_expired(sessions, today, 4000).through is None, "events within the period were purged"
    done = purge_expired(sessions, today, 2192)
    assert done.count == 4 and done.through is not None and done.through.seq == 4
    assert numbers(sessions) == [5, 6, 7, 8]
    with sessions() as session:
        mark = session.scalars(select(AuditEventRow).where(AuditEventRow.action == PURGE)).one()
    assert mark.seq == 8 and mark.object == f"seq:4/hash:{done.through.hash}"
    assert verify(sessions) is None, "a chain that starts after a recorded purge must verify"
    fill(sessions, 2)
    assert verify(sessions) is None
    sql(sessions, delete(AuditEventRow).where(AuditEventRow.seq == 5))
    broken = verify(sessions)
    assert broken is not None and (broken.seq, broken.problem) == (6, "unanchored")


def test_a_purge_of_every_event_still_verifies(sessions):
    fill(sessions, 3)
    done = purge_expired(sessions, datetime.now(UTC).date() + timedelta(days=2), 1)
    assert done.count == 3 and numbers(sessions) == [4]
    fill(sessions, 1)
    assert verify(sessions) is None and numbers(sessions) == [4, 5]


def test_cli_verify_passes_then_names_the_broken_event(sessions, home):
    fill(sessions, 5)
    env = {"OVERTURN_HOME": str(home)}
    done = run_cli(["audit", "verify"], env)
    assert done.returncode == 0, done.stderr
    assert "verified: 5 events" in done.stdout
    sql(sessions, "UPDATE audit_events SET object = 'case:x' WHERE seq = 2")
    broken = run_cli(["audit", "verify"], env)
    assert broken.returncode == 1
    assert "event 2 (edited)" in broken.stderr and "case:x" not in broken.stderr + broken.stdout


def test_cli_export_between_days_as_csv_and_json(sessions, home):
    fill(sessions, 2)
    record(sessions, Principal("clinic-b", "admin", "key:bbbbbbbbbbbb"), "audit.view")
    env = {"OVERTURN_HOME": str(home)}
    today = datetime.now(UTC).date().isoformat()
    as_csv = run_cli(["audit", "export", "--from", today, "--to", today], env)
    assert as_csv.returncode == 0, as_csv.stderr
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert [r["seq"] for r in rows] == ["1", "2", "3"] and rows[0]["actor"] == "key:abcdefabcdef"
    assert rows[0]["hash"] and rows[1]["prev_hash"] == rows[0]["hash"]
    as_json = run_cli(
        ["audit", "export", "--from", today, "--to", today, "--format", "json", "--tenant", "clinic-b"], env
    )
    assert as_json.returncode == 0, as_json.stderr
    events = json.loads(as_json.stdout)
    assert [(e["seq"], e["tenant"], e["action"]) for e in events] == [(3, "clinic-b", "audit.view")]
    assert events[0]["at"].endswith("Z")
    yesterday = (date.fromisoformat(today) - timedelta(days=1)).isoformat()
    none = run_cli(["audit", "export", "--from", yesterday, "--to", yesterday, "--format", "json"], env)
    assert json.loads(none.stdout) == []
    bad = run_cli(["audit", "export", "--from", "2026-13-01"], env)
    assert bad.returncode == 2 and "--from must be a date" in bad.stderr
