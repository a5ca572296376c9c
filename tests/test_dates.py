"""Dates as charts write them: EHR printouts, fax stamps, terse notes, log rows."""

import re
from datetime import date

import pytest

from service.screening.dates import (
    DATE,
    MONTH_YEAR,
    date_order,
    find_dates,
    find_partial,
    find_ranges,
    nearest_year,
    parse_date,
    parse_month,
)

MAY_10 = date(2026, 5, 10)


@pytest.mark.parametrize(
    "written, expected",
    [
        ("05/10/26", MAY_10),
        ("5/10/2026", MAY_10),
        ("2026-05-10", MAY_10),
        ("5.10.26", MAY_10),
        ("May 14, 2026", date(2026, 5, 14)),
        ("May 5th, 2026", date(2026, 5, 5)),
        ("14-May-2026", date(2026, 5, 14)),
        ("14 May 2026", date(2026, 5, 14)),
        ("JUN 03 2026", date(2026, 6, 3)),
        ("Sept 3, 2026", date(2026, 9, 3)),
        ("Jun. 3, 2026", date(2026, 6, 3)),
    ],
)
def test_every_common_chart_date_form_reads_as_its_day(written, expected):
    assert parse_date(written) == expected
    found = find_dates(f"Seen {written} by RN")
    assert [(m.first, m.last) for m in found] == [(expected, expected)]
    assert found[0].is_day


@pytest.mark.parametrize(
    "written, first, last",
    [
        ("June 2026", date(2026, 6, 1), date(2026, 6, 30)),
        ("06/2026", date(2026, 6, 1), date(2026, 6, 30)),
        ("2026-02", date(2026, 2, 1), date(2026, 2, 28)),
        ("Feb 2028", date(2028, 2, 1), date(2028, 2, 29)),
    ],
)
def test_a_month_without_a_day_covers_the_whole_month(written, first, last):
    assert parse_month(written) == (first, last)
    assert parse_date(written) is None  # no day was written, so it is not a day
    found = find_dates(f"RPM Monthly Summary - {written}")
    assert [(m.first, m.last) for m in found] == [(first, last)] and not found[0].is_day


def test_a_month_named_beside_its_day_is_not_read_twice():
    found = find_dates("Note 14 May 2026 re readings")
    assert [(m.first, m.last) for m in found] == [(date(2026, 5, 14), date(2026, 5, 14))]


def test_a_document_that_writes_31_05_2026_is_read_day_first_throughout():
    texts = ["DOB: 04/12/1951", "Encounter Date: 31/05/2026", "Call 05/06/2026, 12 min"]
    assert date_order(texts) == "DMY"
    days = [m.first for m in find_dates(texts[2], date_order(texts))]
    assert days == [date(2026, 6, 5)]
    assert parse_date("31/05/2026", "DMY") == date(2026, 5, 31)


def test_a_document_with_only_ambiguous_dates_stays_month_first():
    texts = ["Encounter Date: 05/06/2026", "DOB 04/12/1951", "BP 130/80"]
    assert date_order(texts) == "MDY"
    assert [m.first for m in find_dates(texts[0], date_order(texts))] == [date(2026, 5, 6)]


@pytest.mark.parametrize("written, year", [("04/22/51", 1951), ("12/31/99", 1999), ("05/10/26", 2026)])
def test_two_digit_years_are_not_pushed_into_the_future(written, year):
    assert parse_date(written).year == year
    assert find_dates(f"DOB: {written}")[0].first.year == year


@pytest.mark.parametrize(
    "text",
    [
        "BP 130/80 HR 72",
        "Call attempted x2",
        "62 minutes",
        "Fax P. 4/17",
        "Took 1/2 tab",
        "A1c 7.2",
        "ICD-10 E11.9",
        "Readings on 6/3",
        "Ph (555) 123-4567",
        "2 of 3 doses",
        "I10 onset 2019",
    ],
    ids=["bp", "x2", "minutes", "fax-page", "half-tab", "a1c", "icd", "no-year", "phone", "count", "onset-year"],
)
def test_vitals_counts_and_durations_are_not_dates(text):
    found = find_dates(text)
    assert found == [], f"read a date in {text!r}"


@pytest.mark.parametrize("text", ["13/13/2026", "02/30/2026", "not a date", ""])
def test_impossible_or_empty_dates_are_refused(text):
    assert parse_date(text) is None


@pytest.mark.parametrize("text", ["13/2026", "Smarch 2026", "BP 130/80"])
def test_impossible_months_are_refused(text):
    assert parse_month(text) is None


def _ranges(text: str) -> list[tuple[date, date]]:
    return [(r.first, r.last) for r in find_ranges(text, find_dates(text))]


@pytest.mark.parametrize(
    "text, first, last",
    [
        ("Reporting period 05/01/2026-05/30/2026", date(2026, 5, 1), date(2026, 5, 30)),
        ("Log 5/1/26 - 5/31/26", date(2026, 5, 1), date(2026, 5, 31)),
        ("Readings 5/1/26 thru 5/31/26", date(2026, 5, 1), date(2026, 5, 31)),
        ("Period: 5/1/2026 through 5/15/2026", date(2026, 5, 1), date(2026, 5, 15)),
        ("Period: 05/01/2026 to 05/31/2026", date(2026, 5, 1), date(2026, 5, 31)),
        ("Period 05/01/2026 \u2013 05/31/2026", date(2026, 5, 1), date(2026, 5, 31)),
        ("Mar 1, 2026 - Mar 31, 2026", date(2026, 3, 1), date(2026, 3, 31)),
        ("April 2026 - May 2026", date(2026, 4, 1), date(2026, 5, 31)),
    ],
    ids=["no-spaces", "dash", "thru", "through", "to", "en-dash", "wordy", "months"],
)
def test_two_dates_joined_by_a_range_word_become_one_span(text, first, last):
    assert _ranges(text) == [(first, last)]
    mentions = find_dates(text)
    span = find_ranges(text, mentions)[0]
    assert (span.start, span.end) == (mentions[0].start, mentions[-1].end)


@pytest.mark.parametrize(
    "text",
    [
        "Calls 5/1/26, 5/15/26",
        "Seen 5/31/26 - 5/1/26",
        "Med list reconciled 4/2/26 - 11 meds",
        "Seen 5/1/26; note signed 5/3/26",
    ],
    ids=["comma", "reversed", "dash-then-count", "separate-events"],
)
def test_dates_that_are_not_joined_as_a_range_stay_apart(text):
    assert _ranges(text) == []


def test_a_range_that_writes_the_year_only_once_is_read():
    assert _ranges("Reporting period: May 1 - May 31, 2026") == [(date(2026, 5, 1), date(2026, 5, 31))]


def test_mentions_point_at_the_written_text_in_page_order():
    text = "Enc 05/14/2026; DOB 04/22/51; title June 2026"
    found = find_dates(text)
    assert [text[m.start : m.end] for m in found] == ["05/14/2026", "04/22/51", "June 2026"]


def test_validator_patterns_find_whole_dates_with_findall():
    """The letter validator runs re.findall(DATE/MONTH_YEAR): a capturing group would make it
    return separators instead of dates."""
    assert re.compile(DATE).groups == 0 and re.compile(MONTH_YEAR).groups == 0
    text = "Seen May 14, 2026, 05/10/26, 2026-05-10, 14-May-2026, May 5th, 2026 and 31/05/2026; June 2026, 06/2026; BP 130/80 x2"
    assert re.findall(DATE, text) == [
        "May 14, 2026",
        "05/10/26",
        "2026-05-10",
        "14-May-2026",
        "May 5th, 2026",
        "31/05/2026",
    ]
    assert re.findall(MONTH_YEAR, "June 2026 and 06/2026, BP 130/80") == ["June 2026", "06/2026"]


@pytest.mark.parametrize(
    "written, anchor, expected",
    [
        ("Refill called in 11/30 for the inhaler", date(2027, 1, 8), date(2026, 11, 30)),
        ("Fasting labs booked 1/4 at the annex", date(2026, 12, 21), date(2027, 1, 4)),
        ("Wound check Jan 3 with the visiting nurse", date(2026, 12, 20), date(2027, 1, 3)),
        ("Home visit 4 Aug, granddaughter present", date(2026, 8, 15), date(2026, 8, 4)),
        ("Podiatry Sept 9th confirmed", date(2026, 9, 2), date(2026, 9, 9)),
        ("Son dropped off the pill organizer on the 9th.", date(2026, 10, 20), date(2026, 10, 9)),
        ("Late note: spoke with the aide on the 29th.", date(2026, 7, 2), date(2026, 6, 29)),
    ],
    ids=[
        "numeric-last-year",
        "numeric-next-year",
        "named-next-year",
        "day-first-named",
        "ordinal",
        "the-nth",
        "the-nth-last-month",
    ],
)
def test_a_date_without_a_year_takes_the_year_nearest_the_note_it_sits_in(written, anchor, expected):
    found = find_partial(written, anchor)
    assert [(m.first, m.last) for m in found] == [(expected, expected)]
    assert found[0].yearless


@pytest.mark.parametrize(
    "written",
    [
        "Pain in the 2nd toe since Sunday",
        "Plan reviewed in October 2026",
        "Seen 10/14/2026 and 11/02/26",
        "BP 128/84, HR 77",
    ],
    ids=["ordinal-noun", "month-and-year", "full-dates", "blood-pressure"],
)
def test_no_partial_date_where_none_is_written(written):
    taken = [(m.start, m.end) for m in find_dates(written)]
    assert find_partial(written, date(2026, 10, 20), taken=taken) == []


def test_a_bare_number_pair_is_marked_loose_because_a_score_is_written_the_same_way():
    numeric, named = find_partial("MoCA 3/9 recheck, next visit Nov 2", date(2026, 10, 20))
    assert numeric.loose and not named.loose


def test_the_nearest_year_keeps_a_leap_day_only_where_one_exists():
    assert nearest_year(date(2028, 2, 29), date(2027, 12, 30)) == date(2028, 2, 29)
    assert nearest_year(date(2026, 12, 31), date(2027, 1, 2)) == date(2026, 12, 31)


def test_an_impossible_day_from_a_misread_fax_header_does_not_turn_a_document_day_first():
    assert date_order(["FAX 71/09/2026 10:14 P.2/6", "Nurse call 01/09/2026, 12 min"]) == "MDY"
    assert date_order(["Seen 23/09/2026 by the district nurse"]) == "DMY"
