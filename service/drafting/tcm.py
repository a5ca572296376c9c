"""Transitional care management's clock, checked on the dates the cited evidence gives.

TCM (99495, 99496) counts from the day of discharge: an interactive contact within 2 business
days after it (weekends and US federal holidays do not count), the face-to-face visit within 14
calendar days for 99495 or 7 for 99496, and a 30-day period ending 29 days after discharge. The
check reads the dates in the quotes the letter cites for the discharge, the contact and the visit;
a date it cannot find is said to be unknown, never assumed. It only warns staff: the letter
states what the record says, and the reviewer judges the timing.
"""

import re
from datetime import date, timedelta

import holidays
import numpy as np

from service.models import CaseFields, Evidence
from service.screening.dates import find_dates

CODES = {"99495": 14, "99496": 7}
CONTACT_BUSINESS_DAYS = 2
PERIOD_DAYS = 30
DISCHARGE = re.compile(r"discharg|\bd/c\b|\bdc'?d\b|released from|sent home", re.I)
ADJACENT, FOLLOWING, PRECEDING = 15, 80, 40
"""Characters between a word and the date it refers to."""


def business_days_after(start: date, end: date) -> int:
    """Business days from the day after `start` up to and including `end`."""
    years = range(start.year, end.year + 1)
    closed = [np.datetime64(d) for d in holidays.US(years=years)]
    return int(np.busday_count(start + timedelta(days=1), end + timedelta(days=1), holidays=closed))


def tcm_warnings(case: CaseFields, evidence: list[Evidence], page_text: dict[tuple[str, int], str]) -> list[str]:
    """`page_text`: (document, page) -> text, for the date a terse line puts before the quote."""
    billed = [code for code in case.billed_cpt if code in CODES]
    if not billed:
        return []

    def first(requirement: str, after: date | None = None) -> date | None:
        days = [d for d in _dates(evidence, page_text, requirement) if after is None or d >= after]
        return min(days) if days else None

    discharged = [d for d in _dates(evidence, page_text, "discharge", DISCHARGE) if d <= case.date_of_service]
    discharge = max(discharged) if discharged else None
    if discharge is None:
        return [
            "TCM: no discharge date was found in the cited record; the 2-business-day contact and the visit window cannot be checked."
        ]
    warnings = []
    contact = first("interactive_contact", after=discharge)
    if contact is None:
        warnings.append(
            f"TCM: no dated contact after the discharge on {discharge.isoformat()} was found; the contact (or two attempts) must be within 2 business days."
        )
    elif (late := business_days_after(discharge, contact)) > CONTACT_BUSINESS_DAYS:
        warnings.append(
            f"TCM: the first contact found ({contact.isoformat()}) is {late} business days after the discharge on {discharge.isoformat()}; the rule is 2, unless two or more timely attempts are documented."
        )
    visit = first("face_to_face", after=discharge)
    code = billed[0]
    if visit is None:
        warnings.append(
            f"TCM: no dated face-to-face visit after the discharge was found; {code} needs one within {CODES[code]} days."
        )
    elif (days := (visit - discharge).days) > CODES[code]:
        fits = next((other for other, limit in CODES.items() if days <= limit), None)
        hint = f" (it fits {fits})" if fits else ""
        warnings.append(
            f"TCM: the visit on {visit.isoformat()} is {days} days after discharge; {code} needs {CODES[code]} or fewer{hint}."
        )
    end = discharge + timedelta(days=PERIOD_DAYS - 1)
    if not discharge <= case.date_of_service <= end:
        warnings.append(
            f"TCM: the date of service {case.date_of_service.isoformat()} is outside the 30-day period from the discharge ({discharge.isoformat()} to {end.isoformat()})."
        )
    return warnings


def _dates(
    evidence: list[Evidence], page_text: dict[tuple[str, int], str], requirement: str, near: re.Pattern | None = None
) -> list[date]:
    """The days written in the requirement's quotes, or on the line each quote begins on. With
    `near`, only the day each mention of it refers to ('Admitted 6/28. Discharged 7/2': 7/2)."""
    days: list[date] = []
    for item in evidence:
        if item.requirement != requirement:
            continue
        text = page_text.get((item.document, item.page), "")
        line_start = text.rfind("\n", 0, item.start) + 1
        for source in (text[line_start : item.start], item.text):
            mentions = [m for m in find_dates(source) if m.is_day]
            if near is None:
                days += [m.first for m in mentions]
                continue
            for word in near.finditer(source):
                day = _day_of(word, mentions)
                if day is not None:
                    days.append(day)
    return days


def _day_of(word: re.Match, mentions: list) -> date | None:
    """The day a word refers to: one written just before it ('7/2 d/c'), else the next one after
    it in the same stretch of text ('discharged home from St. Luke's on 07/02'), else one a
    little before it."""
    before = [m for m in mentions if m.end <= word.start()]
    after = [m for m in mentions if m.start >= word.end()]
    gap = word.string[before[-1].end : word.start()] if before else ""
    if before and len(gap) <= ADJACENT and not re.search(r"[.;]\s", gap):
        return before[-1].first
    if after and after[0].start - word.end() <= FOLLOWING:
        return after[0].first
    if before and word.start() - before[-1].end <= PRECEDING:
        return before[-1].first
    return None
