"""Review before sending and sending with proof, through the API as a portal or staff would."""

import hashlib
import io
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from pypdf import PdfReader

from eval.synth.charts import make_case
from service.store.keys import create_key
from tests.api_server import InProcessServer, wait_ready


class FaxService:
    """A local fax API that records what it is sent and answers an id (or a failure)."""

    def __init__(self):
        self.requests: list[dict] = []
        self.fail = False
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.requests.append(
                    {"auth": self.headers.get("Authorization"), "type": self.headers["Content-Type"], "body": body}
                )
                status, answer = (500, {}) if outer.fail else (200, {"id": f"fx-{len(outer.requests)}"})
                payload = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.http.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.http.server_address[1]}/v1/faxes"


@pytest.fixture(scope="module")
def fax():
    service = FaxService()
    yield service
    service.http.shutdown()


@pytest.fixture(scope="module")
def server(tmp_path_factory, embedder, fax, chart):
    home = tmp_path_factory.mktemp("sending") / "home"
    own = home / "tenants" / "clinic-a" / "payers.yaml"
    own.parent.mkdir(parents=True)
    own.write_text(
        "payers:\n"
        "  - id: their-payer\n"
        f"    names: [{json.dumps(chart.case['payer'])}]\n"
        "    appeals:\n"
        "      - line_of_business: any\n"
        "        mail: [Written Appeals Unit, PO Box 31337, 'Springfield, IL 62701']\n"
        "        fax: '+1 217 555 0188'\n"
        "    source: 'Letter from the payer, 2026-11-20'\n"
        "    checked: 2026-11-20\n"
    )
    server = InProcessServer(
        home,
        embedder,
        OVERTURN_FAX="http",
        OVERTURN_FAX_URL=fax.url,
        OVERTURN_FAX_TOKEN="fax-secret",
    ).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def clients(server):
    sessions = server.app.state.workspace.sessions
    made = {role: create_key(sessions, "clinic-a", role, role).key for role in ("biller", "reviewer", "admin")}
    made["other"] = create_key(sessions, "clinic-b", "other").key
    return {name: server.client(key) for name, key in made.items()}


@pytest.fixture(scope="module")
def chart():
    return make_case(
        "CCM39", 9121, pages=5, documents=1, scanned=0, misfiled=False, out_of_period=False, injection=False
    )


def new_appeal(clients, chart) -> dict:
    biller = clients["biller"]
    case_id = biller.post("/v1/cases", json=chart.case).json()["id"]
    name, data = chart.documents[0]
    assert (
        biller.post(f"/v1/cases/{case_id}/documents", files={"file": (name, data, "application/pdf")}).status_code
        == 202
    )
    wait_ready(biller, case_id)
    appeal = biller.post(f"/v1/cases/{case_id}/appeals")
    assert appeal.status_code == 201, appeal.text
    return appeal.json()


@pytest.fixture(scope="module")
def appeal(clients, chart):
    return new_appeal(clients, chart)


def test_sent_by_mail_with_a_tracking_number_is_proof_of_timely_filing(clients, appeal, chart):
    biller = clients["biller"]
    case = biller.get(f"/v1/cases/{appeal['case_id']}").json()
    on_time = case["deadline"]
    answer = biller.post(
        f"/v1/appeals/{appeal['id']}/send",
        json={"channel": "mail", "sent_on": on_time, "confirmation": "9400 1118 9922 3344 5566 77"},
    )
    assert answer.status_code == 201, answer.text
    sent = answer.json()
    assert sent["filed"] == "on_time" and sent["deadline"] == on_time
    assert sent["channel"] == "mail" and sent["confirmation"] == "9400 1118 9922 3344 5566 77"
    assert len(sent["packet_sha256"]) == 64 and sent["recorded_by"].startswith("key:")
    packet = biller.get(f"/v1/appeals/{appeal['id']}/payer-packet.pdf").content
    assert hashlib.sha256(packet).hexdigest() == sent["packet_sha256"]
    pages = PdfReader(io.BytesIO(packet)).pages
    assert sent["packet_pages"] == len(pages)
    cover = pages[0].extract_text()
    assert "PO Box 31337" in cover and "+1 217 555 0188" in cover and chart.case["claim_number"] in cover
    for at, page in enumerate(pages[1:], 2):
        assert f"page {at} of {len(pages)}" in page.extract_text()
        assert chart.case["claim_number"] in page.extract_text()
    exhibits = next(at for at, page in enumerate(pages, 1) if "copies of the cited pages" in page.extract_text())
    listed = pages[exhibits - 1].extract_text()
    assert f"\n{exhibits + 1} " in listed or f"\n{exhibits + 1}\n" in listed, (
        "the exhibit list's page numbers are not the packet's"
    )
    assert biller.get(f"/v1/cases/{appeal['case_id']}").json()["status"] == "sent"
    listed = biller.get(f"/v1/cases/{appeal['case_id']}/sendings").json()
    assert [s["id"] for s in listed] == [sent["id"]]


def test_a_day_after_the_deadline_is_late(clients, appeal):
    from datetime import date, timedelta

    biller = clients["biller"]
    deadline = date.fromisoformat(biller.get(f"/v1/cases/{appeal['case_id']}").json()["deadline"])
    late = biller.post(
        f"/v1/appeals/{appeal['id']}/send",
        json={"channel": "portal", "sent_on": str(deadline + timedelta(days=1)), "confirmation": "REF-20261"},
    )
    assert late.status_code == 201 and late.json()["filed"] == "late"


def test_no_proof_no_sending(clients, chart):
    appeal = new_appeal(clients, chart)
    biller = clients["biller"]
    answer = biller.post(f"/v1/appeals/{appeal['id']}/send", json={"channel": "mail"})
    assert answer.status_code == 422 and answer.json()["error"]["code"] == "confirmation_required"
    assert biller.get(f"/v1/cases/{appeal['case_id']}").json()["status"] == "drafted"
    assert biller.get(f"/v1/cases/{appeal['case_id']}/sendings").json() == []


def test_review_required_means_approved_before_sent_and_an_edit_withdraws_it(clients, chart):
    appeal = new_appeal(clients, chart)
    biller, reviewer, admin = clients["biller"], clients["reviewer"], clients["admin"]
    assert biller.put("/v1/tenant/settings", json={"review_required": True}).status_code == 403
    assert admin.put("/v1/tenant/settings", json={"review_required": True}).json() == {"review_required": True}
    try:
        send = {"channel": "mail", "confirmation": "EZ123456789US"}
        refused = biller.post(f"/v1/appeals/{appeal['id']}/send", json=send)
        assert refused.status_code == 409 and refused.json()["error"]["code"] == "approval_required"
        asked = biller.post(f"/v1/appeals/{appeal['id']}/review-request").json()
        assert asked["requested_by"].startswith("key:") and asked["approved_at"] is None
        assert biller.post(f"/v1/appeals/{appeal['id']}/approve").status_code == 403
        approved = reviewer.post(f"/v1/appeals/{appeal['id']}/approve").json()
        assert approved["approved_by"].startswith("key:") and approved["approved_by"] != asked["requested_by"]
        letter = biller.get(f"/v1/appeals/{appeal['id']}").json()["letter"]
        assert biller.put(f"/v1/appeals/{appeal['id']}/letter", json={"letter": letter + "\n"}).status_code == 200
        assert biller.get(f"/v1/appeals/{appeal['id']}/review").json()["approved_at"] is None
        assert biller.post(f"/v1/appeals/{appeal['id']}/send", json=send).status_code == 409
        reviewer.post(f"/v1/appeals/{appeal['id']}/approve")
        assert biller.post(f"/v1/appeals/{appeal['id']}/send", json=send).status_code == 201
    finally:
        admin.put("/v1/tenant/settings", json={"review_required": False})


def test_a_fax_goes_out_through_the_fax_service_and_its_id_is_the_proof(clients, chart, fax):
    appeal = new_appeal(clients, chart)
    biller = clients["biller"]
    fax.fail = True
    failed = biller.post(f"/v1/appeals/{appeal['id']}/send", json={"channel": "fax", "fax_number": "+1 (555) 010-0199"})
    assert failed.status_code == 502 and failed.json()["error"]["code"] == "fax_failed"
    assert biller.get(f"/v1/cases/{appeal['case_id']}").json()["status"] == "drafted"
    fax.fail = False
    sent = biller.post(f"/v1/appeals/{appeal['id']}/send", json={"channel": "fax", "fax_number": "+1 (555) 010-0199"})
    assert sent.status_code == 201, sent.text
    last = fax.requests[-1]
    assert sent.json()["confirmation"] == f"fx-{len(fax.requests)}"
    assert last["auth"] == "Bearer fax-secret" and b"%PDF" in last["body"] and b"+1 (555) 010-0199" in last["body"]
    assert hashlib.sha256(file_part(last)).hexdigest() == sent.json()["packet_sha256"]


def file_part(request: dict) -> bytes:
    """The `file` part of a recorded multipart body, byte for byte."""
    boundary = request["type"].split("boundary=")[1].strip('"').encode()
    for part in request["body"].split(b"--" + boundary):
        head, _, content = part.partition(b"\r\n\r\n")
        if b'name="file"' in head:
            return content.removesuffix(b"\r\n")
    raise AssertionError("no file part")


def test_another_tenant_sees_none_of_it(clients, appeal):
    other = clients["other"]
    for method, path in (
        ("post", f"/v1/appeals/{appeal['id']}/send"),
        ("post", f"/v1/appeals/{appeal['id']}/review-request"),
        ("get", f"/v1/appeals/{appeal['id']}/review"),
        ("get", f"/v1/cases/{appeal['case_id']}/sendings"),
    ):
        kwargs = {"json": {"channel": "mail", "confirmation": "X1"}} if path.endswith("/send") else {}
        assert getattr(other, method)(path, **kwargs).status_code == 404, path


def test_without_a_directory_entry_the_cover_says_where_the_address_must_come_from(case_fields):
    from service.drafting.send_packet import build_send_packet
    from service.models import CaseFields
    from tests.pdfs import make_pdf

    packet = build_send_packet(
        CaseFields(**case_fields),
        "Time not documented",
        None,
        make_pdf([["Letter."]]),
        lambda first_page: make_pdf([[f"Exhibits from page {first_page}."], ["Page."]]),
    )
    pages = PdfReader(io.BytesIO(packet)).pages
    assert "not in the payer directory" in pages[0].extract_text()
    assert len(pages) == 4 and "page 4 of 4" in pages[3].extract_text()
    assert "Exhibits from page 3." in pages[2].extract_text()


def test_the_command_line_sends_the_newest_letter_and_writes_the_packet_it_hashed(tmp_path, embedder, chart):
    from tests.cli_runner import run_cli

    env = {"OVERTURN_HOME": str(tmp_path / "home")}
    case = tmp_path / "case.json"
    case.write_text(json.dumps(chart.case))
    name, data = chart.documents[0]
    (tmp_path / name).write_bytes(data)
    drafted = run_cli(
        ["draft", "--case", case, "--records", tmp_path / name, "--format", "text"], env, embedder=embedder
    )
    assert drafted.returncode == 0, drafted.stderr[-500:]
    case_id = re.search(r"case id (cas_\w+)", drafted.stderr).group(1)
    refused = run_cli(["cases", "send", case_id, "--channel", "mail"], env)
    assert refused.returncode != 0 and "tracking number" in refused.stderr
    out = tmp_path / "sent.pdf"
    sent = run_cli(
        [
            "cases",
            "send",
            case_id,
            "--channel",
            "mail",
            "--confirmation",
            "RR 1234 5678 9US",
            "--on",
            "2099-01-01",
            "--packet",
            out,
        ],
        env,
    )
    assert sent.returncode == 0, sent.stderr[-500:]
    assert "filed LATE" in sent.stdout and f"sha256 {hashlib.sha256(out.read_bytes()).hexdigest()}" in sent.stdout
    listed = run_cli(["cases", "list"], env)
    assert case_id in listed.stdout and " sent " in listed.stdout
