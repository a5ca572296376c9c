"""`overturn audit`: check the trail's chain, export it for an auditor, purge what is past the
retention period. Opens only the database: no model, vector store or web framework."""

import csv
import json
import sys
from datetime import UTC, date, datetime
from typing import Annotated

import typer

from service.config import Settings
from service.errors import InputError

audit_app = typer.Typer(
    help="The audit trail: verify its chain, export it, purge expired events.", no_args_is_help=True
)

COLUMNS = ("seq", "at", "tenant", "actor", "action", "object", "case_id", "client", "outcome", "prev_hash", "hash")
"""An export's columns: with both hashes, an auditor can check the chain of what was exported."""


def _sessions():
    from service.store.db import open_home_database

    return open_home_database(Settings.from_env())


def _day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        if len(value) != 10:
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{option} must be a date as YYYY-MM-DD") from None


@audit_app.command("verify")
def verify() -> None:
    """Recompute every event's hash in order; exit 1 naming the first event where the chain breaks."""
    from service.audit.verify import verify_chain

    checked = verify_chain(_sessions())
    if checked.broken is not None:
        typer.echo(
            f"audit log broken at event {checked.broken.seq} ({checked.broken.problem}): {checked.broken.detail}; "
            f"{checked.count} events before it hold",
            err=True,
        )
        raise typer.Exit(1)
    if checked.head is None:
        typer.echo("audit log verified: 0 events")
        return
    typer.echo(
        f"audit log verified: {checked.count} events, the last is {checked.head.seq} with hash {checked.head.hash}"
    )


@audit_app.command("export")
def export(
    start: Annotated[str | None, typer.Option("--from", help="from this day, YYYY-MM-DD (UTC)")] = None,
    end: Annotated[str | None, typer.Option("--to", help="through this day, YYYY-MM-DD (UTC)")] = None,
    format: Annotated[str, typer.Option("--format", help="csv or json")] = "csv",
    tenant: Annotated[str | None, typer.Option("--tenant", help="only this tenant's events")] = None,
) -> None:
    """The events between two days, in order, to stdout: ids, actions and addresses (never PHI)."""
    from service.audit.events import export_events

    if format not in ("csv", "json"):
        raise InputError(f"unknown format '{format}' (choose from csv, json)")
    first, last = _day(start, "--from"), _day(end, "--to")
    if first and last and first > last:
        raise InputError("--from is after --to")
    rows = (
        {column: _value(getattr(row, column)) for column in COLUMNS}
        for row in export_events(_sessions(), first, last, tenant)
    )
    if format == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return
    sys.stdout.write("[")
    for n, row in enumerate(rows):
        sys.stdout.write(("," if n else "") + "\n" + json.dumps(row, ensure_ascii=True))
    sys.stdout.write("\n]\n")


@audit_app.command("purge")
def purge() -> None:
    """Delete events older than OVERTURN_AUDIT_RETENTION_DAYS (6 years by default), recording the cut."""
    from service.audit.retention import purge_expired

    settings = Settings.from_env()
    done = purge_expired(_sessions(), datetime.now(UTC).date(), settings.audit_retention_days)
    if done.through is None:
        typer.echo(f"nothing older than {settings.audit_retention_days} days")
        return
    typer.echo(f"purged {done.count} events through event {done.through.seq}")


def _value(value):
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC).isoformat().replace("+00:00", "Z")
    return value
