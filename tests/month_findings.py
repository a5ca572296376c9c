"""A month's findings for the verdict rules' tests: nothing found unless a test says otherwise."""

from service.checks.minutes import Minutes
from service.checks.reading_days import ReadingDays
from service.checks.verdicts import MonthFindings


def month_findings(**more) -> MonthFindings:
    base = dict(
        evidence=[],
        missing=[],
        counter=[],
        withdrawals=[],
        minutes=Minutes(total=0, rows=[], warnings=[]),
        days=ReadingDays(),
    )
    base.update(more)
    return MonthFindings(**base)
