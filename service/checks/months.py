"""The month a check is asked about, written YYYY-MM: read once, here, by every part of the check."""

import calendar
import re
from datetime import date

from service.errors import CaseFieldError
from service.models import MONTH as MONTH_PATTERN

MONTH = re.compile(MONTH_PATTERN)


class BadMonthError(CaseFieldError):
    code = "invalid_month"


def year_month(month: str) -> tuple[int, int]:
    """(year, month number); a month not written YYYY-MM (ASCII digits, a year from 1900) is refused."""
    written = month.strip()
    year, _, number = written.partition("-")
    if not MONTH.match(written) or int(year) < 1900:
        raise BadMonthError(f"month must be written YYYY-MM (e.g. 2026-04), not '{month[:20]}'")
    return int(year), int(number)


def month_bounds(month: str) -> tuple[date, date]:
    """The month's first and last days."""
    year, number = year_month(month)
    return date(year, number, 1), date(year, number, calendar.monthrange(year, number)[1])
