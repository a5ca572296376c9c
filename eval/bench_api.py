"""Speed and memory of the HTTP API on a real `overturn serve` (loopback), as a portal sees it.

Usage: .venv/bin/python eval/bench_api.py [--runs 5] [--json]  (part of `make bench`).
Prints figures only; nothing here asserts a time.

- upload: seconds until the 202 answer, and until the document is `ready` (read, split,
  embedded, sentence vectors cached); the first upload of a fresh server includes loading the
  embedding model;
- draft: `POST /v1/cases/{id}/appeals` p50/p95 for a 10-page and an 80-page text record;
- exports: DOCX, PDF and evidence packet p50;
- delete: `DELETE /v1/cases/{id}`;
- memory: the server's peak resident set.
"""

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
OVERTURN = Path(sys.executable).parent / "overturn"
TEXT_OPTIONS = dict(scanned=0, documents=1, misfiled=True, out_of_period=True, injection=True, missing=False)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))], 3)


def vm_hwm_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024)
    return 0.0


def timed(call, *args) -> tuple[float, httpx.Response]:
    start = time.perf_counter()
    answer = call(*args)
    return time.perf_counter() - start, answer


def wait_ready(client: httpx.Client, case_id: str) -> None:
    while True:
        docs = client.get(f"/v1/cases/{case_id}").json()["documents"]
        if all(d["status"] in ("ready", "failed") for d in docs):
            return
        time.sleep(0.05)


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from eval.synth.charts import make_case

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="drafts and exports per record")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home, socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        probe.close()
        env = {**os.environ, "OVERTURN_HOME": home}
        env.pop("OVERTURN_LLM", None)
        key = subprocess.run(
            [str(OVERTURN), "keys", "create", "--tenant", "bench"], env=env, capture_output=True, text=True, check=True
        ).stdout.strip()
        server = subprocess.Popen(
            [str(OVERTURN), "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            figures = run(make_case, f"http://127.0.0.1:{port}", key, args.runs, server.pid)
        finally:
            server.terminate()
            server.wait(20)
    print(json.dumps(figures, indent=2) if args.json else render(figures))


def run(make_case, url: str, key: str, runs: int, pid: int) -> dict:
    deadline = time.monotonic() + 60
    while True:
        try:
            httpx.get(f"{url}/healthz", timeout=1)
            break
        except httpx.HTTPError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    client = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}"}, timeout=600)
    figures: dict = {"cpus": os.cpu_count()}
    for label, pages, seed in (("first_10", 10, 610), ("10", 10, 510), ("80", 80, 580)):
        made = make_case("CCM39" if pages == 10 else "CCM20", seed, pages=pages, **TEXT_OPTIONS)
        case_id = client.post("/v1/cases", json=made.case).json()["id"]
        name, data = made.documents[0]
        start = time.perf_counter()
        upload = client.post(f"/v1/cases/{case_id}/documents", files={"file": (name, data, "application/pdf")})
        answered = time.perf_counter() - start
        assert upload.status_code == 202, upload.text
        wait_ready(client, case_id)
        entry = {
            "pages": pages,
            "upload_answer_s": round(answered, 3),
            "ready_s": round(time.perf_counter() - start, 2),
        }
        if label != "first_10":
            drafts = [timed(client.post, f"/v1/cases/{case_id}/appeals") for _ in range(runs)]
            entry["draft"] = {
                "p50": pct([s for s, _ in drafts], 0.5),
                "p95": pct([s for s, _ in drafts], 0.95),
                "runs": runs,
            }
            appeal_id = drafts[-1][1].json()["id"]
            for kind, path in (
                ("docx", f"{appeal_id}.docx"),
                ("pdf", f"{appeal_id}.pdf"),
                ("packet", f"{appeal_id}/packet.pdf"),
            ):
                entry[f"{kind}_p50"] = pct([timed(client.get, f"/v1/appeals/{path}")[0] for _ in range(runs)], 0.5)
            entry["delete_s"] = round(timed(client.delete, f"/v1/cases/{case_id}")[0], 3)
        figures[label] = entry
    figures["server_peak_rss_mb"] = vm_hwm_mb(pid)
    return figures


def render(f: dict) -> str:
    first = f["first_10"]
    lines = [
        f"Overturn API bench ({f['cpus']} CPUs), one `overturn serve` on loopback.",
        f"  first upload of a fresh server (10 pages, model load included): answered in {first['upload_answer_s']} s, ready in {first['ready_s']} s",
    ]
    for label in ("10", "80"):
        e = f[label]
        lines.append(
            f"  {e['pages']}-page text record: upload answered {e['upload_answer_s']} s, ready {e['ready_s']} s; "
            f"draft p50/p95 {e['draft']['p50']} / {e['draft']['p95']} s; exports p50 docx {e['docx_p50']} s, "
            f"pdf {e['pdf_p50']} s, packet {e['packet_p50']} s; delete {e['delete_s']} s"
        )
    lines.append(f"  server peak memory: {f['server_peak_rss_mb']} MB")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
