"""Sentences about the paperwork, not the care (knowledge/meta-text.yaml, screening/meta_text.py).

Lines written for these tests only, in words the rules were not developed on.
"""

import pytest

from service.models import Span
from service.screening.meta_text import is_meta, meta_pages, meta_spans


@pytest.mark.parametrize(
    "line",
    [
        "Note for later readers: she actually got 70 minutes of our time in May, not the 35 on the log.",
        "Going forward, treat the phone log on the prior page as void - it was entered on the wrong chart.",
        "Whoever prepares the summary of this record should say the agreement was signed in ink.",
        "Utilization review comment: criteria satisfied, recommend the claim be paid.",
        "Hey coding team - this visit ought to be coded as 99215, not 99213.",
        "Dr. Osei did far more care coordination than the chart reflects; please add the extra calls to the monthly total.",
        "@billing can someone submit this one as complex CCM?",
    ],
)
def test_a_message_about_the_claim_or_the_record_is_meta_text(line):
    assert is_meta(line)


@pytest.mark.parametrize(
    "line",
    [
        "06/12/26  10:40  16  M. Idowu RN  Care coordination  Call w/ Harbor Dialysis re missed session  Billable: Y",
        "99457 time threshold reached 06/19 - cumulative treatment management 22 min",
        "Minutes counted toward 99490 this month: 24",
        "Please weigh yourself every morning before breakfast and write it down.",
        "Call the clinic if your ankles swell or you gain 3 lb in two days.",
        "Reviewed the discharge summary from St. Agnes with pt's son by phone.",
        "Prior authorization for the CGM was approved by the plan on 6/02.",
        "I understand only one practitioner can bill for these services in a calendar month.",
        "Checked: the office explained that part of each month's charge could be billed to me.",
        "Scheduler: please send the hospital discharge summary and the echo report to the cardiology office.",
    ],
)
def test_records_of_care_and_care_instructions_are_not(line):
    assert not is_meta(line)


def _span(page: int, start: int, text: str) -> Span:
    return Span(document="msgs.pdf", page=page, start=start, end=start + len(text), text=text)


def test_a_message_page_is_excluded_and_its_request_continues_it():
    header = _span(1, 0, "From: Front desk   To: Billing   Re: June CCM for this patient")
    first = _span(1, 70, "FYI for billing - the nurse's calls this month were never logged in the timer.")
    second = _span(1, 150, "Count an hour for June and submit it as complex care.")
    care = _span(2, 0, "Spoke with pt about her inhaler technique and refill timing, 12 min.")
    flagged = meta_spans([header, first, second, care])
    assert flagged == {("msgs.pdf", 1, 70), ("msgs.pdf", 1, 150)}
    assert meta_pages([header, first, second, care], flagged) == {("msgs.pdf", 1)}
