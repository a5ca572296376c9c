"""Dates as charts write them, read by dateparser.

Small patterns only *find* the places a date could be (05/10/26, 2026-05-10, May 14, 2026,
May 5th, 2026, 14-May-2026, JUN 03 2026, June 2026); dateparser, a maintained parser, decides
what each one means. Day-first order is chosen per document (`date_order`): a chart that writes
31/05/2026 anywhere is read day first throughout, every other chart month first. Dates written
without a year ('2/27', 'Mar 5', 'the 5th') are read against the date they sit under
(`find_partial`), never against a fixed year.
"""

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import dateparser

MONTH_NAME = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
ORDINAL = r"(?:st|nd|rd|th)?"
NUMERIC = r"(?<![\d/.])\d{1,2}([/.-])\d{1,2}\1(?:\d{4}|\d{2})(?![\d/]|\.\d)"
ISO = r"(?<![\d/.-])\d{4}-\d{1,2}-\d{1,2}(?![\d/-])"
WORDY = rf"\b{MONTH_NAME}\s+\d{{1,2}}{ORDINAL},?\s+\d{{4}}\b|\b\d{{1,2}}{ORDINAL}[\s-]+{MONTH_NAME},?[\s-]+\d{{4}}\b"
DATE = rf"(?:{ISO}|{NUMERIC}|{WORDY})".replace("([/.-])", "[/.-]").replace(r"\1", "[/.-]")
"""Finds a full date (day, month, year) in any common form; `parse_date` says what it means."""
DAY = re.compile(DATE, re.IGNORECASE)
MONTH_YEAR = (
    rf"(?:\b{MONTH_NAME},?\s+\d{{4}}\b|(?<![\d/])\d{{1,2}}/\d{{4}}(?![\d/])|(?<![\d-])\d{{4}}-\d{{2}}(?![\d-]))"
)
"""Finds a month named without a day ('June 2026', '06/2026', '2026-06')."""

_DAY_FINDER = re.compile(rf"{ISO}|{NUMERIC}|{WORDY}", re.IGNORECASE)
_MONTH_FINDER = re.compile(MONTH_YEAR, re.IGNORECASE)
_JOIN = re.compile(r"\s*(?:-|\u2013|\u2014|to|thru|through|until|till)\s*$", re.IGNORECASE)
_FROM = re.compile(r"^\s*(?:-|\u2013|\u2014|to|thru|through|until|till)\s*", re.IGNORECASE)
YEAR_ONCE = re.compile(
    rf"\b(?P<month>{MONTH_NAME})\s+(?P<day>\d{{1,2}}){ORDINAL}\s*(?:-|\u2013|\u2014|to|thru|through|until)\s*(?P<b>{MONTH_NAME}\s+\d{{1,2}}{ORDINAL},?\s+\d{{4}}|\d{{1,2}}{ORDINAL},?\s+\d{{4}})",
    re.IGNORECASE,
)
"""'May 1 - May 31, 2026', 'May 1-31, 2026': a range whose first end borrows the year of the second."""
_FIRST_PART = re.compile(r"(?<![\d/.])(\d{1,2})[/.-](\d{1,2})[/.-](?:\d{4}|\d{2})(?![\d/])")


@dataclass(frozen=True)
class Mention:
    """A date written on a page: `first == last` for a day, a whole month for 'June 2026'."""

    start: int
    end: int
    first: date
    last: date
    yearless: bool = False
    """Read from a date written without its year ('2/27', 'Mar 5', 'the 5th'), which takes the
    year, and for 'the 5th' the month, from the date it sits under (`find_partial`)."""
    loose: bool = False
    """A bare number pair ('4/5'): a date, or a score ('Mini-Cog 4/5'); read only where a date
    stands by position."""

    @property
    def is_day(self) -> bool:
        return self.first == self.last


def date_order(texts) -> str:
    """'DMY' when some numeric date can only be read day first (31/05/2026), else 'MDY'. A first
    part no month has as a day ('91/08/2026', an OCR slip of '01/08') decides nothing."""
    for text in texts:
        for m in _FIRST_PART.finditer(text):
            if 12 < int(m.group(1)) <= 31 and int(m.group(2)) <= 12:
                return "DMY"
    return "MDY"


@lru_cache(maxsize=8192)
def _parse(text: str, order: str, parts: tuple[str, ...]) -> date | None:
    settings = {
        "DATE_ORDER": order,
        "PREFER_DAY_OF_MONTH": "first",
        "REQUIRE_PARTS": list(parts),
        "RETURN_AS_TIMEZONE_AWARE": False,
        "PARSERS": ["custom-formats", "absolute-time"],
    }
    try:
        found = dateparser.parse(text, languages=["en"], settings=settings)
    except (ValueError, OverflowError):
        return None
    if found is None:
        return None
    day = found.date()
    if re.search(r"\d[/.-]\d{2}$", text) and day.year > date.today().year + 1:
        day = day.replace(year=day.year - 100)  # 04/22/51 is a birth date, not 2051
    return day


def parse_date(text: str, order: str = "MDY") -> date | None:
    """One written date ('5/10/26', 'May 5th, 2026', '14-May-2026') or None."""
    return _parse(" ".join(text.strip().rstrip(".,").split()), order, ("day", "month", "year"))


def parse_month(text: str) -> tuple[date, date] | None:
    """'March 2026', '03/2026' or '2026-03' -> first and last day of that month."""
    text = text.strip().rstrip(".,")
    if m := re.fullmatch(r"(\d{1,2})/(\d{4})", text):
        month, year = int(m.group(1)), int(m.group(2))
    elif m := re.fullmatch(r"(\d{4})-(\d{2})", text):
        year, month = int(m.group(1)), int(m.group(2))
    else:
        day = _parse(" ".join(text.split()), "MDY", ("month", "year"))
        if day is None:
            return None
        year, month = day.year, day.month
    if not 1 <= month <= 12 or not 1900 <= year <= 2200:
        return None
    return month_bounds(date(year, month, 1))


def find_dates(text: str, order: str = "MDY") -> list[Mention]:
    """Every day and every month-without-a-day written in `text`, in order."""
    found: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for m in _DAY_FINDER.finditer(text):
        if day := parse_date(m.group(0), order):
            found.append(Mention(m.start(), m.end(), day, day))
            taken.append((m.start(), m.end()))
    for m in _MONTH_FINDER.finditer(text):
        if any(a < m.end() and m.start() < b for a, b in taken):
            continue
        if bounds := parse_month(m.group(0)):
            found.append(Mention(m.start(), m.end(), *bounds))
    return sorted(found, key=lambda d: d.start)


def find_ranges(text: str, mentions: list[Mention]) -> list[Mention]:
    """Two dates joined by '-', 'to', 'thru', 'through' or 'until' ('5/1/26 thru 5/31/26',
    '05/01/2026-05/30/2026') become one span covering both."""
    ranges = []
    for m in YEAR_ONCE.finditer(text):
        last = next((x for x in mentions if x.start == m.start("b")), None)
        if last is not None and last.is_day:
            first = _parse(f"{m.group('month')} {m.group('day')} {last.first.year}", "MDY", ("day", "month", "year"))
            if first and first <= last.first:
                ranges.append(Mention(m.start(), last.end, first, last.last))
    for a, b in zip(mentions, mentions[1:]):
        between = text[a.end : b.start]
        if len(between) <= 12 and (_JOIN.search(between) or _FROM.match(between)) and a.first <= b.last:
            ranges.append(Mention(a.start, b.end, a.first, b.last))
    return ranges


_PARTIAL_NUMERIC = re.compile(r"(?<![\d/.])\d{1,2}/\d{1,2}(?![\d/]|\.\d)")
_PARTIAL_NAMED = re.compile(
    rf"\b{MONTH_NAME}\s+\d{{1,2}}{ORDINAL}\b(?!,?\s*\d{{4}})|\b\d{{1,2}}{ORDINAL}[\s-]+{MONTH_NAME}(?![\w,\s-]*\d{{4}})",
    re.IGNORECASE,
)
_NTH = re.compile(
    r"\bthe\s+(\d{1,2})(?:st|nd|rd|th)\b"
    r"(?!\s+(?!(?:of|at|about|and|or|to|for|with|by|when|re|in|from|but|as|after|before|until)\b)[a-z])",
    re.IGNORECASE,
)
"""'on the 5th', 'the 21st at 10:00', 'the 9th about refills': a day of the month the note is
in; a noun after it ('the 5th toe', 'the 2nd visit') means it names no day."""


def nearest_year(day: date, anchor: date) -> date:
    """The same month and day in the year that puts it closest to `anchor`: '12/29' written in
    a January 2026 note is 12/29/2025, '1/6' written in December 2025 is 01/06/2026."""
    candidates = []
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            candidates.append(day.replace(year=year))
        except ValueError:  # 2/29 outside a leap year
            continue
    return min(candidates, key=lambda d: abs((d - anchor).days), default=day)


def _months_around(anchor: date) -> list[date]:
    this = anchor.replace(day=1)
    return [(this - timedelta(days=1)).replace(day=1), this, (this + timedelta(days=32)).replace(day=1)]


def find_partial(text: str, anchor: date, order: str = "MDY", taken: Sequence[tuple[int, int]] = ()) -> list[Mention]:
    """Dates written without a year ('2/27', 'Mar 5', '5 March', 'the 5th') read against
    `anchor`, the date of the note or row they sit in: dateparser reads the day and month with
    the anchor's year, which then moves to the nearest year; 'the 5th' takes the month (the
    anchor's, or the one before or after) that puts it nearest: 'on the 28th' in a note of
    June 2 is May 28. Spans in `taken` (full dates already found) are left alone."""
    found = []

    def free(m: re.Match) -> bool:
        return not any(a < m.end() and m.start() < b for a, b in taken)

    for pattern, loose in ((_PARTIAL_NUMERIC, True), (_PARTIAL_NAMED, False)):
        for m in pattern.finditer(text):
            if free(m) and (day := _parse(f"{m.group(0)} {anchor.year}", order, ("day", "month", "year"))):
                day = nearest_year(day, anchor)
                found.append(Mention(m.start(), m.end(), day, day, yearless=True, loose=loose))
    for m in _NTH.finditer(text):
        days = [
            _parse(f"{calendar.month_name[first.month]} {m.group(1)} {first.year}", "MDY", ("day", "month", "year"))
            for first in _months_around(anchor)
        ]
        if free(m) and (days := [d for d in days if d]):
            day = min(days, key=lambda d: abs((d - anchor).days))
            found.append(Mention(m.start(), m.end(), day, day, yearless=True))
    return sorted(found, key=lambda d: d.start)


def month_bounds(day: date) -> tuple[date, date]:
    last = calendar.monthrange(day.year, day.month)[1]
    return day.replace(day=1), day.replace(day=last)


def long_date(day: date) -> str:
    return f"{calendar.month_name[day.month]} {day.day}, {day.year}"
