"""`overturn draft` against a real OpenAI-compatible server on loopback that is hostile, down or
slow: whatever it does, the letter that ships is the validated one or the template letter.

The real part is the HTTP server the model speaks through. `overturn` runs in this process
(CliRunner, the session's loaded embedder) so each draft does not import torch and Chroma again;
the server-error test still spawns a real `overturn` process: exit code 0, JSON on stdout and no
traceback on stderr when the model's server fails."""

import json
import os
import random
import subprocess
import sys
import time

import pytest

from eval.harness.model_path import defect_shipped
from eval.synth.charts import make_case
from service.components import Components
from service.config import Settings
from service.models import CaseFields
from service.pipeline import analyse_case
from tests.cli_runner import run_cli
from tests.faults import DEFECTS, careful_body, context
from tests.hostile_server import HostileServer

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def case_dir(tmp_path_factory, embedder):
    folder = tmp_path_factory.mktemp("case")
    made = make_case("CCM39", 11, pages=8, documents=1, scanned=0, injection=True, misfiled=True, missing=False)
    fields = {**made.case, "letter_date": "2026-06-01"}
    (folder / "case.json").write_text(json.dumps(fields))
    for name, data in made.documents:
        (folder / name).write_bytes(data)
    settings = Settings(home=folder / "scratch", vector_cache=False)
    case = CaseFields.model_validate(fields)
    analysis = analyse_case(case, made.documents, Components(settings, embedder=embedder))
    good = careful_body(case, analysis, made.gold)
    return folder, [name for name, _ in made.documents], good, context(case, analysis)


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    """One OVERTURN_HOME for the module's in-process drafts: the same claim from the same files
    finds its pages already read (as a user's second draft does), so only the first draft reads."""
    return tmp_path_factory.mktemp("home")


def draft_args(folder, records) -> list[str]:
    args = ["draft", "--case", str(folder / "case.json")]
    for name in records:
        args += ["--records", str(folder / name)]
    return args


def draft(folder, records, home, llm_env: dict, embedder) -> tuple[dict, float]:
    """`overturn draft` in this process, with only `llm_env`'s OVERTURN_* settings (and the home)."""
    start = time.perf_counter()
    done = run_cli(draft_args(folder, records), {"OVERTURN_HOME": str(home), **llm_env}, embedder=embedder)
    assert done.returncode == 0, done.stderr[-1500:]
    return json.loads(done.stdout), time.perf_counter() - start


def draft_in_a_process(folder, records, home, llm_env: dict) -> tuple[subprocess.CompletedProcess, dict]:
    env = {**os.environ, "OVERTURN_HOME": str(home), **llm_env}
    command = [sys.executable, "-m", "service.cli", *draft_args(folder, records)]
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr[-1500:]
    return done, json.loads(done.stdout)


def test_no_planted_defect_ships_and_each_is_named(case_dir, home, embedder):
    """Through a real server and the CLI: the template letter ships, or the model's letter
    without the failing sentence (cite or abstain) with the dropped sentence named."""
    folder, records, good, ctx = case_dir
    with HostileServer() as server:
        llm = {"OVERTURN_LLM": "openai:hostile-1", "OVERTURN_LLM_BASE_URL": server.url, "OVERTURN_LLM_TIMEOUT": "20"}
        template, _ = draft(folder, records, home, {}, embedder)
        server.replies = [good]
        accepted, _ = draft(folder, records, home, llm, embedder)
        assert accepted["method"] == "llm", accepted["warnings"]
        for defect in DEFECTS:
            planted = defect(good, ctx, random.Random(7))
            if planted is None:
                continue
            bad, expected = planted
            server.replies = [bad, bad]
            result, _ = draft(folder, records, home, llm, embedder)
            assert all(expected & set(a["failures"]) for a in result["attempts"]), (defect.__name__, result["attempts"])
            assert any(name in w for w in result["warnings"] for name in expected), (
                defect.__name__,
                result["warnings"],
            )
            if result["method"] == "template":
                assert result["letter"] == template["letter"]
            else:
                assert not defect_shipped(good, bad, result["letter"]), defect.__name__
        assert server.requests and all(r["model"] == "hostile-1" for r in server.requests)


def test_a_server_that_is_down_costs_little_and_yields_the_template_letter(case_dir, home, embedder):
    folder, records, _, _ = case_dir
    with HostileServer() as server:
        url = server.url
    result, _ = draft(
        folder,
        records,
        home,
        {"OVERTURN_LLM": "openai:gone", "OVERTURN_LLM_BASE_URL": url, "OVERTURN_LLM_TIMEOUT": "6"},
        embedder,
    )
    assert result["method"] == "template"
    assert sum(a["seconds"] for a in result["attempts"]) <= 6
    assert any("was not used (openai:gone failed" in w for w in result["warnings"])


def test_a_slow_server_costs_at_most_the_timeout_then_the_fallback_answers(case_dir, home, embedder):
    folder, records, good, _ = case_dir
    with HostileServer() as slow, HostileServer() as backup:
        slow.delay = 30
        backup.replies = [good]
        env = {
            "OVERTURN_LLM": "openai:slow",
            "OVERTURN_LLM_BASE_URL": slow.url,
            "OVERTURN_LLM_TIMEOUT": "2",  # far below the server's 30 s silence
            "OVERTURN_LLM_FALLBACKS": f"openai:backup@{backup.url}",
        }
        result, _ = draft(folder, records, home, env, embedder)
        first, second = result["attempts"]
        assert first["model"] == "slow" and first["error"] and first["seconds"] <= 2 + 1.5
        assert second["model"] == "backup" and second["accepted"]
        assert result["method"] == "llm"


def test_a_server_error_falls_back_to_the_template(case_dir, tmp_path):
    """The one draft here in a real `overturn` process: the model's server failing still ends in
    exit code 0 and the JSON letter, with no traceback."""
    folder, records, _, _ = case_dir
    with HostileServer() as broken:
        broken.status = 500
        done, result = draft_in_a_process(
            folder,
            records,
            tmp_path,
            {"OVERTURN_LLM": "openai:broken", "OVERTURN_LLM_BASE_URL": broken.url, "OVERTURN_LLM_TIMEOUT": "10"},
        )
    assert result["method"] == "template" and result["attempts"][0]["error"]
    assert "Traceback" not in done.stderr
    assert broken.requests and broken.requests[0]["model"] == "broken"
