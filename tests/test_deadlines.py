"""Deadlines per payer type and level, each from a rule that names its regulation; the day
counts checked here are the ones read in the regulation text (see knowledge/deadlines.yaml)."""

from datetime import date

import pytest

from service.drafting.deadline import appeal_deadline, appeal_level, deadline_basis, deadline_rules, payer_type
from service.models import CaseFields


def case(**kw) -> CaseFields:
    base = dict(
        claim_number="C-1",
        patient_name="Ana Lima",
        patient_id="M1",
        date_of_service="2026-03-02",
        payer="Noridian JF Medicare Part B",
        denial_code="CO-50",
        denial_date="2026-04-10",
    )
    return CaseFields(**{**base, **kw})


def test_every_rule_names_its_regulation_and_a_source_address():
    rules = deadline_rules()
    assert {
        "medicare_redetermination",
        "medicare_reconsideration",
        "medicare_advantage_reconsideration",
        "erisa_internal_appeal",
        "aca_individual_internal_appeal",
        "medicaid_managed_care_appeal",
    } <= set(rules)
    for rule in rules.values():
        assert rule.regulation.split()[0].isdigit() and "CFR" in rule.regulation, rule.id
        assert rule.url.startswith("https://"), rule.id


@pytest.mark.parametrize(
    "rule_id,days,presumed",
    [
        ("medicare_redetermination", 120, 5),
        ("medicare_reconsideration", 180, 5),
        ("medicare_alj_hearing", 60, 5),
        ("medicare_advantage_reconsideration", 60, 5),
        ("erisa_internal_appeal", 180, 0),
        ("medicaid_managed_care_appeal", 60, 0),
    ],
)
def test_the_day_counts_match_the_regulations(rule_id, days, presumed):
    rule = deadline_rules()[rule_id]
    assert (rule.days, rule.receipt_presumed_days) == (days, presumed)


@pytest.mark.parametrize(
    "payer,kind,due,level",
    [
        ("Noridian JF Medicare Part B", "medicare", date(2026, 8, 13), "redetermination"),
        ("Summit Mutual Medicare Advantage HMO", "medicare_advantage", date(2026, 6, 14), "reconsideration"),
        ("Aetna Choice POS II", "commercial", date(2026, 10, 7), "first-level appeal"),
        ("Sunflower Medicaid Health Plan", "medicaid_managed_care", date(2026, 6, 9), "plan appeal"),
        ("Kansas Medicaid fee-for-service", "medicaid", None, "first-level appeal"),
    ],
)
def test_deadline_and_level_by_payer(payer, kind, due, level):
    c = case(payer=payer)
    assert (payer_type(c), appeal_deadline(c), appeal_level(c)) == (kind, due, level)


def test_medicare_advantage_notices_before_2025_keep_the_old_60_days():
    assert appeal_deadline(case(payer="Humana Medicare Advantage", denial_date="2024-12-20")) == date(2025, 2, 18)
    assert appeal_deadline(case(payer="Humana Medicare Advantage", denial_date="2025-01-02")) == date(2025, 3, 8)


def test_the_payer_type_given_wins_over_the_name():
    assert appeal_deadline(case(payer="Blue Plan", payer_type="medicare_advantage")) == date(2026, 6, 14)


def test_the_basis_names_the_regulation_and_the_count():
    assert (
        deadline_basis(case())
        == "42 CFR 405.942(a): 120 days from receipt of the notice, presumed 5 days after its date"
    )
    assert deadline_basis(case(payer="Aetna PPO")).startswith("29 CFR 2560.503-1(h)(3)(i): at least 180 days")
    assert deadline_basis(case(payer="Kansas Medicaid fee-for-service")) is None
