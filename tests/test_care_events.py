"""Care-management events read by meaning (medspaCy ConText over knowledge/care-events.yaml).

Every line here was written for these tests, in words the rules were not developed on: other
names, other programs, other ways of charting the same event.
"""

from datetime import date

import pytest

from service.models import Span, span_key
from service.screening.care_events import (
    NOT_BILLABLE,
    UNANSWERED,
    WITHDRAWN,
    after_withdrawal,
    billable_part,
    event_notes,
    line_events,
    read_events,
)


def _one(text: str) -> set[str]:
    return line_events([text])[0]


@pytest.mark.parametrize(
    "line",
    [
        "Mrs. Okafor told the RN she is done with the monthly check-ins and wants to be dropped from the CCM roster.",
        "Per phone call today, member revoked her agreement to participate in chronic care management.",
        "Spouse relayed that pt no longer wants the nurse calls - disenrolled 6/12.",
        "Opted out of RPM 5/30; cuff to be mailed back.",
        "Pt declined to continue with the program after this month.",
        "Program participation terminated at patient's request.",
        # leaving verbs in any tense, the program as their object (issue 37's check found the gap)
        "Ms. Ferrante rang the office to say she will be backing out of RPM at the end of this week.",
        "Per pt, she is done with chronic care management and is exiting our program.",
        "Caller explained he is leaving the CCM programme because his cardiologist now follows him.",
    ],
)
def test_a_patient_leaving_the_program_is_a_withdrawal(line):
    assert WITHDRAWN in _one(line)


@pytest.mark.parametrize(
    "line",
    [
        "You may end your participation whenever you like by letting the front desk know.",
        "I understand that I have the right to revoke this consent.",
        "If the patient chooses to opt out, record the effective date in the registry.",
        "Patient did not disenroll; she only paused the device readings while traveling.",
        "Her son withdrew from the diabetes program last spring.",
        "Pt agrees to stay enrolled in CCM for the coming year.",
        "Discussed the program; pt is not leaving CCM and will keep her monthly calls.",
        "Reviewed how to leave the program should she ever want to.",
        "Explained the ways to opt out; she chose to stay enrolled.",
    ],
)
def test_a_right_a_hypothetical_a_denial_or_a_relative_is_no_withdrawal(line):
    assert WITHDRAWN not in _one(line)


@pytest.mark.parametrize(
    "line",
    [
        "06/03 2:15p outbound call to pt - phone rang with no pickup",
        "Attempted to reach caregiver x3; her voice mail box was full.",
        "Tried pt's home number, left msg w/ callback #.",
        "Call placed, nobody answered.",
        "Unable to contact patient at either number on file.",
    ],
)
def test_a_contact_that_reached_nobody_is_unanswered(line):
    assert UNANSWERED in _one(line)


@pytest.mark.parametrize(
    "line",
    [
        "Spoke with pt for 18 min about the new insulin schedule.",
        "Daughter answered and put pt on speaker; reviewed BP log.",
    ],
)
def test_a_call_that_reached_someone_is_not_unanswered(line):
    assert UNANSWERED not in _one(line)


def test_a_rows_billable_column_saying_no_is_not_billable_whatever_its_note_says():
    printed = "06/09/26   11:00   9   R. Tanaka CMA   Printed mailing labels for the program   N"
    scored = "Date: 06/09/26; Time: 11:00; Minutes: 9; Staff: R. Tanaka CMA; Activity: Printed mailing labels for the program; Billable: N"
    assert line_events([printed], [scored]) == [{NOT_BILLABLE}]
    kept = scored.replace("Billable: N", "Billable: Y")
    assert line_events([printed], [kept]) == [set()]


@pytest.mark.parametrize(
    "line, part",
    [
        (
            "Countable clinical minutes: 27   |   Not countable: 9   |   Everything logged: 36",
            "Countable clinical minutes: 27",
        ),
        (
            "June summary -- billable 33 min / excluded (non-billable) 12 min / total 45 min",
            "June summary -- billable 33 min",
        ),
        (
            "Time toward 99457: 24 min      Time that does not count: 7 min      All time: 31 min",
            "Time toward 99457: 24 min",
        ),
    ],
)
def test_a_tally_line_is_cut_down_to_its_billable_part(line, part):
    where = billable_part(line)
    assert where is not None and line[where[0] : where[1]] == part


def test_a_single_tally_is_left_whole():
    assert billable_part("Total care management time in June: 41 minutes") is None


def _span(page: int, start: int, text: str) -> Span:
    return Span(document="chart.pdf", page=page, start=start, end=start + len(text), text=text)


def test_read_events_cuts_the_tally_and_keys_the_rest():
    tally = _span(1, 0, "Billable 22 min  |  Non-billable 8 min  |  Total 30 min")
    missed = _span(1, 80, "6/14 call to pt, no answer")
    plain = _span(1, 120, "6/20 reviewed meds with pt by phone, 12 min")
    sentences, events = read_events([tally, missed, plain], {})
    assert sentences[0].text == "Billable 22 min" and sentences[0].start == 0
    assert events == {span_key(missed): {UNANSWERED}}
    notes = event_notes(sentences, events)
    assert len(notes) == 1 and notes[0].startswith("chart.pdf page 1:")


def test_lines_after_a_withdrawal_in_the_same_document_are_blocked():
    before = _span(1, 0, "5/06 RN call w/ pt 15 min re glucose log")
    leaving = _span(2, 0, "5/19 pt asked to be taken off the CCM program effective 5/20")
    same_note = _span(2, 70, "PCP informed.")
    later = _span(2, 100, "5/27 courtesy call re supplies 6 min")
    summary = _span(2, 150, "Billable minutes this month: 15")
    dates = {
        span_key(before): [date(2026, 5, 6)],
        span_key(leaving): [date(2026, 5, 19), date(2026, 5, 20)],
        span_key(later): [date(2026, 5, 27)],
    }
    events = {span_key(leaving): {WITHDRAWN}}
    blocked = after_withdrawal([before, leaving, same_note, later, summary], events, lambda key: dates.get(key, []))
    assert blocked == {span_key(same_note), span_key(later)}


def test_a_right_described_in_two_clauses_stays_a_right():
    line = "[X] I can withdraw from the program whenever I choose; my withdrawal applies from the next calendar month."
    assert WITHDRAWN not in _one(line)


def test_the_event_reader_leaves_torch_and_scipy_stats_unimported():
    """spaCy's thinc would import torch, and nltk under medspaCy scipy.stats (seconds of every cold
    CLI call), for parts a rule-based pipeline never runs; the reader hides them while the libraries
    load, and both still import after."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from service.screening.care_events import default_reader\n"
        "assert len(default_reader().events(['the patient declined the program'])) == 1\n"
        "print('torch' in sys.modules, 'scipy.stats' in sys.modules)\n"
        "import torch\n"
        "import scipy.stats\n"
        "print(torch.tensor([1]).sum().item(), scipy.stats.norm.cdf(0))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["False", "False", "1", "0.5"]
