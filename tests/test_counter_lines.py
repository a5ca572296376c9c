"""Lines the check has already weighed are not counter-evidence: hand-written lines in words the
rules were not written with."""

from datetime import date

from service.checks.counter_lines import line_days, other_month, set_aside_by_count, tally, weighed
from service.checks.reading_days import reading_days
from service.models import EvidenceRequirement, Page

MAY = (date(2026, 5, 1), date(2026, 5, 31))


def _req(period: str, optional: bool = False) -> EvidenceRequirement:
    return EvidenceRequirement(id="r", label="r", need="n", queries=["q"], period=period, optional=optional)


def test_a_tally_of_codes_and_minutes_is_not_an_event():
    assert tally("May so far: 24 mins logged - enough for 99457, short of 99458")
    assert not tally("Could not get through to her on 5/12; left a voicemail.")
    assert not tally("Reviewed 35 minutes of readings with the cardiologist.")


def test_a_line_dated_only_in_another_month_is_not_about_this_month():
    assert other_month("Scale stopped sending on 4/27, replaced by the vendor.", *MAY)
    assert other_month("No answer 04/28/2026 or 06/02/2026.", *MAY)
    assert not other_month("No answer 04/28/2026 or 05/02/2026.", *MAY)
    assert not other_month("Scale stopped sending, replaced by the vendor.", *MAY)


def test_weighed_only_for_work_of_the_month():
    line = "She said no to the program on 4/20 but rang back to join."
    assert weighed(line, _req("service_period"), ("c.pdf", 1), [], MAY)
    assert not weighed(line, _req("before_or_during"), ("c.pdf", 1), [], MAY)


def test_lasting_states_ranges_and_fractions_are_not_another_months_events():
    assert not other_month("Pulmonology has run her care management since 03/15/2026.", *MAY)
    assert not other_month("Away at her sister's 04/20/2026-06/03/2026, no calls possible.", *MAY)
    assert not other_month("3/4 calls went unanswered this month.", *MAY)


def test_a_requirement_shown_by_the_absence_of_its_opposite_weighs_nothing_away():
    other_biller = "Cardiology billed 99490 for 25 minutes this month too."
    assert tally(other_biller)
    assert not weighed(other_biller, _req("service_period", optional=True), ("c.pdf", 1), [], MAY)


def test_a_reading_typed_in_by_staff_is_set_aside_by_the_day_count_and_not_held_against_the_device():
    page = Page(
        document="log.pdf",
        number=2,
        text=(
            "Weight log - May 2026\n"
            "05/03/2026  07:02  81.4 kg  scale upload\n"
            "05/04/2026  07:10  81.9 kg  entered by hand from pt's diary (not billed)\n"
            "05/05/2026  06:58  81.2 kg  scale upload\n"
        ),
    )
    days = reading_days([page], "2026-05")
    assert sorted(d.day for d in days.days) == [3, 5]
    assert [row for _, _, row in days.set_aside] == [
        "05/04/2026  07:10  81.9 kg  entered by hand from pt's diary (not billed)"
    ]
    typed = "05/04/2026  07:10  81.9 kg  entered by hand from pt's diary (not billed)"
    assert set_aside_by_count(typed, days.set_aside, "log.pdf", 2)
    assert not set_aside_by_count(typed, days.set_aside, "log.pdf", 3)
    assert not set_aside_by_count("81.9 kg", days.set_aside, "log.pdf", 2)


def test_a_dated_call_note_is_no_reading_the_day_count_sets_aside():
    page = Page(
        document="log.pdf",
        number=1,
        text="05/12/2026  rang her twice, no answer, voicemail left\n05/20/2026  hub not sending; she phoned the vendor\n",
    )
    assert reading_days([page], "2026-05").set_aside == []


def test_a_doubt_answered_by_a_later_line_no_longer_stands():
    doubt = "Cuff kept dropping its signal from 4/20 to 4/29; new hub ordered."
    later = [line_days("05/02/2026 Hub swapped, uploads coming through again.", MAY[0])]
    earlier = [line_days("04/02/2026 Cuff paired and sending.", MAY[0])]
    standing = _req("before_or_during")
    assert weighed(doubt, standing, ("c.pdf", 1), [], MAY, support_days=later)
    assert not weighed(doubt, standing, ("c.pdf", 1), [], MAY, support_days=earlier)
    assert not weighed("Cuff never paired.", standing, ("c.pdf", 1), [], MAY, support_days=later)
    taken_back = "Asked us on 4/22 to stop the nurse calls."
    on_file = [line_days("Signed agreement on file (copy printed 05/30/2026).", MAY[0])]
    assert not weighed(taken_back, standing, ("c.pdf", 1), [], MAY, support_days=on_file, lasting_consent=True)


def test_an_undated_doubt_takes_its_notes_date_and_a_later_handover_answers_it():
    """'Will post the plan to her next week' in a note of 05/12; the plan's own line says it was
    posted on the 18th and she rang to say it came."""
    doubt = "Plan not given yet - will post it to her next week."
    assert weighed(doubt, _req("before_or_during"), ("c.pdf", 2), [], MAY, [date(2026, 5, 12)], [[date(2026, 5, 18)]])
    assert not weighed(
        doubt, _req("before_or_during"), ("c.pdf", 2), [], MAY, [date(2026, 5, 12)], [[date(2026, 5, 3)]]
    )
    assert not weighed(doubt, _req("before_or_during"), ("c.pdf", 2), [], MAY, [], [[date(2026, 5, 18)]])


def test_a_typed_in_row_of_a_readings_table_is_set_aside_by_the_day_count():
    page = Page(
        document="bp.pdf",
        number=1,
        text=(
            "Home blood pressure - May 2026\n"
            "Date        Time    SYS   DIA   Pulse   Source\n"
            "05/01/2026  07:01   131   79    66      cuff upload\n"
            "05/02/2026  07:05   128   77    64      cuff upload\n"
            "05/03/2026  09:40   150   90    --      read out on the phone, keyed by RN\n"
            "05/04/2026  07:02   127   80    65      cuff upload\n"
        ),
    )
    days = reading_days([page], "2026-05")
    assert sorted(d.day for d in days.days) == [1, 2, 4]
    assert [row.split()[0] for _, _, row in days.set_aside] == ["05/03/2026"]
