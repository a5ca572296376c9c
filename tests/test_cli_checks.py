"""`overturn check` in process: the JSON contract, the text report, a folder of patients with its
CSV and summary, the exit codes, and the errors a user can cause, each one line and no traceback.

The charts are written here by hand; assert messages name cases, never page text."""

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from tests.cli_runner import run_cli
from tests.pdfs import encrypt, make_pdf

NAME = "Tobias Q. Lindqvist"
PATIENT_ID = "7HX2-QR4-LP19"
OTHER_NAME = "Wilhelmina Ostrander"
OTHER_ID = "3KD8-WW1-ZT55"


def visit_page(name: str, pid: str, consent: bool) -> list[str]:
    agreed = [
        "Chronic care management was explained today. The patient agreed verbally",
        "to enroll, was told a monthly copay may apply, that only one clinician bills",
        "this service each month, and that the program can be stopped at any time.",
    ]
    return [
        "Alder Creek Primary Care",
        f"Patient: {name}   ID: {pid}   DOB: 03/14/1951",
        "Office visit 04/02/2026 with Dr. Helena Marsh, MD",
        *(agreed if consent else ["Blood pressure and feet examined; refills renewed."]),
        "Problem list:",
        "1. Type 2 diabetes mellitus with neuropathy (E11.40), present for 9 years",
        "2. Congestive heart failure, chronic systolic (I50.22), expected to persist",
        "Both conditions carry a high risk of hospital admission.",
    ]


def plan_page(name: str, pid: str) -> list[str]:
    return [
        "Alder Creek Primary Care",
        f"Patient: {name}   ID: {pid}",
        "Comprehensive care plan, 04/02/2026",
        "Problems: diabetes with neuropathy; chronic systolic heart failure.",
        "Goals: A1c below 7.5 by October; no heart failure admissions this year.",
        "Interventions: weekly weight checks (RN), foot exam each visit (MD),",
        "medication reconciliation monthly (RN). Symptom plan: call if weight up 3 lb.",
        "Next review of this plan: 07/2026.",
        "A printed copy of the care plan was handed to the patient at checkout",
        "and also released to the patient portal on 04/02/2026.",
    ]


def log_page(name: str, pid: str, rows: list[tuple[str, int]]) -> list[str]:
    return [
        "Alder Creek Primary Care",
        f"Patient: {name}   ID: {pid}",
        "Care management time log",
        "Date | Minutes | Staff | Activity",
        *[f"{day} | {minutes} | Priya Osei, RN | Phone follow-up on weights and sugars" for day, minutes in rows],
        f"Total: {sum(m for _, m in rows)} min",
    ]


READY_ROWS = [("04/06/2026", 12), ("04/15/2026", 9), ("04/24/2026", 6)]
SHORT_ROWS = [("03/28/2026", 15), ("04/08/2026", 8), ("04/19/2026", 6)]


@pytest.fixture(scope="module")
def charts(tmp_path_factory):
    """A ready month split over two PDFs, a month without consent and short of minutes, and the
    folder of patients a batch reads (the two, and one whose case.json is broken)."""
    root = tmp_path_factory.mktemp("charts")
    ready_a = make_pdf([visit_page(NAME, PATIENT_ID, True), plan_page(NAME, PATIENT_ID)])
    ready_b = make_pdf([log_page(NAME, PATIENT_ID, READY_ROWS)])
    short = make_pdf(
        [
            visit_page(OTHER_NAME, OTHER_ID, False),
            plan_page(OTHER_NAME, OTHER_ID),
            log_page(OTHER_NAME, OTHER_ID, SHORT_ROWS),
        ]
    )
    cases = {
        "ready": {"patient_name": NAME, "patient_id": PATIENT_ID, "claim_number": "kept as is"},
        "short": {"patient_name": OTHER_NAME, "patient_id": OTHER_ID},
    }
    patients = root / "patients"
    for label, files in (("ready", {"visit.pdf": ready_a, "log.pdf": ready_b}), ("short", {"chart.pdf": short})):
        folder = patients / f"{label}-month"
        folder.mkdir(parents=True)
        (folder / "case.json").write_text(json.dumps(cases[label]))
        for file_name, data in files.items():
            (folder / file_name).write_bytes(data)
    broken = patients / "broken-case"
    broken.mkdir()
    (broken / "case.json").write_text("{not json")
    (broken / "chart.pdf").write_bytes(short)
    return patients


@pytest.fixture
def check(tmp_path, embedder):
    def run(*args):
        return run_cli(
            ["check", "--code", "99490", "--month", "2026-04", *args],
            {"OVERTURN_HOME": str(tmp_path)},
            embedder=embedder,
        )

    return run


def _one(charts, label: str) -> list[str]:
    folder = charts / f"{label}-month"
    pdfs = sorted(str(p) for p in folder.glob("*.pdf"))
    return ["--case", str(folder / "case.json"), "--records", *pdfs]


def test_json_matches_the_contract(check, charts):
    done = check(*_one(charts, "ready"), "--json")
    assert done.returncode == 0, "ready month: check failed"
    assert "Traceback" not in done.stderr
    result = json.loads(done.stdout)
    assert {"code", "month", "requirements", "minutes", "supported_codes", "warnings"} <= set(result)
    assert (result["code"], result["month"], result["ready"]) == ("99490", "2026-04", True)
    statuses = {r["id"]: r["status"] for r in result["requirements"]}
    assert statuses == dict.fromkeys(
        [
            "qualifying_conditions",
            "initiating_visit",
            "consent",
            "care_plan",
            "care_plan_shared",
            "time",
            "one_practitioner",
        ],
        "met",
    ), f"ready month: statuses {statuses}"
    for req in result["requirements"]:
        assert {"id", "title", "status", "reason", "citations"} <= set(req)
        for c in req["citations"]:
            assert {"document", "page", "quote"} <= set(c) and c["page"] >= 1
    cited = {c["document"] for r in result["requirements"] for c in r["citations"]}
    assert cited == {"visit.pdf", "log.pdf"}, "ready month: both files listed after one --records are read"
    assert result["minutes"]["total"] == 27 and result["minutes"]["needed"] == 20
    assert len(result["minutes"]["rows"]) == 3
    assert result["supported_codes"] == ["99490"]


def test_text_report_and_fail_unless_ready(check, charts):
    folder = charts / "short-month"
    args = [
        "--case",
        str(folder / "case.json"),
        "--records",
        str(folder / "chart.pdf"),
        "--records",
        str(folder / "chart.pdf"),
    ]
    done = check(*args)
    assert done.returncode == 0, "short month: a check that ran exits 0 whatever the verdict"
    out = done.stdout
    assert out.startswith("99490 2026-04: NOT READY")
    assert "[missing] Consent to care management (consent): nothing in the records shows it" in out
    assert "[at_risk] Care management minutes in the month (time): 14 countable minutes" in out
    assert "Minutes: 14 of 20 needed" in out
    assert "  set aside:\n    2026-03-28   15 min  Priya Osei, RN  (chart.pdf p.3): outside the month" in out
    assert 'chart.pdf p.1 "' in out, "short month: citations shown as document p.N quote"
    assert "Supported codes: none" in out and "Warnings:" in out
    failed = check(*args, "--fail-unless-ready")
    assert failed.returncode == 1 and failed.stdout == out


def test_folder_of_patients(check, charts, tmp_path):
    out_csv = tmp_path / "month.csv"
    done = check("--folder", str(charts), "--csv", str(out_csv))
    assert done.returncode == 2, "batch with a broken folder: exits non-zero at the end"
    assert "Traceback" not in done.stderr
    progress = [line for line in done.stderr.splitlines() if line.startswith("[")]
    assert progress == ["[1/3] broken-case: error", "[2/3] ready-month: ready", "[3/3] short-month: not ready"]
    rows = list(csv.reader(io.StringIO(out_csv.read_text())))
    assert rows[0][:4] == ["patient", "code", "month", "ready"]
    assert [(r[0], r[3]) for r in rows[1:]] == [("short-month", "no"), ("ready-month", "yes")]
    table = done.stdout.splitlines()
    assert table[0].startswith("patient") and table[1].startswith("short-month") and table[2].startswith("ready-month")
    assert "consent" in table[1] and "NOT READY" in table[1]
    assert "1 of 3 ready, 1 not ready, 1 failed" in done.stdout
    assert "  broken-case: case.json: not valid JSON (JSONDecodeError)" in done.stdout
    assert NAME not in done.stdout + done.stderr and OTHER_NAME not in done.stdout + done.stderr


def test_folder_as_json(check, charts, tmp_path):
    folder = tmp_path / "one"
    shutil.copytree(charts / "ready-month", folder / "ready-month")
    done = check("--folder", str(folder), "--json", "--fail-unless-ready")
    assert done.returncode == 0, "a folder whose one month is ready"
    listed = json.loads(done.stdout)
    assert [(p["patient"], p["ready"]) for p in listed] == [("ready-month", True)]
    assert {"code", "month", "requirements", "minutes", "supported_codes", "warnings"} <= set(listed[0])


@pytest.mark.parametrize(
    "case_name, args, message",
    [
        ("month 13", ["--month", "2026-13"], "month must be written YYYY-MM"),
        ("month by name", ["--month", "April"], "month must be written YYYY-MM"),
        ("unknown code", ["--code", "12345"], "no billing rules for code '12345'"),
    ],
)
def test_bad_month_or_code(tmp_path, charts, case_name, args, message):
    base = {"--code": "99490", "--month": "2026-04"}
    base[args[0]] = args[1]
    done = run_cli(
        ["check", *[x for kv in base.items() for x in kv], *_one(charts, "ready")], {"OVERTURN_HOME": str(tmp_path)}
    )
    assert done.returncode == 2, case_name
    assert done.stderr.startswith(f"error: {message}") and "Traceback" not in done.stderr, case_name


def test_unreadable_file(check, charts, tmp_path, monkeypatch):
    """A file the system will not hand over (permissions, a disk error) is an error line too."""
    locked = tmp_path / "denied.pdf"
    locked.write_bytes(b"%PDF-1.4")
    read = Path.read_bytes

    def refuse(path):
        if path.name == "denied.pdf":
            raise PermissionError(13, "Permission denied")
        return read(path)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    done = check("--case", str(charts / "ready-month" / "case.json"), "--records", str(locked))
    assert done.returncode == 2
    assert done.stderr == "error: denied.pdf: cannot be read (PermissionError)\n"


def test_bad_inputs(check, charts, tmp_path):
    text = tmp_path / "notes.pdf"
    text.write_text("plain text, not a PDF")
    locked = tmp_path / "locked.pdf"
    locked.write_bytes(encrypt(make_pdf([["a page"]]), "secret"))
    empty = tmp_path / "empty"
    empty.mkdir()
    case = str(charts / "ready-month" / "case.json")
    bad_case = tmp_path / "case.json"
    bad_case.write_text(json.dumps({"patient_id": PATIENT_ID}))
    cases = [
        ("non-PDF file", ["--case", case, "--records", str(text)], "error: notes.pdf: "),
        ("encrypted file", ["--case", case, "--records", str(locked)], "error: locked.pdf: "),
        ("missing file", ["--case", case, "--records", str(tmp_path / "gone.pdf")], "error: gone.pdf: no such file"),
        ("empty folder", ["--folder", str(empty)], "error: empty: no patient folders in it"),
        ("no folder", ["--folder", str(tmp_path / "nowhere")], "error: nowhere: no such folder"),
        (
            "case without a name",
            ["--case", str(bad_case), "--records", str(locked)],
            "error: case.json: field 'patient_name'",
        ),
        ("nothing to check", [], "error: give --case and --records"),
        ("both forms", ["--folder", str(empty), "--case", case, "--records", str(text)], "error: give --folder"),
    ]
    for case_name, args, message in cases:
        done = check(*args)
        assert done.returncode == 2, case_name
        assert done.stderr.startswith(message) and "Traceback" not in done.stderr, case_name
        assert len(done.stderr.strip().splitlines()) == 1, case_name
