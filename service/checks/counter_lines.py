"""Lines that read as counter-evidence but that the check has already weighed, so they put no
requirement at risk:

- a row the count itself set aside: a reading entered by hand that the day count left out, a
  minute row not counted ('01/14 138/82 phoned in, excl.'); the billed count stands without it;
- a tally of the month's codes ('28 mins this month - 99457 yes, 99458 short'): the check counts the
  rows itself, and an add-on not reached says nothing of the contact or the consent;
- for work that belongs to the month, a line dated only outside it ('scale stopped sending 4/27'
  under a May note): what happened in another month does not undo this one's;
- for anything else, a doubt dated before the month that a line of support dated later answers
  (a cuff not pairing in April, uploads confirmed on 05/02): the later line stands.

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


def _days(text: str, anchor: date) -> list[tuple[date, date]]:
    full = find_dates(text)
    partial = find_partial(text, anchor, taken=[(m.start, m.end) for m in full])
    return [(m.first, m.last) for m in full + partial]


def other_month(text: str, first: date, last: date) -> bool:
    """Every date the line names falls outside the month (and it names at least one)."""
    days = _days(text, first)
    return bool(days) and all(end < first or start > last for start, end in days)


def answered_later(text: str, support: Iterable[str], first: date) -> bool:
    """The line is dated before the month only, and a line of support is dated after it."""
    days = _days(text, first)
    if not days or any(end >= first for _, end in days):
        return False
    doubt = max(end for _, end in days)
    return any(start > doubt for line in support for start, _ in _days(line, first))


def weighed(
    text: str,
    period: str,
    document: str,
    page: int,
    rows: Iterable[tuple[str, int, str]],
    first: date,
    last: date,
    support: Iterable[str] = (),
) -> bool:
    """True when the line is already weighed by the check and is not held against the requirement
    of `period` that `support` (its quoted lines) shows."""
    if tally(text) or set_aside_by_count(text, rows, document, page):
        return True
    if period in MONTH_WORK:
        return other_month(text, first, last)
    return answered_later(text, support, first)
