"""Roles, route by route: every /v1 route declares who may call it (`service/api/roles.py`), each
route answers each role (by API key and by signed-in session) as its row says, and another
tenant's case, document and appeal ids answer 404 to signed-in staff as they do to keys. The app
in this process, documents read inline."""

from itertools import count

import pytest
from fastapi.routing import APIRoute

from eval.synth.charts import make_case
from service.api import roles
from service.api.roles import PUBLIC, ROUTE_ROLES
from service.models import ROLES
from service.store.keys import create_key
from service.store.users import create_user
from tests.api_server import InProcessServer
from tests.pdfs import make_pdf

PASSWORD = "correct horse battery"
_n = count()


@pytest.fixture(scope="module")
def server(tmp_path_factory, embedder):
    srv = InProcessServer(tmp_path_factory.mktemp("roles") / "home", embedder, OVERTURN_JOBS="inline").start()
    yield srv
    srv.stop()


def caller(server, tenant: str, role: str, kind: str):
    """A client acting as `role` of `tenant`: an API key of that role, or a user of that role
    signed in (its cookie kept by the client, its CSRF token sent with every request)."""
    sessions = server.app.state.workspace.sessions
    if kind == "key":
        return server.client(create_key(sessions, tenant, "", role).key)
    email = f"{role}{next(_n)}@{tenant}.example"
    create_user(sessions, tenant, email, role, PASSWORD)
    browser = server.client()
    started = browser.post("/v1/session", json={"email": email, "password": PASSWORD})
    assert started.status_code == 200, started.text
    browser.headers["X-CSRF-Token"] = started.json()["csrf_token"]
    return browser


def api_routes(routes, prefix: str = ""):
    """(method, path template) of every API route, also inside included routers (which this
    FastAPI keeps whole rather than copying their routes into the app's list)."""
    for route in routes:
        if isinstance(route, APIRoute):
            for method in route.methods:
                yield method, prefix + route.path
        elif hasattr(route, "original_router"):
            yield from api_routes(route.original_router.routes, prefix + route.include_context.prefix)


def v1_routes(app) -> list[tuple[str, str]]:
    found = sorted({r for r in api_routes(app.routes) if r[1].startswith("/v1/")})
    # signing out last: it ends a session caller's session
    return sorted(found, key=lambda r: r == ("DELETE", "/v1/session"))


def test_every_v1_route_declares_its_roles(server):
    undeclared = [r for r in v1_routes(server.app) if r not in ROUTE_ROLES and r not in PUBLIC]
    assert not undeclared, f"add these routes to ROUTE_ROLES in service/api/roles.py: {undeclared}"
    assert len(v1_routes(server.app)) >= 30
    assert all(set(allowed) <= set(ROLES) and allowed for allowed in ROUTE_ROLES.values())


def _call(client, method: str, template: str):
    path = template.replace("{number}", "1")
    while "{" in path:
        start = path.index("{")
        path = path[:start] + "x_none" + path[path.index("}") + 1 :]
    body = {"json": {}} if method in ("POST", "PUT", "PATCH") else {}
    return client.request(method, path, **body)


@pytest.mark.parametrize("kind", ["key", "session"])
@pytest.mark.parametrize("role", ROLES)
def test_each_route_answers_each_role_as_its_row_says(server, role, kind):
    client = caller(server, "roles-a", role, kind)
    wrong = []
    for method, template in v1_routes(server.app):
        if (method, template) in PUBLIC:
            continue
        answer = _call(client, method, template)
        allowed = role in ROUTE_ROLES[(method, template)]
        if allowed and answer.status_code in (401, 403):
            wrong.append((method, template, answer.status_code, answer.json()["error"]["code"]))
        if not allowed and (answer.status_code, answer.json()["error"]["code"]) != (403, "forbidden"):
            wrong.append((method, template, answer.status_code))
    assert not wrong, f"{role} by {kind}: {wrong}"


def test_a_route_limited_to_admins_refuses_the_others_and_an_undeclared_route_refuses_everyone(server, monkeypatch):
    callers = {role: caller(server, "roles-b", role, "session") for role in ROLES}
    monkeypatch.setitem(ROUTE_ROLES, ("GET", "/v1/stats"), roles.ADMIN)
    answers = {role: c.get("/v1/stats") for role, c in callers.items()}
    assert answers["admin"].status_code == 200
    for role in ("biller", "reviewer"):
        assert answers[role].status_code == 403 and answers[role].json()["error"] == {
            "code": "forbidden",
            "message": "this needs the role admin",
        }
    monkeypatch.delitem(ROUTE_ROLES, ("GET", "/v1/stats"))
    assert all(c.get("/v1/stats").status_code == 403 for c in callers.values())
    assert callers["admin"].get("/healthz").status_code == 200


def test_no_caller_is_401_before_any_role_or_input_is_looked_at(server):
    anyone = server.client()
    for method, template in v1_routes(server.app):
        if (method, template) not in PUBLIC:
            answer = _call(anyone, method, template)
            assert answer.status_code == 401, (method, template, answer.status_code)
    assert anyone.get("/healthz").status_code == 200
    assert anyone.post("/v1/session", json={"email": "a@b.example", "password": "wrong"}).status_code == 401


@pytest.fixture(scope="module")
def tenant_a(server):
    """Tenant A's case with one read document and a drafted appeal."""
    a = caller(server, "tenant-a", "biller", "session")
    made = make_case(
        "CCM20", 4417, pages=5, documents=1, scanned=0, misfiled=False, out_of_period=False, injection=False
    )
    case = a.post("/v1/cases", json=made.case)
    assert case.status_code == 201, case.text
    case_id = case.json()["id"]
    name, data = made.documents[0]
    doc = a.post(f"/v1/cases/{case_id}/documents", files={"file": (name, data, "application/pdf")})
    assert doc.status_code in (200, 202), doc.text
    assert a.get(f"/v1/cases/{case_id}").json()["documents"][0]["status"] == "ready"
    appeal = a.post(f"/v1/cases/{case_id}/appeals")
    assert appeal.status_code == 201, appeal.text
    return {"case": case_id, "doc": doc.json()["id"], "appeal": appeal.json()["id"]}


def _attempts(client, ids: dict) -> list:
    case_id, doc_id, appeal_id = ids["case"], ids["doc"], ids["appeal"]
    pdf = make_pdf([["Patient: nobody"]])
    return [
        client.get(f"/v1/cases/{case_id}"),
        client.post(f"/v1/cases/{case_id}/documents", files={"file": ("x.pdf", pdf, "application/pdf")}),
        client.get(f"/v1/cases/{case_id}/documents/{doc_id}"),
        client.get(f"/v1/cases/{case_id}/documents/{doc_id}/pages/1"),
        client.delete(f"/v1/cases/{case_id}/documents/{doc_id}"),
        client.post(f"/v1/cases/{case_id}/appeals"),
        client.get(f"/v1/appeals/{appeal_id}"),
        client.get(f"/v1/appeals/{appeal_id}.docx"),
        client.get(f"/v1/appeals/{appeal_id}.pdf"),
        client.get(f"/v1/appeals/{appeal_id}/packet.pdf"),
        client.post(f"/v1/appeals/{appeal_id}/check", json={"letter": "Dear reviewer"}),
        client.put(f"/v1/appeals/{appeal_id}/letter", json={"letter": "Dear reviewer"}),
        client.post("/v1/chat", json={"question": "What is in this case?", "case_id": case_id}),
        client.get("/v1/chat", params={"case_id": case_id}),
        client.patch(f"/v1/cases/{case_id}", json={"status": "won", "amount_recovered": 1}),
        client.delete(f"/v1/cases/{case_id}"),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_another_tenants_ids_answer_404_to_signed_in_staff_of_every_role(server, tenant_a, role):
    b = caller(server, "tenant-b", role, "session")
    for answer in _attempts(b, tenant_a):
        assert answer.status_code == 404, (role, answer.request.method, answer.request.url.path, answer.status_code)
        assert set(answer.json()) == {"error"}
    assert b.get("/v1/cases").json() == []
    a = caller(server, "tenant-a", role, "session")  # untouched, and open to A's staff of this role
    assert a.get(f"/v1/cases/{tenant_a['case']}").json()["documents"][0]["status"] == "ready"
    assert a.get(f"/v1/appeals/{tenant_a['appeal']}").status_code == 200
    assert a.get(f"/v1/cases/{tenant_a['case']}/documents/{tenant_a['doc']}/pages/1").status_code == 200
