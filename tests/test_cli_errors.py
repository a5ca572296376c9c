"""Every bad input gives one line on stderr and a non-zero exit: no traceback, no PHI. Two
tests spawn the console script (the process's own exit code and stderr); the rest run in
process (CliRunner) through the same `main`."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli_runner import run_cli
from tests.pdfs import encrypt, make_pdf

OVERTURN = Path(sys.executable).parent / "overturn"


def spawn(args, tmp_path):
    env = {"OVERTURN_HOME": str(tmp_path / "home"), "PATH": "/usr/bin:/bin"}
    return subprocess.run([str(OVERTURN), *args], env=env, capture_output=True, text=True, timeout=120)


def run(args, tmp_path):
    return run_cli(args, {"OVERTURN_HOME": str(tmp_path / "home")})


def assert_one_line_error(done, *needles):
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), done.stderr
    assert "Traceback" not in done.stderr
    for needle in needles:
        assert needle in lines[0]


@pytest.mark.parametrize(
    "name, data, needle",
    [
        ("empty.pdf", b"", "empty"),
        ("photo.pdf", b"\x89PNG\r\n\x1a\n Maria Gonzalez", "not a PDF"),
        ("broken.pdf", b"%PDF-1.4\n garbage", "damaged"),
    ],
)
def test_bad_record_files(tmp_path, case_file, name, data, needle):
    path = tmp_path / name
    path.write_bytes(data)
    done = run(["draft", "--case", str(case_file), "--records", str(path)], tmp_path)
    assert_one_line_error(done, name, needle)
    assert "Maria" not in done.stderr


def test_encrypted_record(tmp_path, case_file):
    path = tmp_path / "locked.pdf"
    path.write_bytes(encrypt(make_pdf([["Patient: Maria L. Gonzalez, secret"]]), "pw"))
    assert_one_line_error(spawn(["draft", "--case", str(case_file), "--records", str(path)], tmp_path), "password")


def test_too_large_record(tmp_path, case_file):
    path = tmp_path / "big.pdf"
    path.write_bytes(make_pdf([["x" * 50]] * 5))
    env_args = ["draft", "--case", str(case_file), "--records", str(path)]
    env = {"OVERTURN_HOME": str(tmp_path / "home"), "OVERTURN_MAX_UPLOAD_BYTES": "100", "PATH": "/usr/bin:/bin"}
    done = subprocess.run([str(OVERTURN), *env_args], env=env, capture_output=True, text=True, timeout=120)
    assert_one_line_error(done, "big.pdf", "limit")


def test_missing_record_and_bad_case(tmp_path, case_file):
    assert_one_line_error(
        run(["draft", "--case", str(case_file), "--records", str(tmp_path / "x.pdf")], tmp_path), "no such file"
    )
    bad = tmp_path / "bad.json"
    bad.write_text('{"claim_number": "1"}')
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(make_pdf([["Some text that is long enough to read."]]))
    assert_one_line_error(
        run(["draft", "--case", str(bad), "--records", str(pdf)], tmp_path), "bad.json", "patient_name"
    )
    bad.write_text("{not json")
    assert_one_line_error(run(["draft", "--case", str(bad), "--records", str(pdf)], tmp_path), "not valid JSON")


def test_bad_date_and_unknown_code(tmp_path, case_fields):
    import json

    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(make_pdf([["Some text that is long enough to read."]]))
    case = tmp_path / "c.json"
    case.write_text(json.dumps({**case_fields, "date_of_service": "03/31/2026"}))
    assert_one_line_error(run(["draft", "--case", str(case), "--records", str(pdf)], tmp_path), "date_of_service")
    case.write_text(json.dumps({**case_fields, "denial_code": "ZZ99"}))
    assert_one_line_error(run(["draft", "--case", str(case), "--records", str(pdf)], tmp_path), "ZZ99")


def test_unknown_format(tmp_path, case_file):
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(make_pdf([["Some text that is long enough to read."]]))
    done = run(["draft", "--case", str(case_file), "--records", str(pdf), "--format", "xml"], tmp_path)
    assert_one_line_error(done, "xml")


def test_binary_formats_need_an_output_file(tmp_path, case_file):
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(make_pdf([["Some text that is long enough to read."]]))
    done = run(["draft", "--case", str(case_file), "--records", str(pdf), "--format", "pdf"], tmp_path)
    assert_one_line_error(done, "--out")
