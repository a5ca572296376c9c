"""Dates as charts write them (03/14/2026, 2026-03-14, March 14, 2026, 14 Mar 2026)."""

import calendar
import re
from datetime import date

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
DATE = (
    r"(?:\d{1,2}/\d{1,2}/\d{2,4}|\d{4}-\d{2}-\d{2}|"
    rf"{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH},?\s+\d{{4}})"
)
MONTH_YEAR = rf"(?:{_MONTH}\s+\d{{4}}|\d{{1,2}}/\d{{4}}|\d{{4}}-\d{{2}})"


def parse_date(text: str) -> date | None:
    text = text.strip().rstrip(".,")
    try:
        if m := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{2,4})", text):
            year = int(m.group(3))
            year += 2000 if year < 100 else 0
            return date(year, int(m.group(1)), int(m.group(2)))
        if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text):
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if m := re.fullmatch(r"([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})", text):
            return date(int(m.group(3)), MONTHS[m.group(1).lower()[:3]], int(m.group(2)))
        if m := re.fullmatch(r"(\d{1,2})\s+([A-Za-z]+)\.?,?\s+(\d{4})", text):
            return date(int(m.group(3)), MONTHS[m.group(2).lower()[:3]], int(m.group(1)))
    except (ValueError, KeyError):
        return None
    return None


def parse_month(text: str) -> tuple[date, date] | None:
    """'March 2026', '03/2026' or '2026-03' -> first and last day of that month."""
    text = text.strip().rstrip(".,")
    year = month = None
    if m := re.fullmatch(r"([A-Za-z]+)\.?\s+(\d{4})", text):
        month, year = MONTHS.get(m.group(1).lower()[:3]), int(m.group(2))
    elif m := re.fullmatch(r"(\d{1,2})/(\d{4})", text):
        month, year = int(m.group(1)), int(m.group(2))
    elif m := re.fullmatch(r"(\d{4})-(\d{2})", text):
        year, month = int(m.group(1)), int(m.group(2))
    if not month or not 1 <= month <= 12:
        return None
    return month_bounds(date(year, month, 1))


def month_bounds(day: date) -> tuple[date, date]:
    last = calendar.monthrange(day.year, day.month)[1]
    return day.replace(day=1), day.replace(day=last)


def long_date(day: date) -> str:
    return f"{calendar.month_name[day.month]} {day.day}, {day.year}"
