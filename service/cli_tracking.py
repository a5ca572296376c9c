"""`overturn import 835` and `overturn cases`: remittances in, the work queue, outcomes, CSV.

The CLI's cases live in the local tenant, the same one `overturn draft` uses, through the same
service functions the API calls."""

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from service.config import Settings
from service.errors import InputError

import_app = typer.Typer(help="Import denials from payers' files.", no_args_is_help=True)
cases_app = typer.Typer(
    help="The work queue: cases, their deadlines, what was sent and what was won.", no_args_is_help=True
)

MAX_REMITTANCE = 50 * 1024 * 1024


def _workspace():
    from service.casework.state import open_workspace

    return open_workspace(Settings.from_env())


@import_app.command("835")
def import_835(
    files: Annotated[list[Path], typer.Argument(help="X12 835 remittance files")],
    as_json: Annotated[bool, typer.Option("--json", help="one JSON object per case, one per line")] = False,
) -> None:
    """One triaged case per denied claim: prints the case id, claim number, CARC/RARCs, action
    and deadline. Claims that cannot be read are reported on stderr; the rest are imported."""
    from service.casework.local import LOCAL_TENANT
    from service.casework.remittances import import_remittance

    ws = _workspace()
    failed = False
    for path in files:
        try:
            data = _read(path)
            result = import_remittance(ws, LOCAL_TENANT, data)
        except InputError as exc:
            typer.echo(f"error: {path.name}: {exc.message}", err=True)
            failed = True
            continue
        for case in result.cases:
            if as_json:
                typer.echo(json.dumps({"file": path.name, **case.model_dump(mode="json")}, ensure_ascii=False))
            else:
                typer.echo(_case_line(case))
        for error in result.errors:
            where = f"claim {error.claim}" if error.claim else "file"
            at = f" (segment {error.segment})" if error.segment else ""
            typer.echo(f"{'note' if error.kept else 'warning'}: {path.name}: {where}{at}: {error.message}", err=True)
        typer.echo(
            f"{path.name}: {result.claims} claims, {len(result.cases)} cases "
            f"({sum(c.created for c in result.cases)} new), {result.paid} paid as expected, "
            f"{result.reversals} reversals, {result.predeterminations} predeterminations, "
            f"{sum(not e.kept for e in result.errors)} errors",
            err=True,
        )
        failed = failed or (any(not e.kept for e in result.errors) and not result.cases)
    if failed:
        raise typer.Exit(1)


def _read(path: Path) -> bytes:
    if not path.is_file():
        raise InputError(f"no such file: {path}")
    if path.stat().st_size > MAX_REMITTANCE:
        raise InputError(f"the file is larger than {MAX_REMITTANCE // 1_048_576} MB")
    return path.read_bytes()


def _case_line(case) -> str:
    codes = ", ".join(a.code + (f" ({' '.join(a.rarcs)})" if a.rarcs else "") for a in case.adjustments)
    deadline = f"due {case.deadline.isoformat()}" if case.deadline else "no appeal deadline"
    state = "new" if case.created else "updated"
    return f"{case.id}  {case.claim_number}  {case.action}  {deadline}  {codes}  [{state}; {case.action_rule}]"


@cases_app.command("list")
def cases_list(
    action: Annotated[
        str | None, typer.Option(help="appeal, corrected_claim, rebill, patient_responsibility or no_action")
    ] = None,
    status: Annotated[str | None, typer.Option(help="new, drafted, sent, won, partly_won, lost or written_off")] = None,
    due_before: Annotated[str | None, typer.Option("--due-before", help="YYYY-MM-DD")] = None,
    sort: Annotated[
        str, typer.Option(help="queue (open work by deadline, then amount), deadline, amount or updated")
    ] = "queue",
    assignee: Annotated[
        str | None, typer.Option(help="only the cases of this user (email or id), or 'unassigned'")
    ] = None,
    csv: Annotated[bool, typer.Option("--csv", help="print CSV instead of a table")] = False,
) -> None:
    """The work queue: open cases nearest their deadline first, then the larger amounts."""
    from service.casework.assignment import select_assignee
    from service.casework.cases import list_cases
    from service.casework.local import LOCAL_TENANT
    from service.casework.tracking import QUEUE_SORTS, cases_csv, filter_cases, sort_cases

    if sort not in QUEUE_SORTS:
        raise InputError(f"unknown sort '{sort}' (choose from {', '.join(QUEUE_SORTS)})")
    due = _date(due_before) if due_before else None
    ws = _workspace()
    mine = select_assignee(ws, LOCAL_TENANT, list_cases(ws, LOCAL_TENANT), assignee)
    found = sort_cases(filter_cases(mine, action, status, due), sort)
    if csv:
        sys.stdout.write(cases_csv(found))
        return
    for c in found:
        left = f"{c.days_left:+d} d" if c.days_left is not None else "-"
        level = c.appeal_level if c.deadline else "-"
        typer.echo(
            f"{c.id}  {c.claim_number:<16} {c.denial_code:<8} {c.action or '-':<22} {c.status:<11} "
            f"{c.deadline.isoformat() if c.deadline else '-':<10} {left:>7}  {level:<18} {c.amount_denied:>10.2f}  "
            f"{c.assignee_email or '-':<24} {c.payer or ''}"
        )


@cases_app.command("assign")
def cases_assign(
    case_id: Annotated[str, typer.Argument(help="the case id")],
    to: Annotated[str, typer.Option("--to", help="the user's email (or id), or 'none' to unassign")],
) -> None:
    """Give a case to a member of the staff (an active user of the local practice), or take it back."""
    from service.casework.local import LOCAL_TENANT
    from service.casework.tracking import update_case
    from service.casework.views import CaseUpdate

    assignee = None if to.strip().lower() == "none" else to
    view = update_case(_workspace(), LOCAL_TENANT, case_id, CaseUpdate(assignee=assignee))
    typer.echo(f"{view.id}: assigned to {view.assignee_email}" if view.assignee else f"{view.id}: unassigned")


BUCKET_TITLES = {
    "overdue": "Overdue",
    "1": "Due today or tomorrow",
    "7": "Due within 7 days",
    "14": "Due within 14 days",
}


@cases_app.command("due")
def cases_due(
    assignee: Annotated[
        str | None, typer.Option(help="only the cases of this user (email or id), or 'unassigned'")
    ] = None,
    within: Annotated[
        int, typer.Option(min=0, max=14, help="days ahead to look (overdue cases are always listed)")
    ] = 14,
    today: Annotated[str | None, typer.Option(help="count from this day, YYYY-MM-DD (default: today)")] = None,
) -> None:
    """Reminders: open cases overdue or due soon, by bucket (overdue, 1, 7, 14 days), each in the
    tightest; a deadline today is due within 1 day."""
    from service.casework.local import LOCAL_TENANT
    from service.casework.reminders import reminders

    found = reminders(_workspace(), LOCAL_TENANT, _date(today) if today else None, assignee, within=within)
    if not any(found.counts.values()):
        typer.echo(f"nothing overdue or due within {within} days of {found.today.isoformat()}")
        return
    for name, items in found.buckets.items():
        if not items:
            continue
        typer.echo(f"{BUCKET_TITLES.get(name, f'Due within {name} days')} ({len(items)}):")
        for r in items:
            typer.echo(
                f"  {r.id}  {r.denial_code:<8} {r.deadline.isoformat()} {r.days_left:>+4d} d  {r.amount_denied:>10.2f}  "
                f"{r.assignee_email or 'unassigned':<24} {r.payer or ''}"
            )


@cases_app.command("update")
def cases_update(
    case_id: Annotated[str, typer.Argument(help="the case id")],
    status: Annotated[
        str | None, typer.Option(help="sent, won, partly_won, lost, written_off (or new, drafted)")
    ] = None,
    recovered: Annotated[float | None, typer.Option("--recovered", help="amount recovered")] = None,
) -> None:
    """Record that the appeal was sent, or what it won."""
    from pydantic import ValidationError

    from service.casework.local import LOCAL_TENANT
    from service.casework.tracking import update_case
    from service.casework.views import CaseUpdate

    try:
        update = CaseUpdate(status=status, amount_recovered=recovered)
    except ValidationError as exc:
        raise InputError(f"{exc.errors()[0]['loc'][0]}: {exc.errors()[0]['msg']}") from None
    view = update_case(_workspace(), LOCAL_TENANT, case_id, update)
    recovered_text = f", recovered {view.amount_recovered:.2f}" if view.amount_recovered is not None else ""
    typer.echo(f"{view.id}: {view.status}{recovered_text}")


@cases_app.command("send")
def cases_send(
    case_id: Annotated[str, typer.Argument(help="the case id")],
    channel: Annotated[str, typer.Option(help="mail, fax or portal")],
    confirmation: Annotated[
        str, typer.Option(help="the tracking number, fax confirmation or portal reference (the proof)")
    ] = "",
    on: Annotated[str | None, typer.Option("--on", help="the day it went out, YYYY-MM-DD (default: today)")] = None,
    fax_number: Annotated[str | None, typer.Option(help="the payer's appeals fax, with OVERTURN_FAX=http")] = None,
    packet: Annotated[Path | None, typer.Option(help="also write the payer packet as sent to this PDF")] = None,
) -> None:
    """Record that the case's letter went out, with its proof: the packet's SHA-256 is kept and
    the case marked sent; says whether it was filed on time."""
    from pydantic import ValidationError

    from service.casework.local import LOCAL_TENANT
    from service.casework.sending import latest_appeal_id, payer_packet, send_appeal
    from service.casework.views import SendRequest
    from service.delivery.fax import fax_sender
    from service.models import Principal

    try:
        request = SendRequest(
            channel=channel,
            sent_on=_date(on) if on else None,
            confirmation=confirmation,
            fax_number=fax_number,
        )
    except ValidationError as exc:
        raise InputError(f"{exc.errors()[0]['loc'][0]}: {exc.errors()[0]['msg']}") from None
    ws = _workspace()
    appeal_id = latest_appeal_id(ws, LOCAL_TENANT, case_id)
    sent = send_appeal(ws, Principal(LOCAL_TENANT, "admin", "cli"), appeal_id, request, fax_sender(ws.settings))
    if packet is not None:
        packet.write_bytes(payer_packet(ws, LOCAL_TENANT, appeal_id))
    filed = {"on_time": "filed on time", "late": "filed LATE", "no_deadline": "no deadline known"}[sent.filed]
    deadline = f" (deadline {sent.deadline.isoformat()})" if sent.deadline else ""
    typer.echo(
        f"{case_id}: sent by {sent.channel} on {sent.sent_on.isoformat()}, {sent.confirmation}: {filed}{deadline}; "
        f"packet {sent.packet_pages} pages, sha256 {sent.packet_sha256}"
    )


@cases_app.command("stats")
def cases_stats(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Outcomes by denial code and payer, money denied and recovered, overdue work."""
    from service.casework.local import LOCAL_TENANT
    from service.casework.tracking import case_stats

    stats = case_stats(_workspace(), LOCAL_TENANT)
    if as_json:
        typer.echo(json.dumps(stats.model_dump(mode="json"), indent=2))
        return
    typer.echo(
        f"{stats.cases} cases; denied {stats.amount_denied:.2f}, recovered {stats.amount_recovered:.2f}; "
        f"{stats.overdue} overdue, {stats.due_in_14_days} due within 14 days"
    )
    typer.echo("by status: " + ", ".join(f"{k} {v}" for k, v in sorted(stats.by_status.items())))
    typer.echo("by action: " + ", ".join(f"{k} {v}" for k, v in sorted(stats.by_action.items())))
    for title, rows in (("by code", stats.by_code), ("by payer", stats.by_payer)):
        typer.echo(f"{title}:")
        for s in rows:
            rate = f"{s.win_rate:.0%}" if s.win_rate is not None else "-"
            typer.echo(
                f"  {s.key:<24} {s.cases:>4} cases  {s.open:>4} open  won {s.won + s.partly_won:>3}  lost {s.lost:>3}  win rate {rate:>4}  "
                f"denied {s.amount_denied:>10.2f}  recovered {s.amount_recovered:>10.2f}"
            )


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"'{text[:20]}' is not a date as YYYY-MM-DD") from None


CASE_FIELDS = (
    "claim_number",
    "patient_name",
    "patient_id",
    "date_of_service",
    "payer",
    "denial_code",
    "denial_date",
    "billed_cpt",
)


@import_app.command("notice")
def import_notice(
    file: Annotated[
        Path, typer.Argument(help="the payer's denial letter or EOB: a PDF (text or scanned) or a text file")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="print the reading as JSON")] = False,
    case_out: Annotated[
        Path | None, typer.Option("--case", help="also write a case.json of the fields read at or above the bar")
    ] = None,
) -> None:
    """Read the claim fields from a denial letter: each with its confidence and the page and
    quote it came from. Fields under the bar are marked 'check' and left out of --case."""
    from service.casework.notices import read_notice_file

    reading = read_notice_file(_workspace(), _read(file), file.name)
    if as_json:
        typer.echo(json.dumps(reading.model_dump(mode="json"), indent=2, ensure_ascii=False))
    else:
        for name, field in reading.fields.items():
            value = ", ".join(field.value) if isinstance(field.value, list) else field.value
            mark = "check" if field.review else "ok"
            typer.echo(
                f"{name:<16} {value!s:<32} {field.confidence:.2f} {mark:<5} page {field.page}: {field.quote[:70]}"
            )
            if field.note:
                typer.echo(f"{'':<16} {field.note}")
        missing = [name for name in CASE_FIELDS if name not in reading.fields]
        if missing:
            typer.echo(f"not found in the letter: {', '.join(missing)}", err=True)
    if case_out is not None:
        sure = {name: f.value for name, f in reading.fields.items() if name in CASE_FIELDS and not f.review}
        case_out.write_text(json.dumps(sure, indent=2, default=str, ensure_ascii=False) + "\n", encoding="utf-8")
        left = [name for name in CASE_FIELDS if name not in sure]
        typer.echo(f"wrote {case_out}" + (f"; fill in or check: {', '.join(left)}" if left else ""), err=True)
