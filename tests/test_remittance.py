"""835 remittances read field by field: generated files (several payers, multi-claim, multi-line,
reversals, every group code, odd delimiters), two public examples, and broken files whose good
claims must survive their bad ones."""

from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest

from eval.synth.remittance import ClaimSpec, Delimiters, LineSpec, RemittanceSpec, write_835
from service.errors import RemittanceError
from service.remittance.x835 import read_835

PUBLIC = Path(__file__).parent / "fixtures" / "remittances" / "public"


def medicare() -> RemittanceSpec:
    return RemittanceSpec(
        payer="NORIDIAN JF PART B",
        payer_id="01182",
        paid_on=date(2026, 10, 2),
        claims=[
            ClaimSpec(
                "PCN-7001",
                "HALVORSEN",
                "GRETA",
                "1EG4TE5MK72",
                filing="MB",
                payer_claim_number="22026275001",
                statement=(date(2026, 9, 1), date(2026, 9, 30)),
                remarks=["MA01"],
                lines=[
                    LineSpec(
                        "99490",
                        D("64.21"),
                        [("CO", "97", D("64.21"))],
                        ["M15", "N20"],
                        ["25"],
                        date(2026, 9, 30),
                        control_number="7001-1",
                    )
                ],
            ),
            ClaimSpec(
                "PCN-7002",
                "OKAFOR",
                "CHIDI",
                "2TY7UJ3KL19",
                filing="MB",
                payer_claim_number="22026275002",
                lines=[
                    LineSpec(
                        "99495",
                        D("201.40"),
                        [("CO", "45", D("20.14")), ("PR", "2", D("36.25"))],
                        date_of_service=date(2026, 9, 12),
                    ),
                    LineSpec(
                        "99214", D("128"), [("CO", "16", D("128"))], ["N290", "M51"], date_of_service=date(2026, 9, 12)
                    ),
                    LineSpec("93000", D("30"), [("PI", "204", D("30"))], date_of_service=date(2026, 9, 12)),
                ],
            ),
            ClaimSpec(
                "PCN-7003",
                "OKAFOR",
                "CHIDI",
                "2TY7UJ3KL19",
                status="22",
                filing="MB",
                payer_claim_number="22026270777",
                lines=[LineSpec("99213", D("-90"), [("CO", "45", D("-10"))], date_of_service=date(2026, 8, 2))],
            ),
        ],
    )


def commercial() -> RemittanceSpec:
    return RemittanceSpec(
        payer="BLUE PEAK HEALTH PLAN",
        payer_id="BPHP1",
        paid_on=date(2026, 11, 6),
        trace="1CHK88123",
        claims=[
            ClaimSpec(
                "PCN-8001",
                "DUBOIS",
                "MARIE",
                "XJH882193001",
                filing="12",
                payer_claim_number="BP-55-0001",
                adjustments=[("OA", "18", D("10"))],
                lines=[
                    LineSpec("99457", D("52"), [("CO", "197", D("42"))], ["N54"], date_of_service=date(2026, 10, 14))
                ],
            ),
            ClaimSpec(
                "PCN-8002",
                "NAKAMURA",
                "KEN",
                "XJH882193002",
                status="4",
                filing="12",
                payer_claim_number="BP-55-0002",
                lines=[
                    LineSpec("99454", D("48"), [("PR", "96", D("48"))], ["N130"], date_of_service=date(2026, 10, 31))
                ],
            ),
        ],
    )


def test_generated_remittances_are_read_field_by_field():
    read = read_835(write_835([medicare(), commercial()]).encode())
    assert read.errors == []
    by_number = {c.claim_number: c for c in read.claims}
    assert list(by_number) == ["PCN-7001", "PCN-7002", "PCN-7003", "PCN-8001", "PCN-8002"]

    first = by_number["PCN-7001"]
    assert (first.payer, first.payer_id, first.payer_claim_number) == ("NORIDIAN JF PART B", "01182", "22026275001")
    assert (first.status_code, first.filing_code, first.charge, first.paid) == ("1", "MB", 64.21, 0.0)
    assert (first.patient_name, first.patient_id) == ("GRETA HALVORSEN", "1EG4TE5MK72")
    assert (first.date_of_service, first.service_end, first.remittance_date) == (
        date(2026, 9, 1),
        date(2026, 9, 30),
        date(2026, 10, 2),
    )
    assert first.rarcs == ["MA01"]
    [line] = first.lines
    assert (line.cpt, line.modifiers, line.charge, line.paid, line.units) == ("99490", ["25"], 64.21, 0.0, 1.0)
    assert (line.date_of_service, line.control_number, line.rarcs) == (date(2026, 9, 30), "7001-1", ["M15", "N20"])
    assert [(a.group, a.carc, a.amount, a.rarcs, a.cpt) for a in line.adjustments] == [
        ("CO", "97", 64.21, ["M15", "N20"], "99490")
    ]

    second = by_number["PCN-7002"]
    assert [line.cpt for line in second.lines] == ["99495", "99214", "93000"]
    assert second.patient_share == 36.25 and second.paid == round(201.40 - 20.14 - 36.25, 2)
    assert [(a.group, a.carc, a.amount) for a in second.lines[0].adjustments] == [
        ("CO", "45", 20.14),
        ("PR", "2", 36.25),
    ]
    assert [(a.group, a.carc) for a in second.lines[2].adjustments] == [("PI", "204")]

    reversal = by_number["PCN-7003"]
    assert reversal.reversal and reversal.charge == -90.0 and reversal.lines[0].adjustments[0].amount == -10.0

    plan = by_number["PCN-8001"]
    assert (plan.payer, plan.filing_code, plan.remittance_date) == ("BLUE PEAK HEALTH PLAN", "12", date(2026, 11, 6))
    assert [(a.group, a.carc, a.amount, a.cpt) for a in plan.adjustments] == [("OA", "18", 10.0, None)]
    assert by_number["PCN-8002"].status_code == "4" and by_number["PCN-8002"].lines[0].adjustments[0].group == "PR"


@pytest.mark.parametrize(
    "delimiters",
    [
        Delimiters(),
        Delimiters(newline=False),
        Delimiters(element="|", component=">", terminator="~"),
        Delimiters(element="^", component="\\", repetition="{", terminator="'"),
        Delimiters(element="*", component=":", terminator="\n", newline=False),
    ],
    ids=["common", "one-line", "pipes", "edifact-like", "line-ends"],
)
def test_the_delimiters_come_from_the_isa_segment(delimiters):
    read = read_835(write_835([medicare()], delimiters).encode())
    assert read.errors == []
    assert [(c.claim_number, [line.cpt for line in c.lines]) for c in read.claims][:2] == [
        ("PCN-7001", ["99490"]),
        ("PCN-7002", ["99495", "99214", "93000"]),
    ]
    assert read.claims[0].lines[0].modifiers == ["25"]


def test_windows_line_ends_and_a_byte_order_mark_are_accepted():
    text = write_835([commercial()]).replace("\n", "\r\n")
    read = read_835(b"\xef\xbb\xbf" + text.encode())
    assert [c.claim_number for c in read.claims] == ["PCN-8001", "PCN-8002"] and read.errors == []


def test_a_bad_claim_is_reported_with_its_segment_and_the_others_are_kept():
    text = write_835([medicare(), commercial()])
    broken = text.replace("CAS*CO*197*42", "CAS*CO*197*4X2")
    read = read_835(broken.encode())
    assert [c.claim_number for c in read.claims] == ["PCN-7001", "PCN-7002", "PCN-7003", "PCN-8002"]
    [error] = read.errors
    position = next(i for i, seg in enumerate(broken.replace("\n", "").split("~"), start=1) if seg == "CAS*CO*197*4X2")
    assert (error.claim, error.segment) == ("PCN-8001", position)
    assert "CAS" in error.message and "amount" in error.message


def test_a_claim_without_its_patient_segment_is_an_error_that_names_no_one():
    text = write_835([commercial()])
    broken = text.replace("NM1*QC*1*DUBOIS*MARIE****MI*XJH882193001~\n", "")
    read = read_835(broken.encode())
    assert [c.claim_number for c in read.claims] == ["PCN-8002"]
    [error] = read.errors
    assert error.claim == "PCN-8001" and "NM1" in error.message
    assert "DUBOIS" not in error.message and "NAKAMURA" not in str(read.errors)


def test_a_bad_name_segment_is_reported_without_its_value():
    broken = write_835([commercial()]).replace(
        "NM1*QC*1*DUBOIS*MARIE****MI*XJH882193001", "NM1*QC*7*DUBOIS*MARIE****MI*XJH882193001"
    )
    [error] = read_835(broken.encode()).errors
    assert error.claim == "PCN-8001" and error.message.startswith("NM1") and "DUBOIS" not in error.message


def test_a_segment_out_of_place_loses_only_its_claim():
    broken = write_835([commercial()]).replace("SVC*HC:99457*52*10**1~", "SVC*HC:99457*52*10**1~\nXYZ*JUNK~")
    read = read_835(broken.encode())
    assert [c.claim_number for c in read.claims] == ["PCN-8002"]
    [error] = read.errors
    assert error.claim == "PCN-8001" and "XYZ" in error.message and error.segment is not None


@pytest.mark.parametrize(
    "data,message",
    [
        (b"", "empty"),
        (b"%PDF-1.7\n...", "ISA"),
        (b"ISA*00*short~GS*HP~", "106 characters"),
        (write_835([medicare()]).replace("*P*:~", "*P*:*").encode(), "delimiters"),
        (write_835([medicare()]).replace("005010X221A1", "005010X222A1").encode(), "version"),
    ],
    ids=["empty", "pdf", "short-isa", "terminator-equals-element", "an-837"],
)
def test_a_file_that_is_not_a_readable_835_is_refused_as_a_whole(data, message):
    with pytest.raises(RemittanceError) as raised:
        read_835(data)
    assert message in raised.value.message and raised.value.status == 422


def test_an_837_transaction_inside_is_skipped_with_an_error():
    text = write_835([commercial()]).replace("ST*835*0001", "ST*837*0001")
    read = read_835(text.encode())
    assert read.claims == [] and "not an 835" in read.errors[0].message


def test_a_file_cut_short_keeps_the_claims_it_holds():
    text = write_835([medicare()])
    cut = text[: text.index("CLP*PCN-7003")]
    read = read_835(cut.encode())
    assert [c.claim_number for c in read.claims] == ["PCN-7001", "PCN-7002"]
    assert any("ends inside a transaction" in e.message for e in read.errors)


def test_public_example_managed_care():
    """LinuxForHealth x12 test resource (Apache-2.0, see fixtures/remittances/public/SOURCES.md)."""
    read = read_835((PUBLIC / "linuxforhealth-managed-care.835").read_bytes())
    assert read.errors == []
    first, second = read.claims
    assert (first.claim_number, first.payer_claim_number, first.payer, first.status_code) == (
        "5554555444",
        "94060555410000",
        "RUSHMORE LIFE",
        "1",
    )
    assert (first.charge, first.paid, first.patient_share, first.filing_code) == (800.0, 450.0, 300.0, "12")
    assert first.patient_id == "33344555510" and first.remittance_date == date(2002, 3, 14)
    assert [(a.group, a.carc, a.amount) for a in first.adjustments] == [("CO", "A2", 50.0)]
    assert [(line.cpt, line.charge, line.paid, line.date_of_service) for line in first.lines] == [
        ("99211", 800.0, 500.0, date(2002, 3, 1))
    ]
    assert [(a.group, a.carc, a.amount) for a in first.lines[0].adjustments] == [("PR", "1", 300.0)]
    assert second.claim_number == "8765432112" and second.lines[0].cpt == "93555"
    assert [(a.group, a.carc, a.amount) for a in second.lines[0].adjustments] == [
        ("PR", "1", 600.0),
        ("CO", "45", 50.0),
    ]


def test_public_example_secondary_payment_with_a_stray_component_separator():
    """The SVC composite is written with '>' although ISA16 declares ':'; the code is still read."""
    read = read_835((PUBLIC / "linuxforhealth-cob-contractural-adjustment.835").read_bytes())
    assert read.errors == []
    [claim] = read.claims
    assert (claim.claim_number, claim.status_code, claim.charge, claim.paid) == ("0001000055", "2", 541.0, 34.0)
    assert (claim.payer, claim.payer_claim_number) == ("YOUR TAX DOLLARS AT WORK", "50650619501")
    assert (claim.date_of_service, claim.service_end, claim.remittance_date) == (
        date(2005, 2, 2),
        date(2005, 2, 2),
        date(2005, 3, 18),
    )
    [line] = claim.lines
    assert (line.cpt, line.date_of_service) == ("55669", date(2005, 2, 2))
    assert [(a.group, a.carc, a.amount) for a in line.adjustments] == [("OA", "23", 516.0), ("OA", "94", -9.0)]


def test_a_file_with_too_many_claims_is_refused_before_reading():
    with pytest.raises(RemittanceError) as raised:
        read_835(write_835([medicare(), commercial()]).encode(), max_claims=3)
    assert "holds 5 claims" in raised.value.message
