"""The check's own rules, on hand-written lines: coded conditions, a document shown by its plan,
requirements resting on others, and which counter-evidence is about its requirement."""

from datetime import date

import pytest

from service.checks.conditions import categories, coded_lines
from service.checks.minutes import Minutes
from service.checks.reading_days import ReadingDays
from service.checks.verdicts import judge
from service.checks.written_plans import WrittenPlan
from service.components import Components
from service.config import Settings
from service.models import Evidence, MinuteRow, Page, Span
from tests.month_findings import month_findings


@pytest.fixture(scope="module")
def knowledge():
    return Components(Settings()).knowledge


def test_coded_diseases_count_by_category_and_lab_words_do_not():
    page = Page(
        document="chart.pdf",
        number=1,
        text=(
            "Assessment\n"
            "  a. Emphysema (J43.9), on home oxygen at night\n"
            "  b. Heart block, s/p pacemaker [I44.2]  and  hypothyroid E03.9\n"
            "Labs: B12 310, A1C 6.1, ferritin 40\n"
            "Z95.0 pacemaker present; R53.83 fatigue; S72.001A old hip fracture\n"
            "Form HV-12 (rev. 2024) G0506 billed 99490\n"
        ),
    )
    lines = coded_lines([page])
    assert categories(lines) == {"J43", "I44", "E03"}
    assert all(line.line in page.text for line in lines)
    assert coded_lines([page], {("chart.pdf", 1)}) == []


def _ev(req: str, text: str, page: int = 1, score: float = 0.8) -> Evidence:
    return Evidence(document="c.pdf", page=page, start=0, end=len(text), text=text, requirement=req, score=score)


def _row(minutes: int, who: str = "L. Osei, RN") -> MinuteRow:
    return MinuteRow(
        document="c.pdf", page=3, quote="row", date=date(2026, 5, 4), minutes=minutes, who=who, counted=True
    )


_PLAN = {"care_plan": [WrittenPlan("c.pdf", 1, "Plan of care", None, elements={"goals": (1, "Goals: steady weight;")})]}
"""A plan found on the pages, for the tests of what rests on it."""


def _statuses(result) -> dict[str, str]:
    return {r.id: r.status for r in result.requirements}


def test_a_one_line_mention_of_a_plan_is_not_the_plan(knowledge):
    billable = knowledge.billable("99490")
    mention = _ev("care_plan", "Plan of care refreshed at today's huddle.")
    minutes = Minutes(total=25, rows=[_row(25)], warnings=[])
    result = judge(billable, "2026-05", month_findings(evidence=[mention], minutes=minutes))
    plan_check = next(r for r in result.requirements if r.id == "care_plan")
    assert plan_check.status == "missing" and "refer" in plan_check.reason
    written = WrittenPlan(
        "c.pdf",
        2,
        "SHARED PLAN FOR THE YEAR",
        None,
        elements={"goals": (2, "Targets: walk daily by June"), "review": (3, "Look at it again: August")},
    )
    shown = judge(
        billable, "2026-05", month_findings(evidence=[mention], plans={"care_plan": [written]}, minutes=minutes)
    )
    plan_check = next(r for r in shown.requirements if r.id == "care_plan")
    assert plan_check.status == "met"
    assert [(c.page, c.quote) for c in plan_check.citations] == [
        (2, "SHARED PLAN FOR THE YEAR"),
        (2, "Targets: walk daily by June"),
        (3, "Look at it again: August"),
    ]


def test_a_plan_handed_over_rests_on_the_plan(knowledge):
    """Handed over, but no plan in the pages: what the patient got cannot be shown, so it is
    missing with the plan; with the plan at risk it is at risk."""
    billable = knowledge.billable("99490")
    handed = _ev("care_plan_shared", "Gave her the typed plan to take home.", page=2)
    result = judge(
        billable,
        "2026-05",
        month_findings(evidence=[handed], missing=[r for r in billable.requirements if r.id == "care_plan"]),
    )
    found = _statuses(result)
    assert found["care_plan"] == "missing" and found["care_plan_shared"] == "missing"
    written = WrittenPlan("c.pdf", 1, "Plan of care", None, elements={"goals": (1, "Targets: walk daily by June")})
    doubted = Span(document="c.pdf", page=3, start=0, end=30, text="Plan never finished, per the RN.")
    shaky = judge(
        billable,
        "2026-05",
        month_findings(evidence=[handed], plans={"care_plan": [written]}, counter=[("care_plan", doubted)]),
    )
    found = _statuses(shaky)
    assert found["care_plan"] == "at_risk" and found["care_plan_shared"] == "at_risk"


def test_minutes_and_units(knowledge):
    rows = [_row(20), _row(20), _row(9)]
    result = judge(
        knowledge.billable("99490"), "2026-05", month_findings(minutes=Minutes(total=49, rows=rows, warnings=[]))
    )
    assert result.minutes.total == 49 and result.supported_codes == []  # consent and the rest are missing
    assert _statuses(result)["time"] == "met"
    staff_only = judge(
        knowledge.billable("99491"), "2026-05", month_findings(minutes=Minutes(total=49, rows=rows, warnings=[]))
    )
    assert staff_only.minutes.total == 0 and _statuses(staff_only)["time"] == "missing"


def test_counter_evidence_about_another_requirement_is_not_held_against_this_one(tmp_path):
    """A line near a refusal phrase marks only the requirement it is most about."""
    from service.casework.checks import _about_their_requirement
    from service.evidence.selection import Selection

    refused_therapy = Span(document="c.pdf", page=2, start=10, end=40, text="Turned down the balance classes.")
    selection = Selection(
        counter=[("consent", refused_therapy), ("care_plan", refused_therapy)],
        about={("c.pdf", 2, 10): (0.6, "care_plan")},
    )
    assert _about_their_requirement(selection) == [("care_plan", refused_therapy)]


def test_a_line_stating_a_right_puts_nothing_at_risk(knowledge):
    billable = knowledge.billable("99490")
    consent = _ev("consent", "Agreed on the phone to the monthly nurse program; copay explained.")
    right = Span(document="c.pdf", page=1, start=90, end=140, text="She can end the program whenever she likes.")
    ended = Span(document="c.pdf", page=2, start=0, end=40, text="Per daughter, she refused further program calls.")
    described = judge(billable, "2026-05", month_findings(evidence=[consent], counter=[("consent", right)]))
    assert _statuses(described)["consent"] == "met"
    refused = judge(billable, "2026-05", month_findings(evidence=[consent], counter=[("consent", ended)]))
    assert _statuses(refused)["consent"] == "at_risk"


def test_a_month_named_may_is_not_a_right(knowledge):
    billable = knowledge.billable("99490")
    handed = _ev("care_plan_shared", "Plan reviewed by phone with his wife.", page=2)
    plan = _ev("care_plan", "Goals: steady weight;\nActions: weekly calls;\nReview: autumn")
    not_yet = Span(
        document="c.pdf", page=3, start=0, end=60, text="No paper copy made for her yet; we will hand it over in May."
    )
    result = judge(
        billable,
        "2026-04",
        month_findings(evidence=[handed, plan], plans=_PLAN, counter=[("care_plan_shared", not_yet)]),
    )
    assert _statuses(result)["care_plan_shared"] == "at_risk"


def test_a_plain_not_done_stronger_than_the_support_is_missing(knowledge):
    billable = knowledge.billable("99490")
    weak = _ev("care_plan_shared", "Stairs at the front door; rail fitted.", page=1, score=0.5)
    said = Span(
        document="c.pdf",
        page=2,
        start=5,
        end=70,
        text="Daughter asked for the plan on paper; nobody has mailed it yet.",
    )
    strong = {("care_plan_shared", "c.pdf", 2, 5): 0.74}
    result = judge(
        billable,
        "2026-04",
        month_findings(evidence=[weak], plans=_PLAN, counter=[("care_plan_shared", said)], counter_scores=strong),
    )
    shared = next(r for r in result.requirements if r.id == "care_plan_shared")
    assert shared.status == "missing" and all(c.against for c in shared.citations)
    weaker = {("care_plan_shared", "c.pdf", 2, 5): 0.3}
    result = judge(
        billable,
        "2026-04",
        month_findings(evidence=[weak], plans=_PLAN, counter=[("care_plan_shared", said)], counter_scores=weaker),
    )
    assert _statuses(result)["care_plan_shared"] == "at_risk"


@pytest.mark.parametrize("month", ["0000-04", "\u0662\u0660\u0662\u0666-04", "2026-4", "April 2026"])
def test_a_month_not_written_yyyy_mm_in_ascii_digits_is_refused(month):
    from service.checks.months import BadMonthError, month_bounds

    with pytest.raises(BadMonthError):
        month_bounds(month)


def test_practitioner_codes_count_a_row_by_its_author_and_show_the_others_set_aside(knowledge):
    rows = [
        _row(31, who="Ines Vogt, MD"),
        _row(25, who="K. Diaz RN / A. Ramaswamy MD"),  # the nurse's call, the doctor only named
    ]
    result = judge(
        knowledge.billable("99491"), "2026-05", month_findings(minutes=Minutes(total=56, rows=rows, warnings=[]))
    )
    assert result.minutes.total == 31
    shown = {r.minutes: (r.counted, r.reason) for r in result.minutes.rows}
    assert shown[25] == (False, "not the practitioner's own time") and shown[31][0]


def test_reading_days_stop_where_the_patient_left():

    days = ReadingDays(
        {date(2026, 5, d): ("c.pdf", 1, f"05/{d:02d}/2026 128/80") for d in range(1, 21)}, [], True
    ).until(date(2026, 5, 12))
    assert days.count == 12
    stated = ReadingDays({}, [("c.pdf", 2, "Readings this month: 20 days", 20)], False).until(date(2026, 5, 12))
    assert stated.count == 0


def test_a_withdrawal_on_an_rpm_month_is_told(knowledge):
    left = Span(document="c.pdf", page=2, start=0, end=30, text="Asked us to stop the cuff program.")
    result = judge(knowledge.billable("99454"), "2026-05", month_findings(withdrawals=[(left, date(2026, 5, 9))]))
    assert result.warnings[0].startswith("The patient left the program on 2026-05-09")
