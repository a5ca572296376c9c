"""The casework services in-process: background reading, its failures and restarts, the packet."""

import asyncio
import io
import time
from datetime import timedelta

import pytest
from pypdf import PdfReader

from eval.synth.charts import make_case
from service.api.upload import FilePart
from service.casework import appeals, cases, claims, documents, drafts
from service.casework.jobs import Runner, make_jobs, run_one
from service.casework.state import open_workspace
from service.casework.views import AppealView, DraftJobView
from service.drafting.packet import build_packet, cited_pages
from service.errors import CaseNotFoundError, DocumentsNotReadyError, DraftJobNotFoundError
from service.models import CaseFields, Citation
from service.pipeline import unique_names
from service.store.db import DocumentRow, DraftJobRow, now
from tests.pdfs import make_pdf


@pytest.fixture
def ws(settings, components):
    return open_workspace(settings, components)


def body(name: str, data: bytes):
    boundary = "xyzzy"
    raw = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n\r\n').encode() + data
    raw += f"\r\n--{boundary}--\r\n".encode()

    async def stream():
        yield raw

    return f"multipart/form-data; boundary={boundary}", stream()


def upload(ws, worker, case_id, name, data):
    content_type, stream = body(name, data)  # the API's own road: a multipart body, parsed as it streams
    return asyncio.run(documents.upload_document(ws, worker, "t1", case_id, FilePart(content_type, stream)))


def drain(worker):
    while run_one(worker.ws, "test-reader"):
        pass


def wait_idle(ws, timeout=120) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if claims.DOCUMENTS.pending(ws) == 0:
            return True
        time.sleep(0.1)
    return False


def test_a_document_that_fails_in_the_background_is_marked_and_alone(ws, case_fields):
    worker = Runner(ws)
    case_id = cases.create_case(ws, "t1", CaseFields.model_validate(case_fields)).id
    good, _ = upload(ws, worker, case_id, "good.pdf", make_pdf([["Care plan reviewed with the patient."]]))
    bad, _ = upload(ws, worker, case_id, "bad.pdf", make_pdf([["Second document."]]))
    sealed = ws.files("t1", case_id).upload_path(bad.id)
    sealed.write_bytes(sealed.read_bytes()[:-40])  # storage damaged after the upload was accepted
    drain(worker)
    states = {d.name: d for d in cases.get_case(ws, "t1", case_id).documents}
    assert states["good.pdf"].status == "ready" and states["good.pdf"].pages_done == 1
    assert states["bad.pdf"].status == "failed" and states["bad.pdf"].error.code == "ingest_failed"
    assert states["bad.pdf"].error.message == "the document could not be read"  # no file name: it may be PHI
    result = appeals.draft_case_appeal(ws, "t1", case_id)
    assert any("bad.pdf was not used" in w for w in result.warnings)


def test_documents_left_by_a_stopped_server_are_read_at_the_next_start(ws, case_fields):
    first = Runner(ws)
    case_id = cases.create_case(ws, "t1", CaseFields.model_validate(case_fields)).id
    doc, _ = upload(ws, first, case_id, "a.pdf", make_pdf([["Monthly review."]]))
    assert doc.status == "queued"
    restarted = Runner(ws)  # the first never ran: as if the server stopped
    restarted.start()
    try:
        assert wait_idle(ws)
    finally:
        restarted.stop()
    assert documents.get_document(ws, "t1", case_id, doc.id).status == "ready"


def test_a_case_deleted_before_its_document_is_read_leaves_nothing(ws, case_fields):
    worker = Runner(ws)
    case_id = cases.create_case(ws, "t1", CaseFields.model_validate(case_fields)).id
    doc, _ = upload(ws, worker, case_id, "a.pdf", make_pdf([["Monthly review."]]))
    cases.delete_case(ws, "t1", case_id)
    drain(worker)
    assert not ws.files("t1", case_id).folder.exists()
    assert ws.components.vectors.count("t1", case_id) == 0


def citation(n, doc, page):
    return Citation(marker=f"[{n}]", document=doc, page=page, quote="q")


def test_packet_pages_follow_the_first_citation_order(case_fields):
    cites = [citation(1, "b.pdf", 2), citation(2, "a.pdf", 1), citation(3, "b.pdf", 2), citation(4, "gone.pdf", 1)]
    assert cited_pages(cites) == [("b.pdf", 2, ["[1]", "[3]"]), ("a.pdf", 1, ["[2]"]), ("gone.pdf", 1, ["[4]"])]
    originals = {"a.pdf": make_pdf([["A one"], ["A two"]]), "b.pdf": make_pdf([["B one"], ["B two"]])}
    packet = PdfReader(io.BytesIO(build_packet(CaseFields.model_validate(case_fields), "Title", cites, originals)))
    cover = packet.pages[0].extract_text()
    assert len(packet.pages) == 3 and "gone.pdf" in cover and "no longer stored" in cover
    assert "B two" in packet.pages[1].extract_text() and "Exhibit [1] [3]" in packet.pages[1].extract_text()
    assert "A one" in packet.pages[2].extract_text()


def test_a_document_the_worker_cannot_finish_is_failed_not_stuck(ws, case_fields):
    worker = Runner(ws)
    case_id = cases.create_case(ws, "t1", CaseFields.model_validate(case_fields)).id
    doc, _ = upload(ws, worker, case_id, "a.pdf", make_pdf([["Monthly review."]]))
    with ws.sessions.begin() as session:  # a row the worker cannot even decrypt
        session.get(DocumentRow, doc.id).name = b"damaged"
    worker.start()
    try:
        assert wait_idle(ws, 60)
    finally:
        worker.stop()
    with ws.session() as session:
        row = session.get(DocumentRow, doc.id)
        assert (row.status, row.error_code) == ("failed", "ingest_failed")


def test_an_old_packet_never_takes_pages_from_a_new_file_of_the_same_name(ws):
    made = make_case(
        "CCM39", 4242, pages=6, scanned=0, documents=1, misfiled=False, out_of_period=False, injection=False
    )
    worker = Runner(ws)
    case_id = cases.create_case(ws, "t1", CaseFields.model_validate(made.case)).id
    name, data = made.documents[0]
    first, _ = upload(ws, worker, case_id, name, data)
    drain(worker)
    appeal = appeals.draft_case_appeal(ws, "t1", case_id)
    assert appeal.citations
    documents.delete_document(ws, "t1", case_id, first.id)
    upload(ws, worker, case_id, name, make_pdf([["A different file with the same name."]]))
    drain(worker)
    packet = PdfReader(io.BytesIO(appeals.export_appeal(ws, "t1", appeal.id, "packet")))
    assert len(packet.pages) == 1 and "no longer stored" in packet.pages[0].extract_text()


def test_unique_names_never_repeat():
    assert unique_names(["a.pdf", "a (2).pdf", "a.pdf", "a.pdf", "b"]) == [
        "a.pdf",
        "a (2).pdf",
        "a (3).pdf",
        "a (4).pdf",
        "b",
    ]


def test_packet_notes_a_page_the_file_does_not_have(case_fields):
    packet = build_packet(
        CaseFields.model_validate(case_fields), "Title", [citation(1, "a.pdf", 5)], {"a.pdf": make_pdf([["one"]])}
    )
    pages = PdfReader(io.BytesIO(packet)).pages
    assert len(pages) == 1 and "no longer stored" in pages[0].extract_text()


def test_an_unexpected_error_is_a_bare_500_and_one_log_line(settings, components, caplog):
    from fastapi.testclient import TestClient

    from service.api.app import create_app

    app = create_app(settings, components)

    def broken():
        raise ValueError("record text: Maria L. Gonzalez, DOB 03/14/1952")

    app.add_api_route("/broken", broken)
    with TestClient(app, raise_server_exceptions=True) as client:
        answer = client.get("/broken")
    assert answer.status_code == 500 and answer.json()["error"]["code"] == "internal"
    assert "Gonzalez" not in answer.text and "Gonzalez" not in caplog.text
    assert "unexpected error: ValueError" in caplog.text


def _claimed_by_a_dead_worker(ws, doc_id, lease_left_s: float, attempts: int = 1):
    with ws.sessions.begin() as session:
        row = session.get(DocumentRow, doc_id)
        row.status, row.claimed_by, row.attempts = "processing", "dead-host:1:0", attempts
        row.lease_until = now() + timedelta(seconds=lease_left_s)


def test_a_document_whose_worker_died_is_read_by_another_once_its_lease_runs_out(ws, case_fields):
    case_id = cases.create_case(ws, "t1", CaseFields.model_validate(case_fields)).id
    doc, _ = upload(ws, Runner(ws), case_id, "a.pdf", make_pdf([["Monthly review."]]))
    _claimed_by_a_dead_worker(ws, doc.id, lease_left_s=60)
    assert claims.DOCUMENTS.claim(ws, "other") is None  # still leased: its worker may be alive
    _claimed_by_a_dead_worker(ws, doc.id, lease_left_s=-1)
    assert run_one(ws, "other")
    with ws.session() as session:
        row = session.get(DocumentRow, doc.id)
        assert (row.status, row.attempts, row.claimed_by) == ("ready", 2, None)


def test_a_document_started_too_often_is_failed_with_its_reason(ws, case_fields):
    case_id = cases.create_case(ws, "t1", CaseFields.model_validate(case_fields)).id
    doc, _ = upload(ws, Runner(ws), case_id, "a.pdf", make_pdf([["Monthly review."]]))
    _claimed_by_a_dead_worker(ws, doc.id, lease_left_s=-1, attempts=claims.MAX_ATTEMPTS)
    assert not run_one(ws, "other")
    view = documents.get_document(ws, "t1", case_id, doc.id)
    assert view.status == "failed" and "never finished" in view.error.message


def test_a_worker_that_lost_its_claim_cannot_overwrite_the_outcome(ws, case_fields):
    case_id = cases.create_case(ws, "t1", CaseFields.model_validate(case_fields)).id
    doc, _ = upload(ws, Runner(ws), case_id, "a.pdf", make_pdf([["Monthly review."]]))
    assert claims.DOCUMENTS.claim(ws, "slow", doc.id) is not None
    _claimed_by_a_dead_worker(ws, doc.id, lease_left_s=-1)
    assert run_one(ws, "quick", doc.id)
    assert not claims.DOCUMENTS.finish(ws, "slow", doc.id, status="failed", error_code="ingest_failed")
    assert documents.get_document(ws, "t1", case_id, doc.id).status == "ready"


def test_runners_in_several_threads_read_each_document_exactly_once(ws, case_fields):
    case_id = cases.create_case(ws, "t1", CaseFields.model_validate(case_fields)).id
    queued = Runner(ws)
    made = [
        upload(ws, queued, case_id, f"n{i}.pdf", make_pdf([[f"Note number {i} reviewed."]]))[0].id for i in range(8)
    ]
    runners = [Runner(ws, threads=2), Runner(ws, threads=2)]  # as if two worker processes
    for runner in runners:
        runner.start()
    try:
        assert wait_idle(ws)
    finally:
        for runner in runners:
            runner.stop()
    with ws.session() as session:
        rows = [session.get(DocumentRow, i) for i in made]
    assert [(r.status, r.attempts) for r in rows] == [("ready", 1)] * 8


def test_inline_jobs_answer_an_upload_with_the_document_already_read(ws, case_fields):
    case_id = cases.create_case(ws, "t1", CaseFields.model_validate(case_fields)).id
    doc, new = upload(ws, make_jobs(ws, "inline"), case_id, "a.pdf", make_pdf([["Monthly review with the patient."]]))
    assert new and doc.status == "ready" and doc.pages_done == 1


def _ready_case(ws, case_fields) -> str:
    case_id = cases.create_case(ws, "t1", CaseFields.model_validate(case_fields)).id
    worker = Runner(ws)
    upload(
        ws,
        worker,
        case_id,
        "plan.pdf",
        make_pdf([["Care plan reviewed with the patient; 22 minutes of care management."]]),
    )
    drain(worker)
    return case_id


def test_a_queued_draft_waits_for_a_job_worker_then_answers_with_the_appeal(ws, case_fields):
    case_id = _ready_case(ws, case_fields)
    job_id = drafts.queue_draft(ws, "t1", case_id)
    make_jobs(ws, "queue").submit_draft(job_id)  # the API worker only enqueues
    pending = drafts.await_draft(ws, "t1", job_id, wait_s=0.2)
    assert isinstance(pending, DraftJobView) and pending.status == "queued" and pending.appeal_id is None
    assert not cases.get_case(ws, "t1", case_id).appeals
    assert drafts.run_one_draft(ws, "job-worker")
    appeal = drafts.await_draft(ws, "t1", job_id, wait_s=0)
    assert isinstance(appeal, AppealView) and appeal.case_id == case_id and appeal.citations
    assert drafts.draft_job(ws, "t1", job_id).appeal_id == appeal.id
    with pytest.raises(DraftJobNotFoundError):
        drafts.draft_job(ws, "t2", job_id)  # another tenant's job is not found


def test_a_draft_job_that_fails_raises_its_error_where_the_client_waits(ws, case_fields):
    case_id = _ready_case(ws, case_fields)
    job_id = drafts.queue_draft(ws, "t1", case_id)
    upload(ws, Runner(ws), case_id, "late.pdf", make_pdf([["A late note."]]))  # queued, not yet read
    assert drafts.run_one_draft(ws, "job-worker")
    with pytest.raises(DocumentsNotReadyError) as raised:
        drafts.await_draft(ws, "t1", job_id, wait_s=5)
    assert raised.value.status == 409 and "still being read" in raised.value.message


def test_a_draft_whose_worker_died_is_drafted_once_by_another(ws, case_fields):
    case_id = _ready_case(ws, case_fields)
    job_id = drafts.queue_draft(ws, "t1", case_id)
    assert claims.DRAFTS.claim(ws, "dead-host:1:0", job_id) is not None  # then killed: never renewed
    assert not drafts.run_one_draft(ws, "other")  # still leased
    with ws.sessions.begin() as session:
        session.get(DraftJobRow, job_id).lease_until = now() - timedelta(seconds=1)
    assert drafts.run_one_draft(ws, "other")
    job = drafts.draft_job(ws, "t1", job_id)
    assert job.status == "done" and len(cases.get_case(ws, "t1", case_id).appeals) == 1
    with ws.session() as session:
        assert session.get(DraftJobRow, job_id).attempts == 2


def test_inline_jobs_draft_in_the_callers_thread(ws, case_fields):
    case_id = _ready_case(ws, case_fields)
    job_id = drafts.queue_draft(ws, "t1", case_id)
    make_jobs(ws, "inline").submit_draft(job_id)
    assert isinstance(drafts.await_draft(ws, "t1", job_id, wait_s=0), AppealView)
    with pytest.raises(CaseNotFoundError):
        drafts.queue_draft(ws, "t2", case_id)
