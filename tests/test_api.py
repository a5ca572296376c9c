"""The HTTP API, driven with httpx: in this process (TestClient) on the embedded stack, on real
`overturn serve` processes (uvicorn on loopback) on the scaled stack, and over real HTTP by the
one smoke test of `overturn serve` itself.

One server for the module: the portal flow on held-out generated records for tenant A, every A
id tried with B's key, bad uploads, duplicates, then deletion. Assertions reduce record text to
booleans first, so a failure never prints PHI.
"""

import csv
import io
import sqlite3
import time
from datetime import date, timedelta
from decimal import Decimal

import pytest
from docx import Document
from pypdf import PdfReader

from eval.synth.charts import make_case
from eval.synth.remittance import ClaimSpec, LineSpec, RemittanceSpec, write_835
from service.casework.state import workspace_vectors
from service.config import Settings
from service.store.crypto import load_key
from tests.api_server import InProcessServer, JobWorker, Server, wait_ready
from tests.pdfs import encrypt, make_pdf

# the scaled stack's PostgreSQL is requested inside the fixture, so the module says it uses it
pytestmark = [pytest.mark.integration, pytest.mark.postgresql]


@pytest.fixture(scope="module", params=["embedded", "scaled"])
def server(request, tmp_path_factory):
    """The suite runs on both stacks: the app in this process with SQLite and embedded Chroma;
    and 2 API workers that only enqueue plus 2 job workers, on PostgreSQL and a Chroma server."""
    home = tmp_path_factory.mktemp(f"api-{request.param}") / "home"
    if request.param == "embedded":
        srv = InProcessServer(home, request.getfixturevalue("embedder")).start()
        yield srv
        srv.stop()
        return
    postgres, chroma = request.getfixturevalue("postgres"), request.getfixturevalue("chroma_server")
    srv = Server(
        home,
        "--workers",
        "2",
        OVERTURN_DATABASE_URL=postgres.database(),
        OVERTURN_CHROMA_URL=chroma.url,
        OVERTURN_JOBS="queue",
    )
    upgraded = srv.cli("db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    srv.start()
    workers = [JobWorker(srv).start() for _ in range(2)]
    yield srv
    for worker in workers:
        worker.stop()
    srv.stop()


@pytest.fixture(scope="module")
def keys(server):
    return {"a": server.key("clinic-a"), "b": server.key("portal-b")}


@pytest.fixture(scope="module")
def held_out():
    """A record the tuning never saw: two documents, one scanned page, a misfiled page."""
    return make_case(
        "CCM20", 7311, pages=9, documents=2, scanned=1, misfiled=True, out_of_period=False, injection=False
    )


@pytest.fixture(scope="module")
def flow(server, keys, held_out):
    """Tenant A's whole portal flow; later tests reuse its ids."""
    a = server.client(keys["a"])
    case = a.post("/v1/cases", json=held_out.case)
    assert case.status_code == 201, case.text
    case_id = case.json()["id"]
    uploads = []
    for name, data in held_out.documents:
        answer = a.post(f"/v1/cases/{case_id}/documents", files={"file": (name, data, "application/pdf")})
        assert answer.status_code == 202, answer.text
        uploads.append(answer.json())
    ready = wait_ready(a, case_id)
    appeal = a.post(f"/v1/cases/{case_id}/appeals")
    assert appeal.status_code == 201, appeal.text
    return {"case_id": case_id, "uploads": uploads, "ready": ready, "appeal": appeal.json(), "client": a}


def flat(text: str) -> str:
    return " ".join(text.split())


def test_portal_flow_reads_drafts_and_exports(flow, held_out):
    a, case_id, appeal = flow["client"], flow["case_id"], flow["appeal"]
    ready = flow["ready"]
    assert ready["records"] == "ready" and len(ready["documents"]) == len(held_out.documents)
    for doc in ready["documents"]:
        assert doc["status"] == "ready" and doc["pages_done"] == doc["pages_total"] == len(doc["pages"])
    assert any(p["ocr"] for d in ready["documents"] for p in d["pages"]), "the scanned page was not flagged as OCR"
    assert all(p["rotation"] == 0 for d in ready["documents"] for p in d["pages"]), (
        "an upright scan was reported turned"
    )
    assert {"id", "letter", "method", "citations", "excluded_pages", "warnings", "deadline"} <= set(appeal)
    assert appeal["method"] == "template" and appeal["citations"]
    assert flat(held_out.case["claim_number"]) in appeal["letter"]
    ids = {d["name"]: d["id"] for d in ready["documents"]}
    for citation in appeal["citations"]:
        page = a.get(f"/v1/cases/{case_id}/documents/{ids[citation['document']]}/pages/{citation['page']}")
        assert page.status_code == 200
        verbatim = citation["quote"] in page.json()["text"]
        assert verbatim, f"quote {citation['marker']} is not verbatim on its page"
    excluded = {(e["document"], e["page"]) for e in held_out.gold["excluded_pages"]}
    cited = {(c["document"], c["page"]) for c in appeal["citations"]}
    assert excluded and not cited & excluded, "a page of another patient was cited"
    assert excluded <= {(e["document"], e["page"]) for e in appeal["excluded_pages"]}

    again = a.get(f"/v1/appeals/{appeal['id']}")
    assert again.status_code == 200 and again.json()["letter"] == appeal["letter"]

    docx = a.get(f"/v1/appeals/{appeal['id']}.docx")
    assert docx.status_code == 200 and "wordprocessingml" in docx.headers["content-type"]
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    has_fields = held_out.case["claim_number"] in text and "Sources" in text
    assert has_fields, "the DOCX lacks the claim number or its Sources"

    pdf = a.get(f"/v1/appeals/{appeal['id']}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    pdf_text = flat(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages))
    assert held_out.case["claim_number"] in pdf_text and "Sources" in pdf_text

    packet = a.get(f"/v1/appeals/{appeal['id']}/packet.pdf")
    assert packet.status_code == 200 and packet.headers["content-type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(packet.content)).pages
    order = list(dict.fromkeys((c["document"], c["page"]) for c in appeal["citations"]))
    assert len(pages) == 1 + len(order)
    first = next(c for c in appeal["citations"] if (c["document"], c["page"]) == order[0])
    on_page = flat(first["quote"])[:40] in flat(pages[1].extract_text())
    assert on_page, "the packet's first copied page is not the first cited page"


def test_case_list_and_chat_belong_to_the_tenant(flow, server, keys, held_out):
    a, case_id = flow["client"], flow["case_id"]
    listed = a.get("/v1/cases").json()
    assert [c["id"] for c in listed] == [case_id]
    assert listed[0]["status"] == "drafted" and listed[0]["documents"] == len(held_out.documents)
    answer = a.post("/v1/chat", json={"question": "On how many days did the device send readings?", "case_id": case_id})
    assert answer.status_code == 200
    body = answer.json()
    assert body["citations"] and all(m in body["answer"] for m in {c["marker"] for c in body["citations"][:1]})
    assert any(c["kind"] == "record" for c in body["citations"])
    assert [h["id"] for h in a.get("/v1/chat", params={"case_id": case_id}).json()] == [body["id"]]
    assert server.client(keys["b"]).get("/v1/chat").json() == []


def test_every_id_of_tenant_a_is_404_for_tenant_b(flow, server, keys):
    b = server.client(keys["b"])
    case_id, appeal_id = flow["case_id"], flow["appeal"]["id"]
    doc_id = flow["uploads"][0]["id"]
    pdf = make_pdf([["Patient: nobody"]])
    attempts = [
        b.get(f"/v1/cases/{case_id}"),
        b.post(f"/v1/cases/{case_id}/documents", files={"file": ("x.pdf", pdf, "application/pdf")}),
        b.get(f"/v1/cases/{case_id}/documents/{doc_id}"),
        b.get(f"/v1/cases/{case_id}/documents/{doc_id}/pages/1"),
        b.delete(f"/v1/cases/{case_id}/documents/{doc_id}"),
        b.post(f"/v1/cases/{case_id}/appeals"),
        b.get(f"/v1/appeals/{appeal_id}"),
        b.get(f"/v1/appeals/{appeal_id}.docx"),
        b.get(f"/v1/appeals/{appeal_id}.pdf"),
        b.get(f"/v1/appeals/{appeal_id}/packet.pdf"),
        b.post(f"/v1/appeals/{appeal_id}/check", json={"letter": "Dear reviewer"}),
        b.put(f"/v1/appeals/{appeal_id}/letter", json={"letter": "Dear reviewer"}),
        b.post("/v1/chat/stream", json={"question": "What is in this case?", "case_id": case_id}),
        b.post("/v1/chat", json={"question": "What is in this case?", "case_id": case_id}),
        b.get("/v1/chat", params={"case_id": case_id}),
        b.patch(f"/v1/cases/{case_id}", json={"status": "won", "amount_recovered": 1}),
        b.delete(f"/v1/cases/{case_id}"),
    ]
    for answer in attempts:
        assert answer.status_code == 404, (answer.request.method, answer.request.url.path, answer.status_code)
        assert set(answer.json()) == {"error"} and "message" in answer.json()["error"]
    assert b.get("/v1/cases").json() == []
    # Nothing of A was disturbed by B's attempts.
    a = flow["client"]
    assert a.get(f"/v1/cases/{case_id}").json()["documents"][0]["status"] == "ready"
    assert a.get(f"/v1/appeals/{appeal_id}").status_code == 200


def test_a_remittance_becomes_a_tracked_work_queue(server, keys):
    """20 denials and 3 paid claims in one 835: one call makes 20 triaged cases; the queue, the
    status changes, the stats and the CSV follow, for this tenant only."""
    c = server.client(server.key("remit-c"))
    codes = [("CO", "50"), ("CO", "97"), ("CO", "16"), ("PR", "96"), ("OA", "22")]
    claims = [
        ClaimSpec(
            f"R-{n:03d}",
            "VANCE",
            f"PT{n}",
            f"MB{n:06d}",
            filing="MB",
            payer_claim_number=f"ICN{n:09d}",
            lines=[
                LineSpec(
                    "99457",
                    Decimal(50 + n),
                    [(codes[n % 5][0], codes[n % 5][1], Decimal(50 + n))],
                    date_of_service=date(2026, 9, 10),
                )
            ],
        )
        for n in range(20)
    ]
    claims += [
        ClaimSpec(
            f"OK-{n}",
            "PAID",
            "PT",
            f"OK{n:05d}",
            filing="MB",
            payer_claim_number=f"OK{n:09d}",
            lines=[
                LineSpec(
                    "99214",
                    Decimal(100),
                    [("CO", "45", Decimal(10)), ("PR", "2", Decimal(18))],
                    date_of_service=date(2026, 9, 10),
                )
            ],
        )
        for n in range(3)
    ]
    data = write_835([RemittanceSpec(payer="NORIDIAN JF PART B", claims=claims, paid_on=date(2026, 10, 2))]).encode()
    made = c.post("/v1/remittances", files={"file": ("era.835", data, "application/octet-stream")})
    assert made.status_code == 201, made.text
    body = made.json()
    assert len(body["cases"]) == 20 and body["errors"] == [] and (body["claims"], body["paid"]) == (23, 3)
    assert set(body["cases"][0]) >= {"id", "claim_number", "adjustments", "action", "deadline"}
    assert set(body["cases"][0]["adjustments"][0]) >= {"group", "carc", "rarcs", "amount", "cpt"}
    again = c.post("/v1/remittances", files={"file": ("era.835", data, "application/octet-stream")}).json()
    assert [x["id"] for x in again["cases"]] == [x["id"] for x in body["cases"]] and not any(
        x["created"] for x in again["cases"]
    )

    queue = c.get("/v1/cases", params={"sort": "queue"}).json()
    assert len(queue) == 20 and all(
        {"action", "status", "deadline", "days_left", "amount_denied"} <= set(x) for x in queue
    )
    dated = [x["deadline"] for x in queue if x["deadline"]]
    assert dated == sorted(dated) and queue[0]["deadline"] == (date(2026, 10, 2) + timedelta(days=125)).isoformat()
    appeals = c.get("/v1/cases", params={"action": "appeal"}).json()
    assert len(appeals) == 8 and all(x["action"] == "appeal" for x in appeals)
    target = appeals[0]["id"]
    sent = c.patch(f"/v1/cases/{target}", json={"status": "sent"})
    assert sent.status_code == 200 and sent.json()["status"] == "sent" and sent.json()["sent_at"]
    won = c.patch(f"/v1/cases/{target}", json={"status": "won", "amount_recovered": 57.5}).json()
    assert won["status"] == "won" and won["amount_recovered"] == 57.5 and won["decided_at"]
    assert c.patch(f"/v1/cases/{target}", json={"status": "celebrated"}).status_code == 422
    assert c.patch(f"/v1/cases/{target}", json={"amount_recovered": -5}).status_code == 422
    assert c.get("/v1/cases", params={"status": "won"}).json()[0]["id"] == target

    stats = c.get("/v1/stats").json()
    assert stats["cases"] == 20 and stats["by_status"]["won"] == 1 and stats["amount_recovered"] == 57.5
    assert stats["by_payer"][0]["key"] == "NORIDIAN JF PART B" and stats["by_payer"][0]["won"] == 1
    exported = c.get("/v1/cases", params={"sort": "queue", "format": "csv"})
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    assert len(list(csv.DictReader(io.StringIO(exported.text)))) == 20

    b = server.client(keys["b"])
    assert b.get("/v1/stats").json()["cases"] == 0
    assert b.patch(f"/v1/cases/{target}", json={"status": "lost"}).status_code == 404
    broken = c.post("/v1/remittances", files={"file": ("era.835", b"%PDF-1.4 nope", "application/pdf")})
    assert broken.status_code == 422 and broken.json()["error"]["code"] == "invalid_remittance"
    assert c.post("/v1/remittances", json={"file": "x"}).status_code == 400
    assert len(c.get("/v1/cases").json()) == 20


def test_a_denial_letter_fills_claim_fields_and_nothing_is_kept(server, keys):
    from eval.synth.letters import make_letter

    a = server.client(keys["a"])
    pdf, gold = make_letter("commercial_eob", 2004)
    answer = a.post("/v1/notices", files={"file": ("eob.pdf", pdf, "application/pdf")})
    assert answer.status_code == 200, answer.text
    fields = answer.json()["fields"]
    assert fields["claim_number"]["value"] == gold.claim_number and fields["billed_cpt"]["value"] == gold.billed_cpt
    assert all({"value", "confidence", "page", "quote", "review"} <= set(f) for f in fields.values())
    assert answer.json()["bar"] == 0.75
    refused = a.post("/v1/notices", files={"file": ("x.bin", b"\x89PNG\r\n\x1a\nbinary\x00", "image/png")})
    assert refused.status_code == 415 and refused.json()["error"]["code"] == "not_a_pdf"
    assert a.post("/v1/notices", files={"file": ("e.txt", b"   ", "text/plain")}).status_code == 400


def test_edited_letters_are_checked_and_saved(flow, held_out):
    a, appeal = flow["client"], flow["appeal"]
    clean = a.post(f"/v1/appeals/{appeal['id']}/check", json={"letter": appeal["letter"]})
    assert clean.status_code == 200 and clean.json()["findings"] == []
    invented = appeal["letter"].replace("Dear", "We also spent 45 minutes on 03/03/2031.\n\nDear", 1)
    names = {
        f["name"] for f in a.post(f"/v1/appeals/{appeal['id']}/check", json={"letter": invented}).json()["findings"]
    }
    assert {"unsupported_number", "unsupported_date"} <= names
    assert a.get(f"/v1/appeals/{appeal['id']}").json()["letter"] == appeal["letter"], "a check must not save"
    first = appeal["citations"][0]["quote"]
    body, rule, sources = appeal["letter"].partition("\nSources\n")
    moved = body + rule + sources.replace(first[:20], "Invented words here", 1)
    names = {f["name"] for f in a.post(f"/v1/appeals/{appeal['id']}/check", json={"letter": moved}).json()["findings"]}
    assert "sources_changed" in names
    edited = appeal["letter"].replace("Dear", "Thank you for reviewing this request.\n\nDear", 1)
    saved = a.put(f"/v1/appeals/{appeal['id']}/letter", json={"letter": edited}).json()
    assert saved["edited"] is True and saved["findings"] == [] and saved["letter"] == edited
    docx = a.get(f"/v1/appeals/{appeal['id']}.docx").content
    assert "Thank you for reviewing" in "\n".join(p.text for p in Document(io.BytesIO(docx)).paragraphs)
    a.put(f"/v1/appeals/{appeal['id']}/letter", json={"letter": appeal["letter"]})


def test_chat_streams_citations_then_text(flow):
    import json

    a = flow["client"]
    with a.stream("POST", "/v1/chat/stream", json={"question": "What does CCM20 mean?"}) as answer:
        assert answer.status_code == 200 and answer.headers["content-type"].startswith("application/x-ndjson")
        events = [json.loads(line) for line in answer.iter_lines() if line]
    assert events[0]["type"] == "citations" and events[-1]["type"] == "done"
    text = "".join(e["text"] for e in events if e["type"] == "text")
    assert "[1]" in text and any(c["code"] == "CCM20" for c in events[0]["citations"])
    assert a.get("/v1/me").json() == {"tenant": "clinic-a"}


def test_an_unknown_id_answers_like_another_tenants(flow, server, keys):
    b = server.client(keys["b"])
    theirs = b.get(f"/v1/cases/{flow['case_id']}").json()
    nobody = b.get("/v1/cases/cas_000000000000000000000000").json()
    assert theirs == nobody


def test_keys_are_required_and_revocable(server):
    assert server.client().get("/v1/codes").status_code == 401
    assert server.client("ovt_nothing").get("/v1/codes").status_code == 401
    key = server.key("short-lived")
    assert server.client(key).get("/v1/codes").status_code == 200
    key_id = key.split("_")[1]
    listed = server.cli("keys", "list").stdout
    assert key_id in listed and key not in listed
    assert server.cli("keys", "revoke", key_id).returncode == 0
    denied = server.client(key).get("/v1/codes")
    assert denied.status_code == 401 and denied.json()["error"]["code"] == "unauthorized"
    assert denied.headers["www-authenticate"] == "Bearer"


@pytest.fixture
def fresh_case(server, keys, case_fields):
    a = server.client(keys["a"])
    case = a.post("/v1/cases", json=case_fields).json()
    return a, case["id"]


@pytest.mark.parametrize(
    "name, data, status, code",
    [
        ("locked.pdf", encrypt(make_pdf([["Patient: Maria L. Gonzalez"]]), "pw"), 400, "encrypted_pdf"),
        ("photo.pdf", b"\x89PNG\r\n\x1a\n Maria L. Gonzalez", 415, "not_a_pdf"),
        ("notes.txt", b"Maria L. Gonzalez was seen today.", 415, "not_a_pdf"),
        ("broken.pdf", b"%PDF-1.4\n garbage", 422, "corrupt_pdf"),
        ("empty.pdf", b"", 400, "empty_file"),
    ],
)
def test_bad_uploads_get_a_specific_error_and_lose_nothing(fresh_case, name, data, status, code):
    a, case_id = fresh_case
    good = a.post(
        f"/v1/cases/{case_id}/documents",
        files={"file": ("good.pdf", make_pdf([["Care plan reviewed."]]), "application/pdf")},
    )
    assert good.status_code == 202
    bad = a.post(f"/v1/cases/{case_id}/documents", files={"file": (f"Gonzalez_{name}", data, "application/pdf")})
    assert bad.status_code == status and bad.json()["error"]["code"] == code
    assert "Gonzalez" not in bad.text, "the file's name or content is in the error"
    case = a.get(f"/v1/cases/{case_id}").json()
    assert [d["name"] for d in case["documents"]] == ["good.pdf"]
    assert wait_ready(a, case_id)["documents"][0]["status"] == "ready"


def test_uploads_that_are_not_multipart_files(fresh_case):
    a, case_id = fresh_case
    raw = a.post(
        f"/v1/cases/{case_id}/documents", content=make_pdf([["x"]]), headers={"content-type": "application/pdf"}
    )
    assert raw.status_code == 400 and raw.json()["error"]["code"] == "bad_upload"
    wrong_field = a.post(
        f"/v1/cases/{case_id}/documents", files={"document": ("a.pdf", make_pdf([["x"]]), "application/pdf")}
    )
    assert wrong_field.status_code == 400 and wrong_field.json()["error"]["code"] == "bad_upload"


def test_the_same_file_twice_is_read_once(fresh_case):
    a, case_id = fresh_case
    data = make_pdf([["Monthly care plan review with the patient, 25 minutes."]])
    first = a.post(f"/v1/cases/{case_id}/documents", files={"file": ("plan.pdf", data, "application/pdf")})
    second = a.post(f"/v1/cases/{case_id}/documents", files={"file": ("plan-copy.pdf", data, "application/pdf")})
    assert first.status_code == 202 and second.status_code == 200
    assert second.json()["id"] == first.json()["id"] and second.json()["duplicate"] is True
    case = wait_ready(a, case_id)
    assert len(case["documents"]) == 1


def test_same_names_stay_distinct(fresh_case):
    a, case_id = fresh_case
    for text in ("first", "second"):
        a.post(f"/v1/cases/{case_id}/documents", files={"file": ("notes.pdf", make_pdf([[text]]), "application/pdf")})
    assert sorted(d["name"] for d in a.get(f"/v1/cases/{case_id}").json()["documents"]) == [
        "notes (2).pdf",
        "notes.pdf",
    ]


def test_drafting_before_documents_is_a_conflict(fresh_case):
    a, case_id = fresh_case
    answer = a.post(f"/v1/cases/{case_id}/appeals")
    assert answer.status_code == 409 and answer.json()["error"]["code"] == "no_documents"


def test_a_draft_asked_to_answer_at_once_is_a_job_to_poll(server, keys, fresh_case):
    """`Prefer: respond-async`: where job workers draft (queue), 202 and the job to poll; where
    the request drafts (thread jobs), the appeal itself."""
    a, case_id = fresh_case
    note = make_pdf([["Care plan reviewed with the patient; 22 minutes of care management."]])
    assert (
        a.post(f"/v1/cases/{case_id}/documents", files={"file": ("plan.pdf", note, "application/pdf")}).status_code
        == 202
    )
    wait_ready(a, case_id)
    answer = a.post(f"/v1/cases/{case_id}/appeals", headers={"Prefer": "respond-async"})
    if server.env.get("OVERTURN_JOBS") != "queue":
        assert answer.status_code == 201, answer.text
        appeal_id = answer.json()["id"]
    else:
        assert answer.status_code == 202, answer.text
        job = answer.json()
        assert answer.headers["location"] == f"/v1/draft-jobs/{job['id']}" and answer.headers["retry-after"]
        assert job["status"] in ("queued", "processing") and job["case_id"] == case_id and job["appeal_id"] is None
        assert server.client(keys["b"]).get(answer.headers["location"]).status_code == 404
        deadline = time.monotonic() + 120
        while job["status"] not in ("done", "failed") and time.monotonic() < deadline:
            time.sleep(0.5)
            job = a.get(answer.headers["location"]).json()
        assert job["status"] == "done" and job["error"] is None, job
        appeal_id = job["appeal_id"]
    assert a.get(f"/v1/appeals/{appeal_id}").json()["case_id"] == case_id
    assert [x["id"] for x in a.get(f"/v1/cases/{case_id}").json()["appeals"]] == [appeal_id]


def test_request_errors_are_json_and_echo_no_values(server, keys, case_fields):
    a = server.client(keys["a"])
    bad_json = a.post("/v1/cases", content=b"{not json", headers={"content-type": "application/json"})
    assert bad_json.status_code == 400 and bad_json.json()["error"]["code"] == "invalid_json"
    missing = a.post("/v1/cases", json={**case_fields, "date_of_service": "31/03/2026 Maria"})
    assert missing.status_code == 422 and "date_of_service" in missing.json()["error"]["message"]
    assert "Maria" not in missing.text
    unknown = a.post("/v1/cases", json={**case_fields, "denial_code": "ZZ99"})
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "unknown_code"
    assert a.get("/v1/nowhere").json()["error"]["code"] == "not_found"
    wrong = a.put("/v1/cases")
    assert wrong.status_code == 405 and set(wrong.headers["allow"].split(", ")) == {"GET", "POST"}
    assert a.get("/v1/codes/CCM20").json()["code"] == "CCM20"


def test_docs_are_served_offline(server):
    client = server.client()
    page = client.get("/docs").text
    assert "/docs-assets/swagger-ui-bundle.js" in page and "cdn" not in page.lower()
    assert client.get("/docs-assets/swagger-ui-bundle.js").status_code == 200
    schema = client.get("/openapi.json").json()
    case_schema = schema["components"]["schemas"]["CaseFields"]
    assert case_schema["properties"]["claim_number"]["examples"]
    assert "multipart/form-data" in schema["paths"]["/v1/cases/{case_id}/documents"]["post"]["requestBody"]["content"]


def test_the_audit_trail_holds_after_the_module(flow, server):
    """Every call of the module's tests was an event, from each API process (and job worker) on
    the scaled stack: one chain, which `overturn audit verify` checks."""
    done = server.cli("audit", "verify")
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.split("verified: ")[1].split(" events")[0]) > 20


def test_no_patient_data_in_the_server_log(flow, server, held_out, case_fields):
    if isinstance(server, InProcessServer):
        pytest.skip("no access log in process: test_a_real_server_drafts_over_http reads uvicorn's")
    log = server.log()
    assert "POST /v1/cases" in log, "the server log is empty: the test would prove nothing"
    for field in ("patient_name", "patient_id", "claim_number"):
        for case in (held_out.case, case_fields):
            leaked = case[field] in log
            assert not leaked, f"the {field} appears in the server log"
    assert "Traceback" not in log


def test_deleting_a_case_leaves_nothing(tmp_path, held_out, embedder):
    """Own server, so its home can be searched byte by byte once it has stopped."""
    server = InProcessServer(tmp_path / "home", embedder).start()
    try:
        a = server.client(server.key("clinic-a"))
        keep = a.post("/v1/cases", json={**held_out.case, "claim_number": "KEEP-1"}).json()["id"]
        a.post(
            f"/v1/cases/{keep}/documents",
            files={"file": ("other.pdf", make_pdf([["Unrelated care plan."]]), "application/pdf")},
        )
        case_id = a.post("/v1/cases", json=held_out.case).json()["id"]
        name, data = held_out.documents[0]
        doc_id = a.post(f"/v1/cases/{case_id}/documents", files={"file": (name, data, "application/pdf")}).json()["id"]
        wait_ready(a, case_id)
        wait_ready(a, keep)
        appeal = a.post(f"/v1/cases/{case_id}/appeals").json()
        a.post("/v1/chat", json={"question": "What does CCM20 mean?", "case_id": case_id})
        month = held_out.case["date_of_service"][:7]
        kept = a.post("/v1/checks", json={"code": "99490", "month": month, "case_id": case_id, "store": True})
        assert kept.status_code == 200, kept.text
        quotes = [c["quote"] for c in appeal["citations"]]
        check_quotes = [c["quote"] for r in kept.json()["requirements"] for c in r["citations"]]
        assert [q for q in check_quotes if len(q) > 20], "the check quoted nothing: the test would prove nothing"
        assert a.delete(f"/v1/cases/{case_id}").status_code == 204
        for path in (
            f"/v1/cases/{case_id}",
            f"/v1/cases/{case_id}/documents/{doc_id}",
            f"/v1/appeals/{appeal['id']}",
            f"/v1/appeals/{appeal['id']}/packet.pdf",
        ):
            assert a.get(path).status_code == 404
        assert a.get("/v1/chat", params={"case_id": case_id}).status_code == 404
        listed = a.get("/v1/checks", params={"month": month, "code": "99490"}).json()
        assert [r["case_id"] for r in listed] == [], "a deleted case's check is still listed"
        assert a.delete(f"/v1/cases/{case_id}").status_code == 404
        assert a.get(f"/v1/cases/{keep}").json()["documents"][0]["status"] == "ready"
    finally:
        server.stop()
    assert not (server.home / "files" / "clinic-a" / case_id).exists()
    phi = [held_out.case["patient_name"], held_out.case["patient_id"], held_out.case["claim_number"]]
    phi += [q for q in quotes if len(q) > 20][:5]
    phi += [q for q in check_quotes if len(q) > 20][:5]
    ids = [case_id, doc_id]
    found = []
    for path in server.home.rglob("*"):
        if path.is_file():
            blob = path.read_bytes()
            found += [(path.name, n[:4]) for n in phi if n.encode() in blob]
            if not path.name.startswith("overturn.db"):
                found += [(path.name, n[:4]) for n in ids if n.encode() in blob]
    assert not found, f"deleted case data still on disk: {found}"
    # The audit trail keeps the deleted case's ids (who read it, who deleted it) for its
    # retention years, by design; nothing else in the database may. A copy without it shows that.
    without_audit = tmp_path / "without-audit.db"
    live, copy = sqlite3.connect(server.home / "overturn.db"), sqlite3.connect(without_audit)
    live.backup(copy)
    live.close()
    assert copy.execute("SELECT count(*) FROM audit_events WHERE case_id = ?", (case_id,)).fetchone()[0] > 0
    copy.execute("PRAGMA journal_mode = DELETE")  # the copy keeps no write-ahead log beside it
    copy.execute("DELETE FROM audit_events")
    copy.commit()
    copy.execute("VACUUM")
    copy.close()
    blob = without_audit.read_bytes()
    assert not [n[:4] for n in ids if n.encode() in blob], (
        "a deleted case's id is in the database outside the audit trail"
    )
    db = sqlite3.connect(server.home / "overturn.db")
    rows = sum(
        db.execute(f"SELECT count(*) FROM {t} WHERE case_id = ?", (case_id,)).fetchone()[0]
        for t in ("documents", "appeals", "chats", "checks")
    )
    assert rows == 0 and db.execute("SELECT count(*) FROM cases WHERE id = ?", (case_id,)).fetchone()[0] == 0
    settings = Settings(home=server.home)
    vectors = workspace_vectors(settings, load_key(settings))
    assert vectors.count("clinic-a", case_id) == 0 and vectors.count("clinic-a", keep) > 0


def test_size_and_page_limits(tmp_path, case_fields, embedder):
    server = InProcessServer(
        tmp_path / "home", embedder, OVERTURN_MAX_UPLOAD_BYTES="60000", OVERTURN_MAX_PAGES="3"
    ).start()
    try:
        a = server.client(server.key("clinic-a"))
        case_id = a.post("/v1/cases", json=case_fields).json()["id"]
        padded = make_pdf([["Care plan."]]) + b"%" + b"0" * 70_000  # a comment after %%EOF: still a PDF
        streamed = a.post(f"/v1/cases/{case_id}/documents", files={"file": ("big.pdf", padded, "application/pdf")})
        assert streamed.status_code == 413 and streamed.json()["error"]["code"] == "file_too_large"
        declared = a.post(f"/v1/cases/{case_id}/documents", files={"file": ("huge.pdf", padded * 3, "application/pdf")})
        assert declared.status_code == 413 and declared.json()["error"]["code"] == "file_too_large"
        long = a.post(
            f"/v1/cases/{case_id}/documents", files={"file": ("long.pdf", make_pdf([["p"]] * 4), "application/pdf")}
        )
        assert long.status_code == 413 and long.json()["error"]["code"] == "too_many_pages"
        fits = a.post(
            f"/v1/cases/{case_id}/documents", files={"file": ("ok.pdf", make_pdf([["p"]] * 3), "application/pdf")}
        )
        assert fits.status_code == 202
        assert [d["name"] for d in a.get(f"/v1/cases/{case_id}").json()["documents"]] == ["ok.pdf"]
        assert not list((server.home / "files").rglob("*.partial"))
    finally:
        server.stop()
    assert "Traceback" not in server.log()


def test_a_real_server_drafts_over_http(tmp_path):
    """The smoke test of `overturn serve` itself: uvicorn on loopback, a key from `overturn keys
    create`, one case read and drafted over real HTTP, and an access log without patient data."""
    case = make_case(
        "CCM20", 7312, pages=5, documents=1, scanned=1, misfiled=False, out_of_period=False, injection=False
    )
    server = Server(tmp_path / "home").start()
    try:
        a = server.client(server.key("clinic-a"))
        assert a.get("/healthz").status_code == 200 and a.get("/v1/me").json() == {"tenant": "clinic-a"}
        case_id = a.post("/v1/cases", json=case.case).json()["id"]
        for name, data in case.documents:
            assert (
                a.post(f"/v1/cases/{case_id}/documents", files={"file": (name, data, "application/pdf")}).status_code
                == 202
            )
        assert all(d["status"] == "ready" for d in wait_ready(a, case_id)["documents"])
        appeal = a.post(f"/v1/cases/{case_id}/appeals")
        assert appeal.status_code == 201 and appeal.json()["citations"], appeal.text
        docx = a.get(f"/v1/appeals/{appeal.json()['id']}.docx")
        assert docx.status_code == 200 and case.case["claim_number"] in "\n".join(
            p.text for p in Document(io.BytesIO(docx.content)).paragraphs
        )
    finally:
        server.stop()
    log = server.log()
    assert "POST /v1/cases" in log, "the server log is empty: the test would prove nothing"
    for field in ("patient_name", "patient_id", "claim_number"):
        leaked = case.case[field] in log
        assert not leaked, f"the {field} appears in the server log"
    assert "Traceback" not in log
