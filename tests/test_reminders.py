"""Reminders: open cases by how soon they are due, on a fixed day. The buckets' edges on the pure
function; the API per tenant and per assignee; `overturn cases due` as a user runs it."""

from datetime import date, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from service.api.app import create_app
from service.casework.reminders import bucket, remind
from service.casework.remittances import import_remittance
from service.casework.state import open_workspace
from service.casework.views import CaseSummary
from service.config import Settings
from service.store.db import CaseRow, UserRow
from service.store.keys import create_key
from tests.cli_runner import run_cli
from tests.test_assignment import signed_in
from tests.test_tracking import remittance

TODAY = date(2027, 3, 10)


def summary(case_id: str, days: int | None, status: str = "new", amount: float = 100.0, assignee=None) -> CaseSummary:
    stamp = datetime(2027, 1, 1)
    return CaseSummary(
        id=case_id,
        records="ready",
        claim_number="CLM-1",
        patient_name="Maria L. Gonzalez",
        denial_code="CO-50",
        documents=1,
        status=status,
        deadline=TODAY + timedelta(days=days) if days is not None else None,
        days_left=None,
        appeal_level="redetermination",
        payer="NORIDIAN JF PART B",
        amount_denied=amount,
        assignee=assignee,
        assignee_email=f"{assignee}@north.example" if assignee else None,
        created_at=stamp,
        updated_at=stamp,
    )


@pytest.mark.parametrize(
    ("days", "expected"),
    [(-30, "overdue"), (-1, "overdue"), (0, "1"), (1, "1"), (2, "7"), (7, "7"), (8, "14"), (14, "14"), (15, None)],
)
def test_each_day_falls_in_the_tightest_bucket(days, expected):
    assert bucket(days) == expected


def test_the_buckets_hold_open_dated_cases_once_each_nearest_first():
    cases = [summary(f"c{d}", d) for d in (-1, 0, 1, 7, 8, 14, 15)]
    cases += [summary("late-big", -1, amount=900.0), summary("undated", None)]
    cases += [summary(f"closed-{s}", 3, status=s) for s in ("sent", "won", "partly_won", "lost", "written_off")]
    cases += [summary("drafted", 3, status="drafted")]
    found = remind(cases, TODAY)
    ids = {name: [r.id for r in items] for name, items in found.buckets.items()}
    assert ids == {"overdue": ["late-big", "c-1"], "1": ["c0", "c1"], "7": ["drafted", "c7"], "14": ["c8", "c14"]}
    assert found.counts == {"overdue": 2, "1": 2, "7": 2, "14": 2} and found.today == TODAY
    assert [r.days_left for r in found.buckets["14"]] == [8, 14]
    flat = [r.id for items in found.buckets.values() for r in items]
    assert len(flat) == len(set(flat))


def test_a_reminder_carries_no_patient_field():
    [item] = remind([summary("c1", 3)], TODAY).buckets["7"]
    dumped = item.model_dump_json()
    assert "Gonzalez" not in dumped and "CLM-1" not in dumped and "patient" not in dumped
    assert (item.denial_code, item.payer, item.amount_denied, item.deadline) == (
        "CO-50",
        "NORIDIAN JF PART B",
        100.0,
        TODAY + timedelta(days=3),
    )


def test_counts_per_assignee_with_the_unassigned_as_a_group_of_their_own():
    cases = [summary("a1", -2, assignee="ana"), summary("a2", 5, assignee="ana"), summary("b1", 0, assignee="ben")]
    cases += [summary("n1", 10), summary("n2", -5)]
    groups = {g.assignee: g.counts for g in remind(cases, TODAY).by_assignee}
    assert groups == {
        "ana": {"overdue": 1, "1": 0, "7": 1, "14": 0},
        "ben": {"overdue": 0, "1": 1, "7": 0, "14": 0},
        None: {"overdue": 1, "1": 0, "7": 0, "14": 1},
    }
    assert remind(cases, TODAY).by_assignee[-1].assignee is None


def test_within_cuts_the_days_ahead_but_keeps_the_overdue():
    cases = [summary(f"c{d}", d) for d in (-3, 0, 5, 9, 14)]
    found = remind(cases, TODAY, within=5)
    assert {n: [r.id for r in items] for n, items in found.buckets.items()} == {
        "overdue": ["c-3"],
        "1": ["c0"],
        "7": ["c5"],
        "14": [],
    }


def dated(ws, tenant: str, days: list[int], start: int = 0) -> list[str]:
    """Cases of the tenant whose deadlines are `days` from TODAY (set in the row, as an 835 import does)."""
    made = import_remittance(ws, tenant, remittance(denied=len(days), paid=0, start=start)).cases
    with ws.sessions.begin() as session:
        for case, d in zip(made, days, strict=True):
            session.get(CaseRow, case.id).deadline = TODAY + timedelta(days=d)
    return [c.id for c in made]


@pytest.fixture
def app(settings):
    app = create_app(settings)
    with app.state.workspace.sessions.begin() as session:
        session.add(
            UserRow(id="usr_ana", tenant="clinic-a", email="ana@north.example", role="biller", password_hash="x")
        )
    yield app
    app.state.workspace.engine.dispose()


def test_get_reminders_is_the_tenants_own_and_filters_by_assignee(app):
    ws = app.state.workspace
    mine = dated(ws, "clinic-a", [-1, 0, 6, 13, 40])
    theirs = dated(ws, "clinic-b", [-4, 2], start=100)
    ws_key = {t: create_key(ws.sessions, t, "").key for t in ("clinic-a", "clinic-b")}
    a = TestClient(app, headers={"Authorization": f"Bearer {ws_key['clinic-a']}"})
    assert a.post("/v1/cases/assign", json={"case_ids": mine[:2], "assignee": "ana@north.example"}).status_code == 200

    answer = a.get("/v1/reminders", params={"today": TODAY.isoformat()})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["today"] == TODAY.isoformat() and body["counts"] == {"overdue": 1, "1": 1, "7": 1, "14": 1}
    listed = {r["id"] for items in body["buckets"].values() for r in items}
    assert listed == set(mine[:4]) and listed.isdisjoint(theirs)
    assert not any("patient" in key for r in body["buckets"]["overdue"] for key in r)
    assert body["buckets"]["1"][0]["assignee_email"] == "ana@north.example"
    assert [g["assignee_email"] for g in body["by_assignee"]] == ["ana@north.example", None]

    ana = a.get("/v1/reminders", params={"today": TODAY.isoformat(), "assignee": "ana@north.example"}).json()
    assert {r["id"] for items in ana["buckets"].values() for r in items} == set(mine[:2])
    free = a.get("/v1/reminders", params={"today": TODAY.isoformat(), "assignee": "unassigned"}).json()
    assert free["counts"] == {"overdue": 0, "1": 0, "7": 1, "14": 1}
    me = a.get("/v1/reminders", params={"assignee": "me"})
    assert me.status_code == 422 and me.json()["error"]["code"] == "no_signed_in_user"

    b = TestClient(app, headers={"Authorization": f"Bearer {ws_key['clinic-b']}"})
    other = b.get("/v1/reminders", params={"today": TODAY.isoformat()}).json()
    assert {r["id"] for items in other["buckets"].values() for r in items} == set(theirs)
    refused = b.get("/v1/reminders", params={"assignee": "ana@north.example"})
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "unknown_assignee"

    ana_browser = signed_in(app.state.workspace, app, "usr_ana")
    as_ana = ana_browser.get("/v1/reminders", params={"today": TODAY.isoformat(), "assignee": "me"}).json()
    assert as_ana["counts"] == {"overdue": 1, "1": 1, "7": 0, "14": 0}


def test_cases_due_prints_the_buckets(tmp_path):
    env = {"OVERTURN_HOME": str(tmp_path / "home")}
    ws = open_workspace(Settings.from_env(env))
    ids = dated(ws, "local", [-2, 0, 7, 8, 15])
    with ws.sessions.begin() as session:
        session.add(UserRow(id="usr_ana", tenant="local", email="ana@north.example", role="biller", password_hash="x"))
        session.get(CaseRow, ids[1]).assignee = "usr_ana"
    ws.engine.dispose()

    done = run_cli(["cases", "due", "--today", TODAY.isoformat()], env)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    titles = [line for line in lines if not line.startswith("  ")]
    assert titles == ["Overdue (1):", "Due today or tomorrow (1):", "Due within 7 days (1):", "Due within 14 days (1):"]
    rows = [line.split() for line in lines if line.startswith("  ")]
    assert [r[0] for r in rows] == ids[:4] and ids[4] not in done.stdout
    assert rows[0][2:4] == [(TODAY - timedelta(days=2)).isoformat(), "-2"]
    assert "ana@north.example" in lines[3] and "unassigned" in lines[1]

    ana = run_cli(["cases", "due", "--today", TODAY.isoformat(), "--assignee", "ana@north.example"], env)
    assert ana.stdout.splitlines()[0] == "Due today or tomorrow (1):" and len(ana.stdout.splitlines()) == 2
    near = run_cli(["cases", "due", "--today", TODAY.isoformat(), "--within", "1", "--assignee", "unassigned"], env)
    assert [line.split()[0] for line in near.stdout.splitlines() if line.startswith("  ")] == [ids[0]]
    quiet = run_cli(["cases", "due", "--today", "2026-01-01"], env)
    assert quiet.returncode == 0 and quiet.stdout.strip() == "nothing overdue or due within 14 days of 2026-01-01"
    bad = run_cli(["cases", "due", "--within", "30"], env)
    assert bad.returncode != 0 and "Traceback" not in bad.stderr
