"""Public 835 files from three other open-source X12 projects (sources and licences in
fixtures/remittances/public/SOURCES.md), read claim by claim and imported as cases.

The expected values were written by hand from each file's segments: per claim CLP01, CLP07,
status (CLP02), charge (CLP03), paid (CLP04), every CAS group-reason and amount (claim level
first, then line by line), and the case the claim should make: its denial code, action, amount
at stake and whether it waits for review (a code not in our table), or None for a paid claim.
"""

from pathlib import Path

import pytest

from service.casework.remittances import import_remittance
from service.casework.state import open_workspace
from service.remittance.x835 import read_835

PUBLIC = Path(__file__).parent / "fixtures" / "remittances" / "public"

EMEDNY = [
    ("PATIENT ACCOUNT NUMBER", "1000210000000030", "1", 34.25, 34.25, [], None),
    (
        "PATIENT ACCOUNT NUMBER",
        "1000220000000020",
        "2",
        34.0,
        0.0,
        [("CO-29", 12.0), ("CO-29", 22.0)],
        ("CO-29", "appeal", 34.0, False),
    ),
    (
        "PATIENT ACCOUNT NUMBER",
        "1000230000000020",
        "2",
        34.25,
        11.5,
        [("CO-251", 2.75), ("CO-251", 20.0)],
        ("CO-251", "appeal", 22.75, True),
    ),
]
"""The New York Medicaid example: every claim shares CLP01; the third's lines carry remark N206,
which our remark table lacks, so its case waits for review."""

EXPECTED = {
    "linuxforhealth-managed-care.835": [
        (
            "5554555444",
            "94060555410000",
            "1",
            800.0,
            450.0,
            [("CO-A2", 50.0), ("PR-1", 300.0)],
            ("CO-A2", "appeal", 50.0, True),
        ),
        (
            "8765432112",
            "94077799230000",
            "1",
            1200.0,
            495.0,
            [("CO-A2", 55.0), ("PR-1", 600.0), ("CO-45", 50.0)],
            ("CO-A2", "appeal", 55.0, True),
        ),
    ],
    "linuxforhealth-cob-contractural-adjustment.835": [
        ("0001000055", "50650619501", "2", 541.0, 34.0, [("OA-23", 516.0), ("OA-94", -9.0)], None),
    ],
    "linuxforhealth-medicare-part-a.835": [
        ("666123", "1999999444444", "1", 211366.97, 138018.40, [("CO-45", 73348.57)], None),
        ("777777", "1999999444445", "1", 15000.0, 11980.33, [("CO-45", 3019.67)], None),
    ],
    "linuxforhealth-secondary-payment.835": [
        ("L0004828311", "05090256390", "2", 10323.64, 912.0, [("OA-23", 9411.64)], None),
        (
            "0001000053",
            "05630626430",
            "2",
            751.5,
            310.0,
            [("OA-23", 136.5), ("PR-1", 150.0), ("PR-2", 70.0), ("CO-42", 85.0)],
            ("CO-42", "appeal", 85.0, True),
        ),
    ],
    "linuxforhealth-tertiary-payment.835": [
        ("0001000054", "50580155533", "3", 1766.5, 187.5, [("OA-23", 1579.0)], None),
    ],
    "edi-835-parser-emedny_sample.835": EMEDNY,
    "edi-835-parser-united_healthcare_legacy_sample.835": [
        (
            "001-18573-358",
            "ATL2819897200",
            "1",
            341.28,
            88.92,
            [("CO-45", 67.5), ("PR-1", 105.26), ("CO-45", 79.6)],
            ("CO-45", "no_action", 184.86, False),
        ),
        (
            "001-18604-358",
            "ATL2819897800",
            "1",
            816.24,
            261.07,
            [("CO-45", 255.72), ("PR-2", 5.13), ("PR-1", 110.0), ("CO-45", 184.32)],
            None,
        ),
    ],
    "x12-parser-profee.835": EMEDNY,
    "x12-parser-profee-one-line.835": EMEDNY,
    "x12-parser-multi-line-not-delimited.835": EMEDNY,
}
KEPT_NOTES = {"edi-835-parser-united_healthcare_legacy_sample.835": 2}
"""Claims x12sdk's models reject (an NM1*74 corrected name with no name) that are read by
position and kept, each with a note."""


@pytest.fixture
def ws(settings, components):
    return open_workspace(settings, components)


def test_every_public_file_is_in_the_table_and_comes_from_three_projects():
    files = {p.name for p in PUBLIC.glob("*.835")}
    assert files == set(EXPECTED)
    assert len({name.split("-")[0] for name in files}) == 3
    sources = (PUBLIC / "SOURCES.md").read_text()
    assert all(f"`{name}`" in sources for name in files)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_claim_of_a_public_file_is_read_as_written(name):
    read = read_835((PUBLIC / name).read_bytes())
    assert [e for e in read.errors if not e.kept] == []
    assert len([e for e in read.errors if e.kept]) == KEPT_NOTES.get(name, 0)
    got = [
        (
            c.claim_number,
            c.payer_claim_number,
            c.status_code,
            c.charge,
            c.paid,
            [(a.code, a.amount) for a in c.all_adjustments()],
        )
        for c in read.claims
    ]
    assert got == [row[:6] for row in EXPECTED[name]]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_denial_of_a_public_file_becomes_a_case_and_each_paid_claim_none(ws, name):
    result = import_remittance(ws, "public", (PUBLIC / name).read_bytes())
    assert [e for e in result.errors if not e.kept] == []
    expected = [(row[0], *row[6]) for row in EXPECTED[name] if row[6] is not None]
    assert [(c.claim_number, c.denial_code, c.action, c.amount_denied, c.review) for c in result.cases] == expected
    assert len({c.id for c in result.cases}) == len(expected)
    assert result.claims == len(EXPECTED[name]) and result.paid == sum(row[6] is None for row in EXPECTED[name])
