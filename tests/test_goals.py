"""Measurable goals by their shape, in the wordings different charts use."""

import pytest

from service.evidence.goals import reports_review, states_target


@pytest.mark.parametrize(
    "text",
    [
        "LDL below 100 mg/dL by 09/30/2025",
        "PHQ-9 below 10 by 05/31/2025",
        "A1c <7.5% in 6 months",
        "- Home BP < 135/85 by next visit (April avg 148/90)",
        "- Walk 10 min 3x/day; goal mMRC dyspnea grade 1 (now 2)",
        "- Stay alcohol-free; 2 recovery mtgs/wk; target 90 days sober by 06/01/2026",
        "Kidney disease: keep eGFR above 45 and recheck urine albumin by 11/30/2025",
        "- wt within 2 lb of dry wt 168 lb, no CHF admits x6 mo",
        "- A1c < 8 (last 7.9 on 3/20/26)",
        "Goal: SBP under 140 by March",
        "BP goal <130/80 within 90 days",
        "Weight: stay at or below dry weight 230 lb by end of month",
        "Hypertension (I10) | Home BP below 130/80 within 90 days | In progress",
    ],
)
def test_a_target_value_with_a_deadline_or_named_as_a_goal_is_a_goal(text):
    assert states_target(text)


@pytest.mark.parametrize(
    "text",
    [
        "Call if SBP above 160 or below 90",
        "Notify clinic if wt gain > 3 lb in a day or 5 lb in a week",
        "f/u within 7 days",
        "metformin reduced to 500 mg",
        "Lisinopril increased to 20 mg daily 5/2/26",
        "CP reviewed + revised w/ pt and son, goals/interventions updated",
        "Care plan reviewed w/ pt + dtr 4/16/26, copy mailed",
        "Prognosis: fair, chronic progressive HF",
        "Med list reconciled 4/2/26 - 11 meds",
        "Readings on 18 of 30 days",
        "1. DM2 w/o complications (E11.9)",
        "Next review 7/2026",
    ],
)
def test_alerts_time_frames_dose_changes_and_reviews_are_not_goals(text):
    assert not states_target(text)


def test_a_review_line_names_goals_but_sets_none():
    assert reports_review("Goals reviewed w/ pt 05/19/2026, no changes")
    assert not reports_review("Goal reviewed: A1c below 7.5% by 09/30/2026")
