"""Days with device readings in a month (remote monitoring): a day counts once, however many
readings it holds. Days are read from a table of readings or a calendar grid
(`reading_layouts`), else from dated lines that carry a measurement. A vendor's stated count of
days ('readings on 18 of 30 days', 'Days with data (03/01-03/31): 23') is kept beside them when
it is stated for this month.

Which count stands: days read from a table or calendar of readings, which show every day; else
the larger of the stated count and the dated lines, which are often a few readings quoted in
notes and so only part of the month.

Decided by structure - a date at the start of a line or a row, a number with a unit or a
blood-pressure pair after it, the month a count is stated for - not by any one vendor's wording."""

import re
from dataclasses import dataclass, field
from datetime import date

from service.checks.months import year_month
from service.checks.reading_layouts import NOT_DEVICE, calendar_days, line_day, table_days
from service.models import Page
from service.screening.dates import DAY, MONTH_YEAR, parse_date, parse_month

UNIT_VALUE = re.compile(r"\b\d{1,3}(?:\.\d+)?\s*(?:mg/dl|mmol/l|mmhg|bpm|lbs?|kg|%|spo2|beats)(?![a-z])", re.IGNORECASE)
PAIR = re.compile(r"(?<![\d/])(\d{2,3})\s*/\s*(\d{2,3})(?![\d/])")
READING_WORDS = re.compile(
    r"\b(?:reading|readings|transmi\w*|measurements?|data|uploads?|synced|values?|recorded)\b", re.IGNORECASE
)
STATED_DAYS = re.compile(
    r"(?<![\d/.])(\d{1,2})\s*(?:of|/|out\s+of)?\s*(?:\d{2}\s+)?(?:calendar\s+)?days?\b", re.IGNORECASE
)
"""A count before the word: '18 of 30 days', '21 days of data'."""
DAYS_THEN_COUNT = re.compile(r"\bdays?\b[^:\n]{0,80}?(?::|\s{2,})\s*(\d{1,2})\b(?!\s*(?:/|\.\d|%|-|:|mg|min))", re.I)
"""A count after the words: 'Days with data (03/01-03/31): 23', 'Days transmitted     18'."""
THRESHOLD = re.compile(
    r"\b(?:fewer|less|more|greater|at\s+least|minimum|min\.?|required|needs?|under|over)\W*(?:than\s+)?$", re.I
)
"""'fewer than 16 days', 'at least 16 days': a rule's number, not a count."""
YEARLESS = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})(?![\d/])")
PERIOD = re.compile(r"\bperiod\b|\d\s*(?:-|\u2013|\u2014|to|thru|through)\s*\d", re.IGNORECASE)


@dataclass
class ReadingDays:
    days: dict[date, tuple[str, int, str]] = field(default_factory=dict)
    """Each day with a reading -> (document, page, the line that shows it)."""
    stated: list[tuple[str, int, str, int]] = field(default_factory=list)
    """(document, page, line, days) where the record states how many days of the month carried readings."""
    listed: bool = False
    """The days come from a table or calendar of readings (every day shown), not from loose lines."""
    set_aside: list[tuple[str, int, str]] = field(default_factory=list)
    """(document, page, row) of dated readings left out as not the device's (typed in, phoned in)."""

    def until(self, last: date | None) -> "ReadingDays":
        """The days up to `last` (the patient left the program then); a stated count of the whole
        month no longer stands once part of the month is cut."""
        if last is None:
            return self
        kept = {day: where for day, where in self.days.items() if day <= last}
        return ReadingDays(kept, [], self.listed or bool(kept), self.set_aside)

    @property
    def count(self) -> int:
        if self.listed:
            return len(self.days)
        return max(len(self.days), max((n for *_, n in self.stated), default=0))


def measurement(text: str) -> bool:
    """A number with a unit, or a blood-pressure pair that could be one ('138/82'; not '01/07')."""
    if UNIT_VALUE.search(text):
        return True
    return any(
        60 <= int(m.group(1)) <= 260 and 30 <= int(m.group(2)) <= 160 and int(m.group(1)) > int(m.group(2))
        for m in PAIR.finditer(text)
    )


def _months(line: str, year: int) -> set[tuple[int, int]]:
    """Months the line's dates fall in: full dates, 'm/d' read in `year`, and months named with a year."""
    out = set()
    for m in DAY.finditer(line):
        if day := parse_date(m.group(0)):
            out.add((day.year, day.month))
    bare = DAY.sub(" ", line)
    for m in re.finditer(MONTH_YEAR, bare, re.IGNORECASE):
        if bounds := parse_month(m.group(0)):
            out.add((bounds[0].year, bounds[0].month))
    for m in YEARLESS.finditer(re.sub(MONTH_YEAR, " ", bare, flags=re.IGNORECASE)):
        if 1 <= int(m.group(1)) <= 12:
            out.add((year, int(m.group(1))))
    if len(out) > 1:  # a range covers the months between its ends
        (y, m_), last = min(out), max(out)
        while (y, m_) < last:
            out.add((y, m_))
            y, m_ = (y + 1, 1) if m_ == 12 else (y, m_ + 1)
    return out


def _stated(line: str) -> int | None:
    for pattern in (STATED_DAYS, DAYS_THEN_COUNT):
        for m in pattern.finditer(line):
            n = int(m.group(1))
            if 0 < n <= 31 and not THRESHOLD.search(line[: m.start(1)]):
                return n
    return None


def _for_month(lines: list[str], i: int, year: int, number: int) -> bool:
    """Is the count on line `i` stated for this month? By the line's own dates, else by the
    nearest period named above it on the page (a date range, 'period', a month and year)."""
    own = _months(lines[i], year)
    if own:
        return own == {(year, number)}
    for line in reversed(lines[max(0, i - 25) : i]):
        months = _months(line, year)
        if months and (PERIOD.search(line) or re.search(MONTH_YEAR, line, re.IGNORECASE)):
            return (year, number) in months
    return True


def reading_days(
    pages: list[Page], month: str, excluded: set[tuple[str, int]] | frozenset = frozenset()
) -> ReadingDays:
    """The month's days with a reading, each with the first line showing it."""
    year, number = year_month(month)
    listed: dict[date, tuple[str, int, str]] = {}
    loose: dict[date, tuple[str, int, str]] = {}
    found = ReadingDays()
    for page in pages:
        if (page.document, page.number) in excluded:
            continue
        aside: list[str] = []
        for shown, row in {**calendar_days(page.text), **table_days(page.text, year, aside)}.items():
            if (shown.year, shown.month) == (year, number):
                listed.setdefault(shown, (page.document, page.number, row))
        found.set_aside += [(page.document, page.number, row) for row in aside]
        lines = page.text.split("\n")
        for i, line in enumerate(lines):
            if not line.strip():
                continue
            day = line_day(line, year)
            if day is not None and measurement(line[8:]):
                if NOT_DEVICE.search(line):
                    found.set_aside.append((page.document, page.number, line.strip()))
                elif (day.year, day.month) == (year, number):
                    loose.setdefault(day, (page.document, page.number, line.strip()))
                continue
            if READING_WORDS.search(line) and (n := _stated(line)) and _for_month(lines, i, year, number):
                found.stated.append((page.document, page.number, line.strip(), n))
    found.listed = bool(listed)
    found.days = listed or loose
    return found
