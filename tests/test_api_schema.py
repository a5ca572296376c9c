"""Schemathesis against the app's own OpenAPI schema, on a real server: no 5xx for anything it
generates, and every response matches the schema (status, content type, body, headers).

A fixed amount of work per operation (`--max-examples`, a seed), not a time budget: with
`--max-time` the fuzzing repeats until the time is spent, and on a loaded machine the budget
could end before every operation was tried. The chat is asked once before the run, so the
embedding model is loaded before schemathesis' first request times it."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.api_server import Server

pytestmark = pytest.mark.integration
CONFIG = Path(__file__).with_name("schemathesis.toml")


def test_schemathesis_finds_no_failure(tmp_path):
    st = Path(sys.executable).parent / "st"
    if not st.exists() and shutil.which("st") is None:
        pytest.fail("schemathesis is not installed (it is in the test extra)")
    server = Server(tmp_path / "home").start()
    try:
        made = server.cli("keys", "create", "--tenant", "fuzz", "--role", "admin")  # admin: every route is open to it
        assert made.returncode == 0, made.stderr
        key = made.stdout.strip()
        with server.client(key) as client:
            assert client.post("/v1/chat", json={"question": "What does CCM20 mean?"}).status_code == 200
        # One worker: concurrent workers hit a CPython 3.11 ast.parse fault inside hypothesis.
        done = subprocess.run(
            [
                str(st),
                "--config-file",
                str(CONFIG),
                "run",
                f"{server.url}/openapi.json",
                "-H",
                f"Authorization: Bearer {key}",
                "--checks",
                "all",
                "--workers",
                "1",
                "--max-examples",
                "10",
                "--request-timeout",
                "30",
                "--seed",
                "20261123",
                "--no-color",
            ],
            capture_output=True,
            text=True,
            timeout=600,
            cwd=tmp_path,
        )
    finally:
        server.stop()
    summary = done.stdout[-4000:]
    assert done.returncode == 0, summary
    assert "5xx" not in summary and "Traceback" not in server.log()
    assert "Time limit" not in summary, summary  # no operation left untried for want of time
