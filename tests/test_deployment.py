"""The production layout on one machine: PostgreSQL, a Chroma server, `overturn serve --workers
2` that only accepts uploads (OVERTURN_JOBS=queue) and `overturn worker` processes that read
them; and what happens when a job worker is killed in the middle of OCR."""

import contextlib
import os
import threading
import time

import httpx
import pytest

from eval.synth.charts import make_case
from tests.api_server import JobWorker, Server, wait_ready
from tests.pdfs import make_pdf


def upload(client: httpx.Client, case_id: str, name: str, data: bytes) -> dict:
    answer = client.post(f"/v1/cases/{case_id}/documents", files={"file": (name, data, "application/pdf")})
    assert answer.status_code in (200, 202), answer.text
    return answer.json()


def test_several_processes_on_embedded_chroma_are_refused(tmp_path):
    server = Server(tmp_path / "home")
    for args in (("serve", "--workers", "2"), ("worker",)):
        done = server.cli(*args)
        assert done.returncode == 2 and "OVERTURN_CHROMA_URL" in done.stderr and "Traceback" not in done.stderr


@pytest.fixture(scope="module")
def stack(tmp_path_factory, postgres, chroma_server):
    home = tmp_path_factory.mktemp("stack") / "home"
    server = Server(
        home,
        "--workers",
        "2",
        OVERTURN_DATABASE_URL=postgres.database(),
        OVERTURN_CHROMA_URL=chroma_server.url,
        OVERTURN_JOBS="queue",
        OVERTURN_JOB_LEASE="4",
        HF_HUB_OFFLINE="1",
    )
    done = server.cli("db", "upgrade")
    assert done.returncode == 0, done.stderr
    server.start()
    yield server
    server.stop()


@pytest.mark.integration
def test_two_api_workers_and_two_job_workers_serve_the_whole_flow(stack):
    key_a, key_b = stack.key("clinic-a"), stack.key("clinic-b")
    workers = [JobWorker(stack).start() for _ in range(2)]
    made = make_case("CCM20", 7)
    try:
        with stack.client(key_a) as a, stack.client(key_b) as b:
            health = a.get("/v1/health").json()
            assert (health["database"]["kind"], health["vectors"]["kind"], health["jobs"]["kind"]) == (
                "postgresql",
                "chroma-server",
                "queue",
            )
            case_id = a.post("/v1/cases", json=made.case).json()["id"]
            for name, data in made.documents:
                assert upload(a, case_id, name, data)["status"] == "queued"  # the API only enqueues
            case = wait_ready(a, case_id)
            assert all(d["status"] == "ready" for d in case["documents"]), case["documents"]
            appeal = a.post(f"/v1/cases/{case_id}/appeals")
            assert appeal.status_code == 201 and appeal.json()["citations"]
            packet = a.get(f"/v1/appeals/{appeal.json()['id']}/packet.pdf")
            assert packet.status_code == 200 and packet.content.startswith(b"%PDF")
            assert b.get(f"/v1/cases/{case_id}").status_code == 404
            assert a.delete(f"/v1/cases/{case_id}").status_code == 204
            assert a.get(f"/v1/cases/{case_id}").status_code == 404
    finally:
        for w in workers:
            w.stop()


@pytest.mark.integration
def test_a_job_worker_killed_mid_ocr_leaves_the_document_to_the_next_one(stack):
    key = stack.key("clinic-k")
    made = make_case("CCM39", 11, pages=8, scanned=8, documents=1, misfiled=False, out_of_period=False, injection=False)
    name, data = made.documents[0]
    with stack.client(key) as client:
        case_id = client.post("/v1/cases", json=made.case).json()["id"]
        doc = upload(client, case_id, name, data)
        first = JobWorker(stack).start()
        try:
            deadline = time.monotonic() + 240
            while time.monotonic() < deadline:
                seen = client.get(f"/v1/cases/{case_id}/documents/{doc['id']}").json()
                if seen["status"] == "processing" and seen["pages_done"] >= 1:
                    break
                assert seen["status"] != "ready", "the document was read before the worker could be killed"
                time.sleep(0.2)
            else:
                raise AssertionError("the first worker never started OCR")
        finally:
            first.kill()
        second = JobWorker(stack).start()
        try:
            case = wait_ready(client, case_id, timeout=400)
        finally:
            second.stop()
        read = case["documents"][0]
        assert read["status"] == "ready" and read["pages_ocr"] >= 1 and len(read["pages"]) == read["pages_total"]
        assert len(case["documents"]) == 1


@pytest.mark.integration
def test_postgresql_or_chroma_going_down_gives_503s_not_500s_and_work_resumes(stack, postgres, chroma_server):
    key = stack.key("clinic-r")
    made = make_case("CCM06", 5)
    worker = JobWorker(stack).start()
    try:
        with stack.client(key) as client:
            case_id = client.post("/v1/cases", json=made.case).json()["id"]
            first_name, first_data = made.documents[0]
            upload(client, case_id, first_name, first_data)
            wait_ready(client, case_id)

            chroma_server.stop()
            try:
                down = client.post(f"/v1/cases/{case_id}/appeals")
                assert down.status_code == 503 and down.headers.get("retry-after"), down.text
                assert down.json()["error"]["code"] == "backend_unavailable"
                # Accepted while the vectors are down: the job worker reads it, cannot index it,
                # and puts it back for later instead of failing it.
                late_name, late_data = made.documents[1]
                late = upload(client, case_id, late_name, late_data)
                deadline = time.monotonic() + 120
                while time.monotonic() < deadline:
                    seen = client.get(f"/v1/cases/{case_id}/documents/{late['id']}").json()
                    if seen["status"] == "failed" or "it is read again" in stack.log():
                        break
                    time.sleep(0.5)
                assert seen["status"] != "failed", seen["error"]
                assert "it is read again" in stack.log(), "the worker never met the outage"
            finally:
                chroma_server.start()
            case = wait_ready(client, case_id)
            assert [d["status"] for d in case["documents"]] == ["ready", "ready"]
            assert client.post(f"/v1/cases/{case_id}/appeals").status_code == 201

            postgres.control("stop")
            try:
                for path in (f"/v1/cases/{case_id}", "/v1/cases", "/v1/health"):
                    down = client.get(path)
                    assert down.status_code == 503 and down.headers.get("retry-after"), (path, down.status_code)
            finally:
                postgres.control("start")
            assert client.get(f"/v1/cases/{case_id}").status_code == 200
            # The job worker lived through the outage.
            upload(client, case_id, "after.pdf", make_pdf([["Care plan reviewed with the patient after the outage."]]))
            case = wait_ready(client, case_id)
            assert all(d["status"] == "ready" for d in case["documents"])
    finally:
        worker.stop()
    assert "Traceback" not in stack.log()


@pytest.mark.integration
def test_a_server_killed_mid_upload_keeps_nothing_half_received(tmp_path):
    server = Server(tmp_path / "home").start()
    key = server.key("clinic-u")
    made = make_case("CCM02", 3, pages=6, scanned=0, documents=1, misfiled=False, out_of_period=False, injection=False)
    name, data = made.documents[0]
    with server.client(key) as client:
        case_id = client.post("/v1/cases", json=made.case).json()["id"]
    boundary = "b0undary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    sent = threading.Event()

    def slow_body():
        yield head + data[: len(data) // 2]
        sent.set()
        time.sleep(30)  # the server dies while it waits for the rest
        yield data[len(data) // 2 :] + f"\r\n--{boundary}--\r\n".encode()

    def send():
        with contextlib.suppress(httpx.HTTPError):
            httpx.post(
                f"{server.url}/v1/cases/{case_id}/documents",
                content=slow_body(),
                timeout=60,
                headers={"Authorization": f"Bearer {key}", "Content-Type": f"multipart/form-data; boundary={boundary}"},
            )

    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    assert sent.wait(30)
    deadline = time.monotonic() + 30
    while not list(server.home.glob("files/*/*/*.partial")) and time.monotonic() < deadline:
        time.sleep(0.1)
    partials = list(server.home.glob("files/*/*/*.partial"))
    assert partials, "the upload never reached the server"
    server.process.kill()
    server.process.wait(20)
    old = time.time() - 2 * 3600
    for path in partials:
        os.utime(path, (old, old))  # as if the restart came an hour later
    server.start()
    try:
        with server.client(key) as client:
            assert client.get(f"/v1/cases/{case_id}").json()["documents"] == []
            assert not list(server.home.glob("files/*/*/*.partial"))
            answer = client.post(f"/v1/cases/{case_id}/documents", files={"file": (name, data, "application/pdf")})
            assert answer.status_code == 202
            assert wait_ready(client, case_id)["documents"][0]["status"] == "ready"
    finally:
        server.stop()
