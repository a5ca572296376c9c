"""Countable minutes of a month from a chart's time logs (issue 37), and the codes they support.

Hand-written pages in several layouts, then the outside author's charts where their expected
file states the month's minutes. Assert messages name cases and numbers, never page text."""

import json
import re
from datetime import date

import pytest

from service.checks.codes import supported_codes
from service.checks.minutes import count_minutes
from service.config import Settings
from service.models import Page
from service.records.pdf import read_pdf
from tests.conftest import shared_dir

PIPE_LOG = """Harborline Medical - monthly care log
Date | Minutes | Staff | Activity
04/02/2026 | 18 | Nadia Brooks, RN | Reviewed glucose diary with patient by phone
04/09/2026 | 9 | Omar Feld, LPN | Refill coordination with the pharmacy
04/11/2026 | 12 | Front Desk | Booked the podiatry visit
03/30/2026 | 25 | Nadia Brooks, RN | Quarterly plan review
Total: 27 min
"""

ALIGNED_LOG = """Care minutes  -  period 05/01/2026 to 05/31/2026
Date          Min    Staff               Activity                          Billable
05/03/26      15     P. Okafor NP        Medication changes explained      Y
05/10/26      6      G. Lund (billing)   Claim question from patient       N
05/17/26      8      P. Okafor NP        Tried to call, voicemail left     Y
05/21/26      11     S. Haas MA          Arranged home oxygen delivery     Y
TOTAL         40
"""

ONE_LINE = """Telephone log, June 2026
06/04/26 \u2014 14 min \u2014 phone call with patient about swelling \u2014 K. Diaz, RN
06/12/26 \u2014 7 min \u2014 faxed forms to the dialysis unit \u2014 R. Vance (scheduler)
06/19/26 \u2014 9 min \u2014 reviewed the cardiology letter and updated the plan
"""

NOTE_THEN_COPY = [
    """Nursing notes
06/03/2026 10:40  OUT  Pell, Marta RN
  Talked with the patient's son about the new diuretic dose and weights.   Time: 16 min
------------------------------------------------------------
06/08/2026 15:05  OUT  Pell, Marta RN
  Called twice, no answer, left a voicemail.   3 min
------------------------------------------------------------
""",
    """Nursing notes (continued)
06/03/2026 10:40  OUT  Pell, Marta RN
  Talked with the patient's son about the new diuretic dose and weights.   Time: 16 min
------------------------------------------------------------
06/22/2026 09:00  OUT  Pell, M RN
  Walked 10 min with the physical therapist; review of the home scale readings. 12 min
------------------------------------------------------------
""",
]


def _pages(*texts: str, document: str = "chart.pdf") -> list[Page]:
    return [Page(document=document, number=i, text=t) for i, t in enumerate(texts, 1)]


def _verbatim(minutes, pages: list[Page]) -> None:
    text = {(p.document, p.number): p.text for p in pages}
    off = [(r.document, r.page) for r in minutes.rows if r.quote not in text[(r.document, r.page)]]
    assert not off, f"quotes not found on their pages: {off}"


def test_a_pipe_table_counts_clinical_rows_in_the_month():
    pages = _pages(PIPE_LOG)
    found = count_minutes(pages, "2026-04")
    assert found.total == 27
    reasons = {r.minutes: r.reason for r in found.rows if not r.counted}
    assert reasons == {12: "not clinical staff", 25: "outside the month"}
    assert not found.warnings, found.warnings
    _verbatim(found, pages)


def test_aligned_columns_follow_the_billable_column_and_an_unanswered_call():
    pages = _pages(ALIGNED_LOG)
    found = count_minutes(pages, "2026-05")
    assert found.total == 26
    assert {r.minutes for r in found.rows if not r.counted} == {6, 8}
    assert not found.warnings  # 40 is every row logged
    _verbatim(found, pages)


def test_one_line_entries_read_date_minutes_and_who():
    pages = _pages(ONE_LINE)
    found = count_minutes(pages, "2026-06")
    rows = {r.minutes: r for r in found.rows}
    assert set(rows) == {14, 7, 9}
    assert rows[14].counted and rows[14].who == "K. Diaz, RN"
    assert not rows[7].counted and rows[7].reason == "not clinical staff"
    assert rows[9].counted and rows[9].reason == "no person named"  # counted, but flagged
    assert found.total == 23
    assert any("name no credentialed person" in w for w in found.warnings)
    _verbatim(found, pages)


def test_a_copied_forward_note_counts_once_and_an_unanswered_call_not_at_all():
    pages = _pages(*NOTE_THEN_COPY)
    found = count_minutes(pages, "2026-06")
    assert found.total == 16 + 12
    copies = [r for r in found.rows if r.reason.startswith("copy of a row")]
    assert [(r.page, r.minutes) for r in copies] == [(2, 16)]
    assert [r.reason for r in found.rows if r.minutes == 3] == ["unanswered attempt"]
    _verbatim(found, pages)


def test_a_total_that_does_not_match_its_rows_is_a_warning():
    wrong = PIPE_LOG.replace("Total: 27 min", "Total: 47 min")
    found = count_minutes(_pages(wrong), "2026-04")
    assert found.total == 27
    assert any("does not match" in w for w in found.warnings), found.warnings


def test_excluded_pages_and_the_end_of_enrollment_are_not_counted():
    pages = _pages(PIPE_LOG, PIPE_LOG.replace("04/02/2026", "04/03/2026"))
    assert count_minutes(pages, "2026-04", excluded={("chart.pdf", 2)}).total == 27
    assert count_minutes(pages[:1], "2026-04", until=date(2026, 4, 5)).total == 18


def test_prose_minutes_are_not_rows():
    prose = "Plan: walk 20 min daily. If chest pain lasts more than 5 min, call 911.\neGFR 24 mL/min/1.73m2\n"
    assert count_minutes(_pages(prose), "2026-04").rows == []


@pytest.mark.parametrize(
    ("minutes", "codes"),
    [
        (19, []),
        (20, ["99490"]),
        (39, ["99490"]),
        (47, ["99490", "99439"]),
        (60, ["99490", "99439", "99439"]),
        (95, ["99490", "99439", "99439"]),
    ],
)
def test_supported_codes(minutes, codes):
    assert supported_codes(minutes, "99490", "99439", 20, 20, 2) == codes


def test_supported_codes_without_an_add_on():
    assert supported_codes(45, "99491", None, 30, 30, 0) == ["99491"]


WITHDRAWN = {"fc05": date(2026, 4, 14), "fc11": date(2025, 9, 18)}
"""The last enrolled day of the two charts with a withdrawal mid-month: what the consent check
will hand over as `until` (it is not this module's to find)."""


def _gold(expect: dict) -> int | None:
    for fact in expect["facts"]:
        if "minutes" in fact["name"] and (m := re.search(r"\)(\d+)\\s", fact["regex"])):
            return int(m.group(1))
    return None


def test_foreign_charts_total_within_one_row_of_the_gold(tmp_path):
    root = shared_dir("foreign/charts")
    settings = Settings(home=tmp_path / "home")
    results = {}
    for case in sorted(p for p in root.iterdir() if p.is_dir()):
        expect = json.loads((case / "expect.json").read_text())
        gold = _gold(expect)
        if gold is None:
            continue
        pages = [page for pdf in sorted(case.glob("*.pdf")) for page in read_pdf(pdf, settings).pages]
        other = {(c["document"], c["page"]) for c in expect["never_cite"] if c["why"].startswith("another patient")}
        found = count_minutes(pages, expect["billing_period"]["start"][:7], other, WITHDRAWN.get(case.name))
        _verbatim(found, pages)
        sizes = {r.minutes for r in found.rows}
        results[case.name] = (found.total, gold, found.total == gold or abs(found.total - gold) in sizes)
    assert len(results) == 9, sorted(results)
    assert all(ok for *_, ok in results.values()), {k: v[:2] for k, v in results.items() if not v[2]}
    assert sum(total == gold for total, gold, _ in results.values()) == 9, results


RUNNING_LOG = """Care coordination export - July 2026
Date        Time    Running     Staff                  Task
            spent   total
07/01/2026  10      10          Ines Marsh, LPN        Discussed lab results with the patient
07/06/2026  5       10          Lyle Tan (reception)   Printed the visit summary
07/14/2026  12      22          Ines Marsh, LPN        Coordinated a sleep study referral
"""

TIME_COLUMN = """Outreach by the clinic team
Date         Time      Who                 What
08/03/2026   22 min    Dr. Ruth Amsel      Reviewed consult notes and adjusted the plan
08/09/2026   8 min     V. Osei, CMA        Confirmed the new inhaler technique
"""


def test_a_running_total_column_shows_which_rows_the_log_counted():
    pages = _pages(RUNNING_LOG)
    found = count_minutes(pages, "2026-07")
    assert found.total == 22
    assert [r.minutes for r in found.rows if not r.counted] == [5]
    _verbatim(found, pages)


def test_a_time_column_of_minute_counts_is_the_minutes():
    found = count_minutes(_pages(TIME_COLUMN), "2026-08")
    assert found.total == 30
    assert all(r.counted and not r.reason for r in found.rows)


def test_one_line_entries_with_a_wrong_total():
    found = count_minutes(_pages(ONE_LINE + "Total: 50 min\n"), "2026-06")
    assert any("does not match" in w for w in found.warnings), found.warnings
    assert not any(
        "does not match" in w for w in count_minutes(_pages(ONE_LINE + "Total: 30 min\n"), "2026-06").warnings
    )


def test_a_flowsheet_minimum_is_not_minutes():
    flowsheet = """Home glucose readings
Date         Min     Max     Source
09/02/2026   96      181     meter upload
09/03/2026   102     177     meter upload
"""
    assert count_minutes(_pages(flowsheet), "2026-09").rows == []
