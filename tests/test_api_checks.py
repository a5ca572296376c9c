"""The checks API: a stored case's month checked (and kept when asked), uploaded files checked
with nothing kept, the kept checks as a list, as CSV and in the stats, batches, another tenant's
ids, and every refusal as its own 4xx. The app in this process, documents read inline; the
charts are small hand-written months. Assertion messages name requirement ids and codes only."""

import csv
import io
import json
import sqlite3
import time

import pytest

from tests.api_server import InProcessServer
from tests.pdfs import encrypt, make_pdf

MONTH = "2026-04"
PATIENT = {
    "claim_number": "CHK-2026-0042",
    "patient_name": "Tobias Wrenfield",
    "patient_id": "W4471-0093",
    "patient_dob": "1951-08-14",
    "date_of_service": "2026-04-30",
    "payer": "Medicare Part B",
    "denial_code": "CCM20",
    "provider_name": "Dr. Lena Ortiz",
    "practice_name": "Northgate Internal Medicine",
}
CONSENT = [
    "Northgate Internal Medicine - care management enrollment",
    "Patient: Tobias Wrenfield    DOB 08/14/1951",
    "03/28/2026 Mr. Wrenfield agreed by phone to chronic care management with Dr. Lena Ortiz.",
    "We told him a monthly copay may apply, that only one clinician can bill this each month,",
    "and that he may leave the program whenever he wishes. Verbal consent recorded by J. Holt, RN.",
]
PROBLEMS = [
    "Patient: Tobias Wrenfield    DOB 08/14/1951",
    "Problem list (reviewed 04/02/2026)",
    "1. Type 2 diabetes mellitus with hyperglycemia, E11.65, since 2014",
    "2. Chronic obstructive pulmonary disease, J44.9, on daily inhalers",
    "Both conditions will last well beyond a year and put him at real risk of admission.",
]
PLAN = [
    "Patient: Tobias Wrenfield    DOB 08/14/1951",
    "Comprehensive care plan - updated 04/02/2026",
    "Problems: diabetes (E11.65) and COPD (J44.9).",
    "Goals: A1c below 7.5% by October 2026; no COPD flare needing the ER this year.",
    "Interventions: RN calls every two weeks; Dr. Ortiz adjusts insulin; pharmacist reviews inhaler use.",
    "Symptoms: rescue inhaler for breathlessness; call the office if sputum changes color.",
    "Prognosis fair and stable with support. Function: walks with a cane, lives with his daughter.",
    "04/03/2026 A printed copy of this care plan was handed to the patient and his daughter.",
]
TIME_LOG = [
    "Patient: Tobias Wrenfield    DOB 08/14/1951",
    "Care management time log - April 2026",
    "Date | Minutes | Staff | Activity",
    "04/06/2026 | 12 | J. Holt, RN | Phoned patient about morning sugars and inhaler refills",
    "04/15/2026 | 9 | J. Holt, RN | Called the pharmacy to line up refill dates",
    "04/24/2026 | 8 | J. Holt, RN | Follow-up call on breathing; went over the plan goals",
    "Total for April: 29 minutes",
]
FULL = make_pdf([CONSENT, PROBLEMS, PLAN, TIME_LOG])
NO_CONSENT = make_pdf([PROBLEMS, PLAN, TIME_LOG])


@pytest.fixture(scope="module")
def server(tmp_path_factory, embedder):
    srv = InProcessServer(
        tmp_path_factory.mktemp("checks") / "home",
        embedder,
        OVERTURN_JOBS="inline",
        OVERTURN_MAX_UPLOAD_BYTES="200000",
        OVERTURN_MAX_PAGES="8",
    ).start()
    yield srv
    srv.stop()
    assert "Traceback" not in srv.log()


@pytest.fixture(scope="module")
def a(server):
    return server.client(server.key("clinic-a"))


@pytest.fixture(scope="module")
def b(server):
    return server.client(server.key("clinic-b"))


def new_case(client, pdf: bytes | None, claim: str) -> str:
    made = client.post("/v1/cases", json={**PATIENT, "claim_number": claim})
    assert made.status_code == 201, made.text
    case_id = made.json()["id"]
    if pdf is not None:
        doc = client.post(f"/v1/cases/{case_id}/documents", files={"file": ("chart.pdf", pdf, "application/pdf")})
        assert doc.status_code == 202, doc.text
        assert client.get(f"/v1/cases/{case_id}").json()["records"] == "ready"
    return case_id


@pytest.fixture(scope="module")
def cases(a):
    return {"full": new_case(a, FULL, "CHK-FULL-1"), "no_consent": new_case(a, NO_CONSENT, "CHK-NOCONSENT-1")}


def statuses(result: dict) -> dict[str, str]:
    return {r["id"]: r["status"] for r in result["requirements"]}


def count_rows(server, table: str) -> int:
    db = sqlite3.connect(server.home / "overturn.db")
    try:
        return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        db.close()


def upload(client, files: list[tuple[str, bytes]], fields: dict | str | None = None, **form):
    data = {"code": "99490", "month": MONTH, **form}
    data["fields"] = fields if isinstance(fields, str) else json.dumps(fields or PATIENT)
    return client.post("/v1/checks", data=data, files=[("files", (n, d, "application/pdf")) for n, d in files])


def test_a_stored_case_is_checked_and_nothing_kept_unless_asked(server, a, cases):
    before = count_rows(server, "checks")
    full = a.post("/v1/checks", json={"code": "99490", "month": MONTH, "case_id": cases["full"]})
    assert full.status_code == 200, full.text
    result = full.json()
    assert result["case_id"] == cases["full"] and result["code"] == "99490" and result["month"] == MONTH
    found = statuses(result)
    assert found["consent"] == "met" and found["qualifying_conditions"] == "met", found
    assert result["ready"], found
    assert result["minutes"]["total"] == 29 and result["minutes"]["needed"] == 20
    assert all(r["counted"] for r in result["minutes"]["rows"])
    consent = next(r for r in result["requirements"] if r["id"] == "consent")
    assert consent["citations"] and all(c["document"] == "chart.pdf" for c in consent["citations"])
    missing = a.post("/v1/checks", json={"code": " 99490", "month": f"{MONTH} ", "case_id": cases["no_consent"]})
    assert missing.status_code == 200, missing.text
    assert statuses(missing.json())["consent"] == "missing" and not missing.json()["ready"]
    assert count_rows(server, "checks") == before


def test_uploaded_files_are_checked_and_nothing_is_kept(server, a):
    cases_before, checks_before = count_rows(server, "cases"), count_rows(server, "checks")
    answer = upload(a, [("consent.pdf", make_pdf([CONSENT])), ("month.pdf", make_pdf([PROBLEMS, PLAN, TIME_LOG]))])
    assert answer.status_code == 200, answer.text
    result = answer.json()
    assert result["case_id"] is None and result["minutes"]["total"] == 29
    assert statuses(result)["consent"] == "met"
    assert (count_rows(server, "cases"), count_rows(server, "checks")) == (cases_before, checks_before)
    assert not list((server.home / "files").glob("check/*")), "a check of files left files behind"


def test_kept_checks_are_listed_newest_per_case_and_as_csv(a, b, cases):
    for case_id in (cases["full"], cases["no_consent"], cases["no_consent"]):
        kept = a.post("/v1/checks", json={"code": "99490", "month": MONTH, "case_id": case_id, "store": True})
        assert kept.status_code == 200, kept.text
    listed = a.get("/v1/checks", params={"month": MONTH, "code": "99490"})
    assert listed.status_code == 200, listed.text
    rows = listed.json()
    assert sorted(r["case_id"] for r in rows) == sorted(cases.values()), "one row per case"
    assert rows[0]["case_id"] == cases["no_consent"], "a month not ready comes first"
    assert rows[0]["claim_number"] == "CHK-NOCONSENT-1" and rows[0]["patient_name"] == PATIENT["patient_name"]
    assert all(r["id"].startswith("chk_") and r["checked_at"].endswith("Z") for r in rows)
    assert statuses(rows[0]["result"])["consent"] == "missing"
    assert a.get("/v1/checks", params={"month": "2026-05", "code": "99490"}).json() == []
    assert b.get("/v1/checks", params={"month": MONTH, "code": "99490"}).json() == []

    sheet = a.get("/v1/checks.csv", params={"month": MONTH, "code": "99490"})
    assert sheet.status_code == 200 and sheet.headers["content-type"].startswith("text/csv")
    assert 'filename="overturn-checks-99490-2026-04.csv"' in sheet.headers["content-disposition"]
    table = list(csv.reader(io.StringIO(sheet.text)))
    assert table[0][:4] == ["patient", "code", "month", "ready"] and len(table) == 3
    assert table[1][0] == f"{PATIENT['patient_name']} (CHK-NOCONSENT-1)" and table[1][3] == "no"
    assert "consent" in table[1][7].split("; ")


def test_stats_count_what_the_newest_kept_checks_miss(a, cases):
    a.post("/v1/checks", json={"code": "99490", "month": MONTH, "case_id": cases["no_consent"], "store": True})
    stats = a.get("/v1/stats")
    assert stats.status_code == 200 and "by_code" in stats.json() and "cases" in stats.json()
    missing = {m["id"]: m for m in stats.json()["missing_requirements"]}
    assert missing["consent"]["count"] == 1, "the same case's older checks are not counted again"
    assert missing["consent"]["title"]
    assert a.get("/v1/stats", params={"month": "2026-05"}).json()["missing_requirements"] == []
    assert (
        a.get("/v1/stats", params={"month": MONTH}).json()["missing_requirements"]
        == stats.json()["missing_requirements"]
    )
    bad = a.get("/v1/stats", params={"month": "April"})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_month"


def wait_done(client, batch_id: str) -> dict:
    for _ in range(600):
        answer = client.get(f"/v1/checks/batch/{batch_id}")
        assert answer.status_code == 200, answer.text
        if answer.json()["status"] == "done":
            return answer.json()
        time.sleep(0.2)
    raise AssertionError("the batch did not finish")


def test_a_batch_checks_every_case_keeps_the_results_and_goes_on_past_a_failure(server, a, b, cases):
    empty = new_case(a, None, "CHK-EMPTY-1")
    before = count_rows(server, "checks")
    started = a.post(
        "/v1/checks/batch", json={"code": "99491", "month": MONTH, "case_ids": [empty, cases["full"], cases["full"]]}
    )
    assert started.status_code == 202, started.text
    shape = started.json()
    assert (
        shape["id"].startswith("chb_") and shape["total"] == 2 and (shape["code"], shape["month"]) == ("99491", MONTH)
    )
    assert b.get(f"/v1/checks/batch/{shape['id']}").status_code == 404
    done = wait_done(a, shape["id"])
    assert (done["done"], done["total"], done["failed"]) == (2, 2, 1)
    assert done["errors"] == [{"case_id": empty, "code": "no_documents"}]
    assert count_rows(server, "checks") == before + 1
    listed = a.get("/v1/checks", params={"month": MONTH, "code": "99491"}).json()
    assert [r["case_id"] for r in listed] == [cases["full"]]

    every = a.post("/v1/checks/batch", json={"code": "99490", "month": MONTH, "case_ids": None})
    assert every.status_code == 202 and every.json()["total"] == 2, "only the cases with a ready document"
    assert wait_done(a, every.json()["id"])["failed"] == 0
    mine = b.post("/v1/checks/batch", json={"code": "99490", "month": MONTH, "case_ids": None})
    assert mine.status_code == 202 and mine.json()["total"] == 0
    assert wait_done(b, mine.json()["id"])["done"] == 0


def test_another_tenant_can_neither_check_nor_batch_a_case(a, b, cases):
    tried = b.post("/v1/checks", json={"code": "99490", "month": MONTH, "case_id": cases["full"], "store": True})
    assert tried.status_code == 404 and tried.json()["error"]["code"] == "case_not_found"
    batch = b.post("/v1/checks/batch", json={"code": "99490", "month": MONTH, "case_ids": [cases["full"]]})
    assert batch.status_code == 404
    assert b.get("/v1/checks.csv", params={"month": MONTH, "code": "99490"}).text.count("\n") == 1
    assert b.get("/v1/stats").json()["missing_requirements"] == []


def error(answer) -> tuple[int, str]:
    return answer.status_code, answer.json()["error"]["code"]


def test_every_refusal_is_its_own_4xx(a, cases):
    case = cases["full"]
    assert error(a.post("/v1/checks", json={"code": "99490", "month": "2026-13", "case_id": case})) == (
        422,
        "invalid_month",
    )
    assert error(a.post("/v1/checks", json={"code": "00000", "month": MONTH, "case_id": case})) == (404, "unknown_code")
    assert error(a.post("/v1/checks", json={"code": "99490", "month": MONTH, "case_id": "cas_nope"})) == (
        404,
        "case_not_found",
    )
    empty = new_case(a, None, "CHK-EMPTY-2")
    assert error(a.post("/v1/checks", json={"code": "99490", "month": MONTH, "case_id": empty})) == (
        409,
        "no_documents",
    )
    assert error(a.post("/v1/checks", json={"code": "99490", "month": MONTH})) == (422, "invalid_request")
    assert error(a.post("/v1/checks", content=b"{", headers={"content-type": "application/json"})) == (
        400,
        "invalid_json",
    )
    assert error(a.post("/v1/checks", content=b"code=1", headers={"content-type": "text/plain"}))[0] == 415
    assert error(a.get("/v1/checks", params={"month": "04/2026", "code": "99490"})) == (422, "invalid_month")
    assert error(a.get("/v1/checks.csv", params={"month": MONTH, "code": "nope"})) == (404, "unknown_code")
    assert error(a.post("/v1/checks/batch", json={"code": "99490", "month": "x", "case_ids": None})) == (
        422,
        "invalid_month",
    )
    assert error(a.get("/v1/checks/batch/chb_0123456789abcdef01234567")) == (404, "check_batch_not_found")

    pdf = make_pdf([CONSENT])
    assert error(upload(a, [("x.pdf", pdf)], month="2026-4")) == (422, "invalid_month")
    assert error(upload(a, [("x.pdf", pdf)], code="12")) == (404, "unknown_code")
    assert error(upload(a, [("x.pdf", pdf)], fields="{not json")) == (422, "invalid_fields")
    no_id = {k: v for k, v in PATIENT.items() if k != "patient_id"}
    refused = upload(a, [("x.pdf", pdf)], fields=no_id)
    assert error(refused) == (422, "invalid_fields") and "patient_id" in refused.json()["error"]["message"]
    assert error(upload(a, [])) == (415, "unsupported_media_type"), "a form without files is not multipart"
    no_files = a.post(
        "/v1/checks",
        data={"code": "99490", "month": MONTH, "fields": json.dumps(PATIENT)},
        files=[("note", ("n.txt", b"x", "text/plain"))],
    )
    assert error(no_files) == (400, "bad_upload")
    assert error(upload(a, [("x.pdf", encrypt(pdf, "pw"))])) == (400, "encrypted_pdf")
    assert error(upload(a, [("x.pdf", b"plain text, not a pdf")])) == (415, "not_a_pdf")
    assert error(upload(a, [("x.pdf", b"")])) == (400, "empty_file")
    assert error(upload(a, [("x.pdf", b"%PDF-1.7\n" + b"\x00" * 200)])) == (422, "corrupt_pdf")
    assert error(upload(a, [("x.pdf", pdf + b"%" + b"0" * 210_000)])) == (413, "file_too_large")
    assert error(upload(a, [("x.pdf", make_pdf([["p"]] * 9))])) == (413, "too_many_pages")
    half = pdf + b"%" + b"0" * 110_000  # each file within the limit, the two together not
    assert error(upload(a, [("x.pdf", half), ("y.pdf", half)])) == (413, "file_too_large")
    named = upload(a, [("Wrenfield_Tobias.pdf", b"not a pdf")])
    assert "Wrenfield" not in named.json()["error"]["message"], "a file name is in an error message"


def test_deleting_a_case_removes_its_checks_and_batch_errors(server, a):
    case_id = new_case(a, NO_CONSENT, "CHK-DELETE-1")
    empty = new_case(a, None, "CHK-DELETE-2")
    kept = a.post("/v1/checks", json={"code": "99490", "month": MONTH, "case_id": case_id, "store": True})
    assert kept.status_code == 200
    batch = a.post("/v1/checks/batch", json={"code": "99490", "month": MONTH, "case_ids": [empty]}).json()
    assert wait_done(a, batch["id"])["failed"] == 1
    assert a.delete(f"/v1/cases/{case_id}").status_code == 204
    assert a.delete(f"/v1/cases/{empty}").status_code == 204
    db = sqlite3.connect(server.home / "overturn.db")
    try:
        left = db.execute("SELECT count(*) FROM checks WHERE case_id IN (?, ?)", (case_id, empty)).fetchone()[0]
        left += db.execute("SELECT count(*) FROM check_jobs WHERE case_id = ?", (empty,)).fetchone()[0]
    finally:
        db.close()
    assert left == 0
    assert wait_done(a, batch["id"])["errors"] == []
    assert all(r["case_id"] != case_id for r in a.get("/v1/checks", params={"month": MONTH, "code": "99490"}).json())


def test_checking_is_audited_with_the_case(server, a, cases):
    from service.store.keys import create_key

    admin = server.client(create_key(server.app.state.workspace.sessions, "clinic-a", "", "admin").key)
    kept = a.post("/v1/checks", json={"code": "99490", "month": MONTH, "case_id": cases["full"], "store": True})
    assert kept.status_code == 200, kept.status_code
    events = admin.get("/v1/audit", params={"case_id": cases["full"]}).json()
    assert "check.run" in {e["action"] for e in events}
    stored = [e for e in events if e["action"] == "check.run" and "check:chk_" in e["object"]]
    assert stored, "a kept check names its id in the event"


def test_a_batch_waits_for_a_job_runner_and_any_runner_finishes_it(server, a, cases):
    """With `OVERTURN_JOBS=queue` the API only records the batch's jobs; a worker's runner claims
    them one by one, and the poll counts them from the database."""
    from service.casework.check_batches import batch_view, run_one_check, start_batch
    from service.casework.check_views import BatchRequest
    from service.casework.jobs import make_jobs

    ws = server.app.state.workspace
    request = BatchRequest(code="99490", month=MONTH, case_ids=[cases["no_consent"], cases["full"]])
    batch_id = start_batch(ws, "clinic-a", "cli", request)
    make_jobs(ws, "queue").submit_checks(batch_id)
    waiting = batch_view(ws, "clinic-a", batch_id)
    assert (waiting.status, waiting.done, waiting.total) == ("running", 0, 2)
    again = a.post("/v1/checks/batch", json={"code": "99490", "month": MONTH, "case_ids": [cases["full"]]})
    assert again.status_code == 409 and again.json()["error"]["code"] == "batch_running", again.status_code
    assert run_one_check(ws, "worker-1")
    assert batch_view(ws, "clinic-a", batch_id).done == 1
    assert run_one_check(ws, "worker-2") and not run_one_check(ws, "worker-2")
    finished = batch_view(ws, "clinic-a", batch_id)
    assert (finished.status, finished.done, finished.failed) == ("done", 2, 0)
    shown = a.get(f"/v1/checks/batch/{batch_id}").json()
    assert (shown["status"], shown["done"], shown["total"]) == ("done", 2, 2)
