"""Load on the HTTP API: one process against the scaled layout, side by side, in one run.

Usage: .venv/bin/python eval/bench_load.py [--clients 50] [--seconds 60] [--one-process] [--json]
(part of `make bench`). Prints figures only; nothing here asserts a time.

Each of `--clients` concurrent clients repeats a portal's flow for `--seconds`: create a case,
upload a 10-page record, poll until it is read, draft, export the letter (DOCX), ask a question
about the case. For (a) `overturn serve` alone (SQLite, embedded Chroma, a reader thread) and
(b) PostgreSQL, a Chroma server, `serve --workers 2` that only enqueues and 2 `overturn worker`s:
flows completed, requests/s, errors (any answer but the expected one, or no answer) and p50/p95
per route, ingest pages/s, upload -> ready p50/p95 (from the upload's answer to the first poll
that sees the document ready) and the server's resident memory after the load (VmRSS of the serve
process, or summed over every API and job worker process and their children). Then (c) faults on
the scaled layout: the same flows (clients repeat a 503 after its Retry-After) while a job worker
is killed with SIGKILL and replaced, the Chroma server is restarted and PostgreSQL is restarted;
it prints the answers by status, 500s,
and what became of every accepted upload (ready, failed, never finished, duplicated). Then (d)
retrieval latency at 100k chunks on the Chroma server. (b) to (d) need the machine's PostgreSQL
cluster (run as root); without it they are skipped with the reason; `--one-process` runs (a) only.
"""

import argparse
import json
import os
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from eval.bench import bench_retrieval, pct, proc_status_kb, retrieval_line  # noqa: E402
from eval.synth.charts import make_case  # noqa: E402
from tests.api_server import JobWorker, Server  # noqa: E402

PAGES = 10
QUESTION = "Does this chart show the time spent this month, and what should we attach?"


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.seconds: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.flows = 0
        self.pages = 0
        self.retry_503 = False
        self.statuses: dict[int, int] = defaultdict(int)
        self.accepted: list[tuple[str, str]] = []
        self.ready: list[float] = []
        """Seconds from each upload's answer to the first poll that saw the document ready."""

    def call(self, route: str, expect: int, send, *args, **kwargs) -> httpx.Response | None:
        """`send(*args, **kwargs)`, timed and tallied under `route` (retried on 503 when asked)."""
        start = time.perf_counter()
        for _ in range(12 if self.retry_503 else 1):
            try:
                answer = send(*args, **kwargs)
            except httpx.HTTPError:
                answer = None
            with self.lock:
                self.statuses[answer.status_code if answer is not None else 0] += 1
            if answer is None or answer.status_code != 503 or not self.retry_503:
                break
            time.sleep(min(5.0, float(answer.headers.get("retry-after", "5"))))
        took = time.perf_counter() - start
        with self.lock:
            self.seconds[route].append(took)
            if answer is None or answer.status_code != expect:
                self.errors[f"{route} -> {answer.status_code if answer is not None else 'no answer'}"] += 1
                return None
        return answer


def client_loop(url: str, key: str, records: list, deadline: float, tally: Tally, n: int) -> None:
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}"}, timeout=300) as c:
        i = 0
        while time.monotonic() < deadline:
            made = records[(n + i) % len(records)]
            i += 1
            case = tally.call("POST /v1/cases", 201, c.post, "/v1/cases", json=made.case)
            if case is None:
                continue
            case_id = case.json()["id"]
            name, data = made.documents[0]
            upload = tally.call(
                "POST documents",
                202,
                c.post,
                f"/v1/cases/{case_id}/documents",
                files={"file": (name, data, "application/pdf")},
            )
            if upload is None:
                continue
            uploaded = time.perf_counter()
            with tally.lock:
                tally.accepted.append((case_id, upload.json()["id"]))
            while time.monotonic() < deadline + 120:
                seen = tally.call("GET /v1/cases/{id}", 200, c.get, f"/v1/cases/{case_id}")
                if seen is not None and all(d["status"] in ("ready", "failed") for d in seen.json()["documents"]):
                    if all(d["status"] == "ready" for d in seen.json()["documents"]):
                        with tally.lock:
                            tally.ready.append(time.perf_counter() - uploaded)
                    break
                time.sleep(0.5)
            else:
                continue
            with tally.lock:
                tally.pages += PAGES
            appeal = tally.call("POST appeals", 201, c.post, f"/v1/cases/{case_id}/appeals")
            if appeal is None:
                continue
            appeal_id = appeal.json()["id"]
            tally.call("GET appeal .docx", 200, c.get, f"/v1/appeals/{appeal_id}.docx")
            tally.call("POST /v1/chat", 200, c.post, "/v1/chat", json={"question": QUESTION, "case_id": case_id})
            with tally.lock:
                tally.flows += 1


def load(server: Server, clients: int, seconds: float, records: list, tally: Tally | None = None) -> dict:
    key = server.key("load")
    tally = tally or Tally()
    start = time.monotonic()
    deadline = start + seconds
    threads = [
        threading.Thread(target=client_loop, args=(server.url, key, records, deadline, tally, n))
        for n in range(clients)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - start
    requests = sum(len(v) for v in tally.seconds.values())
    return {
        "clients": clients,
        "seconds": round(wall, 1),
        "flows": tally.flows,
        "requests": requests,
        "requests_per_s": round(requests / wall, 2),
        "errors": dict(tally.errors),
        "ingest_pages_per_s": round(tally.pages / wall, 2),
        "upload_ready": {"p50": pct(tally.ready, 0.5), "p95": pct(tally.ready, 0.95), "n": len(tally.ready)}
        if tally.ready
        else {"n": 0},
        "routes": {r: {"p50": pct(v, 0.5), "p95": pct(v, 0.95), "n": len(v)} for r, v in sorted(tally.seconds.items())},
    }


def rss_mb(pids: list[int]) -> float:
    """Resident memory (VmRSS) of these processes and all their descendants, summed, in MB."""
    children: dict[int, list[int]] = defaultdict(list)
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children[int(fields[1])].append(int(stat.parent.name))
    total_kb, todo, seen = 0, list(pids), set()
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        todo += children.get(pid, [])
        total_kb += proc_status_kb(pid, "VmRSS")
    return round(total_kb / 1024, 1)


def faults(server: Server, workers: list, postgres, chroma, clients: int, seconds: float, records: list) -> dict:
    """Load while things break (at 20%, 45% and 70% of `seconds`), then the fate of every upload."""
    tally = Tally()
    tally.retry_503 = True
    done: list[str] = []

    def breaker() -> None:
        time.sleep(seconds * 0.2)
        workers[0].kill()
        workers[0] = JobWorker(server).start()
        done.append("job worker killed (SIGKILL) and replaced")
        time.sleep(seconds * 0.25)
        chroma.stop()
        time.sleep(5)
        chroma.start()
        done.append("Chroma server stopped 5 s and restarted")
        time.sleep(seconds * 0.25)
        postgres.control("stop")
        time.sleep(5)
        postgres.control("start")
        done.append("PostgreSQL stopped 5 s and restarted")

    thread = threading.Thread(target=breaker)
    thread.start()
    figures = load(server, clients, seconds, records, tally)
    thread.join()
    fate: dict[str, int] = defaultdict(int)
    key = server.key("load")
    with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {key}"}, timeout=60) as c:
        deadline = time.monotonic() + 300
        for case_id, doc_id in tally.accepted:
            while True:
                case = c.get(f"/v1/cases/{case_id}")
                docs = case.json()["documents"] if case.status_code == 200 else []
                status = next((d["status"] for d in docs if d["id"] == doc_id), "lost")
                if status not in ("queued", "processing") or time.monotonic() > deadline:
                    break
                time.sleep(1)
            fate["never finished" if status in ("queued", "processing") else status] += 1
            fate["duplicated"] += max(0, len(docs) - 1)
    figures.update(
        {
            "events": done,
            "statuses": {str(k): v for k, v in sorted(tally.statuses.items())},
            "server_errors_500": sum(v for k, v in tally.statuses.items() if k >= 500 and k != 503),
            "uploads_accepted": len(tally.accepted),
            "uploads_fate": dict(fate),
        }
    )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument(
        "--chunks", type=int, default=100_000, help="chunks on the Chroma server for the retrieval figure"
    )
    parser.add_argument(
        "--fault-clients", type=int, default=10, help="clients while workers and backends are restarted"
    )
    parser.add_argument(
        "--one-process", action="store_true", help="only (a): no PostgreSQL, Chroma server, faults or retrieval"
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    records = [
        make_case(
            code, 900 + i, pages=PAGES, scanned=0, documents=1, misfiled=False, out_of_period=False, injection=False
        )
        for i, code in enumerate(["CCM02", "CCM06", "CCM20", "CCM31", "CCM39"])
    ]
    figures: dict = {"cpus": os.cpu_count()}
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        print("one process ...", file=sys.stderr, flush=True)
        single = Server(work / "single", HF_HUB_OFFLINE="1").start()
        try:
            figures["one_process"] = load(single, args.clients, args.seconds, records)
            figures["one_process"]["rss_mb"] = rss_mb([single.process.pid])
        finally:
            single.stop()
        if args.one_process:
            print(json.dumps(figures, indent=2) if args.json else render(figures))
            return
        try:
            from tests.chroma_server import ChromaServer
            from tests.postgres import Postgres

            postgres = Postgres()
            chroma = ChromaServer(work)
        except BaseException as exc:  # pytest.skip outside pytest: say why and stop there
            figures["scaled"] = {"skipped": str(exc) or exc.__class__.__name__}
            postgres = chroma = None
        if chroma is not None:
            try:
                print("2 API workers + 2 job workers ...", file=sys.stderr, flush=True)
                scaled = Server(
                    work / "scaled",
                    "--workers",
                    "2",
                    OVERTURN_DATABASE_URL=postgres.database(),
                    OVERTURN_CHROMA_URL=chroma.url,
                    OVERTURN_JOBS="queue",
                    HF_HUB_OFFLINE="1",
                )
                scaled.cli("db", "upgrade")
                scaled.start()
                workers = [JobWorker(scaled).start() for _ in range(2)]
                try:
                    figures["scaled"] = load(scaled, args.clients, args.seconds, records)
                    figures["scaled"]["rss_mb"] = rss_mb([scaled.process.pid, *(w.process.pid for w in workers)])
                    print("faults on the scaled layout ...", file=sys.stderr, flush=True)
                    figures["faults"] = faults(
                        scaled, workers, postgres, chroma, args.fault_clients, args.seconds, records
                    )
                finally:
                    for w in workers:
                        w.stop()
                    scaled.stop()
                print(f"retrieval at {args.chunks:,} chunks on the Chroma server ...", file=sys.stderr, flush=True)
                figures["retrieval_chroma_server"] = bench_retrieval([args.chunks], url=chroma.url)
            finally:
                chroma.stop()
                postgres.drop_all()
    print(json.dumps(figures, indent=2) if args.json else render(figures))


def render(f: dict) -> str:
    lines = [
        f"Load on the HTTP API ({f['cpus']} CPUs), each client repeating: case, 10-page upload, poll, draft, DOCX, chat."
    ]
    for label, title in (
        ("one_process", "one process (SQLite, embedded Chroma, reader thread)"),
        ("scaled", "2 API + 2 job workers (PostgreSQL, Chroma server, queue)"),
    ):
        r = f.get(label)
        if r is None:
            continue
        if "skipped" in r:
            lines += ["", f"{title}: skipped ({r['skipped']})"]
            continue
        errors = sum(r["errors"].values())
        lines += [
            "",
            f"{title}: {r['clients']} clients, {r['seconds']} s: {r['flows']} flows, {r['requests_per_s']} requests/s, "
            f"{errors} errors{' ' + json.dumps(r['errors']) if errors else ''}, ingest {r['ingest_pages_per_s']} pages/s",
        ]
        ready = r["upload_ready"]
        if ready["n"]:
            lines.append(
                f"  upload -> ready        p50 {ready['p50']:>7.3f} s   p95 {ready['p95']:>7.3f} s   ({ready['n']} documents)"
            )
        lines.append(f"  server RSS after the load: {r['rss_mb']} MB")
        for route, s in r["routes"].items():
            lines.append(f"  {route:<22} p50 {s['p50']:>7.3f} s   p95 {s['p95']:>7.3f} s   ({s['n']} calls)")
    r = f.get("faults")
    if r:
        lines += [
            "",
            f"Faults on the scaled layout, {r['clients']} clients, {r['seconds']} s ({'; '.join(r['events'])}): {r['flows']} flows, "
            f"answers by status {json.dumps(r['statuses'])} (0 = no answer), 500s: {r['server_errors_500']}; "
            f"{r['uploads_accepted']} uploads accepted, then {json.dumps(r['uploads_fate'])}",
        ]
    for size, r in f.get("retrieval_chroma_server", {}).items():
        lines += [
            "",
            f"Retrieval on the Chroma server, one case's top-20 among {int(size):,} chunks (ms; p50 / p95): "
            f"{retrieval_line(r)} (store filled in {r['fill_seconds']} s)",
        ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
