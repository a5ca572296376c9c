"""Remittances imported as cases, re-imported as updates; the work queue, status tracking,
outcome figures and the CSV export, in-process and per tenant."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal as D

import pytest

from eval.synth.remittance import ClaimSpec, LineSpec, RemittanceSpec, write_835
from service.casework import cases, tracking
from service.casework.remittances import import_remittance
from service.casework.state import open_workspace
from service.casework.views import CaseUpdate
from service.errors import CaseNotFoundError, RemittanceError

PAID_ON = date(2026, 10, 2)
DENIALS = [
    ("CO", "50"),
    ("CO", "97"),
    ("CO", "16"),
    ("CO", "197"),
    ("PR", "96"),
    ("OA", "22"),
    ("CO", "252"),
    ("CO", "45"),
]


@pytest.fixture
def ws(settings, components):
    return open_workspace(settings, components)


def remittance(
    denied: int = 20, paid: int = 5, payer: str = "NORIDIAN JF PART B", filing: str = "MB", start: int = 0
) -> bytes:
    claims = []
    for n in range(denied):
        group, carc = DENIALS[n % len(DENIALS)]
        charge = D(40 + 7 * n)
        claims.append(
            ClaimSpec(
                f"PCN-{start + n:04d}",
                "QUILL",
                f"PAT{n}",
                f"MBR{start + n:05d}",
                filing=filing,
                payer_claim_number=f"ICN{start + n:08d}",
                lines=[
                    LineSpec(
                        "99490",
                        charge,
                        [(group, carc, charge)],
                        date_of_service=date(2026, 9, 1) + timedelta(days=n % 25),
                    )
                ],
            )
        )
    for n in range(paid):
        claims.append(
            ClaimSpec(
                f"PAID-{n}",
                "PAID",
                "PATIENT",
                f"PD{n:04d}",
                filing=filing,
                payer_claim_number=f"PAIDICN{n}",
                lines=[
                    LineSpec(
                        "99214", D(120), [("CO", "45", D(20)), ("PR", "2", D(20))], date_of_service=date(2026, 9, 2)
                    )
                ],
            )
        )
    return write_835([RemittanceSpec(payer=payer, claims=claims, paid_on=PAID_ON)]).encode()


def test_a_remittance_with_20_denials_becomes_20_triaged_cases(ws):
    result = import_remittance(ws, "t1", remittance())
    assert (len(result.cases), result.claims, result.paid, result.reversals, result.errors) == (20, 25, 5, 0, [])
    assert all(c.created for c in result.cases)
    actions = {c.denial_code: c.action for c in result.cases}
    assert actions["CO-50"] == actions["CO-97"] == "appeal" and actions["CO-16"] == "corrected_claim"
    assert (
        actions["PR-96"] == "patient_responsibility"
        and actions["OA-22"] == "rebill"
        and actions["CO-45"] == "no_action"
    )
    appeal = next(c for c in result.cases if c.denial_code == "CO-50")
    assert appeal.deadline == PAID_ON + timedelta(
        days=125
    )  # Medicare: 120 days from receipt, received 5 days after the notice
    assert next(c for c in result.cases if c.action == "corrected_claim").deadline is None
    view = cases.get_case(ws, "t1", appeal.id)
    assert (view.status, view.action, view.source, view.payer) == ("new", "appeal", "835", "NORIDIAN JF PART B")
    assert (
        view.fields.denial_date == PAID_ON
        and view.fields.payer_type == "medicare"
        and view.fields.billed_cpt == ["99490"]
    )
    assert view.records == "awaiting_documents" and view.adjustments[0].code == "CO-50"
    assert "code table default" in view.action_rule


def test_the_same_claims_imported_again_update_their_cases_and_keep_their_tracking(ws):
    first = import_remittance(ws, "t1", remittance(denied=4, paid=0))
    tracking.update_case(ws, "t1", first.cases[0].id, CaseUpdate(status="sent"))
    again = import_remittance(ws, "t1", remittance(denied=4, paid=0))
    assert [c.id for c in again.cases] == [c.id for c in first.cases] and not any(c.created for c in again.cases)
    assert len(cases.list_cases(ws, "t1")) == 4
    assert cases.get_case(ws, "t1", first.cases[0].id).status == "sent"


def test_another_tenants_import_of_the_same_claims_is_its_own(ws):
    a = import_remittance(ws, "t1", remittance(denied=2, paid=0))
    b = import_remittance(ws, "t2", remittance(denied=2, paid=0))
    assert all(c.created for c in b.cases) and {c.id for c in a.cases}.isdisjoint({c.id for c in b.cases})
    with pytest.raises(CaseNotFoundError):
        tracking.update_case(ws, "t2", a.cases[0].id, CaseUpdate(status="won"))
    assert tracking.case_stats(ws, "t2").cases == 2


def test_a_bad_claim_is_listed_and_the_others_imported(ws):
    data = remittance(denied=3, paid=0).replace(b"CAS*CO*97*47", b"CAS*CO*97*4?7")
    result = import_remittance(ws, "t1", data)
    assert [c.claim_number for c in result.cases] == ["PCN-0000", "PCN-0002"]
    assert [(e.claim, e.segment is not None) for e in result.errors] == [("PCN-0001", True)]


def test_a_claim_with_no_service_date_is_not_guessed(ws):
    data = remittance(denied=2, paid=0).replace(b"DTM*472*20260902~\n", b"")
    result = import_remittance(ws, "t1", data)
    assert [c.claim_number for c in result.cases] == ["PCN-0000"]
    assert result.errors[0].claim == "PCN-0001" and "service date" in result.errors[0].message


def test_a_file_that_is_not_a_remittance_is_refused(ws):
    with pytest.raises(RemittanceError):
        import_remittance(ws, "t1", b"%PDF-1.7 not an 835")
    assert cases.list_cases(ws, "t1") == []


def test_status_changes_are_dated_and_amounts_kept(ws):
    case_id = import_remittance(ws, "t1", remittance(denied=1, paid=0)).cases[0].id
    sent = tracking.update_case(ws, "t1", case_id, CaseUpdate(status="sent"))
    assert sent.status == "sent" and sent.sent_at is not None and sent.decided_at is None
    won = tracking.update_case(ws, "t1", case_id, CaseUpdate(status="partly_won", amount_recovered=20.5))
    assert won.decided_at is not None and won.sent_at == sent.sent_at and won.amount_recovered == 20.5
    back = tracking.update_case(ws, "t1", case_id, CaseUpdate(status="sent"))
    assert back.decided_at is None and back.amount_recovered == 20.5


def test_the_work_queue_puts_open_work_by_deadline_then_amount(ws):
    import_remittance(ws, "t1", remittance(denied=8, paid=0))
    late = import_remittance(
        ws, "t1", remittance(denied=1, paid=0, payer="BLUE PEAK HEALTH PLAN", filing="12", start=100)
    ).cases[0]
    queue = tracking.sort_cases(cases.list_cases(ws, "t1"), "queue")
    open_dated = [c for c in queue if c.deadline is not None]
    assert [c.deadline for c in open_dated] == sorted(c.deadline for c in open_dated)
    assert queue[len(open_dated) - 1].id == late.id  # commercial: 180 days, after Medicare's 125
    undated = queue[len(open_dated) :]
    assert [c.amount_denied for c in undated] == sorted((c.amount_denied for c in undated), reverse=True)
    tracking.update_case(ws, "t1", queue[0].id, CaseUpdate(status="sent"))
    assert tracking.sort_cases(cases.list_cases(ws, "t1"), "queue")[-1].id == queue[0].id
    due = tracking.filter_cases(cases.list_cases(ws, "t1"), "appeal", "new", PAID_ON + timedelta(days=125))
    assert due and all(c.action == "appeal" and c.deadline <= PAID_ON + timedelta(days=125) for c in due)


def test_stats_count_outcomes_by_code_and_payer(ws):
    made = import_remittance(ws, "t1", remittance(denied=16, paid=0)).cases
    fifties = [c for c in made if c.denial_code == "CO-50"]
    tracking.update_case(ws, "t1", fifties[0].id, CaseUpdate(status="won", amount_recovered=40))
    tracking.update_case(ws, "t1", fifties[1].id, CaseUpdate(status="lost"))
    stats = tracking.case_stats(ws, "t1", today=PAID_ON)
    assert stats.cases == 16 and stats.by_status == {"new": 14, "won": 1, "lost": 1}
    assert stats.amount_recovered == 40 and stats.amount_denied == round(sum(c.amount_denied for c in made), 2)
    co50 = next(s for s in stats.by_code if s.key == "CO-50")
    assert (co50.cases, co50.won, co50.lost, co50.open, co50.win_rate) == (2, 1, 1, 0, 0.5)
    [payer] = stats.by_payer
    assert payer.key == "NORIDIAN JF PART B" and payer.cases == 16 and payer.amount_recovered == 40
    assert stats.overdue == 0 and stats.due_in_14_days == 0
    later = tracking.case_stats(ws, "t1", today=PAID_ON + timedelta(days=200))
    assert later.overdue == sum(1 for c in made if c.deadline) - 2


def test_the_csv_export_has_a_row_per_case_and_defuses_formulas(ws):
    data = remittance(denied=3, paid=0).replace(b"PCN-0001", b"=HYPERLINK(1)")
    import_remittance(ws, "t1", data)
    text = tracking.cases_csv(tracking.sort_cases(cases.list_cases(ws, "t1"), "queue"))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 3 and rows[0].keys() >= {
        "claim_number",
        "denial_code",
        "action",
        "status",
        "deadline",
        "amount_denied",
    }
    assert "'=HYPERLINK(1)" in {r["claim_number"] for r in rows}
    assert all(r["amount_denied"] and not r["amount_denied"].startswith("'") for r in rows)


def test_an_imported_case_drafts_a_letter_that_contests_only_its_own_adjustment(ws):
    """835 -> case -> records -> letter: the letter argues the CO-50 line, says it does not contest
    the patient's coinsurance on the paid line, passes the validator, and the case becomes drafted."""
    from service.casework import documents, drafts
    from service.casework.jobs import InlineJobs
    from tests.pdfs import make_pdf

    spec = RemittanceSpec(
        payer="NORIDIAN JF PART B",
        paid_on=PAID_ON,
        claims=[
            ClaimSpec(
                "PCN-5150",
                "MARSH",
                "ELLEN",
                "4TT9KL2MN88",
                filing="MB",
                payer_claim_number="ICN5150",
                lines=[
                    LineSpec(
                        "99457",
                        D("80"),
                        [("CO", "45", D("27.90")), ("CO", "50", D("52.10"))],
                        ["N115"],
                        date_of_service=date(2026, 9, 14),
                    ),
                    LineSpec(
                        "99214",
                        D("131"),
                        [("CO", "45", D("21.40")), ("PR", "2", D("21.92"))],
                        date_of_service=date(2026, 9, 14),
                    ),
                ],
            )
        ],
    )
    [made] = import_remittance(ws, "t1", write_835([spec]).encode()).cases
    assert (
        made.denial_code == "CO-50"
        and [a.code for a in made.adjustments] == ["CO-45", "CO-50"]
        and made.amount_denied == 52.10
    )
    chart = make_pdf(
        [
            [
                "Patient: Ellen Marsh  Member ID: 4TT9KL2MN88",
                "09/14/2026 Remote monitoring treatment management",
                "Assessment: uncontrolled hypertension, home readings 168/98 despite lisinopril 20 mg.",
                "Plan: titrate amlodipine; treatment management reviewed with the patient, 22 minutes.",
            ]
        ]
    )
    jobs = InlineJobs(ws)
    documents.add_document(ws, jobs, "t1", made.id, "chart.pdf", chart)
    job_id = drafts.queue_draft(ws, "t1", made.id)
    jobs.submit_draft(job_id)
    appeal = drafts.await_draft(ws, "t1", job_id, wait_s=0)
    assert "This appeal concerns the CO-50 adjustment of $52.10 on 99457, remark N115." in appeal.letter
    assert (
        "We do not contest the other adjustments on the remittance: CO-45 adjustment of $27.90 on 99457, remark N115."
        in appeal.letter
    )
    assert "PR-2" not in appeal.letter  # the paid line is no part of this case
    assert not any("validat" in w.lower() for w in appeal.warnings), appeal.warnings
    assert cases.get_case(ws, "t1", made.id).status == "drafted"
