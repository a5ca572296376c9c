"""`overturn check`: before a month is billed, its documentation checked against a code's
requirements, for one patient (`--case`, `--records`) or a folder of patients (`--folder`, one
subfolder each). Files are read in memory and nothing is stored (`casework.checks.check_files`).

Exit codes: 0 when every check ran, whatever the verdicts; 1 with `--fail-unless-ready` when a
month is not ready; 2 for an error (a batch goes on past a patient that fails, then exits 2)."""

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer
from pydantic import BaseModel, ValidationError

from service.config import Settings
from service.errors import CaseFieldError, InputError, OverturnError
from service.models import CheckPatient, CheckResult, MinuteRow, short_quote

if TYPE_CHECKING:
    from service.casework.state import Workspace

CASE_FILE = "case.json"
QUOTE_CHARS = 90
"""A quote as the screen shows it: the JSON keeps it whole."""
NOT_READY_EXIT = 1
ERROR_EXIT = 2

Fields = TypeVar("Fields", bound=BaseModel)


def read_fields(path: Path, model: type[Fields], what: str) -> Fields:
    """A JSON file of fields, every fault one line naming the file and the field (never a value)."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CaseFieldError(f"{path.name}: no such file") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CaseFieldError(f"{path.name}: not valid JSON ({exc.__class__.__name__})") from None
    if not isinstance(raw, dict):
        raise CaseFieldError(f"{path.name}: must be a JSON object of {what}")
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "case"
        raise CaseFieldError(f"{path.name}: field '{field}': {first['msg']}") from None


@dataclass
class PatientCheck:
    """One patient folder of a batch: its check, or why it could not be checked."""

    label: str
    result: CheckResult | None = None
    error: str = ""


def _verdict(result: CheckResult) -> str:
    return "READY" if result.ready else "NOT READY"


def _cite(document: str, page: int, quote: str) -> str:
    return f'{document} p.{page} "{short_quote(quote, QUOTE_CHARS)}"'


def _row_line(row: MinuteRow) -> str:
    day = row.date.isoformat() if row.date else "no date"
    who = row.who or "no one named"
    line = f"    {day}  {row.minutes:>3} min  {who}  ({row.document} p.{row.page})"
    return line + (f": {row.reason}" if row.reason else "")


def text_report(result: CheckResult) -> str:
    """One month's check as staff read it: verdict, each requirement with its proof, the minutes."""
    lines = [f"{result.code} {result.month}: {_verdict(result)}", "", "Requirements:"]
    for req in result.requirements:
        lines.append(f"  [{req.status}] {req.title} ({req.id}): {req.reason}")
        for c in req.citations:
            lines.append(f"      {'against: ' if c.against else ''}{_cite(c.document, c.page, c.quote)}")
    minutes = result.minutes
    needed = "" if minutes.needed is None else f" of {minutes.needed} needed"
    lines += ["", f"Minutes: {minutes.total}{needed}"]
    counted = [r for r in minutes.rows if r.counted]
    aside = [r for r in minutes.rows if not r.counted]
    if counted:
        lines += ["  counted:", *[_row_line(r) for r in counted]]
    if aside:
        lines += ["  set aside:", *[_row_line(r) for r in aside]]
    if result.data_days is not None:
        lines.append(f"Days with readings: {result.data_days}")
    lines += ["", f"Supported codes: {' '.join(result.supported_codes) or 'none'}"]
    if result.excluded_pages:
        lines += ["", "Pages not used:", *[f"  {e.document} p.{e.page}: {e.reason}" for e in result.excluded_pages]]
    if result.warnings:
        lines += ["", "Warnings:", *[f"  - {w}" for w in result.warnings]]
    return "\n".join(lines) + "\n"


def _ids(result: CheckResult, status: str) -> str:
    return ", ".join(r.id for r in result.requirements if r.status == status) or "-"


def summary_table(checks: list[PatientCheck]) -> str:
    """The batch at a glance: months not ready first (what is missing, what is at risk), then the
    ready ones, then the folders that could not be checked and why."""
    done = sorted(((c.label, c.result) for c in checks if c.result), key=lambda lr: (lr[1].ready, lr[0]))
    failed = [c for c in checks if c.result is None]
    width = max([len("patient"), *(len(c.label) for c in checks)])
    lines = [f"{'patient':<{width}}  {'verdict':<9}  {'minutes':>9}  {'supported':<12}  missing | at risk"]
    for label, r in done:
        minutes = f"{r.minutes.total}/{r.minutes.needed}" if r.minutes.needed is not None else str(r.minutes.total)
        codes = " ".join(r.supported_codes) or "none"
        lines.append(
            f"{label:<{width}}  {_verdict(r):<9}  {minutes:>9}  {codes:<12}  {_ids(r, 'missing')} | {_ids(r, 'at_risk')}"
        )
    ready = sum(1 for _, r in done if r.ready)
    lines += ["", f"{ready} of {len(checks)} ready, {len(done) - ready} not ready, {len(failed)} failed"]
    if failed:
        lines += ["Failed:", *[f"  {c.label}: {c.error}" for c in failed]]
    return "\n".join(lines) + "\n"


def patient_folders(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise InputError(f"{folder.name or folder}: no such folder")
    found = sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))
    if not found:
        raise InputError(f"{folder.name or folder}: no patient folders in it (one subfolder per patient)")
    return found


def _check_folder(ws: "Workspace", folder: Path, code: str, month: str, settings: Settings) -> CheckResult:
    from service.casework.checks import check_files
    from service.casework.local import read_files

    if not (folder / CASE_FILE).is_file():
        raise InputError(f"no {CASE_FILE}")
    patient = read_fields(folder / CASE_FILE, CheckPatient, "patient fields")
    pdfs = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() == ".pdf")
    if not pdfs:
        raise InputError("no PDF files")
    return check_files(ws, patient, code, month, read_files(pdfs, settings))


def _progress(n: int, total: int, check: PatientCheck) -> None:
    state = check.result and ("ready" if check.result.ready else "not ready") or "error"
    typer.echo(f"[{n}/{total}] {check.label}: {state}", err=True)


def check_batch(ws: "Workspace", folders: list[Path], code: str, month: str, settings: Settings) -> list[PatientCheck]:
    """Every patient folder checked in turn; one that fails is kept as an error, the rest go on.
    A bar on a terminal's stderr, else one line per patient."""
    checks: list[PatientCheck] = []

    def run(folder: Path) -> PatientCheck:
        try:
            return PatientCheck(folder.name, _check_folder(ws, folder, code, month, settings))
        except OverturnError as exc:
            return PatientCheck(folder.name, error=exc.message)
        except OSError as exc:  # the folder itself cannot be listed: the class names why, no path
            return PatientCheck(folder.name, error=f"cannot be read ({exc.__class__.__name__})")
        except Exception as exc:  # our own failure: this patient is reported, the others go on
            return PatientCheck(folder.name, error=f"the check failed on our side ({exc.__class__.__name__})")

    if sys.stderr.isatty():
        with typer.progressbar(
            folders, label="checking", file=sys.stderr, item_show_func=lambda f: f.name if f else None
        ) as bar:
            checks = [run(folder) for folder in bar]
        return checks
    for n, folder in enumerate(folders, 1):
        checks.append(run(folder))
        _progress(n, len(folders), checks[-1])
    return checks


def _dump(result: CheckResult) -> dict:
    return result.model_dump(mode="json")


def check_command(
    code: Annotated[str, typer.Option("--code", help="the code to bill, e.g. 99490")],
    month: Annotated[str, typer.Option("--month", help="the calendar month, YYYY-MM")],
    case: Annotated[Path | None, typer.Option("--case", help="case.json naming the patient")] = None,
    records: Annotated[
        list[Path] | None,
        typer.Option("--records", help="a record PDF; repeat it, or list the PDFs after it"),
    ] = None,
    more: Annotated[
        list[Path] | None,
        typer.Argument(metavar="PDF", help="more record PDFs (after --records)", show_default=False),
    ] = None,
    folder: Annotated[
        Path | None, typer.Option("--folder", help="one subfolder per patient, each a case.json and its PDFs")
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="print the result as JSON")] = False,
    csv_out: Annotated[Path | None, typer.Option("--csv", help="also write one CSV row per patient here")] = None,
    fail_unless_ready: Annotated[
        bool, typer.Option("--fail-unless-ready", help="exit 1 when a month is not ready")
    ] = False,
) -> None:
    """Check a month's documentation against a code's requirements before billing; nothing is stored."""
    from service.casework.check_report import checks_csv
    from service.casework.checks import check_files, month_bounds
    from service.casework.local import read_files
    from service.casework.state import open_workspace

    files = [*(records or []), *(more or [])]
    if folder is not None and (case is not None or files):
        raise InputError("give --folder, or --case with --records, not both")
    if folder is None and (case is None or not files):
        raise InputError("give --case and --records (one patient), or --folder (one subfolder per patient)")
    month_bounds(month)
    settings = Settings.from_env()
    if folder is not None:
        folders = patient_folders(folder)
        ws = open_workspace(settings)
        ws.components.knowledge.billable(code)  # an unknown code stops the batch before any folder
        checks = check_batch(ws, folders, code, month, settings)
    else:
        assert case is not None
        patient = read_fields(case, CheckPatient, "patient fields")
        inputs = read_files(files, settings)
        ws = open_workspace(settings)
        checks = [PatientCheck(case.resolve().parent.name, check_files(ws, patient, code, month, inputs))]
    results = [(c.label, c.result) for c in checks if c.result is not None]
    if csv_out is not None:
        csv_out.write_text(checks_csv(results), encoding="utf-8")
    if folder is None:
        result = results[0][1]
        sys.stdout.write(
            json.dumps(_dump(result), indent=2, ensure_ascii=False) + "\n" if json_out else text_report(result)
        )
    elif json_out:
        listed = [{"patient": label, **_dump(result)} for label, result in results]
        sys.stdout.write(json.dumps(listed, indent=2, ensure_ascii=False) + "\n")
        for c in checks:
            if c.result is None:
                typer.echo(f"error: {c.label}: {c.error}", err=True)
    else:
        sys.stdout.write(summary_table(checks))
    if any(c.result is None for c in checks):
        raise typer.Exit(ERROR_EXIT)
    if fail_unless_ready and not all(result.ready for _, result in results):
        raise typer.Exit(NOT_READY_EXIT)
