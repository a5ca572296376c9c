"""Lines the check has already weighed are not counter-evidence: hand-written lines in words the
rules were not written with."""

from datetime import date

from service.checks.counter_lines import other_month, set_aside_by_count, tally, weighed
from service.checks.reading_days import reading_days
from service.models import Page

MAY = (date(2026, 5, 1), date(2026, 5, 31))


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
    assert weighed(line, "service_period", "c.pdf", 1, [], *MAY)
    assert not weighed(line, "before_or_during", "c.pdf", 1, [], *MAY)


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


def test_a_doubt_from_before_the_month_answered_by_a_later_line_no_longer_stands():
    doubt = "Cuff kept dropping its signal from 4/20 to 4/29; new hub ordered."
    later = ["05/02/2026 Hub swapped, uploads coming through again."]
    earlier = ["04/02/2026 Cuff paired and sending."]
    assert weighed(doubt, "before_or_during", "c.pdf", 1, [], *MAY, support=later)
    assert not weighed(doubt, "before_or_during", "c.pdf", 1, [], *MAY, support=earlier)
    assert not weighed("Cuff never paired.", "before_or_during", "c.pdf", 1, [], *MAY, support=later)
