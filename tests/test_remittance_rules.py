"""The 835 reader never drops a denial: hand-written remittances, one per rule (fixtures in
fixtures/remittances/rules/). A code our table lacks is appealed until reviewed; a segment the
strict models reject is read by position and its claim kept with a note; a predetermination makes
no case; claims that share an account number stay apart; any delimiters the ISA declares are
read, with or without line breaks; a 4010 file is named as such."""

import re
from pathlib import Path

import pytest

from service.casework import cases
from service.casework.remittances import import_remittance
from service.casework.state import open_workspace
from service.errors import RemittanceError, UnknownCodeError
from service.remittance.x835 import read_835

RULES = Path(__file__).parent / "fixtures" / "remittances" / "rules"
PATIENTS = ("TESTPATIENT", "ALPHA", "BETA", "GAMMA", "DELTA")


@pytest.fixture
def ws(settings, components):
    return open_workspace(settings, components)


def data(name: str) -> bytes:
    return (RULES / name).read_bytes()


def test_codes_missing_from_the_table_make_appeal_cases_marked_for_review(ws):
    result = import_remittance(ws, "t1", data("unknown-codes.835"))
    assert result.errors == [] and (result.claims, result.paid) == (6, 1)
    got = [(c.claim_number, c.denial_code, c.action, c.amount_denied, c.review) for c in result.cases]
    assert got == [
        ("UNK-001", "OA-A7", "appeal", 41250.0, True),
        ("UNK-002", "OA-176", "appeal", 38715.0, True),
        ("UNK-003", "OA-101", "appeal", 36500.0, True),
        ("UNK-004", "PR-32", "patient_responsibility", 180.0, False),
        ("UNK-006", "CO-50", "appeal", 120.0, True),
    ]
    assert "not in the code table" in result.cases[0].action_rule and "N9999" in result.cases[4].action_rule
    view = cases.get_case(ws, "t1", result.cases[0].id)
    assert view.fields.denial_code == "OA-A7" and "review" in view.denial_title and view.action == "appeal"


def test_a_typed_code_the_table_lacks_is_still_an_error():
    """Only an imported case stands on a stand-in entry; a code typed by hand must be real."""
    from service.components import Components
    from service.config import Settings

    with pytest.raises(UnknownCodeError):
        Components(Settings()).knowledge.get("OA-A7")


def test_a_case_on_an_unknown_code_drafts_a_letter_that_says_it_needs_review(ws):
    from service.casework import documents, drafts
    from service.casework.jobs import InlineJobs
    from tests.pdfs import make_pdf

    [case] = [c for c in import_remittance(ws, "t1", data("unknown-codes.835")).cases if c.denial_code == "OA-176"]
    chart = make_pdf(
        [
            [
                "Patient: Zeta Testpatient  Member ID: MCD0002",
                "11/11/2025 Emergency department visit",
                "Assessment: chest pain, troponin negative; observed and discharged.",
            ]
        ]
    )
    jobs = InlineJobs(ws)
    documents.add_document(ws, jobs, "t1", case.id, "chart.pdf", chart)
    job_id = drafts.queue_draft(ws, "t1", case.id)
    jobs.submit_draft(job_id)
    appeal = drafts.await_draft(ws, "t1", job_id, wait_s=0)
    assert appeal.letter and any("OA-176 is not in the code table" in w for w in appeal.warnings)
    assert cases.get_case(ws, "t1", case.id).status == "drafted"


def test_segments_the_strict_models_reject_keep_their_claim_with_a_note(ws):
    read = read_835(data("lenient-segments.835"))
    assert [c.claim_number for c in read.claims] == ["LEN-001", "LEN-002", "LEN-003"]
    notes = [(e.claim, e.kept, e.message.split(" ")[0]) for e in read.errors]
    assert notes == [
        ("LEN-001", True, "NM1"),
        ("LEN-002", True, "REF"),
        ("LEN-003", True, "CLP"),
        ("LEN-004", False, "CAS"),
    ]
    assert not any(name in e.message for e in read.errors for name in PATIENTS)
    first, second, third = read.claims
    assert (first.patient_id, first.payer, first.charge, first.paid, first.patient_share) == (
        "MBR0001",
        "EXAMPLE HEALTH PLAN",
        200.0,
        60.0,
        20.0,
    )
    assert [(a.code, a.amount, a.rarcs, a.cpt) for a in first.all_adjustments()] == [
        ("CO-45", 40.0, [], "99213"),
        ("PR-2", 20.0, [], "99213"),
        ("CO-50", 80.0, ["N115"], "99490"),
    ]
    assert (second.status_code, second.lines[0].cpt, second.date_of_service.isoformat()) == ("4", "99214", "2025-12-03")
    assert (third.filing_code, third.rarcs, third.lines[0].units) == (None, ["MA130"], None)
    result = import_remittance(ws, "t1", data("lenient-segments.835"))
    assert [(c.claim_number, c.denial_code, c.action) for c in result.cases] == [
        ("LEN-001", "CO-50", "appeal"),
        ("LEN-002", "CO-197", "appeal"),
        ("LEN-003", "CO-16", "corrected_claim"),
    ]


def test_a_claim_level_segment_among_the_lines_keeps_its_claim_and_its_remark():
    """MOA after the service lines: x12sdk sets it aside; read by position, MA130 still decides."""
    text = data("lenient-segments.835").replace(
        b"CLP*LEN-003*4*90.00*0.00***ICN-LEN-003", b"CLP*LEN-003*4*90.00*0.00**12*ICN-LEN-003"
    )
    read = read_835(text)
    [note] = [e for e in read.errors if e.claim == "LEN-003"]
    assert note.kept and note.message.startswith("a segment of the claim is not where an 835 loop allows it")
    assert read.claims[2].rarcs == ["MA130"]


def test_a_predetermination_makes_no_case(ws):
    result = import_remittance(ws, "t1", data("predetermination.835"))
    assert result.errors == [] and (result.claims, result.predeterminations, result.paid) == (2, 1, 0)
    assert [(c.claim_number, c.denial_code) for c in result.cases] == [("PRE-002", "CO-50")]


def test_claims_sharing_an_account_number_are_distinct_cases(ws):
    first = import_remittance(ws, "t1", data("shared-account-number.835"))
    assert [(c.claim_number, c.amount_denied) for c in first.cases] == [
        ("ACCOUNT 77", 110.0),
        ("ACCOUNT 77", 95.0),
        ("ACCOUNT 88", 64.0),
        ("ACCOUNT 88", 64.0),
    ]
    assert len({c.id for c in first.cases}) == 4 and all(c.created for c in first.cases)
    again = import_remittance(ws, "t1", data("shared-account-number.835"))
    assert [c.id for c in again.cases] == [c.id for c in first.cases] and not any(c.created for c in again.cases)


def test_pipes_and_a_greater_than_sign_on_one_line_are_read():
    [claim] = read_835(data("pipes-one-line.835")).claims
    [line] = claim.lines
    assert (claim.claim_number, line.cpt, line.modifiers, line.rarcs) == ("PIPE-001", "99214", ["25"], ["N290"])
    assert [(a.code, a.amount) for a in line.adjustments] == [("CO-16", 128.0)]


def redelimit(text: str, element: str, component: str, terminator: str, newline: bool) -> str:
    """The same interchange written with other delimiters (ISA11's repetition separator moved
    out of the way when it would clash)."""
    rows = [row.split("*") for row in re.split(r"~\n?", text.strip()) if row]
    isa = rows[0]
    isa[11] = "{" if "^" in (element, component) else isa[11]
    isa[16] = component
    for row in rows:
        if row[0] == "SVC":
            row[1] = row[1].replace(":", component)
    return "".join(element.join(row) + terminator + ("\n" if newline else "") for row in rows)


@pytest.mark.parametrize(
    "element,component,terminator,newline",
    [
        ("|", ">", "~", True),
        ("|", ">", "~", False),
        ("*", "|", "~", False),
        ("*", "^", "~", True),
        ("*", ":", "\n", False),
        ("^", ">", "~", False),
        ("*", ">", "'", True),
    ],
    ids=[
        "pipe-gt-lines",
        "pipe-gt-one-line",
        "pipe-component",
        "caret-component",
        "line-breaks-end-segments",
        "caret-element",
        "quote-terminator",
    ],
)
def test_any_delimiters_the_isa_declares_give_the_same_claims(element, component, terminator, newline):
    base = read_835(data("unknown-codes.835"))
    text = redelimit(data("unknown-codes.835").decode(), element, component, terminator, newline)
    read = read_835(text.encode())
    assert read.errors == []
    summary = [
        (c.claim_number, [(line.cpt, [(a.code, a.amount) for a in line.adjustments], line.rarcs) for line in c.lines])
        for c in read.claims
    ]
    assert summary == [
        (c.claim_number, [(line.cpt, [(a.code, a.amount) for a in line.adjustments], line.rarcs) for line in c.lines])
        for c in base.claims
    ]
    assert summary[0][1][0][0] == "0120" and summary[5][1][0][2] == ["N9999"]


def test_a_4010_file_is_named_as_such():
    with pytest.raises(RemittanceError) as raised:
        read_835(data("version-4010.835"))
    assert "4010" in raised.value.message and "004010X091A1" in raised.value.message and raised.value.status == 422
    st03 = data("unknown-codes.835").replace(b"ST*835*0201~", b"ST*835*0201*004010X091A1~")
    with pytest.raises(RemittanceError, match="004010X091A1"):
        read_835(st03)
