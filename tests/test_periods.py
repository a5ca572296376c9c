"""Which requirement may quote which sentence, by when the care it records happened.

Pages are written the way EHR printouts and fax packets look: print and fax stamps, banners with
the date of birth, entry headers ('Date of Service: ...'), months named only in a title.
"""

from datetime import date
from functools import cache

import pytest

from service.config import Settings
from service.knowledge import load_knowledge
from service.models import CaseFields, Page
from service.records.spans import split_sentences
from service.screening.periods import (
    Window,
    blocked_by_period,
    date_page,
    fits,
    history_lines,
    page_outside,
    requirement_windows,
)

MAY = Window(date(2026, 5, 1), date(2026, 5, 31))


@cache
def entry(code: str):
    return load_knowledge(Settings().code_dirs).get(code)


def case(dos: str = "2026-05-31") -> CaseFields:
    return CaseFields(
        claim_number="CLM-1",
        patient_name="Luis M. Garza",
        patient_id="1EG4-TE5-MK72",
        date_of_service=dos,
        payer="Medicare Part B",
        denial_code="CCM20",
    )


def dated(text: str, order: str = "MDY", running: set[str] | None = None, anchor: date | None = None):
    page = Page(document="chart.pdf", number=4, text=text)
    sentences = split_sentences(page)
    result = date_page(page, sentences, order, running, anchor)
    return result, sentences


def dating_of(text: str, fragment: str, **kw):
    result, sentences = dated(text, **kw)
    matches = [s for s in sentences if fragment in s.text]
    assert len(matches) == 1, f"{len(matches)} sentences hold {fragment!r}"
    s = matches[0]
    return result.datings[(s.document, s.page, s.start)]


def test_each_requirement_gets_the_window_its_period_kind_allows():
    windows = requirement_windows(entry("CCM20"), case())
    kinds = {req: kind for req, (kind, _) in windows.items()}
    assert kinds == {
        "device_order": "before_or_during",
        "automatic_transmission": "episode",
        "ehr_integration": "episode",
        "setup_education": "before_or_during",
        "treatment_management": "service_period",
    }
    assert all(window == MAY for _, window in windows.values())


def test_the_rpm_episode_is_the_thirty_days_ending_on_a_mid_month_date_of_service():
    windows = requirement_windows(entry("CCM20"), case("2026-05-15"))
    episode = windows["automatic_transmission"][1]
    assert episode.first == date(2026, 4, 16)  # 04/16 through 05/15 is 30 days, counting both ends
    assert episode.last == date(2026, 5, 31)
    assert windows["treatment_management"][1] == MAY


def test_a_code_without_a_billing_period_has_no_windows():
    assert requirement_windows(entry("CO-50"), case()) == {}


PRINTOUT = """Northside Family Medicine                                   Printed 06/02/2026 10:14 by JELLIS
GARZA, LUIS M    MRN: 00731180    DOB: 04/22/1951    Sex: M
Care Management Note
The nurse called the patient about his home blood pressure readings and spent 20 minutes reviewing them.
He reports no dizziness and is taking his medications as prescribed.
Fax: (555) 201-3300   06/03/2026 09:12   P. 4/17                        Page 3 of 12
"""


def test_print_and_fax_stamps_and_birth_dates_never_date_a_page():
    result, _ = dated(PRINTOUT)
    assert result.page_context == []
    assert not page_outside(result, MAY)
    note = dating_of(PRINTOUT, "spent 20 minutes")
    assert fits(note, "service_period", MAY)


RUNNING = "Date: 06/02/2026   Northside Family Medicine"
REPORT_PAGE = f"""{RUNNING}
Care Management Note
The nurse spoke with the patient for 15 minutes about his readings this month.
"""


def test_a_line_printed_unchanged_on_many_pages_does_not_date_the_page():
    running = {" ".join(RUNNING.split()).lower()}
    result, _ = dated(REPORT_PAGE, running=running)
    assert result.page_context == []
    dating = dating_of(REPORT_PAGE, "15 minutes", running=running)
    assert fits(dating, "service_period", MAY)


@pytest.mark.parametrize(
    "header",
    [
        "Jun 03 2026 09:12  NORTHSIDE FAMILY MEDICINE  5552013300  p.4",
        "06/03/2026 9:12 AM   Northside FM   (555) 201-3300   PAGE 004/017",
        "JUN-03-2026 09:12 FROM:NORTHSIDE FM TO:18005550100 P.4/17",
    ],
)
def test_a_fax_machines_header_line_does_not_date_the_page(header):
    page = f"""{header}
Care Management Note
Contact date: 05/28/2026
The nurse called the patient about his readings and spent 20 minutes reviewing them.
"""
    result, _ = dated(page)
    assert result.page_context == [(date(2026, 5, 28), date(2026, 5, 28))]
    assert not page_outside(result, MAY)


def test_a_log_row_that_opens_with_a_date_and_a_time_still_dates_itself():
    row = "06/03/2026 14:32 Phone call w/ pt re BP log, 12 min"
    assert dating_of(f"Care Management Log\n{row}\n", "Phone call").stated == [(date(2026, 6, 3), date(2026, 6, 3))]


def test_a_notes_own_header_repeated_on_each_sheet_still_dates_the_sheet():
    header = "Encounter Date: 04/09/2026    Type: Care Plan    Department: Chronic Care"
    page = f"""{header}
Medication Management (continued)
- Med list reconciled, 7 meds
"""
    result, _ = dated(page, running={" ".join(header.split()).lower()})
    assert result.page_context == [(date(2026, 4, 9), date(2026, 4, 9))]
    assert page_outside(result, MAY)


def test_the_same_line_not_repeated_elsewhere_does_date_the_page():
    result, _ = dated(REPORT_PAGE)
    assert result.page_context == [(date(2026, 6, 2), date(2026, 6, 2))]
    assert page_outside(result, MAY)


TWO_ENTRIES = """Date of Service: 04/28/2026
RN call with the patient about BP readings, 20 minutes. He reported dizziness.
Date of Service: 05/06/2026
RN call with the patient about BP readings, 18 minutes. Lisinopril dose reduced.
"""


def test_an_entry_header_dates_the_lines_below_it_until_the_next_entry():
    april = dating_of(TWO_ENTRIES, "20 minutes")
    may = dating_of(TWO_ENTRIES, "18 minutes")
    assert not fits(april, "service_period", MAY)
    assert fits(may, "service_period", MAY)
    dating = dating_of(TWO_ENTRIES, "Lisinopril dose reduced")
    assert fits(dating, "service_period", MAY)
    assert fits(april, "before_or_during", MAY)  # a standing fact from April may still serve


@pytest.mark.parametrize(
    "title, in_may",
    [
        ("RPM Monthly Summary - April 2026", False),
        ("RPM Monthly Summary - May 2026", True),
        ("CCM Summary for 04/2026", False),
    ],
    ids=["april-title", "may-title", "numeric-month-title"],
)
def test_a_month_named_only_in_the_title_dates_the_page(title, in_may):
    text = f"{title}\nReadings were received on 24 of 30 days.\nReviewed with the patient by phone, 22 minutes.\n"
    result, _ = dated(text)
    assert page_outside(result, MAY) is not in_may
    dating = dating_of(text, "22 minutes")
    assert fits(dating, "service_period", MAY) is in_may
    dating = dating_of(text, "24 of 30 days")
    assert (
        fits(dating, "before_or_during", MAY) is in_may
    )  # another month's summary is superseded, even for a standing requirement


def test_a_report_of_another_period_is_superseded_while_a_dated_note_still_stands():
    report = "Care Gap Registry Report\nReporting Period: 04/01/2026 - 04/30/2026\nColorectal screening overdue, FIT kit mailed 04/23/2026\n"
    assert not fits(dating_of(report, "FIT kit mailed"), "before_or_during", MAY)
    consent = "Telephone Encounter\nDate: 01/10/2026   Author: C. Reyes RN\nPt agrees, verbal consent obtained\n"
    assert fits(dating_of(consent, "verbal consent"), "before_or_during", MAY)


CARE_PLAN = """Comprehensive Care Plan
Problems: essential hypertension (I10) and type 2 diabetes (E11.9), both expected to last more than 12 months.
Goal: A1c below 8 by 12/31/2026.
Goal: blood pressure below 130/80 by 09/30/2026.
"""


@pytest.mark.parametrize("fragment", ["A1c below 8", "below 130/80"])
def test_a_goal_target_date_in_the_future_does_not_block_a_standing_requirement(fragment):
    dating = dating_of(CARE_PLAN, fragment)
    assert fits(dating, "before_or_during", MAY)


def test_a_goal_target_date_is_not_when_a_time_bound_task_happened():
    dating = dating_of(CARE_PLAN, "A1c below 8")
    assert not fits(dating, "service_period", MAY)


def test_a_discharge_days_before_the_month_is_fine_in_a_note_dated_in_the_month():
    text = (
        "Encounter Date: 05/03/2026   Type: Telephone\n"
        "TCM call: patient was discharged from the hospital on 04/28/2026; medications reviewed with him.\n"
    )
    dating = dating_of(text, "discharged")
    assert fits(dating, "service_period", MAY)


def test_values_copied_from_months_earlier_are_not_this_months_work():
    text = (
        "Encounter Date: 05/14/2026   Type: Telephone\n"
        "BP readings reviewed 02/10/2026: average 150/90 on the home cuff.\n"
    )
    dating = dating_of(text, "average 150/90")
    assert not fits(dating, "service_period", MAY)


def test_consent_given_months_ago_serves_a_standing_requirement_only():
    text = "CCM Enrollment\nVerbal consent obtained 01/15/2026; the patient was told about cost sharing.\n"
    consent = dating_of(text, "Verbal consent")
    assert fits(consent, "before_or_during", MAY)
    assert not fits(consent, "service_period", MAY)


def test_a_document_dated_after_the_month_cannot_serve_a_standing_requirement():
    text = "Date of Service: 06/12/2026\nRemote monitoring order: cellular BP cuff for essential hypertension (I10).\n"
    dating = dating_of(text, "monitoring order")
    assert not fits(dating, "before_or_during", MAY)


def test_a_day_first_document_dates_its_notes_day_first():
    text = "Encounter Date: 31/05/2026\nRN call with the patient about readings, 20 minutes.\n"
    dating = dating_of(text, "20 minutes", order="DMY")
    assert fits(dating, "service_period", MAY)


def test_log_rows_are_each_dated_by_their_own_date():
    text = (
        "Time Log\n"
        "Date        Minutes   Staff            Activity\n"
        "05/04/2026  12        J. Ellis, RN     Call with pt re BP\n"
        "04/20/2026  10        J. Ellis, RN     Call with pt re meds\n"
    )
    dating = dating_of(text, "re BP")
    assert fits(dating, "service_period", MAY)
    dating = dating_of(text, "re meds")
    assert not fits(dating, "service_period", MAY)


def test_a_late_entry_written_after_the_month_counts_for_the_call_it_documents():
    text = "Care Management Note\nLate entry 06/02/2026 for call on 05/28/2026: spoke with pt about readings, 15 min.\n"
    dating = dating_of(text, "15 min")
    assert fits(dating, "service_period", MAY)


def test_blocked_by_period_blocks_only_the_requirements_a_sentence_cannot_serve():
    windows = requirement_windows(entry("CCM20"), case())
    result, sentences = dated(TWO_ENTRIES)
    keys = [(s.document, s.page, s.start) for s in sentences]
    blocked = blocked_by_period(windows, result.datings, keys)
    april = next(k for s, k in zip(sentences, keys) if "20 minutes" in s.text)
    may = next(k for s, k in zip(sentences, keys) if "18 minutes" in s.text)
    assert april in blocked["treatment_management"] and may not in blocked["treatment_management"]
    assert april not in blocked["device_order"] and april not in blocked["setup_education"]
    assert set(blocked) == set(windows)


def test_a_month_a_goal_aims_at_does_not_block_a_standing_requirement():
    text = "CCM Monthly Note  05/14/2026\nGoals revised: A1c < 7.5 by 11/2026; walk 30 min 5x/wk\n"
    assert fits(dating_of(text, "A1c < 7.5"), "before_or_during", MAY)


def test_care_lines_that_mention_a_fax_or_a_receipt_keep_their_own_dates():
    text = (
        "06/09/2026 09:53 FAX 8115552130 PAGE 004/014\n"
        "RECEIVED JUN 10 2026\n"
        "Date        Min  Staff             Activity\n"
        "04/20/2026  10   A. Torres, CMA    Faxed refill request to Dr. Kumar (endo)\n"
        "05/06/2026  8    A. Torres, CMA    Cardiology consult note received + reviewed w/ provider\n"
    )
    result, _ = dated(text)
    assert sorted(result.page_context) == [(date(2026, 4, 20),) * 2, (date(2026, 5, 6),) * 2]  # not June: stamps
    assert not fits(dating_of(text, "Faxed refill"), "service_period", MAY)
    assert fits(dating_of(text, "consult note received"), "service_period", MAY)


REGISTRY = (
    "NORTHGATE FAMILY HEALTH                  Population Health - Open Gaps\n"
    "Report run: 05/01/2026 06:00 (scheduled, monthly)    Panel: Okafor, Ada MD\n"
    "\n"
    "Measure                   Status    Last done     Next due      Flag\n"
    "Diabetic eye exam         OPEN      02/14/2025    02/14/2026    OVERDUE\n"
    "Urine ACR                 OPEN      --            now           NEVER DONE\n"
    "Colorectal screening      OPEN      FIT 03/2024   03/2025       OVERDUE\n"
)


@pytest.mark.parametrize("fragment", ["Diabetic eye exam", "Colorectal screening", "Urine ACR"])
def test_a_registry_row_is_dated_by_its_report_not_by_when_the_measure_was_last_done_or_due(fragment):
    assert fits(dating_of(REGISTRY, fragment), "service_period", MAY)


def test_a_log_row_from_another_month_is_still_out_of_the_period():
    text = "Date          Minutes   Staff           Activity\n03/12/2026    20        Ana Ruiz, RN    Care plan call w/ pt\n"
    assert not fits(dating_of(text, "Care plan call"), "service_period", MAY)


def test_a_goal_set_this_month_with_a_target_date_ahead_serves_the_goals_requirement():
    text = (
        "Treatment Goals\n"
        "Goal                         Measure            Baseline      Target     By\n"
        "Glycemic control             HbA1c              8.1 (05/26)   < 7.5      12/2026\n"
        "Fall prevention              falls / 3 mo       2             0          09/2026\n"
    )
    june = Window(date(2026, 6, 1), date(2026, 6, 30))
    assert fits(dating_of(text, "Glycemic control"), "before_or_during", june)


def test_only_when_something_began_is_set_aside_as_history_and_only_on_the_periods_own_pages():
    """'CP initiated May 4, 2025' in September's care plan note may sit beside the review; an
    old call and the same line on a page dated outside the period stay blocked."""
    window = Window(date(2025, 9, 1), date(2025, 9, 30))
    windows = {"review": ("service_period", window), "consent": ("before_or_during", window)}
    note = Page(
        document="r.pdf", number=1, text="Care Plan Note\nCP initiated May 4, 2025\nCall w/ pt 5/4/25, 20 min\n"
    )
    old = Page(document="r.pdf", number=2, text="Care Plan Note\nCP initiated May 4, 2025\n")
    spans = {(s.document, s.page, s.start): s for p in (note, old) for s in split_sentences(p)}
    blocked = {"review": {k for k, s in spans.items() if "May 4" in s.text or "5/4/25" in s.text}}
    history = history_lines(windows, blocked, spans, outside={("r.pdf", 2)})
    assert [spans[k].text for k in history["review"]] == ["CP initiated May 4, 2025"]
    assert all(k[1] == 1 for k in history["review"]) and "consent" not in history


@pytest.mark.parametrize(
    "header",
    [
        "Telephone Encounter   05/12/2026   Kayla Barros, RN (CCM)",
        "Office Visit 5/12/26 - Dr. Oyelowo",
        "Nurse Note: May 12, 2026",
    ],
    ids=["telephone-encounter", "office-visit", "nurse-note"],
)
def test_a_note_headed_by_its_type_and_date_dates_a_line_that_books_a_later_visit(header):
    """'referral sent, appt 06/14/2026' in a May call: the call's header dates it, the booked day does not."""
    text = f"Harbor Crest Family Medicine\n{header}\n\nCalled pt re open items\n- eye exam: referral sent to Bayview Ophthalmology, appt 06/14/2026\n"
    assert fits(dating_of(text, "referral sent"), "service_period", MAY)


OCTOBER = Window(date(2026, 10, 1), date(2026, 10, 31))
OUTREACH_LOG = """Outreach and coordination log - October 2026
10/06    Pharmacist reviewed inhaler technique with the patient by video    18 min
9/29     Nurse went over the self-care goals with the patient by phone      16 min
10/21    Nurse phoned the son about the walker delivery                     7 min
"""


def test_a_row_with_its_own_yearless_date_keeps_it_under_another_months_header():
    """The log's month never re-dates a row that carries its own day: 9/29 is September."""
    late = dating_of(OUTREACH_LOG, "self-care goals")
    assert late.stated == [(date(2026, 9, 29), date(2026, 9, 29))]
    assert not fits(late, "service_period", OCTOBER)
    assert fits(dating_of(OUTREACH_LOG, "inhaler technique"), "service_period", OCTOBER)
    assert fits(dating_of(OUTREACH_LOG, "walker delivery"), "service_period", OCTOBER)


SEPTEMBER = Window(date(2026, 9, 1), date(2026, 9, 30))


@pytest.mark.parametrize(
    "row",
    [
        "9/14     Social worker call re: meal delivery    12 min",
        "Sep 14   Social worker call re: meal delivery    12 min",
    ],
)
def test_a_yearless_row_dates_itself_into_the_month_it_names(row):
    """'9/14' and 'Sep 14' opening a row of a log headed October are September's work."""
    dating = dating_of(f"Coordination log - October 2026\n{row}\n", "meal delivery")
    assert fits(dating, "service_period", SEPTEMBER)
    assert not fits(dating, "service_period", OCTOBER)


def test_the_nth_takes_its_month_from_the_note_it_sits_in():
    """'on the 30th' in a note written on October 2 is September 30."""
    note = "Late entry 10/02/2026 14:05  Kowalski, T. RN\nSpoke with the daughter on the 30th about the new pill packs, 11 min.\n"
    dating = dating_of(note, "pill packs")
    assert dating.inside == [(date(2026, 9, 30), date(2026, 9, 30))]
    assert fits(dating, "service_period", SEPTEMBER)


def test_a_yearless_row_takes_the_year_of_the_page_it_sits_on():
    log = "Remote readings review - December 2026\n12/30    reviewed glucose uploads    9 min\n1/3      reviewed glucose uploads    8 min\n"
    assert dating_of(log, "9 min").stated == [(date(2026, 12, 30), date(2026, 12, 30))]
    assert dating_of(log, "8 min").stated == [(date(2027, 1, 3), date(2027, 1, 3))]


def test_a_page_with_no_date_of_its_own_reads_a_yearless_row_against_the_date_of_service():
    page = "Care coordination worksheet\n12/28    called the home infusion company    10 min\n"
    result, sentences = dated(page, anchor=date(2027, 1, 15))
    row = next(s for s in sentences if "infusion" in s.text)
    assert result.datings[(row.document, row.page, row.start)].stated == [(date(2026, 12, 28), date(2026, 12, 28))]


def test_a_score_written_like_a_date_dates_nothing():
    note = "Office visit 10/14/2026\nMoCA recall 3/5, unchanged. Grip strength 4/5 on the left.\n"
    dating = dating_of(note, "MoCA recall")
    assert dating.inside == []
    assert fits(dating, "service_period", OCTOBER)


def test_a_range_written_without_years_dates_the_line_it_sits_on():
    page = "Cuff uploads\nDays with uploads (09/01-09/30): 24\n"
    dating = dating_of(page, "Days with uploads", anchor=date(2026, 10, 15))
    assert dating.stated == [(date(2026, 9, 1), date(2026, 9, 30))]
    assert not fits(dating, "episode", OCTOBER)


CARRIED = """Telephone Encounter
Date of service: 10/20/2026 09:40   Mbeki, R. LPN
Went over the plan of care with the patient and her husband 09/24, nothing changed. Weight 181 lb.
Time: 14 min
-- documentation carried forward from 09/24/2026 visit --
Signed Mbeki, R. LPN 10/20/2026 09:51
"""


@pytest.mark.parametrize("fragment", ["plan of care", "Weight 181", "14 min"])
def test_a_note_carried_forward_from_last_month_is_last_months_note(fragment):
    """Its header says October; its text says it is September's note: no requirement quotes it
    as October's, not even a standing one (September's own note is the one to cite)."""
    dating = dating_of(CARRIED, fragment)
    assert not fits(dating, "service_period", OCTOBER)
    assert not fits(dating, "before_or_during", OCTOBER)


def test_a_note_copied_within_the_month_still_serves_the_month():
    note = CARRIED.replace("09/24", "10/08").replace("carried forward from", "copied from")
    assert fits(dating_of(note, "plan of care"), "service_period", OCTOBER)


TREND = """Engagement trend
Indicator          Jul 2026     Aug 2026     Sep 2026
Goals met          1 of 3       2 of 3       2 of 3
Activation score   48.2         50.9         53.0
"""


def test_a_flowsheet_whose_columns_are_other_months_serves_no_requirement_of_this_month():
    result, _ = dated(TREND)
    assert page_outside(result, OCTOBER)
    for fragment in ["Goals met", "Activation score"]:
        dating = dating_of(TREND, fragment)
        assert not fits(dating, "service_period", OCTOBER)
        assert not fits(dating, "before_or_during", OCTOBER)
    assert fits(dating_of(TREND, "Goals met"), "before_or_during", SEPTEMBER)


def test_a_page_title_below_the_running_header_still_dates_the_page():
    banner = [
        "Riverbend Primary Care  44 Mill St",
        "OKAFOR, GRACE   DOB 02/11/1950",
        "PCP: Lund, E. MD   Plan: Medicare A/B",
        "Printed for chart review",
    ]
    page = "\n".join(banner + ["Home readings calendar - September 2026", "Days with a reading: 22"]) + "\n"
    result, _ = dated(page, running={" ".join(line.split()).lower() for line in banner})
    assert page_outside(result, OCTOBER)


SECTIONED = """Heartwood Clinic   |   Chronic care note   |   Date: 10/19/2026
HPI: (copied forward from 08/30/2026 note)
  Doing fine, sleeping better. Plan of care gone over with pt 08/30/2026.
MEDS:
  Med list reconciled today, metoprolol stopped.
"""


def test_a_copy_marker_heading_one_section_leaves_the_rest_of_the_note_current():
    assert not fits(dating_of(SECTIONED, "Plan of care gone over"), "service_period", OCTOBER)
    assert fits(dating_of(SECTIONED, "Med list reconciled"), "service_period", OCTOBER)


def test_a_fraction_opening_a_med_list_row_is_not_a_date():
    med_list = (
        "Office visit 10/14/2026\n1/2 tab metoprolol at bedtime\nReviewed the med list with the patient, 9 min.\n"
    )
    assert dating_of(med_list, "metoprolol").stated == []
    assert fits(dating_of(med_list, "Reviewed the med list"), "service_period", OCTOBER)


def test_a_copied_note_stays_copied_through_its_sign_off_line():
    result, _ = dated(CARRIED)
    assert page_outside(result, OCTOBER)


def test_a_bracketed_month_of_an_earlier_value_does_not_re_date_its_row():
    """The row's own day (10/09/26) says when the gap was closed; '(LDL 131 07/2026)' says when
    the old value was measured."""
    sheet = "Prevention worklist - October 2026\nLipid panel     DUE (LDL 131 07/2026)     drawn 10/09/26     CLOSED - LDL 98\n"
    assert fits(dating_of(sheet, "Lipid panel"), "service_period", OCTOBER)
    assert (
        fits(
            dating_of(f"{sheet}Weight   logged for July 2026   188 lb\n", "logged for July"), "service_period", OCTOBER
        )
        is False
    )


LABELLED_COPY = """Heartwood Clinic - Care plan review
Date: 10/21/2026   Author: B. Yilmaz RN
Assessment: walks with a cane, lives with her brother, PHQ-2 score 1
Background (carried over from the 7/12/2026 visit): diabetes and CKD stable
Signed B. Yilmaz RN 10/21/2026
"""


def test_a_copy_marker_inside_a_labelled_line_qualifies_that_line_only():
    """'Background (carried over from ...): ...' says where that line came from; the assessment
    above it is this month's."""
    assert fits(dating_of(LABELLED_COPY, "walks with a cane"), "service_period", OCTOBER)
    assert not page_outside(dated(LABELLED_COPY)[0], OCTOBER)


INTRODUCED_COPY = """Heartwood Clinic - Monthly minutes
Date: 10/30/2026   Author: B. Yilmaz RN
10/06/26 - 14 min - B. Yilmaz RN - called pt re new diuretic dose
10/20/26 - 12 min - B. Yilmaz RN - faxed weights to cardiology
Total for October 26 min
Carried forward from the 09/28/2026 note: goals unchanged, continue weekly weights
"""


def test_a_copy_marker_introducing_its_own_line_leaves_the_rest_of_the_page_current():
    """The marker says where the text after its colon came from; the month's minutes above it
    are this month's."""
    assert fits(dating_of(INTRODUCED_COPY, "Total for October"), "service_period", OCTOBER)
    assert not fits(dating_of(INTRODUCED_COPY, "goals unchanged"), "service_period", OCTOBER)


@pytest.mark.parametrize(
    "line",
    [
        "Plan of care agreed with her daughter; next check-in on it 09/2026.",
        "Targets set for weight and walking, due for a fresh look 10/2026.",
        "Whole plan to be reassessed 11/2026 with the cardiologist's input.",
    ],
)
def test_the_month_a_plan_will_next_be_looked_at_does_not_date_the_line(line):
    """A standing document written before the month may serve it; the later month it names for
    its next review is when it will be looked at again, not when it was written."""
    text = f"Care plan note 03/02/2026\n{line}\n"
    dating = dating_of(text, line.split()[0])
    assert fits(dating, "before_or_during", MAY)
