"""Before you bill (issue 37): a month's records checked against a code's requirements.

The issue's own test: a complete month reports ready; the same chart without its consent page
reports consent missing; with a note that the patient left the program it reports consent at risk
and stops counting minutes there. The chart is written by hand for this file. Assert messages
name requirements and numbers, never page text."""

import json

import pytest

from service.casework.checks import check_files
from service.casework.state import open_workspace
from service.checks.months import BadMonthError
from service.errors import UnknownCodeError
from service.models import CheckPatient
from tests.pdfs import make_pdf

PATIENT = CheckPatient(
    patient_name="Rosalind Achterberg",
    patient_id="7QX2-PL4-WD81",
    patient_dob="1944-02-09",
    mrn="HV-55102",
    provider_name="Tobias Lindqvist, MD",
    practice_name="Hollow Vale Family Practice",
)
BANNER = "Achterberg, Rosalind   DOB 02/09/1944   MRN HV-55102"

AGREEMENT = [
    "Hollow Vale Family Practice - Care Coordination Program Agreement",
    BANNER,
    "Signed 01/14/2026 in clinic with Dr. Lindqvist.",
    "Mrs. Achterberg agreed to enroll in chronic care management with our practice.",
    "We reviewed with her that a monthly coinsurance may be billed for this service.",
    "She understands that a single clinician reports this service in any one month.",
    "She knows she can leave the program whenever she chooses by telling our staff.",
    "Patient signature on file. Witness: Imani Seldon, RN",
]
PLAN = [
    "Hollow Vale Family Practice - Care Plan (reviewed 04/02/2026)",
    BANNER,
    "Active problems: type 2 diabetes with neuropathy (E11.40); heart failure with reduced",
    "ejection fraction (I50.22); chronic kidney disease stage 3a (N18.31).",
    "Each is expected to continue for the rest of her life and puts her at risk of admission.",
    "Goals: A1c under 8 by July; daily weights logged; no heart failure admission this year.",
    "Interventions: RN calls every two weeks (Imani Seldon, RN); diuretic titration by Dr. Lindqvist;",
    "renal dietitian referral (Paulo Greaves, RD); pharmacy blister packs arranged by RN.",
    "Functional status: walks with a cane; daughter helps with shopping and pill boxes.",
    "Next full review of this plan: 07/2026.",
]
PLAN_GIVEN = [
    "Hollow Vale Family Practice - Nursing Note 04/03/2026",
    BANNER,
    "A printed copy of the reviewed care plan was mailed to the patient's home today,",
    "and the daughter confirmed by phone that they received it and keep it on the fridge.",
    "Imani Seldon, RN",
]
TIME_LOG = [
    "Care coordination minutes - April 2026",
    BANNER,
    "Date        Minutes   Staff               Work done",
    "04/02/2026  12        Imani Seldon, RN    Plan review call with patient and daughter",
    "04/09/2026  9         Imani Seldon, RN    Arranged pharmacy blister packs",
    "04/23/2026  11        Imani Seldon, RN    Weight trend call; diuretic change relayed",
    "Month total: 32 minutes",
]
LEFT_PROGRAM = [
    "Hollow Vale Family Practice - Telephone Note 04/16/2026",
    BANNER,
    "Patient phoned and told us she wants to drop out of the care management program",
    "as of today; Dr. Lindqvist informed. Imani Seldon, RN",
]


@pytest.fixture(scope="module")
def ws(tmp_path_factory, embedder):
    from service.components import Components
    from service.config import Settings

    settings = Settings(home=tmp_path_factory.mktemp("home"))
    return open_workspace(settings, Components(settings, embedder=embedder))


def run(ws, pages, code="99490", month="2026-04"):
    return check_files(ws, PATIENT, code, month, [("chart.pdf", make_pdf(pages))])


def statuses(result) -> dict[str, str]:
    return {r.id: r.status for r in result.requirements}


def test_a_complete_month_is_ready_with_citations_for_each_requirement(ws):
    result = run(ws, [AGREEMENT, PLAN, PLAN_GIVEN, TIME_LOG])
    assert result.ready, statuses(result)
    assert result.minutes.total == 32
    assert result.supported_codes == ["99490"]
    pages = {(p.document, p.number): p for p in []}
    del pages
    for req in result.requirements:
        if req.id in ("consent", "care_plan", "care_plan_shared", "time", "qualifying_conditions"):
            assert req.citations, f"{req.id} has no citation"
    cited_consent = {c.page for c in next(r for r in result.requirements if r.id == "consent").citations}
    assert 1 in cited_consent, cited_consent


def test_the_same_chart_without_its_consent_page_reports_consent_missing(ws):
    result = run(ws, [PLAN, PLAN_GIVEN, TIME_LOG])
    assert statuses(result)["consent"] == "missing", statuses(result)
    assert not result.ready
    assert result.supported_codes == []
    assert any("missing" in w for w in result.warnings)


def test_a_note_that_the_patient_left_puts_consent_at_risk_and_ends_the_countable_month(ws):
    result = run(ws, [AGREEMENT, PLAN, PLAN_GIVEN, TIME_LOG, LEFT_PROGRAM])
    found = statuses(result)
    assert found["consent"] == "at_risk", found
    consent = next(r for r in result.requirements if r.id == "consent")
    assert any(c.against and c.page == 5 for c in consent.citations)
    assert "2026-04-16" in consent.reason
    assert result.minutes.total == 21  # the 04/23 call came after she left
    assert not result.ready


def test_minutes_below_the_threshold_put_time_at_risk_and_support_nothing(ws):
    short = TIME_LOG[:4] + ["Month total: 12 minutes"]
    result = run(ws, [AGREEMENT, PLAN, PLAN_GIVEN, short])
    assert statuses(result)["time"] == "at_risk"
    assert "12" in next(r for r in result.requirements if r.id == "time").reason
    assert result.supported_codes == []


def test_another_patients_page_is_never_counted(ws):
    other = [
        "Care coordination minutes - April 2026",
        "Brennan, Walter   DOB 11/30/1950   MRN HV-70433",
        "Date        Minutes   Staff               Work done",
        "04/12/2026  25        Imani Seldon, RN    Insulin teaching call",
    ]
    result = run(ws, [AGREEMENT, PLAN, PLAN_GIVEN, TIME_LOG, other])
    assert result.minutes.total == 32
    assert any(e.page == 5 for e in result.excluded_pages)


def test_an_add_on_is_supported_per_full_block(ws):
    longer = TIME_LOG[:-1] + ["04/28/2026  15        Imani Seldon, RN    Renal dietitian coordination"]
    result = run(ws, [AGREEMENT, PLAN, PLAN_GIVEN, longer])
    assert result.minutes.total == 47
    assert result.supported_codes == ["99490", "99439"]
    add_on = run(ws, [AGREEMENT, PLAN, PLAN_GIVEN, longer], code="99439")
    assert add_on.minutes.needed == 40 and add_on.ready, statuses(add_on)


def test_practitioner_codes_count_only_the_practitioners_own_minutes(ws):
    log = TIME_LOG[:-1] + ["04/27/2026  31        Tobias Lindqvist, MD   Reviewed cardiology and renal results"]
    result = run(ws, [AGREEMENT, PLAN, PLAN_GIVEN, log], code="99491")
    assert result.minutes.total == 31
    assert result.supported_codes == ["99491"]


def test_the_contract_keys(ws):
    result = json.loads(run(ws, [AGREEMENT, PLAN, PLAN_GIVEN, TIME_LOG]).model_dump_json())
    assert {"code", "month", "requirements", "minutes", "supported_codes", "warnings"} <= set(result)
    assert {"id", "title", "status", "reason", "citations"} <= set(result["requirements"][0])
    assert {"total", "rows"} <= set(result["minutes"])
    quote = result["requirements"][0]["citations"][0]
    assert {"document", "page", "quote"} <= set(quote)


def test_a_bad_month_or_code_is_refused_before_reading(ws):
    with pytest.raises(BadMonthError):
        run(ws, [TIME_LOG], month="2026-13")
    with pytest.raises(UnknownCodeError):
        run(ws, [TIME_LOG], code="99999")


def test_nothing_is_kept_after_a_check_of_files(ws):
    run(ws, [AGREEMENT, PLAN, PLAN_GIVEN, TIME_LOG])
    assert ws.components.vectors.count("check", "any") == 0
    assert (
        not any((ws.settings.files_dir / "check").glob("*/*")) if (ws.settings.files_dir / "check").exists() else True
    )
