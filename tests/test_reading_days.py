"""Days with device readings in a month: tables of readings in other labels and units, a calendar
grid, a count stated after its words and for which month, and which count stands when the dated
lines are only part of the month.

Hand-written pages; assert messages name cases and numbers, never page text."""

from datetime import date

from service.checks.reading_days import reading_days
from service.models import Page


def _pages(*texts: str) -> list[Page]:
    return [Page(document="chart.pdf", number=i, text=t) for i, t in enumerate(texts, 1)]


PRESSURE_TABLE = """Home cuff export - Lakeshore Cardiology
Date         Clock   SYS   DIA   Heart rate   Origin
08/28/2027   06:40   151    88       70       cuff (cellular)
09/01/2027   06:35   148    86       71       cuff (cellular)
09/02/2027   07:02   139    81       66       cuff (cellular)
09/02/2027   19:10   144    84       69       cuff (cellular)
09/05/2027   06:58   135    79       64       hand-entered by front office
09/07/2027   06:47   142    83       72       cuff (cellular)
09/08/2027   06:51                            no upload
"""


def test_a_table_with_pressure_in_separate_columns_counts_each_day_once():
    found = reading_days(_pages(PRESSURE_TABLE), "2027-09")
    assert sorted(found.days) == [date(2027, 9, 1), date(2027, 9, 2), date(2027, 9, 7)], len(found.days)
    assert found.count == 3


SUGAR_TABLE = """Glucometer upload summary (values in mmol/L)
Date         Breakfast   Lunch   Supper   Count
10/03/2027   7.8         9.1     8.4      3
10/04/2027                                0
10/05/2027   6.9                 10.2     2
"""


def test_values_whose_unit_stands_only_above_the_table_are_readings():
    found = reading_days(_pages(SUGAR_TABLE), "2027-10")
    assert sorted(found.days) == [date(2027, 10, 3), date(2027, 10, 5)], len(found.days)


WEIGHT_CALENDAR = """Scale calendar for November 2027 (kg, sent by the scale each morning)
Mo         Tu         We         Th         Fr         Sa         Su
1          2          3          4          5          6          7
81.4       x          81.9       82.0       x          x          81.2
8          9          10         11         12         13         14
x          80.8       x          x          81.0       x          x
"""


def test_a_calendar_grid_counts_the_days_with_a_value_under_their_number():
    found = reading_days(_pages(WEIGHT_CALENDAR), "2027-11")
    got = sorted(d.day for d in found.days)
    assert got == [1, 3, 4, 7, 9, 12], got
    assert found.listed


VENDOR_LETTER = """Monitoring vendor statement
Days on which the hub uploaded data, June 2027: 25
Days on which the hub uploaded data, July 2027: 17
Payers need at least 16 days of readings in a month.
"""

STRAY_NOTE = """Nurse note
07/09/2027  weight 82 kg reviewed with patient, stable
"""


def test_a_stated_count_for_the_month_outweighs_a_few_dated_lines():
    found = reading_days(_pages(VENDOR_LETTER, STRAY_NOTE), "2027-07")
    assert [n for *_, n in found.stated] == [17], [n for *_, n in found.stated]
    assert len(found.days) == 1 and not found.listed
    assert found.count == 17


INTERFACE_WEEKS = """Interface message counts
Week              Messages   Avg
07/01 - 07/07     6          131/84 mmHg
07/08 - 07/14     5          128/80 mmHg
07/15/2027 - 07/21/2027   4   126/79 mmHg
"""


def test_rows_dated_with_a_range_are_not_reading_days():
    found = reading_days(_pages(INTERFACE_WEEKS), "2027-07")
    assert found.days == {}, len(found.days)


PHONED_AND_LOGGED = [
    PRESSURE_TABLE,
    """Monitoring time log
09/03/2027  R. Osei RN  called about BP 162/95 mmHg readings, advised rest   12 min
09/04/2027  BP 150/90 phoned in by patient's wife
""",
]


def test_days_in_a_table_of_readings_stand_over_values_quoted_in_notes():
    found = reading_days(_pages(*PHONED_AND_LOGGED), "2027-09")
    assert found.listed and found.count == 3, found.count


def test_a_value_phoned_in_or_typed_by_hand_is_no_device_reading():
    notes = """Readings noted
10/11/2027  BP 150/90 phoned in by the patient's wife
10/12/2027  BP 141/86 mmHg transmitted by the cuff
10/13/2027  BP 139/84 typed in from the paper diary
"""
    found = reading_days(_pages(notes), "2027-10")
    assert sorted(found.days) == [date(2027, 10, 12)], len(found.days)


def test_a_lab_table_is_no_table_of_device_readings():
    labs = """Chemistry results
Date         Test          Value     Ref range
10/06/2027   Potassium     4.6       3.5-5.1
10/20/2027   Glucose       131       70-99
"""
    found = reading_days(_pages(labs), "2027-10")
    assert found.days == {} and not found.listed, len(found.days)


def test_a_count_under_a_period_of_several_months_is_kept_for_a_month_inside_it():
    letter = """Vendor letter, service window 11/15/2027 - 01/14/2028
Patient transmitted readings on 19 of 30 days in December.
"""
    assert reading_days(_pages(letter), "2027-12").count == 19
    assert (
        reading_days(_pages(letter.replace("11/15/2027 - 01/14/2028", "02/01/2028 - 02/29/2028")), "2027-12").count == 0
    )
