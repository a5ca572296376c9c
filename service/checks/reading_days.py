"""Days with device readings in a month (remote monitoring): a dated line that carries a
measurement counts its day once, however many readings it holds; a vendor's stated count of
days ('readings on 18 of 30 days') is kept beside it, and when no dated reading is legible the
stated count is what there is.

Decided by structure - a date at the start of a line or a row, a number with a unit or a
blood-pressure pair after it - not by any one vendor's wording."""

import re
from dataclasses import dataclass, field
from datetime import date

from service.models import Page
from service.screening.dates import DAY, parse_date

MEASUREMENT = re.compile(
    r"\b\d{2,3}\s*/\s*\d{2,3}\b(?!\s*/)|"  # blood pressure
    r"\b\d{1,3}(?:\.\d+)?\s*(?:mg/dl|mmol/l|mmhg|bpm|lbs?|kg|%|spo2|beats)(?![a-z])",
    re.IGNORECASE,
)
READING_WORDS = re.compile(
    r"\b(?:reading|readings|transmi\w*|measurements?|data|uploads?|synced|values?|recorded)\b", re.IGNORECASE
)
STATED_DAYS = re.compile(
    r"(?<![\d/.])(\d{1,2})\s*(?:of|/|out\s+of)?\s*(?:\d{2}\s+)?(?:calendar\s+)?days?\b", re.IGNORECASE
)
YEARLESS = re.compile(r"^\W{0,3}(\d{1,2})/(\d{1,2})(?![\d/])")


@dataclass
class ReadingDays:
    days: dict[date, tuple[str, int, str]] = field(default_factory=dict)
    """Each day with a reading -> (document, page, the line that shows it)."""
    stated: list[tuple[str, int, str, int]] = field(default_factory=list)
    """(document, page, line, days) where the record states how many days carried readings."""

    @property
    def count(self) -> int:
        if self.days:
            return len(self.days)
        return max((n for *_, n in self.stated), default=0)


def _line_day(line: str, year: int) -> date | None:
    head = line.strip()[:24]
    m = DAY.search(head)
    if m and m.start() <= 3:
        return parse_date(m.group(0))
    if y := YEARLESS.match(head):
        try:
            return date(year, int(y.group(1)), int(y.group(2)))
        except ValueError:
            return None
    return None


def reading_days(
    pages: list[Page], month: str, excluded: set[tuple[str, int]] | frozenset = frozenset()
) -> ReadingDays:
    """The month's days with a reading, each with the first line showing it."""
    year, number = (int(part) for part in month.split("-"))
    found = ReadingDays()
    for page in pages:
        if (page.document, page.number) in excluded:
            continue
        for m in re.finditer(r"[^\n]+", page.text):
            line = m.group(0)
            day = _line_day(line, year)
            rest = line.strip()[24:] if day is None else line
            if day is not None and (day.year, day.month) == (year, number) and MEASUREMENT.search(line[8:]):
                found.days.setdefault(day, (page.document, page.number, line.strip()))
                continue
            if READING_WORDS.search(rest) and (n := STATED_DAYS.search(line)) and 0 < int(n.group(1)) <= 31:
                found.stated.append((page.document, page.number, line.strip(), int(n.group(1))))
    return found
