"""Cases given to staff: by email or id through the API, unassigned, refused for another
tenant's user, in bulk all or nothing; the queue filtered by assignee; the CSV and the CLI.

Users are rows put straight into `users` (creating them is `overturn users`' job); a signed-in
user holds a real session, started for that row, as its cookie and CSRF header."""

import csv
import io

import pytest
from fastapi.testclient import TestClient

from service.api.app import create_app
from service.api.deps import CSRF_HEADER, SESSION_COOKIE
from service.casework.local import LOCAL_TENANT
from service.casework.remittances import import_remittance
from service.store.db import CaseRow, UserRow, now
from service.store.keys import create_key
from service.store.web_sessions import start_session
from tests.cli_runner import run_cli
from tests.test_tracking import remittance

ANA, BEN, GONE, OTHER = "usr_ana", "usr_ben", "usr_gone", "usr_other"


def add_users(ws) -> None:
    with ws.sessions.begin() as session:
        session.add(UserRow(id=ANA, tenant="clinic-a", email="ana@north.example", role="biller", password_hash="x"))
        session.add(UserRow(id=BEN, tenant="clinic-a", email="Ben@North.example", role="reviewer", password_hash="x"))
        session.add(
            UserRow(
                id=GONE,
                tenant="clinic-a",
                email="gone@north.example",
                role="biller",
                password_hash="x",
                disabled_at=now(),
            )
        )
        session.add(UserRow(id=OTHER, tenant="clinic-b", email="olga@south.example", role="admin", password_hash="x"))


@pytest.fixture
def app(settings):
    app = create_app(settings)
    add_users(app.state.workspace)
    yield app
    app.state.workspace.engine.dispose()


@pytest.fixture
def ws(app):
    return app.state.workspace


def client(app, tenant: str) -> TestClient:
    key = create_key(app.state.workspace.sessions, tenant, "").key
    return TestClient(app, headers={"Authorization": f"Bearer {key}"})


def sign_in_as(app, user_id: str) -> TestClient:
    """A browser signed in as this user: the session's cookie, and its CSRF token on changes."""
    return signed_in(app.state.workspace, app, user_id)


def signed_in(ws, app, user_id: str) -> TestClient:
    with ws.session() as session:
        user = session.get(UserRow, user_id)
    token, csrf = start_session(ws.sessions, user)
    browser = TestClient(app, headers={CSRF_HEADER: csrf})
    browser.cookies.set(SESSION_COOKIE, token)
    return browser


@pytest.fixture
def queue(ws) -> list[str]:
    """Four of clinic-a's cases from a remittance."""
    return [c.id for c in import_remittance(ws, "clinic-a", remittance(denied=4, paid=0)).cases]


def assignee_of(ws, case_id: str) -> str | None:
    with ws.session() as session:
        return session.get(CaseRow, case_id).assignee


def test_a_case_is_assigned_by_email_or_id_and_unassigned(app, ws, queue):
    a = client(app, "clinic-a")
    by_email = a.patch(f"/v1/cases/{queue[0]}", json={"assignee": "BEN@north.example"})
    assert by_email.status_code == 200, by_email.text
    assert (by_email.json()["assignee"], by_email.json()["assignee_email"]) == (BEN, "Ben@North.example")
    by_id = a.patch(f"/v1/cases/{queue[0]}", json={"assignee": ANA})
    assert by_id.json()["assignee_email"] == "ana@north.example" and assignee_of(ws, queue[0]) == ANA
    kept = a.patch(f"/v1/cases/{queue[0]}", json={"status": "drafted"})
    assert kept.json()["assignee"] == ANA and kept.json()["status"] == "drafted"
    listed = {c["id"]: c for c in a.get("/v1/cases").json()}
    assert listed[queue[0]]["assignee_email"] == "ana@north.example" and listed[queue[1]]["assignee"] is None
    gone = a.patch(f"/v1/cases/{queue[0]}", json={"assignee": None})
    assert gone.json()["assignee"] is None and gone.json()["assignee_email"] is None
    assert assignee_of(ws, queue[0]) is None


@pytest.mark.parametrize("who", ["olga@south.example", OTHER, "nobody@north.example", "gone@north.example", ""])
def test_another_tenants_unknown_or_disabled_user_is_refused_without_echoing_it(app, ws, queue, who):
    a = client(app, "clinic-a")
    a.patch(f"/v1/cases/{queue[0]}", json={"assignee": ANA})
    answer = a.patch(f"/v1/cases/{queue[0]}", json={"assignee": who, "status": "sent"})
    assert answer.status_code == 422 and answer.json()["error"]["code"] == "unknown_assignee"
    assert not who or who not in answer.json()["error"]["message"]
    assert assignee_of(ws, queue[0]) == ANA and a.get(f"/v1/cases/{queue[0]}").json()["status"] == "new"


def test_another_tenants_case_is_404_before_the_assignee_is_looked_at(app, queue):
    b = client(app, "clinic-b")
    assert b.patch(f"/v1/cases/{queue[0]}", json={"assignee": OTHER}).status_code == 404
    assert b.post("/v1/cases/assign", json={"case_ids": queue[:1], "assignee": OTHER}).status_code == 404


def test_bulk_assignment_is_all_or_nothing(app, ws, queue):
    a = client(app, "clinic-a")
    theirs = import_remittance(ws, "clinic-b", remittance(denied=1, paid=0, start=50)).cases[0].id
    refused = a.post("/v1/cases/assign", json={"case_ids": [*queue[:2], theirs], "assignee": ANA})
    assert refused.status_code == 404 and refused.json()["error"]["code"] == "case_not_found"
    assert [assignee_of(ws, c) for c in queue] == [None] * 4 and assignee_of(ws, theirs) is None
    unknown = a.post("/v1/cases/assign", json={"case_ids": queue[:2], "assignee": "olga@south.example"})
    assert unknown.status_code == 422 and [assignee_of(ws, c) for c in queue[:2]] == [None, None]

    done = a.post(
        "/v1/cases/assign", json={"case_ids": [queue[2], queue[0], queue[2]], "assignee": "ana@north.example"}
    )
    assert done.status_code == 200, done.text
    assert [c["id"] for c in done.json()] == [queue[2], queue[0]]
    assert {c["assignee_email"] for c in done.json()} == {"ana@north.example"}
    assert [assignee_of(ws, c) for c in queue] == [ANA, None, ANA, None]
    back = a.post("/v1/cases/assign", json={"case_ids": [queue[0]], "assignee": None})
    assert back.json()[0]["assignee"] is None and assignee_of(ws, queue[2]) == ANA
    assert a.post("/v1/cases/assign", json={"case_ids": [], "assignee": ANA}).status_code == 422


def test_the_queue_filters_by_assignee(app, queue):
    a = client(app, "clinic-a")
    a.post("/v1/cases/assign", json={"case_ids": queue[:2], "assignee": ANA})
    a.patch(f"/v1/cases/{queue[2]}", json={"assignee": BEN})

    def ids(**params):
        answer = a.get("/v1/cases", params=params)
        assert answer.status_code == 200, answer.text
        return {c["id"] for c in answer.json()}

    assert ids(assignee="ana@north.example") == ids(assignee=ANA) == set(queue[:2])
    assert ids(assignee="unassigned") == {queue[3]}
    assert ids(assignee="ben@north.example") == {queue[2]}
    assert ids() == set(queue)
    assert a.get("/v1/cases", params={"assignee": "olga@south.example"}).json()["error"]["code"] == "unknown_assignee"


def test_a_disabled_users_cases_can_still_be_found(app, ws, queue):
    with ws.sessions.begin() as session:
        session.get(CaseRow, queue[1]).assignee = GONE
    a = client(app, "clinic-a")
    found = a.get("/v1/cases", params={"assignee": "gone@north.example"}).json()
    assert [c["id"] for c in found] == [queue[1]]


def test_me_is_the_signed_in_user_and_refused_for_an_api_key(app, queue):
    key = client(app, "clinic-a")
    refused = key.get("/v1/cases", params={"assignee": "me"})
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "no_signed_in_user"
    assert "signed-in user" in refused.json()["error"]["message"]
    assert key.patch(f"/v1/cases/{queue[0]}", json={"assignee": "me"}).status_code == 422

    ben = sign_in_as(app, BEN)
    mine = ben.patch(f"/v1/cases/{queue[0]}", json={"assignee": "me"})
    assert mine.status_code == 200 and mine.json()["assignee"] == BEN
    ben.post("/v1/cases/assign", json={"case_ids": [queue[1]], "assignee": "me"})
    assert {c["id"] for c in ben.get("/v1/cases", params={"assignee": "me"}).json()} == set(queue[:2])


def test_the_assignees_are_the_tenants_active_users(app):
    staff = client(app, "clinic-a").get("/v1/assignees").json()
    assert staff == [{"id": BEN, "email": "Ben@North.example"}, {"id": ANA, "email": "ana@north.example"}]
    assert client(app, "clinic-b").get("/v1/assignees").json() == [{"id": OTHER, "email": "olga@south.example"}]


def test_the_csv_has_the_assignees_email(app, queue):
    a = client(app, "clinic-a")
    a.patch(f"/v1/cases/{queue[1]}", json={"assignee": ANA})
    exported = a.get("/v1/cases", params={"format": "csv"})
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(exported.text))}
    assert rows[queue[1]]["assignee"] == "ana@north.example" and rows[queue[0]]["assignee"] == ""


def test_the_cli_assigns_and_lists_by_assignee(tmp_path):
    home = tmp_path / "home"
    env = {"OVERTURN_HOME": str(home)}
    data = tmp_path / "era.835"
    data.write_bytes(remittance(denied=3, paid=0))
    imported = run_cli(["import", "835", str(data)], env)
    assert imported.returncode == 0, imported.stderr
    ids = [line.split()[0] for line in imported.stdout.splitlines()]
    from service.casework.state import open_workspace
    from service.config import Settings

    ws = open_workspace(Settings.from_env(env))
    with ws.sessions.begin() as session:
        session.add(UserRow(id=ANA, tenant=LOCAL_TENANT, email="ana@north.example", role="biller", password_hash="x"))
        session.add(UserRow(id=OTHER, tenant="clinic-b", email="olga@south.example", role="biller", password_hash="x"))
    ws.engine.dispose()

    done = run_cli(["cases", "assign", ids[0], "--to", "ana@north.example"], env)
    assert done.returncode == 0 and done.stdout.strip() == f"{ids[0]}: assigned to ana@north.example", done.stderr
    refused = run_cli(["cases", "assign", ids[1], "--to", "olga@south.example"], env)
    assert refused.returncode == 2 and refused.stderr.startswith("error: the assignee is not an active user")
    assert "olga" not in refused.stderr
    mine = run_cli(["cases", "list", "--assignee", "ana@north.example"], env).stdout.splitlines()
    assert [line.split()[0] for line in mine] == [ids[0]] and "ana@north.example" in mine[0]
    free = run_cli(["cases", "list", "--assignee", "unassigned"], env).stdout.splitlines()
    assert {line.split()[0] for line in free} == set(ids[1:])
    me = run_cli(["cases", "list", "--assignee", "me"], env)
    assert me.returncode == 2 and "signed-in user" in me.stderr
    assert run_cli(["cases", "assign", ids[0], "--to", "none"], env).stdout.strip() == f"{ids[0]}: unassigned"
    assert len(run_cli(["cases", "list", "--assignee", "unassigned"], env).stdout.splitlines()) == 3


def test_the_bulk_route_is_not_taken_for_a_case_id(app, queue):
    a = client(app, "clinic-a")
    wrong = a.put("/v1/cases/assign", json={})
    assert wrong.status_code == 405 and wrong.headers["allow"] == "POST"
    assert set(a.put(f"/v1/cases/{queue[0]}", json={}).headers["allow"].split(", ")) == {"GET", "PATCH", "DELETE"}
