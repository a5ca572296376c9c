"""Lines that read as counter-evidence but that the check has already weighed, so they put no
requirement at risk:

- a row the count itself set aside: a reading entered by hand that the day count left out, a
  minute row not counted ('01/14 138/82 phoned in, excl.'); the billed count stands without it;
- a tally of the month's codes ('28 mins this month - 99457 yes, 99458 short'): the check counts the
  rows itself, and an add-on not reached says nothing of the contact or the consent;
- for work that belongs to the month, a line dated only outside it ('scale stopped sending 4/27'
  under a May note): what happened in another month does not undo this one's;
- for anything else but a consent, a doubt that a line of support dated later answers (a cuff
  not pairing in April, uploads confirmed on 05/02; 'will mail the plan next week', then the plan
  mailed and its receipt confirmed): the later line stands.

Pure: the caller says which lines the counts set aside and the month's bounds."""

import re
from collections.abc import Iterable
from datetime import date

from service.evidence.shapes import DURATION
from service.models import EvidenceRequirement
from service.screening.dates import find_dates, find_partial, find_ranges

BILLING_CODE = re.compile(r"(?<![\d.])99\d{3}(?![\d.])")
MONTH_WORK = ("service_period", "episode")
"""Periods of work done in the month (minutes, contacts, readings): a line of another month is not about them."""
LASTING = re.compile(r"\b(?:since|ongoing|still|continu\w*|as\s+of)\b", re.IGNORECASE)
"""'billed by nephrology since 03/15': a state that lasts into the month, not an event of another month."""
COUNTED_THING = re.compile(r"^\s*(?:[a-z]+s|of)\b", re.IGNORECASE)
"""'3/4 calls', '2/3 of': a fraction of things counted, not a day."""
ALIKE = 0.6
"""A line is a row the counts set aside when one holds the other and is at least this share of it."""


def tally(text: str) -> bool:
    """Minutes beside a billing code: the month's count written out, not an event."""
    return bool(BILLING_CODE.search(text)) and bool(DURATION.search(text))


def set_aside_by_count(text: str, rows: Iterable[tuple[str, int, str]], document: str, page: int) -> bool:
    """The line is a row the day count read and left out (or most of one, or one is most of it)."""
    flat = " ".join(text.split())
    for d, p, row in rows:
        shown = " ".join(row.split())
        if d != document or p != page or not shown:
            continue
        short, long = sorted((flat, shown), key=len)
        if short in long and len(short) >= ALIKE * len(long):
            return True
    return False


def _days(text: str, anchor: date) -> list[tuple[date, date]]:
    full = find_dates(text)
    partial = [
        m
        for m in find_partial(text, anchor, taken=[(m.start, m.end) for m in full])
        if not (m.loose and COUNTED_THING.match(text[m.end :]))
    ]
    mentions = sorted(full + partial, key=lambda m: m.start)
    ranges = find_ranges(text, mentions)
    alone = [m for m in mentions if not any(r.start <= m.start and m.end <= r.end for r in ranges)]
    return [(m.first, m.last) for m in ranges + alone]


def line_days(text: str, anchor: date) -> list[date]:
    """The last day of each date or range the line names (yearless ones read near `anchor`)."""
    return [end for _, end in _days(text, anchor)]


def other_month(text: str, first: date, last: date) -> bool:
    """Every date the line names falls outside the month (and it names at least one), and it
    does not say the state lasts ('since', 'ongoing')."""
    days = _days(text, first)
    return bool(days) and not LASTING.search(text) and all(end < first or start > last for start, end in days)


def answered_later(doubt: list[date], support: Iterable[list[date]]) -> bool:
    """A doubt dated (by its own words or its note) before a dated line of support: 'will mail the
    plan next week' on the 14th, 'plan mailed, receipt confirmed' on the 20th."""
    if not doubt:
        return False
    latest = max(doubt)
    return any(day > latest for days in support for day in days)


def weighed(
    text: str,
    req: EvidenceRequirement,
    where: tuple[str, int],
    set_aside: Iterable[tuple[str, int, str]],
    month: tuple[date, date],
    doubt_days: list[date] | None = None,
    support_days: Iterable[list[date]] = (),
    lasting_consent: bool = False,
) -> bool:
    """True when the line is already weighed by the check and is not held against `req`.
    `set_aside`: rows the count of this requirement left out; `doubt_days`: the dates the line
    names or sits under (read from its words when not given); `support_days`: those of each line
    quoted for the requirement. Never for a requirement shown by the absence of its opposite (one
    practitioner billing): a line against it is all there is. `lasting_consent`: a consent the
    patient may take back, so a doubt is not answered by a later line (a withdrawal stands)."""
    if req.optional:
        return False
    if tally(text) or set_aside_by_count(text, set_aside, *where):
        return True
    if req.period in MONTH_WORK:
        return other_month(text, *month)
    if lasting_consent:
        return False
    doubt = doubt_days if doubt_days is not None else line_days(text, month[0])
    return answered_later(doubt, support_days)
