"""Lines that read as counter-evidence but that the check has already weighed, so they put no
requirement at risk:

- a row the count itself set aside: a reading entered by hand that the day count left out, a
  minute row not counted ('01/14 138/82 phoned in, excl.'); the billed count stands without it;
- a tally of the month's codes ('31 min (99457 x1; 99458 not reached)'): the check counts the
  rows itself, and an add-on not reached says nothing of the contact or the consent;
- for work that belongs to the month, a line dated only outside it ('pt called 12/29 re cuff not
  syncing' under a January note): what happened in another month does not undo this one's.

Pure: the caller says which lines the counts set aside and the month's bounds."""

import re
from collections.abc import Iterable
from datetime import date

from service.screening.dates import find_dates, find_partial

BILLING_CODE = re.compile(r"(?<![\d.])99\d{3}(?![\d.])")
MINUTES = re.compile(r"\b\d{1,3}\s*(?:minutes|mins?)\b", re.IGNORECASE)
MONTH_WORK = ("service_period", "episode")
"""Periods of work done in the month (minutes, contacts, readings): a line of another month is not about them."""


def tally(text: str) -> bool:
    """Minutes beside a billing code: the month's count written out, not an event."""
    return bool(BILLING_CODE.search(text)) and bool(MINUTES.search(text))


def set_aside_by_count(text: str, rows: Iterable[tuple[str, int, str]], document: str, page: int) -> bool:
    """The line is (part of) a row the minute or day count read and left out."""
    flat = " ".join(text.split())
    return any(
        d == document and p == page and (flat in " ".join(row.split()) or " ".join(row.split()) in flat)
        for d, p, row in rows
        if row.strip()
    )


def other_month(text: str, first: date, last: date) -> bool:
    """Every date the line names falls outside the month (and it names at least one)."""
    full = find_dates(text)
    partial = find_partial(text, first, taken=[(m.start, m.end) for m in full])
    days = [(m.first, m.last) for m in full + partial]
    return bool(days) and all(end < first or start > last for start, end in days)


def weighed(
    text: str,
    period: str,
    document: str,
    page: int,
    rows: Iterable[tuple[str, int, str]],
    first: date,
    last: date,
) -> bool:
    """True when the line is already weighed by the check and is not held against `period`'s requirement."""
    if tally(text) or set_aside_by_count(text, rows, document, page):
        return True
    return period in MONTH_WORK and other_month(text, first, last)
