"""The payer directory: entries need a source and a checked date; a tenant's own entry wins."""

from datetime import date
from pathlib import Path

import pytest

from service.errors import KnowledgeFileError
from service.knowledge.payers import directory_paths, find_payer, load_directory

SHARED = """
payers:
  - id: lakeshore-health
    names: ["Lakeshore Health Plan"]
    payer_ids: ["LKSH1"]
    appeals:
      - line_of_business: commercial
        mail: ["Provider Disputes Unit", "PO Box 4410", "Duluth, MN 55801"]
        fax: "+1 218 555 0142"
      - line_of_business: any
        portal_url: "https://providers.example.org/disputes"
    source: "https://providers.example.org/contact"
    checked: 2026-11-02
  - id: lakeshore-health-medicare
    names: ["Lakeshore Health Plan Medicare Advantage"]
    appeals:
      - line_of_business: medicare_advantage
        mail: ["MA Reconsiderations", "PO Box 88", "Duluth, MN 55802"]
    source: "https://providers.example.org/ma"
    checked: 2026-10-15
"""

OWN = """
payers:
  - id: lakeshore-health
    names: ["Lakeshore Health Plan"]
    appeals:
      - line_of_business: any
        mail: ["Level One Appeals", "1200 Harbor Road", "Duluth, MN 55803"]
    source: "Phone call with provider relations, ref 7731"
    checked: 2026-12-01
"""


@pytest.fixture
def folders(tmp_path):
    shared, home = tmp_path / "shared", tmp_path / "home"
    shared.mkdir()
    (shared / "payers.yaml").write_text(SHARED)
    return shared, home


def test_the_longest_name_found_in_the_payer_decides_and_the_line_of_business_picks_the_address(folders):
    shared, home = folders
    entries = load_directory(directory_paths([shared], home, "clinic-a"))
    found = find_payer(entries, "LAKESHORE HEALTH PLAN Medicare Advantage (HMO)", "medicare_advantage")
    assert found is not None and found.payer_id == "lakeshore-health-medicare"
    assert found.address.mail[1] == "PO Box 88" and found.checked == date(2026, 10, 15)
    commercial = find_payer(entries, "Lakeshore Health Plan", "commercial")
    assert commercial is not None and commercial.address.fax == "+1 218 555 0142"
    other = find_payer(entries, "Lakeshore Health Plan", "medicaid")
    assert other is not None and other.address.portal_url == "https://providers.example.org/disputes"
    assert find_payer(entries, "Lakeshore Dental", "commercial") is None
    assert find_payer(entries, "Lakeshore Health Planning Group", "commercial") is None


def test_a_tenants_own_entry_replaces_the_shared_one_for_that_tenant_only(folders):
    shared, home = folders
    own = home / "tenants" / "clinic-a" / "payers.yaml"
    own.parent.mkdir(parents=True)
    own.write_text(OWN)
    mine = find_payer(
        load_directory(directory_paths([shared], home, "clinic-a")), "Lakeshore Health Plan", "commercial"
    )
    theirs = find_payer(
        load_directory(directory_paths([shared], home, "clinic-b")), "Lakeshore Health Plan", "commercial"
    )
    assert mine is not None and mine.address.mail[0] == "Level One Appeals"
    assert theirs is not None and theirs.address.mail[0] == "Provider Disputes Unit"


@pytest.mark.parametrize(
    "text, field",
    [
        ("payers:\n  - id: x\n    names: [A]\n    appeals: [{mail: [B]}]\n    checked: 2026-01-01\n", "source"),
        (
            "payers:\n  - id: x\n    names: [A]\n    appeals: [{mail: [B]}]\n    source: https://a.example/b\n",
            "checked",
        ),
        (
            "payers:\n  - id: x\n    names: [A]\n    appeals: [{fax: call us}]\n    source: https://a.example/b\n    checked: 2026-01-01\n",
            "appeals.0.fax",
        ),
        ("payers: {}\n", None),
    ],
)
def test_an_entry_without_its_source_or_date_or_with_a_bad_fax_is_refused_naming_the_field(tmp_path, text, field):
    (tmp_path / "payers.yaml").write_text(text)
    with pytest.raises(KnowledgeFileError) as caught:
        load_directory([tmp_path / "payers.yaml"])
    assert "payers.yaml" in caught.value.message
    if field:
        assert field in caught.value.message


def test_the_bundled_directory_loads_and_every_entry_has_a_source_and_date():
    for entry in load_directory(directory_paths([], Path("/nonexistent"), "t")).values():
        assert entry.source and entry.checked
