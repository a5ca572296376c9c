"""More layouts of a month's time entries: a count under a label that means minutes, typed dashes
as separators, staff columns under other person labels, a date run into the staff cell, a note
that quotes an earlier note inside itself, and a wrapped last row above a total line.

Hand-written pages; assert messages name cases and numbers, never page text."""

from service.checks.minutes import count_minutes
from service.models import Page
from service.records.layout_rows import fold_rows


def _pages(*texts: str) -> list[Page]:
    return [Page(document="chart.pdf", number=i, text=t) for i, t in enumerate(texts, 1)]


LABELLED_COUNTS = """Pulmonary nurse line
09/02/2026  Ana Whitlock RN
  Inhaler technique reviewed over the phone; spacer ordered.
  Mins = 20
09/16/2026  Ana Whitlock RN
  Oximetry log gone over with daughter, no desaturations.
  Time spent (min): 9
09/23/2026  Ana Whitlock RN
  Clinic visit booked for next week.
  Time: 14
"""


def test_a_count_under_a_minutes_label_is_read_without_a_unit():
    found = count_minutes(_pages(LABELLED_COUNTS), "2026-09")
    assert sorted(r.minutes for r in found.rows) == [9, 20], "a bare 'Time:' number is no minute count"
    assert found.total == 29


TYPED_DASHES = """Nurse line, October 2026
10/05/26  B. Achterberg LPN  Called about the new inhaler; explained dosing --  8 min
10/14/26  B. Achterberg LPN  Pharmacy prior auth paperwork sent --- 6 min
10/20/26  B. Achterberg LPN  Mentioned she walks 10 -- 15 min most days
"""


def test_hyphens_typed_for_a_dash_set_the_minutes_apart():
    found = count_minutes(_pages(TYPED_DASHES), "2026-10")
    assert sorted(r.minutes for r in found.rows) == [6, 8]
    assert all(r.who == "B. Achterberg LPN" for r in found.rows)


PERSON_LABELS = [
    """Care time - November 2026
Day         Done by             Work                          Mins
11/03/2026  L. Featherstone DO  Adjusted insulin by portal    13
11/09/2026  C. Ibarra MA        Lab requisition faxed         5
""",
    """Care time - November 2026
Date        Team member         Work                          Mins
11/04/2026  L. Featherstone DO  Reviewed nephrology letter    7
""",
]


def test_staff_columns_under_other_person_labels_name_the_person():
    found = count_minutes(_pages(*PERSON_LABELS), "2026-11")
    who = {r.minutes: r.who for r in found.rows}
    assert who == {13: "L. Featherstone DO", 5: "C. Ibarra MA", 7: "L. Featherstone DO"}, sorted(who)
    assert not found.warnings, len(found.warnings)


DATE_RUN_IN = """Coordination log
Date       Clinician            Task                              Minutes
12/01/2026 R. Calloway NP       Home health orders signed         11
12/08/2026 Y. Brandt RN         Discussed weight gain by phone    17
12/15/2026  Y. Brandt RN        Durable equipment vendor call     4
"""


def test_a_date_one_space_from_the_staff_cell_keeps_the_person():
    found = count_minutes(_pages(DATE_RUN_IN), "2026-12")
    who = {r.minutes: r.who for r in found.rows}
    assert who == {11: "R. Calloway NP", 17: "Y. Brandt RN", 4: "Y. Brandt RN"}, sorted(who)
    assert found.total == 32


QUOTED_NOTE = [
    """Heart failure clinic - telephone
02/03/2027  O. Nakamura RN
  Weight up 2 lb; furosemide extra dose per protocol.
  15 min
""",
    """Heart failure clinic - telephone
02/17/2027  O. Nakamura RN
  Earlier note pasted for reference:
  02/03/2027  O. Nakamura RN
  Weight up 2 lb; furosemide extra dose per protocol.
  15 min
  Today weight back to baseline, no dyspnea; labs next week.
  Duration (min): 12
""",
]


def test_an_earlier_note_quoted_inside_a_note_counts_once_and_the_note_its_own_time():
    found = count_minutes(_pages(*QUOTED_NOTE), "2027-02")
    assert found.total == 27
    counted = sorted((r.page, r.minutes) for r in found.rows if r.counted)
    assert counted == [(1, 15), (2, 12)], counted


WRAPPED_LAST_ROW = """MONITORING TIME - JANUARY 2027
Date      Staff            Details                          Min
01/06/27  H. Okwu RN       scale data checked, stable         7
01/21/27  H. Okwu RN       call with pt about new swelling;   9
                           compression advice given
                                          Total (mins):    16
"""


def test_a_total_line_under_a_wrapped_last_row_stays_a_total():
    text = fold_rows(WRAPPED_LAST_ROW)
    found = count_minutes(_pages(text), "2027-01")
    assert sorted(r.minutes for r in found.rows) == [7, 9]
    assert not found.warnings, len(found.warnings)


DATED_LINE_IN_BODY = """Renal nurse notes
03/10/2027  F. Adeyemi RN
  Went over recent labs with the patient:
   03/08/2027  potassium 5.4, creatinine 2.2
  Low-potassium diet sheet reviewed again.
  Time: 12 min
"""


def test_a_dated_line_inside_a_note_body_leaves_the_note_its_time():
    found = count_minutes(_pages(DATED_LINE_IN_BODY), "2027-03")
    assert [(r.date.day if r.date else None, r.minutes) for r in found.rows] == [(10, 12)]
