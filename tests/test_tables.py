"""Tables as they come out of a PDF text layer or OCR: time logs, problem lists, flowsheets,
care-gap registries."""

import pytest

from service.records.tables import current_rows, earlier_columns, find_tables, is_header, is_row, is_total, row_context

TIME_LOG = """Time Log - May 2026
Date        Minutes   Staff            Activity
05/04/2026  12        J. Ellis, RN     Call with pt re BP readings and
                                       med side effects
05/11/2026  15        J. Ellis, RN     Care plan reviewed with pt
05/20/2026  8         K. Ho, MA        Refill coordination w/ pharmacy
Total       35
The patient was called on 05/28/2026 and did not answer the phone, so a message was left for her.
"""

PROBLEMS = """Problem List
Problem | ICD-10 | Onset | Status
Essential hypertension | I10 | 2014 | Active
Type 2 diabetes mellitus | E11.9 | 2017 | Active
"""

OCR_FLOWSHEET = """Device Readings
Date Systolic Diastolic Pulse Source
05/01/2026 142 88 76 Cellular
05/02/2026 138 84 72 Cellular
05/03/2026 151 92 80 Cellular
"""

REGISTRY = """Care Gap Registry
Measure             Status      Action                      Date
Colorectal screen   Overdue     FIT kit mailed              05/06/2026
Diabetic eye exam   Due         Referral to ophthalmology   05/06/2026
A1c                 Met         Drawn 04/30/2026, 7.4%      04/30/2026
"""


def lines_of(text, table):
    return text[table.header[0] : table.header[1]], [text[a:b] for a, b in table.rows]


def test_an_aligned_time_log_is_one_table_with_its_header_and_rows():
    tables = find_tables(TIME_LOG)
    assert len(tables) == 1
    header, rows = lines_of(TIME_LOG, tables[0])
    assert tables[0].columns == ["Date", "Minutes", "Staff", "Activity"]
    assert header.startswith("Date") and len(rows) == 5
    assert [row[:10] for row in rows] == ["05/04/2026", "med side e", "05/11/2026", "05/20/2026", "Total     "]


def test_prose_after_a_table_ends_it():
    rows = lines_of(TIME_LOG, find_tables(TIME_LOG)[0])[1]
    swallowed = any("did not answer" in row for row in rows)
    assert not swallowed, "the prose line was taken as a row"


def test_a_ruled_problem_list_frames_each_cell_with_its_column():
    tables = find_tables(PROBLEMS)
    assert [t.columns for t in tables] == [["Problem", "ICD-10", "Onset", "Status"]]
    context = row_context(PROBLEMS, tables)
    assert sorted(context.values()) == [
        "Problem: Essential hypertension; ICD-10: I10; Onset: 2014; Status: Active",
        "Problem: Type 2 diabetes mellitus; ICD-10: E11.9; Onset: 2017; Status: Active",
    ]


def test_an_ocr_table_with_single_spaces_is_framed_by_its_header_line():
    tables = find_tables(OCR_FLOWSHEET)
    assert len(tables) == 1 and len(tables[0].rows) == 3
    context = row_context(OCR_FLOWSHEET, tables)
    first_row = tables[0].rows[0][0]
    assert context[first_row] == "Date Systolic Diastolic Pulse Source: 05/01/2026 142 88 76 Cellular"


def test_an_aligned_row_names_each_cell_by_its_column():
    tables = find_tables(REGISTRY)
    context = row_context(REGISTRY, tables)
    framed = [context[start] for start, _ in tables[0].rows]
    assert framed[1] == "Measure: Diabetic eye exam; Status: Due; Action: Referral to ophthalmology; Date: 05/06/2026"
    assert len(framed) == 3


def test_a_wrapped_cell_line_is_framed_by_the_header_too():
    tables = find_tables(TIME_LOG)
    context = row_context(TIME_LOG, tables)
    wrapped = tables[0].rows[1][0]
    assert context[wrapped] == "Date Minutes Staff Activity: med side effects"


@pytest.mark.parametrize(
    "text", [TIME_LOG, PROBLEMS, OCR_FLOWSHEET, REGISTRY], ids=["log", "problems", "flowsheet", "registry"]
)
def test_a_title_line_above_a_table_is_not_its_header(text):
    title = text.splitlines()[0]
    table = find_tables(text)[0]
    header, rows = lines_of(text, table)
    title_kept_out = header != title and title not in rows
    assert title_kept_out, "the title was read as part of the table"


def test_a_title_followed_by_prose_is_no_table():
    text = "RPM Monthly Summary May 2026\nReadings were received on 22 days this month and reviewed by the nurse.\n"
    found = len(find_tables(text))
    assert found == 0


def test_prose_paragraphs_with_numbers_hold_no_table():
    text = (
        "Assessment and Plan\n"
        "Pt seen for f/u of HTN. BP today 148/92, up from 132/84 last visit.\n"
        "Increase lisinopril to 20 mg daily and recheck in 2 weeks.\n"
        "She will keep logging readings at home twice a day.\n"
    )
    found = len(find_tables(text))
    assert found == 0


@pytest.mark.parametrize(
    "line",
    [
        "05/04/2026  12        J. Ellis, RN     Call with pt",
        "Essential hypertension | I10 | 2014 | Active",
        "05/01/2026 142 88 76 Cellular",
        "Colorectal screen   Overdue     FIT kit mailed   05/06/2026",
        "Total       35",
    ],
    ids=["log-row", "ruled-row", "ocr-row", "registry-row", "total-row"],
)
def test_lines_that_read_as_table_rows(line):
    assert is_row(line)


@pytest.mark.parametrize(
    "line",
    [
        "Pt seen for f/u of HTN. BP today 148/92, up from 132/84 last visit.",
        "The patient was called on 05/28/2026 and did not answer the phone, so a message was left.",
        "Encounter Date: 05/14/2026   Type: Telephone   Department: Care Management",
        "Increase lisinopril to 20 mg daily and recheck in 2 weeks.",
    ],
    ids=["assessment", "call-sentence", "encounter-header", "plan-sentence"],
)
def test_prose_lines_with_numbers_are_not_rows(line):
    assert not is_row(line)


@pytest.mark.parametrize(
    "line",
    [
        "Total       35",
        "Total time this month: 42 minutes",
        "Grand total 62 min",
        "TOTAL MINUTES: 41",
        "RPM treatment mgmt time this month: 38 min, 3 live calls",
        "Cumulative minutes: 45",
        "Month-to-date time 22 min",
    ],
    ids=["total-row", "total-time", "grand-total", "caps", "time-this-month", "cumulative", "month-to-date"],
)
def test_total_rows_are_recognised(line):
    assert is_total(line)


@pytest.mark.parametrize(
    "line",
    ["RN call 20 min", "Totally independent with ADLs", "Spent time this month on diet goals"],
    ids=["call", "totally", "time-without-minutes"],
)
def test_ordinary_lines_are_not_totals(line):
    assert not is_total(line)


@pytest.mark.parametrize(
    "line",
    ["Total cholesterol   182 mg/dL   <200", "Total knee arthroplasty, left   2019"],
    ids=["lab-row", "surgical-history-row"],
)
def test_lab_and_surgical_rows_that_begin_with_total_are_not_time_totals(line):
    assert not is_total(line)


def test_a_header_with_an_ocr_misread_unit_is_still_a_header():
    text = "Transmission report\nDate   Sp02   HR   BP   Source\n04/01/2026   93   78   138/80   auto\n04/03/2026   92   81   142/84   auto\n"
    tables = find_tables(text)
    assert [t.columns for t in tables] == [["Date", "Sp02", "HR", "BP", "Source"]]
    assert (
        row_context(text, tables)[tables[0].rows[0][0]]
        == "Date: 04/01/2026; Sp02: 93; HR: 78; BP: 138/80; Source: auto"
    )


def test_a_row_holding_a_placeholder_for_a_missing_value_is_a_row_not_a_new_header():
    text = (
        "Measure                   Status    Last done     Next due      Flag\n"
        "Diabetic eye exam         OPEN      02/14/2025    02/14/2026    OVERDUE\n"
        "Urine ACR                 OPEN      --            now           NEVER DONE\n"
        "Pneumococcal (PCV20)      OPEN      n/a           now           NOT GIVEN\n"
    )
    tables = find_tables(text)
    assert len(tables) == 1 and len(tables[0].rows) == 3


@pytest.mark.parametrize(
    "columns, expected",
    [
        (["Item", "Open on 3/01", "Step taken", "Open on 3/31"], {1}),
        (["Metric", "Jul 2026", "Aug 2026", "Sep 2026"], {1, 2}),
        (["Date", "Minutes", "Staff", "Activity"], set()),
        (["Reading AM", "Reading PM", "Note"], set()),
    ],
    ids=["same-label-two-dates", "month-series", "time-log", "undated-pair"],
)
def test_earlier_columns_are_one_measure_labelled_again_with_a_date(columns, expected):
    assert earlier_columns(columns) == expected


def test_a_header_dating_two_columns_of_one_measure_is_a_header_and_its_rows_read_as_they_stand_now():
    text = (
        "Screening                 Open on 3/01      Step taken              Open on 3/31\n"
        "Mammogram                 OVERDUE           booked + done 3/12      CLOSED\n"
        "Hep C antibody            NEVER DONE        drawn 3/05              CLOSED - neg\n"
    )
    tables = find_tables(text)
    assert [t.columns for t in tables] == [["Screening", "Open on 3/01", "Step taken", "Open on 3/31"]]
    now = current_rows(text, tables)
    assert now[tables[0].rows[1][0]] == "Screening: Hep C antibody; Step taken: drawn 3/05; Open on 3/31: CLOSED - neg"


def test_a_row_of_two_full_dates_is_not_a_dated_header():
    assert not is_header("Foot exam           04/02/2025     04/02/2026     DUE")


def test_rows_of_a_table_without_earlier_columns_have_no_current_reading():
    text = "Date       Minutes   Staff\n05/02/26   14        J. Ruiz RN\n05/09/26   11        J. Ruiz RN\n"
    assert current_rows(text, find_tables(text)) == {}
