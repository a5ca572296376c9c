"""The portal services in-process: background reading, its failures and restarts, the packet."""

import asyncio
import io

import pytest
from pypdf import PdfReader

from service.drafting.packet import build_packet, cited_pages
from service.models import CaseFields, Citation
from service.portal import appeals, cases, documents
from service.portal.ingest import IngestWorker
from service.portal.state import open_portal
from tests.pdfs import make_pdf


@pytest.fixture
def portal(settings, components):
    return open_portal(settings, components)


def body(name: str, data: bytes):
    boundary = "xyzzy"
    raw = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n\r\n').encode() + data
    raw += f"\r\n--{boundary}--\r\n".encode()

    async def stream():
        yield raw

    return f"multipart/form-data; boundary={boundary}", stream()


def upload(portal, worker, case_id, name, data):
    content_type, stream = body(name, data)
    return asyncio.run(documents.upload_document(portal, worker, "t1", case_id, content_type, stream))


def drain(worker):
    while not worker.jobs.empty():
        worker.process(*worker.jobs.get())


def test_a_document_that_fails_in_the_background_is_marked_and_alone(portal, case_fields):
    worker = IngestWorker(portal)
    case_id = cases.create_case(portal, "t1", CaseFields.model_validate(case_fields)).id
    good, _ = upload(portal, worker, case_id, "good.pdf", make_pdf([["Care plan reviewed with the patient."]]))
    bad, _ = upload(portal, worker, case_id, "bad.pdf", make_pdf([["Second document."]]))
    sealed = portal.files("t1", case_id).upload_path(bad.id)
    sealed.write_bytes(sealed.read_bytes()[:-40])  # storage damaged after the upload was accepted
    drain(worker)
    states = {d.name: d for d in cases.get_case(portal, "t1", case_id).documents}
    assert states["good.pdf"].status == "ready" and states["good.pdf"].pages_done == 1
    assert states["bad.pdf"].status == "failed" and states["bad.pdf"].error.code == "ingest_failed"
    assert "bad.pdf" in states["bad.pdf"].error.message
    result = appeals.draft_case_appeal(portal, "t1", case_id)
    assert any("bad.pdf was not used" in w for w in result.warnings)


def test_documents_left_by_a_stopped_server_are_read_at_the_next_start(portal, case_fields):
    first = IngestWorker(portal)
    case_id = cases.create_case(portal, "t1", CaseFields.model_validate(case_fields)).id
    doc, _ = upload(portal, first, case_id, "a.pdf", make_pdf([["Monthly review."]]))
    assert doc.status == "queued"
    restarted = IngestWorker(portal)  # the first never ran: as if the server stopped
    restarted.start()
    try:
        assert restarted.wait_idle(120)
    finally:
        restarted.stop()
    assert documents.get_document(portal, "t1", case_id, doc.id).status == "ready"


def test_a_case_deleted_before_its_document_is_read_leaves_nothing(portal, case_fields):
    worker = IngestWorker(portal)
    case_id = cases.create_case(portal, "t1", CaseFields.model_validate(case_fields)).id
    doc, _ = upload(portal, worker, case_id, "a.pdf", make_pdf([["Monthly review."]]))
    cases.delete_case(portal, "t1", case_id)
    drain(worker)
    assert not portal.files("t1", case_id).folder.exists()
    assert portal.components.vectors.count("t1", case_id) == 0


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
