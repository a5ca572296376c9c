"""Countable minutes of a month: the time rows of a chart's pages, each kept or set aside with
its reason, copies of one row counted once, and each log's total line checked against its rows.

Minutes count when a row is dated in the month (and not after `until`, the end of enrollment),
by clinical staff or the practitioner, not marked by the chart itself as not billable, and not an
unanswered attempt. A row naming no one is counted but flagged."""

from collections.abc import Iterable
from datetime import date

from pydantic import BaseModel

from service.checks.months import year_month
from service.checks.staff import Staff, resolve
from service.checks.time_rows import RawRow, page_rows, total_numbers
from service.models import MinuteRow, Page


class Minutes(BaseModel):
    total: int
    rows: list[MinuteRow]
    warnings: list[str]


def _roster(found: list[tuple[Page, RawRow]]) -> dict[str, str]:
    """Name word -> kind, from every row whose person carries a credential or a role."""
    roster: dict[str, str] = {}
    for _, row in found:
        if row.staff.kind != "unknown":
            for name in row.staff.names:
                roster.setdefault(name, row.staff.kind)
    return roster


def _same_person(a: Staff, b: Staff) -> bool:
    return not a.names or not b.names or bool(a.names & b.names)


def _reason(row: RawRow, year: int, number: int, until: date | None) -> str:
    if row.day is None or (row.day.year, row.day.month) != (year, number):
        return "outside the month"
    if until and row.day > until:
        return "after the end of enrollment"
    if row.staff.kind == "non-clinical":
        return "not clinical staff"
    return row.chart_says


def count_minutes(
    pages: Iterable[Page],
    month: str,
    excluded: set[tuple[str, int]] | frozenset[tuple[str, int]] = frozenset(),
    until: date | None = None,
) -> Minutes:
    """`month` is 'YYYY-MM'; `excluded` holds (document, page) set aside upstream (another
    patient's pages); `until` is the last day that may count (a withdrawal's effective day)."""
    year, number = year_month(month)
    found: list[tuple[Page, RawRow]] = []
    warnings: list[str] = []
    totals = []
    for page in pages:
        if (page.document, page.number) in excluded:
            continue
        rows = page_rows(page.text, year)
        found += [(page, r) for r in rows.rows]
        totals += [(page, line, summed) for line, summed in rows.totals]
    roster = _roster(found)
    for _, row in found:
        row.staff = resolve(row.staff, roster)
    out: list[MinuteRow] = []
    kept: list[tuple[Page, RawRow, MinuteRow]] = []
    for page, row in found:
        reason = _reason(row, year, number, until)
        copy = next(
            (
                (p, r, m)
                for p, r, m in kept
                if r.day == row.day
                and r.minutes == row.minutes
                and _same_person(r.staff, row.staff)
                and (
                    (p.document, p.number, r.source) != (page.document, page.number, row.source)
                    or r.activity == row.activity
                )
            ),
            None,
        )
        quote = page.text[row.start : row.end]
        if copy is not None:
            first_page, _, first = copy
            if reason and first.counted and reason != "outside the month":
                first.counted, first.reason = False, reason  # the chart sets this row aside where it is copied
            reason = f"copy of a row on {first_page.document} page {first_page.number}"
        entry = MinuteRow(
            document=page.document,
            page=page.number,
            quote=quote,
            date=row.day,
            minutes=row.minutes,
            who=row.staff.who,
            counted=not reason,
            reason=reason or ("" if row.staff.who else "no person named"),
        )
        if entry.counted and row.staff.who and row.staff.kind == "unknown":
            entry.reason = "no credential or role named"
        out.append(entry)
        if copy is None:
            kept.append((page, row, entry))
    for page, line, summed in totals:
        ids = {id(r) for r in summed}
        logged = [m for (p, r), m in zip(found, out) if id(r) in ids and p is page]
        stated = total_numbers(line)
        sums = {
            sum(m.minutes for m in logged),
            sum(m.minutes for m in logged if m.counted or m.reason.startswith("copy")),
        }
        if logged and not sums & stated:
            warnings.append(
                f"{page.document} page {page.number}: the total line does not match its rows "
                f"({min(sums)} of {max(sums)} logged minutes countable)"
            )
    flagged = sum(1 for m in out if m.counted and m.reason)
    if flagged:
        warnings.append(f"{flagged} counted row(s) name no credentialed person: check who did the work")
    return Minutes(total=sum(m.minutes for m in out if m.counted), rows=out, warnings=warnings)
