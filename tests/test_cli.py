"""`overturn` on the bundled sample, as a user runs it: the JSON contract through the installed
console script in its own process; the other commands in process (CliRunner)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli_runner import run_cli

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "eval" / "sample"
OVERTURN = Path(sys.executable).parent / "overturn"


def spawn(args, home):
    env = {"OVERTURN_HOME": str(home), "PATH": "/usr/bin:/bin", "HOME": str(home)}
    return subprocess.run([str(OVERTURN), *args], env=env, capture_output=True, text=True, timeout=300)


def run(args, home):
    return run_cli(args, {"OVERTURN_HOME": str(home)})


@pytest.mark.integration
def test_draft_json_matches_the_contract(tmp_path):
    done = spawn(["draft", "--case", str(SAMPLE / "case.json"), "--records", str(SAMPLE / "records.pdf")], tmp_path)
    assert done.returncode == 0, "draft failed"
    result = json.loads(done.stdout)
    assert set(result) == {"letter", "method", "citations", "excluded_pages", "warnings", "deadline"}
    assert result["method"] == "template" and result["citations"]
    for c in result["citations"]:
        assert set(c) == {"marker", "document", "page", "quote"} and c["page"] >= 1
        assert c["marker"] in result["letter"]
    gold = json.loads((SAMPLE / "gold.json").read_text())
    assert {(e["document"], e["page"]) for e in result["excluded_pages"]} >= {
        (e["document"], e["page"]) for e in gold["excluded_pages"]
    }
    assert result["deadline"] == "2026-02-18"
    assert "Traceback" not in done.stderr and done.stderr.strip() == ""


@pytest.mark.integration
def test_draft_text_and_files(tmp_path):
    args = ["draft", "--case", str(SAMPLE / "case.json"), "--records", str(SAMPLE / "records.pdf")]
    text = run([*args, "--format", "text"], tmp_path)
    assert text.returncode == 0 and text.stdout.startswith("Millbrook Community Health Partners")
    assert "warning: records.pdf page 1 was not used" in text.stderr
    for fmt in ("json", "docx", "pdf"):
        out = tmp_path / f"letter.{fmt}"
        done = run([*args, "--format", fmt, "--out", str(out)], tmp_path)
        assert done.returncode == 0 and out.stat().st_size > 1000 and done.stdout == ""
    packet = tmp_path / "packet.pdf"
    done = run([*args, "--packet", str(packet)], tmp_path)
    assert done.returncode == 0
    cited = {(c["document"], c["page"]) for c in json.loads(done.stdout)["citations"]}
    from pypdf import PdfReader

    assert len(PdfReader(packet).pages) == 1 + len(cited)


def test_codes_list_and_show(tmp_path):
    listed = run(["codes", "list"], tmp_path)
    assert listed.returncode == 0
    assert [line.split()[0] for line in listed.stdout.splitlines()][:5] == ["CCM02", "CCM06", "CCM20", "CCM31", "CCM39"]
    shown = run(["codes", "show", "ccm20"], tmp_path)
    assert shown.returncode == 0 and "Evidence the record must show" in shown.stdout
