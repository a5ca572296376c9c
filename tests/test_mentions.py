"""A rule, a habit or a plan is never a requirement's only evidence; terse charting always can be."""

import pytest

from service.evidence.mentions import is_mention

RULES = [
    "Outreach to the patient is made within 5 business days by phone or portal.",
    "Every open gap is assigned to the patient's RN care manager.",
    "Devices are set up in clinic and patients are shown how to take a reading.",
    "Your blood pressure monitor will be set up at your first program visit.",
    "The RPM episode begins on the day the device is first used.",
    "Care plans are reviewed with each enrollee at the annual visit.",
    "All CCM patients receive a copy of their care plan.",
    "Self-management goals are revisited at the monthly call.",
]

CHARTED = [
    "- CCM consent given verbally by pt, documented",
    "Med list reconciled 4/2/26 - 11 meds",
    "Pt agrees to CCM, understands copay may apply",
    "Taught daily AM weight after voiding; teach-back done",
    "Goal: walk 30 min 5x/wk",
    "Patient wants to check her sugar every morning before breakfast.",
    "May stop at any time, effective end of month",
    "20% coinsurance applies each month",
    "Source: device transmission for every reading - no manual entries",
    "Each goal reviewed w/ pt and daughter",
    "All meds reconciled against pharmacy fill history",
    "Device set up in clinic, pt demonstrated a reading",
    "Registry run 06/02/2026: 3 open gaps",
    "Cuff education, return demo correct",
]


@pytest.mark.parametrize("line", RULES)
def test_a_rule_a_habit_or_a_plan_is_a_mention(line):
    assert is_mention(line)


@pytest.mark.parametrize("line", CHARTED)
def test_charted_care_is_never_a_mention(line):
    assert not is_mention(line)
