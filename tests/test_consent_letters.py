"""A letter's consent is the program's: a chart whose only consent line is to a vaccine does not
get that line quoted as the care-management consent, and the requirement is reported missing;
the program's own consent is quoted. Hand-written chart; asserts name requirements, not text."""

from datetime import date

import pytest

from service.casework.local import draft_files
from service.casework.state import open_workspace
from service.models import CaseFields
from tests.pdfs import make_pdf

pytestmark = pytest.mark.integration

BANNER = "Okonkwo, Ifeoma   DOB 03/21/1949   MRN BR-40021"
CASE = CaseFields(
    claim_number="CLM-TEST-0601",
    patient_name="Ifeoma Okonkwo",
    patient_id="4KD8-RT2-PL90",
    date_of_service=date(2026, 4, 30),
    payer="Medicare Part B",
    denial_code="CCM06",
    provider_name="Samir Haddad, MD",
    practice_name="Birch Row Medicine",
    billed_cpt=["99490"],
    patient_dob=date(1949, 3, 21),
    mrn="BR-40021",
)
VISIT = [
    "Birch Row Medicine - Office Visit 04/06/2026",
    BANNER,
    "Problems: type 2 diabetes (E11.9); heart failure with reduced EF (I50.22).",
    "Verbal consent given for the shingles vaccine.",
    "Monthly nurse calls continue for her heart failure and sugars.",
]
CALLS = [
    "Birch Row Medicine - Care Management Time, April 2026",
    BANNER,
    "04/08/2026  Lena Ortiz, RN   weight and sugar review by phone         12 min",
    "04/22/2026  Lena Ortiz, RN   diuretic change relayed, pharmacy call   11 min",
]
PROGRAM_CONSENT = [
    "Birch Row Medicine - Care Management Agreement 01/10/2026",
    BANNER,
    "Ms. Okonkwo agreed by phone to the monthly care management program after hearing that a",
    "coinsurance may apply, that one practice bills it each month and that she may stop any time.",
]


@pytest.fixture
def ws(settings, components):
    return open_workspace(settings, components)


def _consent_quotes(drafted) -> list[str]:
    assert drafted.analysis is not None
    return [e.text for e in drafted.analysis.selection.evidence if e.requirement == "consent"]


def test_a_consent_to_a_vaccine_is_not_quoted_as_the_programs(ws):
    drafted = draft_files(ws, CASE, [("chart.pdf", make_pdf([VISIT, CALLS]))])
    assert not any("shingles" in q for q in _consent_quotes(drafted)), "a vaccine consent was quoted"
    assert "consent given for the shingles" not in drafted.result.letter
    assert "consent" in {req.id for req in drafted.analysis.selection.missing}


def test_the_programs_own_consent_is_quoted(ws):
    drafted = draft_files(ws, CASE, [("chart.pdf", make_pdf([PROGRAM_CONSENT, VISIT, CALLS]))])
    quotes = _consent_quotes(drafted)
    assert quotes and all("shingles" not in q for q in quotes)
