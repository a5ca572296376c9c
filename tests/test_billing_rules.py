"""The billing rules of each care-management service (`billing:` in `knowledge/services/` and
`knowledge/billing/`): what the documentation must show before a code is billed, each
requirement with the CMS or CPT source it comes from, and the codes' thresholds."""

import re
import shutil
from pathlib import Path

import pytest

from service.config import Settings
from service.errors import KnowledgeFileError, UnknownCodeError
from service.knowledge import load_code_file, load_knowledge
from service.knowledge.loader import BILLING_DIR
from service.models import CaseFields
from tests.cli_runner import run_cli

REPO = Path(__file__).resolve().parent.parent
KB = load_knowledge(Settings().code_dirs)

STABLE_IDS = {
    "qualifying_conditions", "initiating_visit", "consent", "care_plan", "care_plan_shared", "care_plan_revised",
    "time", "one_practitioner", "decision_making", "not_with_ccm", "device", "setup", "data_days",
    "interactive_contact", "interpretation_time", "discharge", "face_to_face", "medication_reconciliation",
}  # fmt: skip
"""The words the check contract reports requirements by (issue 37): renaming one breaks clients."""

BILLABLE = {
    "CCM": ["99490", "99439", "99491", "99437", "99487", "99489"],
    "PCM": ["99424", "99425", "99426", "99427"],
    "RPM": ["99453", "99454", "99445", "99457", "99458", "99470", "99091"],
    "TCM": ["99495", "99496"],
}

GOOD = """---
code: XYZ
title: Test service (90001, 90002)
kind: service
services: [XYZ, "90001", "90002"]
billing_period: calendar_month
evidence:
  - id: consent
    label: Consent
    need: The patient's recorded agreement.
    period: before_or_during
    source: A named source
    queries: [patient agreed to the service]
  - id: time
    label: Minutes
    need: The month's minutes.
    source: Another named source
    queries: [minutes this month]
billing:
  - code: "90001"
    title: First 20 minutes
    minutes: 20
    who: clinical_staff
    requires: [consent, time]
  - code: "90002"
    title: Each further 20 minutes
    base: "90001"
    minutes: 20
    who: clinical_staff
    requires: [consent, time]
---
## Explanation
What the service is.

## Appeal argument
Why it should be paid.
"""


def knowledge_root(tmp_path: Path, text: str, name: str = "XYZ.md") -> list[Path]:
    """A knowledge folder laid out as the bundled one (codes/ beside billing/), with one billing
    file: the code dirs to load it from."""
    root = tmp_path / "knowledge"
    (root / "codes").mkdir(parents=True)
    shutil.copy(REPO / "knowledge" / "codes" / "CCM02.md", root / "codes")
    (root / BILLING_DIR).mkdir()
    (root / BILLING_DIR / name).write_text(text)
    return [root / "codes"]


def test_every_service_file_loads_with_its_billable_codes():
    assert {key: [c.code for c in entry.billing] for key, entry in KB.billing.items()} == BILLABLE
    for key, entry in KB.billing.items():
        assert entry.kind == "service" and entry.explanation and entry.appeal_argument, key
        assert entry.common_causes and entry.prevention and entry.attachments, key
        assert {c.code for c in entry.billing} <= set(entry.services), key
    for path in sorted((REPO / "knowledge" / BILLING_DIR).glob("*.md")):
        assert load_code_file(path).billing, path.name


def test_every_requirement_names_its_source_and_has_a_stable_id():
    for entry in KB.billing.values():
        for req in entry.evidence:
            assert req.source and req.source.strip(), f"{entry.code}.{req.id}"
            assert req.id in STABLE_IDS, f"{entry.code}.{req.id} is not one of the contract's words"
            assert re.fullmatch(r"[a-z]+(?:_[a-z]+)*", req.id)
            assert len(req.queries) >= 3, f"{entry.code}.{req.id}"


def test_the_issue_names_its_ids_where_the_services_need_them():
    ids = {key: {r.id for r in entry.evidence} for key, entry in KB.billing.items()}
    assert {"consent", "time", "care_plan", "care_plan_shared", "qualifying_conditions", "initiating_visit",
            "one_practitioner"} <= ids["CCM"]  # fmt: skip
    assert {"consent", "time", "care_plan", "qualifying_conditions"} <= ids["PCM"]
    assert {"device", "setup", "data_days", "time", "interactive_contact", "one_practitioner"} <= ids["RPM"]
    assert {"discharge", "interactive_contact", "face_to_face", "medication_reconciliation"} <= ids["TCM"]


def test_standing_documents_and_time_have_the_periods_the_model_means():
    for key in ("CCM", "PCM"):
        periods = {r.id: r.period for r in KB.billing[key].evidence}
        assert periods["consent"] == periods["care_plan"] == "before_or_during", key
        assert periods["time"] == "service_period", key
    rpm = KB.billing["RPM"]
    assert rpm.episode_days == 30 and rpm.billing_period == "calendar_month"
    assert {r.id: r.period for r in rpm.evidence}["data_days"] == "episode"


def test_add_on_bases_resolve_to_primary_codes_of_the_same_service():
    for entry in KB.billing.values():
        for code in entry.billing:
            found = KB.billable(code.code)
            assert found.entry is entry and found.code is code
            assert set(code.requires) == {r.id for r in found.requirements}
            if code.base:
                assert found.base is not None and found.base.base is None
                assert KB.billable(code.base).entry is entry


@pytest.mark.parametrize(
    "cpt, service, base, minutes, who",
    [
        ("99490", "CCM", None, 20, "clinical_staff"),
        ("99439", "CCM", "99490", 20, "clinical_staff"),
        ("99491", "CCM", None, 30, "practitioner"),
        ("99437", "CCM", "99491", 30, "practitioner"),
        ("99487", "CCM", None, 60, None),
        ("99489", "CCM", "99487", 30, None),
        ("99424", "PCM", None, 30, "practitioner"),
        ("99425", "PCM", "99424", 30, "practitioner"),
        ("99426", "PCM", None, 30, "clinical_staff"),
        ("99427", "PCM", "99426", 30, "clinical_staff"),
        ("99457", "RPM", None, 20, None),
        ("99458", "RPM", "99457", 20, None),
        ("99470", "RPM", None, 10, None),
        ("99091", "RPM", None, 30, "practitioner"),
        ("99453", "RPM", None, None, None),
        ("99496", "TCM", None, None, None),
    ],
)
def test_thresholds_are_the_ones_the_domain_notes_state(cpt, service, base, minutes, who):
    found = KB.billable(f" {cpt.lower()} ")
    assert (found.entry.code, found.code.base, found.code.minutes, found.code.who) == (service, base, minutes, who)


def test_device_supply_codes_state_their_days_of_data_and_complex_ccm_its_extra_requirements():
    assert KB.billable("99454").code.days_of_data == (16, 30)
    assert KB.billable("99445").code.days_of_data == (2, 15)
    assert "data_days" in KB.billable("99454").code.requires
    assert "interactive_contact" in KB.billable("99457").code.requires
    assert {"decision_making", "care_plan_revised"} <= set(KB.billable("99489").code.requires)
    assert not {"decision_making", "care_plan_revised"} & set(KB.billable("99490").code.requires)


def test_an_unknown_code_is_refused_naming_the_code():
    with pytest.raises(UnknownCodeError, match="'99213'"):
        KB.billable("99213")


def case(denial: str, cpt: str) -> CaseFields:
    return CaseFields(
        claim_number="C-1",
        patient_name="Ann Lee",
        patient_id="M1",
        date_of_service="2026-03-31",
        payer="Medicare Part B",
        denial_code=denial,
        billed_cpt=[cpt],
    )


@pytest.mark.parametrize("denial", ["CCM02", "CCM06", "CCM20", "CCM31", "CCM39", "CO-50", "CO-16"])
def test_billing_only_services_never_argue_a_denial(denial):
    """CCM, PCM and RPM sit in knowledge/billing/, read only for the checks: a denial is argued
    by its own code as before (only TCM, in knowledge/services/, argues as itself)."""
    assert set(KB.services) == {"TCM"}
    for key in ("CCM", "PCM", "RPM"):
        for code in KB.billing[key].billing:
            argued = KB.argument_for(case(denial, code.code))
            assert argued.evidence == KB.get(denial).evidence, (denial, code.code)
            assert argued.appeal_argument == KB.get(denial).appeal_argument, (denial, code.code)


def test_a_valid_billing_file_loads_from_a_knowledge_folder(tmp_path):
    kb = load_knowledge(knowledge_root(tmp_path, GOOD))
    found = kb.billable("90002")
    assert found.entry.code == "XYZ" and found.base.code == "90001"
    assert [r.source for r in found.requirements] == ["A named source", "Another named source"]
    assert "XYZ" not in kb.services  # read for its billing rules only


@pytest.mark.parametrize(
    "mutate, field, says",
    [
        (lambda t: t.replace("    source: A named source\n", ""), "evidence.0.source", "no source"),
        (lambda t: t.replace("    source: Another named source\n", "    source: '  '\n"), "evidence.1.source", "no source"),
        (lambda t: t.replace("    requires: [consent, time]\n---", "    requires: [consent, minutes]\n---"),
         "billing.1.requires", "unknown requirement id 'minutes'"),
        (lambda t: t.replace('    base: "90001"\n', '    base: "90009"\n'), "billing.1.base", "not a code of this entry"),
        (lambda t: t.replace('    base: "90001"\n', ''), "billing.1.base", "add-on '90002' ('each further ...') names no base"),
        (lambda t: t.replace('    base: "90001"\n', '    base: "90002"\n'), "billing.1.base", "cannot be its own base"),
        (lambda t: t.replace("    requires: [consent, time]\n---", '    requires: [consent, time]\n  - code: "90003"\n'
                             '    title: Third\n    base: "90002"\n    requires: [time]\n---').replace(
                             '"90002"]', '"90002", "90003"]'), "billing.2.base", "'90002' is itself an add-on"),
        (lambda t: t.replace('  - code: "90001"\n    title: First 20 minutes\n    minutes: 20\n    who: clinical_staff\n'
                             '    requires: [consent, time]\n', ''), "billing.0.base", "not a code of this entry"),
        (lambda t: t.replace('code: "90002"', 'code: "90001"'), "billing.1.code", "listed twice"),
        (lambda t: t.replace('services: [XYZ, "90001", "90002"]', 'services: [XYZ, "90001"]'), "billing.1.code",
         "not in the entry's services"),
        (lambda t: t.replace("    requires: [consent, time]\n---", "    requires: []\n---"), "billing.1.requires",
         "at least one"),
        (lambda t: t.replace("who: clinical_staff", "who: front_desk"), "billing.0.who", ""),
        (lambda t: t.replace("    minutes: 20\n    who", "    minutes: 20\n    days_of_data: [16, 2]\n    who", 1),
         "billing.0.days_of_data", "fewest"),
        (lambda t: t.replace("    minutes: 20\n    who", "    minutes: 20\n    require: [time]\n    who", 1),
         "billing.0.require", "Extra inputs"),
        (lambda t: t.replace("kind: service", "kind: payer"), "billing", "kind: service"),
        (lambda t: t.replace(t[t.index("billing:"):t.index("---\n## Explanation")], ""), "billing", "at least one"),
    ],
)  # fmt: skip
def test_a_broken_billing_file_is_refused_naming_the_file_and_field(tmp_path, mutate, field, says):
    broken = mutate(GOOD)
    assert broken != GOOD
    with pytest.raises(KnowledgeFileError) as err:
        load_knowledge(knowledge_root(tmp_path, broken))
    message = err.value.message
    assert message.startswith("XYZ.md: ") and f"'{field}'" in message and says in message, message


def test_a_code_cannot_belong_to_two_services(tmp_path):
    clash = GOOD.replace('"90001"', '"99490"').replace("code: XYZ", "code: ZZZ")
    dirs = knowledge_root(tmp_path, clash, name="ZZZ.md")
    shutil.copy(REPO / "knowledge" / BILLING_DIR / "CCM.md", dirs[0].parent / BILLING_DIR)
    with pytest.raises(KnowledgeFileError, match=r"^ZZZ.md: field 'billing\.0\.code': '99490' already belongs to CCM"):
        load_knowledge(dirs)


def test_the_bundled_code_list_still_works(tmp_path):
    listed = run_cli(["codes", "list"], {"OVERTURN_HOME": str(tmp_path / "home")})
    assert listed.returncode == 0, listed.stderr
    codes = {line.split()[0] for line in listed.stdout.splitlines() if line.strip()}
    assert {"CCM02", "CCM06", "CCM20", "CCM31", "CCM39", "CO-50"} <= codes
    assert not {"CCM", "PCM", "RPM", "TCM"} & codes  # services are not denial codes


def test_a_requirement_may_rest_only_on_another_of_its_entry(tmp_path):
    """`needs` names another requirement of the same entry; anything else is refused by name."""
    source = (REPO / "knowledge" / BILLING_DIR / "CCM.md").read_text()
    bad = source.replace("needs: [care_plan]", "needs: [care_plan_copy]", 1)
    assert bad != source
    path = tmp_path / "CCM.md"
    path.write_text(bad)
    with pytest.raises(KnowledgeFileError, match="needs"):
        load_code_file(path)
