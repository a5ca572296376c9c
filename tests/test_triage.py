"""Triage, rule by rule: which claims of a remittance are denials, how claims split, and which
action each gets and why."""

from datetime import date
from pathlib import Path

import pytest

from service.knowledge.adjustments import load_code_table
from service.models import Adjustment, RemitClaim, RemitLine
from service.remittance.triage import decide, denials

TABLE = load_code_table(Path(__file__).resolve().parents[1] / "knowledge" / "adjustments")


def adj(code: str, amount: float, rarcs=(), cpt="99490") -> Adjustment:
    group, carc = code.split("-")
    return Adjustment(group=group, carc=carc, amount=amount, rarcs=list(rarcs), cpt=cpt)


def line(cpt: str, charge: float, *adjustments: Adjustment, rarcs=()) -> RemitLine:
    adjustments = [a.model_copy(update={"cpt": cpt, "rarcs": list(rarcs)}) for a in adjustments]
    paid = round(charge - sum(a.amount for a in adjustments), 2)
    return RemitLine(
        cpt=cpt,
        charge=charge,
        paid=paid,
        adjustments=adjustments,
        rarcs=list(rarcs),
        date_of_service=date(2026, 9, 3),
        segment=20,
    )


def claim(*lines: RemitLine, status="1", claim_adjustments=(), remarks=()) -> RemitClaim:
    charge = sum(item.charge for item in lines)
    paid = sum(item.paid for item in lines) - sum(a.amount for a in claim_adjustments)
    return RemitClaim(
        claim_number="PCN-1",
        payer_claim_number="P-1",
        status_code=status,
        charge=charge,
        paid=paid,
        patient_name="Ana Lima",
        patient_id="M1",
        adjustments=list(claim_adjustments),
        rarcs=list(remarks),
        lines=list(lines),
        segment=12,
    )


def one(c: RemitClaim):
    [found] = denials(c)
    return found, decide(found, TABLE)


def test_a_claim_paid_with_only_routine_adjustments_is_not_a_denial():
    paid = claim(
        line("99214", 150, adj("CO-45", 30), adj("PR-2", 24)), line("93000", 40, adj("CO-253", 0.8), adj("PR-1", 20))
    )
    assert denials(paid) == []


def test_a_reversal_is_not_a_case():
    assert denials(claim(line("99214", -150, adj("CO-45", -30)), status="22")) == []


def test_the_contractual_write_off_on_an_unpaid_line_is_a_no_action_case():
    found, decision = one(claim(line("99214", 150, adj("CO-45", 150))))
    assert decision.action == "no_action" and decision.code == "CO-45" and "CO-45" in decision.rule
    assert found.amount == 150


def test_only_the_patients_share_left_is_patient_responsibility():
    found, decision = one(claim(line("99454", 48, adj("PR-96", 48))))
    assert decision.action == "patient_responsibility" and decision.code == "PR-96" and "group PR" in decision.rule


def test_medical_necessity_is_appealed():
    _, decision = one(claim(line("99457", 52, adj("CO-50", 52), rarcs=("N115",))))
    assert decision.action == "appeal" and decision.code == "CO-50" and "code table default" in decision.rule


def test_missing_information_wants_a_corrected_claim():
    _, decision = one(claim(line("99214", 128, adj("CO-16", 128), rarcs=("N290",))))
    assert decision.action == "corrected_claim" and decision.code == "CO-16"


def test_another_payer_primary_is_rebilled():
    _, decision = one(claim(line("99214", 128, adj("OA-22", 128))))
    assert decision.action == "rebill"


def test_a_remark_that_takes_appeal_rights_decides_over_an_appealable_carc():
    _, decision = one(claim(line("99490", 64, adj("CO-50", 64), rarcs=("MA130",))))
    assert decision.action == "corrected_claim" and "MA130" in decision.rule
    assert decision.code == "CO-50"


def test_a_claim_level_remark_decides_too():
    _, decision = one(claim(line("99490", 64, adj("CO-97", 64)), remarks=("MA04",)))
    assert decision.action == "rebill" and "MA04" in decision.rule


def test_the_amount_at_stake_leaves_out_the_write_off_beside_a_denial():
    found, decision = one(claim(line("99457", 80, adj("CO-45", 27.9), adj("CO-50", 52.1))))
    assert decision.code == "CO-50" and found.amount == 52.1 and len(found.contested) == 2


def test_a_claim_fix_comes_before_an_appeal_on_the_same_lines():
    _, decision = one(claim(line("99490", 100, adj("CO-50", 60), adj("CO-16", 40))))
    assert decision.action == "corrected_claim" and decision.code == "CO-16"


def test_among_appealable_reasons_the_larger_amount_names_the_case():
    _, decision = one(claim(line("99490", 100, adj("CO-97", 30), adj("CO-50", 70))))
    assert decision.action == "appeal" and decision.code == "CO-50"


def test_a_carc_not_in_the_table_is_appealed_until_reviewed():
    _, decision = one(claim(line("99490", 100, adj("CO-Q9", 100))))
    assert decision.action == "appeal" and "not in the code table" in decision.rule


def test_a_denied_claim_without_any_reason_code_is_still_a_case():
    found, decision = one(claim(line("99490", 100), status="4"))
    assert decision.action == "appeal" and "without a reason code" in decision.rule and found.contested == []


def test_lines_denied_for_different_reasons_become_separate_cases():
    c = claim(
        line("99457", 50, adj("CO-50", 50)),
        line("99454", 60, adj("CO-252", 60)),
        line("99214", 120, adj("CO-45", 20), adj("PR-2", 20)),
    )
    found = denials(c)
    assert [[item.cpt for item in d.lines] for d in found] == [["99457"], ["99454"]]
    assert [d.part for d in found] == ["99457", "99454"]
    assert [decide(d, TABLE).code for d in found] == ["CO-50", "CO-252"]
    assert [d.amount for d in found] == [50, 60]


def test_lines_denied_for_the_same_reason_stay_one_case():
    c = claim(line("99490", 64, adj("CO-97", 64)), line("99439", 48, adj("CO-97", 48)))
    found, decision = one(c)
    assert [item.cpt for item in found.lines] == ["99490", "99439"] and found.part == "" and found.amount == 112
    assert decision.code == "CO-97"


def test_a_negative_adjustment_is_never_contested():
    paid = claim(line("99214", 150, adj("CO-45", 40), adj("OA-94", -9), adj("PR-2", 20)))
    assert denials(paid) == []


@pytest.mark.parametrize(
    "code,action",
    [
        ("CO-45", "no_action"),
        ("CO-253", "no_action"),
        ("PR-1", "patient_responsibility"),
        ("PR-2", "patient_responsibility"),
        ("CO-16", "corrected_claim"),
        ("CO-4", "corrected_claim"),
        ("CO-50", "appeal"),
        ("CO-97", "appeal"),
        ("CO-197", "appeal"),
        ("CO-252", "appeal"),
        ("OA-22", "rebill"),
        ("CO-109", "rebill"),
    ],
)
def test_the_tables_default_action_for_common_codes(code, action):
    _, decision = one(claim(line("99214", 100, adj(code, 100))))
    assert decision.action == action, decision.rule
