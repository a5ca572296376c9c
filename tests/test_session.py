"""Signing in over HTTP: the session cookie and its flags, CSRF on every change of a signed-in
browser (and not for API keys), lockout, idle logoff, sign-out and disabled users. The app in
this process (TestClient); no document is read, so no model is loaded."""

import hashlib
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from service.api.app import create_app
from service.config import Settings
from service.store.db import AuditEventRow, UserRow, WebSessionRow, now
from service.store.keys import create_key
from service.store.users import create_user, disable_user

PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return create_app(Settings(home=tmp_path_factory.mktemp("session") / "home"))


@pytest.fixture
def ws(app):
    return app.state.workspace


_made = iter(range(10_000))


@pytest.fixture
def user(ws):
    """A fresh biller of tenant `clinic-a` (its own email, so lockouts do not carry over)."""
    row, _ = create_user(ws.sessions, "clinic-a", f"biller{next(_made)}@clinic.example", "biller", PASSWORD)
    return row


def client(app) -> TestClient:
    return TestClient(app)


def sign_in(app, email: str, password: str = PASSWORD) -> tuple[TestClient, str]:
    browser = client(app)
    answer = browser.post("/v1/session", json={"email": email, "password": password})
    assert answer.status_code == 200, answer.text
    return browser, answer.json()["csrf_token"]


def _session_row(ws, token: str) -> WebSessionRow:
    with ws.sessions() as session:
        row = session.get(WebSessionRow, hashlib.sha256(token.encode()).hexdigest())
        assert row is not None
        return row


def _age(ws, token: str, seconds: float) -> None:
    """The session as if its last request was `seconds` ago."""
    with ws.sessions.begin() as session:
        row = session.get(WebSessionRow, hashlib.sha256(token.encode()).hexdigest())
        row.last_seen_at = now() - timedelta(seconds=seconds)


def test_sign_in_sets_an_httponly_strict_cookie_and_answers_the_user_and_csrf_token(app, ws, user):
    answer = client(app).post("/v1/session", json={"email": user.email.upper(), "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["user"] == {"id": user.id, "email": user.email, "role": "biller", "tenant": "clinic-a"}
    assert len(body["csrf_token"]) >= 40
    cookie = answer.headers["set-cookie"]
    token = cookie.split(";")[0].removeprefix("overturn_session=")
    flags = {part.strip().lower() for part in cookie.split(";")[1:]}
    assert {"httponly", "samesite=strict", "path=/"} <= flags and "secure" not in flags
    assert not any(f.startswith(("max-age", "expires")) for f in flags), "a session cookie ends with the browser"
    row = _session_row(ws, token)  # found by the token's hash; neither token is stored
    assert row.user_id == user.id and token not in (row.id, row.csrf_hash) and body["csrf_token"] != row.csrf_hash
    assert row.csrf_hash == hashlib.sha256(body["csrf_token"].encode()).hexdigest()


def test_the_cookie_is_secure_when_the_setting_says_so(app, ws, user, monkeypatch):
    monkeypatch.setattr(ws.settings, "cookie_secure", True)
    answer = client(app).post("/v1/session", json={"email": user.email, "password": PASSWORD})
    assert "secure" in {part.strip().lower() for part in answer.headers["set-cookie"].split(";")}


def test_a_signed_in_browser_uses_the_same_routes_as_a_key_within_its_tenant(app, ws, user, case_fields):
    browser, csrf = sign_in(app, user.email)
    assert browser.get("/v1/session").json()["user"]["email"] == user.email
    assert browser.get("/v1/me").json() == {"tenant": "clinic-a"}
    made = browser.post("/v1/cases", json=case_fields, headers={"X-CSRF-Token": csrf})
    assert made.status_code == 201, made.text
    same_tenant = TestClient(app, headers={"Authorization": f"Bearer {create_key(ws.sessions, 'clinic-a').key}"})
    other_tenant = TestClient(app, headers={"Authorization": f"Bearer {create_key(ws.sessions, 'clinic-b').key}"})
    assert made.json()["id"] in [c["id"] for c in same_tenant.get("/v1/cases").json()]
    assert other_tenant.get(f"/v1/cases/{made.json()['id']}").status_code == 404
    assert same_tenant.get("/v1/session").json()["error"]["code"] == "no_session"


def test_changes_from_a_signed_in_browser_need_the_csrf_token_and_keys_do_not(app, ws, user, case_fields):
    browser, csrf = sign_in(app, user.email)
    case_id = browser.post("/v1/cases", json=case_fields, headers={"X-CSRF-Token": csrf}).json()["id"]
    changes = [
        ("POST", "/v1/cases", {"json": case_fields}),
        ("PATCH", f"/v1/cases/{case_id}", {"json": {"status": "sent"}}),
        ("PUT", "/v1/appeals/apl_none/letter", {"json": {"letter": "Dear reviewer"}}),
        ("DELETE", f"/v1/cases/{case_id}", {}),
        ("DELETE", "/v1/session", {}),
    ]
    for method, path, kwargs in changes:
        for headers in ({}, {"X-CSRF-Token": "not-the-token"}, {"X-CSRF-Token": ""}):
            refused = browser.request(method, path, headers=headers, **kwargs)
            assert refused.status_code == 403, (method, path, headers, refused.status_code)
            assert refused.json()["error"]["code"] == "csrf_failed"
    assert browser.get(f"/v1/cases/{case_id}").json()["status"] == "new", "a refused change was made"
    assert browser.get("/v1/cases").status_code == 200  # reads need no token
    assert (
        browser.patch(f"/v1/cases/{case_id}", json={"status": "sent"}, headers={"X-CSRF-Token": csrf}).status_code
        == 200
    )

    key = create_key(ws.sessions, "clinic-a").key
    portal = TestClient(app, headers={"Authorization": f"Bearer {key}"})
    assert portal.post("/v1/cases", json=case_fields).status_code == 201
    assert portal.delete(f"/v1/cases/{case_id}").status_code == 204


def test_a_key_is_used_before_a_cookie_when_both_are_sent(app, ws, user, case_fields):
    browser, _ = sign_in(app, user.email)
    key = create_key(ws.sessions, "clinic-b").key
    answer = browser.post("/v1/cases", json=case_fields, headers={"Authorization": f"Bearer {key}"})
    assert answer.status_code == 201 and answer.json()["id"]
    assert browser.get("/v1/me", headers={"Authorization": f"Bearer {key}"}).json() == {"tenant": "clinic-b"}
    assert browser.get("/v1/me", headers={"Authorization": "Bearer ovt_wrong"}).status_code == 401


def test_wrong_passwords_answer_401_then_423_even_for_the_right_password(app, ws, user):
    anyone = client(app)
    for _ in range(4):
        wrong = anyone.post("/v1/session", json={"email": user.email, "password": "wrong password here"})
        assert wrong.status_code == 401 and wrong.json()["error"]["code"] == "invalid_credentials"
        assert "set-cookie" not in wrong.headers
    unknown = anyone.post("/v1/session", json={"email": "nobody@clinic.example", "password": "wrong password here"})
    assert (unknown.status_code, unknown.json()) == (401, wrong.json())
    fifth = anyone.post("/v1/session", json={"email": user.email, "password": "wrong password here"})
    assert fifth.status_code == 423 and fifth.json()["error"]["code"] == "account_locked"
    right = anyone.post("/v1/session", json={"email": user.email, "password": PASSWORD})
    assert right.status_code == 423 and "set-cookie" not in right.headers
    with ws.sessions.begin() as session:  # the lock's time has passed
        session.get(UserRow, user.id).locked_until = now() - timedelta(seconds=1)
    assert anyone.post("/v1/session", json={"email": user.email, "password": PASSWORD}).status_code == 200


def test_a_session_idle_longer_than_the_setting_ends_and_says_so(app, ws, user, monkeypatch):
    browser, _ = sign_in(app, user.email)
    token = browser.cookies["overturn_session"]
    _age(ws, token, 14 * 60)
    assert browser.get("/v1/cases").status_code == 200
    _age(ws, token, 15 * 60 + 5)
    expired = browser.get("/v1/cases")
    assert expired.status_code == 401 and expired.json()["error"]["code"] == "session_expired"
    assert _session_row(ws, token).ended_at is not None
    again = browser.get("/v1/cases")  # ended for good, whatever happens later
    assert again.status_code == 401 and again.json()["error"]["code"] == "unauthorized"

    monkeypatch.setattr(ws.settings, "idle_minutes", 2)
    browser, _ = sign_in(app, user.email)
    _age(ws, browser.cookies["overturn_session"], 2 * 60 + 5)
    assert browser.get("/v1/me").json()["error"]["code"] == "session_expired"


def test_activity_is_written_at_most_every_half_minute(app, ws, user):
    browser, _ = sign_in(app, user.email)
    token = browser.cookies["overturn_session"]
    _age(ws, token, 10)
    before = _session_row(ws, token).last_seen_at
    browser.get("/v1/me")
    assert _session_row(ws, token).last_seen_at == before
    _age(ws, token, 40)
    browser.get("/v1/me")
    assert now() - _session_row(ws, token).last_seen_at < timedelta(seconds=5)


def test_sign_out_ends_the_session_and_clears_the_cookie(app, ws, user):
    browser, csrf = sign_in(app, user.email)
    token = browser.cookies["overturn_session"]
    answer = browser.delete("/v1/session", headers={"X-CSRF-Token": csrf})
    assert answer.status_code == 204
    cleared = answer.headers["set-cookie"].lower()
    assert cleared.startswith('overturn_session=""') and "max-age=0" in cleared
    assert _session_row(ws, token).ended_at is not None
    replayed = client(app)
    replayed.cookies.set("overturn_session", token)
    assert replayed.get("/v1/me").status_code == 401
    with ws.sessions() as session:
        ends = session.scalars(select(AuditEventRow).where(AuditEventRow.action == "session.end")).all()
    assert any(e.actor == f"user:{user.id}" and e.object == f"user:{user.id}" for e in ends)


def test_signing_in_again_replaces_the_browsers_session(app, ws, user):
    browser, _ = sign_in(app, user.email)
    first = browser.cookies["overturn_session"]
    assert browser.post("/v1/session", json={"email": user.email, "password": PASSWORD}).status_code == 200
    assert browser.cookies["overturn_session"] != first and _session_row(ws, first).ended_at is not None


def test_a_disabled_user_is_signed_out_and_cannot_sign_in(app, ws, user):
    browser, _ = sign_in(app, user.email)
    disable_user(ws.sessions, user.email)
    assert browser.get("/v1/me").status_code == 401
    refused = client(app).post("/v1/session", json={"email": user.email, "password": PASSWORD})
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "invalid_credentials"


def test_sign_in_input_is_checked_without_echoing_it(app):
    anyone = client(app)
    long = anyone.post("/v1/session", json={"email": "a@b.example", "password": "p" * 5000})
    assert long.status_code == 422 and "ppp" not in long.text
    assert anyone.post("/v1/session", json={"email": "a@b.example"}).status_code == 422
    as_form = anyone.post(
        "/v1/session", content='{"email": "a@b.example", "password": "x"}', headers={"Content-Type": "text/plain"}
    )
    assert as_form.status_code in (400, 415, 422), "a cross-site form post could sign a browser in"


def test_a_busy_session_still_ends_its_lifetime_after_sign_in(app, ws, user):
    browser, _ = sign_in(app, user.email)
    token = browser.cookies["overturn_session"]
    with ws.sessions.begin() as session:
        row = session.get(WebSessionRow, hashlib.sha256(token.encode()).hexdigest())
        row.created_at = now() - timedelta(hours=ws.settings.session_hours) + timedelta(minutes=5)
    assert browser.get("/v1/cases").status_code == 200  # active and within its hours
    with ws.sessions.begin() as session:
        row = session.get(WebSessionRow, hashlib.sha256(token.encode()).hexdigest())
        row.created_at = now() - timedelta(hours=ws.settings.session_hours, minutes=1)
    ended = browser.get("/v1/cases")
    assert ended.status_code == 401 and ended.json()["error"]["code"] == "session_expired"


def test_rows_of_sessions_ended_more_than_a_day_ago_go_at_the_next_sign_in(app, ws, user):
    first, _ = sign_in(app, user.email)
    old = first.cookies["overturn_session"]
    with ws.sessions.begin() as session:
        row = session.get(WebSessionRow, hashlib.sha256(old.encode()).hexdigest())
        row.ended_at = now() - timedelta(days=1, minutes=1)
    recent, _ = sign_in(app, user.email)
    kept = recent.cookies["overturn_session"]
    with ws.sessions.begin() as session:
        row = session.get(WebSessionRow, hashlib.sha256(kept.encode()).hexdigest())
        row.ended_at = now() - timedelta(hours=2)
    sign_in(app, user.email)
    with ws.sessions() as session:
        assert session.get(WebSessionRow, hashlib.sha256(old.encode()).hexdigest()) is None
        assert session.get(WebSessionRow, hashlib.sha256(kept.encode()).hexdigest()) is not None
