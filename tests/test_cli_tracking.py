"""`overturn import 835` and `overturn cases` as a user runs them, on the bundled sample (in
process, CliRunner; test_cli.py and test_cli_errors.py spawn the console script)."""

import csv
import io
import json
from pathlib import Path

from eval.synth.remittance import sample_remittance
from tests.cli_runner import run_cli

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "eval" / "sample" / "remittance.835"


def run(args, home):
    return run_cli(args, {"OVERTURN_HOME": str(home)})


def test_the_bundled_sample_is_what_the_generator_writes():
    assert SAMPLE.read_text() == sample_remittance()


def test_import_prints_one_line_per_case_and_the_queue_follows(tmp_path):
    done = run(["import", "835", str(SAMPLE)], tmp_path)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 20 and all(line.startswith("cas_") for line in lines)
    first = lines[0].split()
    assert (
        first[1] == "MFM-26-1040"
        and first[2] == "appeal"
        and "due 2027-02-04" in lines[0]
        and "CO-97 (M15)" in lines[0]
    )
    assert "20 cases (20 new), 4 paid as expected" in done.stderr

    again = run(["import", "835", str(SAMPLE), "--json"], tmp_path)
    rows = [json.loads(line) for line in again.stdout.splitlines()]
    assert len(rows) == 20 and not any(r["created"] for r in rows)
    assert {"id", "claim_number", "adjustments", "action", "deadline"} <= set(rows[0])

    queue = run(["cases", "list"], tmp_path)
    assert queue.returncode == 0 and len(queue.stdout.splitlines()) == 20
    assert queue.stdout.splitlines()[0].split()[3] == "appeal"
    case_id = rows[0]["id"]
    assert run(["cases", "update", case_id, "--status", "sent"], tmp_path).stdout.strip() == f"{case_id}: sent"
    won = run(["cases", "update", case_id, "--status", "won", "--recovered", "48"], tmp_path)
    assert won.stdout.strip() == f"{case_id}: won, recovered 48.00"
    bad = run(["cases", "update", case_id, "--status", "celebrated"], tmp_path)
    assert bad.returncode != 0 and bad.stderr.startswith("error: status") and "Traceback" not in bad.stderr
    stats = json.loads(run(["cases", "stats", "--json"], tmp_path).stdout)
    assert stats["cases"] == 20 and stats["by_status"]["won"] == 1 and stats["amount_recovered"] == 48
    exported = run(["cases", "list", "--csv", "--action", "appeal"], tmp_path)
    table = list(csv.DictReader(io.StringIO(exported.stdout)))
    assert table and all(r["action"] == "appeal" for r in table)


def test_a_bad_file_is_an_error_line_and_a_bad_claim_a_warning(tmp_path):
    junk = tmp_path / "junk.835"
    junk.write_bytes(b"%PDF-1.4 not a remittance")
    done = run(["import", "835", str(junk)], tmp_path)
    assert (
        done.returncode == 1
        and done.stderr.startswith("error: junk.835: not an X12 file")
        and "Traceback" not in done.stderr
    )
    broken = tmp_path / "broken.835"
    broken.write_text(SAMPLE.read_text().replace("CAS*CO*50*59", "CAS*CO*50*5#9"))
    done = run(["import", "835", str(broken)], tmp_path)
    assert done.returncode == 0 and len(done.stdout.splitlines()) == 19
    assert "warning: broken.835: claim MFM-26-1041 (segment " in done.stderr
    missing = run(["import", "835", str(tmp_path / "nowhere.835")], tmp_path)
    assert missing.returncode == 1 and "no such file" in missing.stderr


def test_a_denial_letter_is_read_and_written_as_a_case_file(tmp_path):
    from eval.synth.letters import make_letter

    pdf, gold = make_letter("medicare_mac", 2002)
    letter = tmp_path / "letter.pdf"
    letter.write_bytes(pdf)
    case_file = tmp_path / "case.json"
    done = run(["import", "notice", str(letter), "--case", str(case_file)], tmp_path)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    written = json.loads(case_file.read_text())
    assert (
        written["claim_number"] == gold.claim_number and written["date_of_service"] == gold.date_of_service.isoformat()
    )
    assert written["denial_code"] == gold.denial_code
    shown = json.loads(run(["import", "notice", str(letter), "--json"], tmp_path).stdout)
    assert shown["fields"]["patient_id"]["value"] == gold.patient_id and shown["fields"]["patient_id"]["page"] == 1
    png = tmp_path / "scan.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00binary")
    refused = run(["import", "notice", str(png)], tmp_path)
    assert (
        refused.returncode == 2 and refused.stderr.startswith("error: scan.png:") and "Traceback" not in refused.stderr
    )
