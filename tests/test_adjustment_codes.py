"""The CARC/RARC tables: enough codes, well formed, our own words, reachable as knowledge
entries with their group, and a licensed list loadable beside them."""

from pathlib import Path

import pytest
import yaml

from service.errors import UnknownCodeError
from service.knowledge import load_knowledge
from service.knowledge.adjustments import CodeListError, load_code_table, read_official_list
from tests.cli_runner import run_cli

ROOT = Path(__file__).resolve().parents[1]
TABLES = ROOT / "knowledge" / "adjustments"
TABLE = load_code_table(TABLES)


def test_the_tables_hold_at_least_60_carcs_and_40_rarcs_with_sources():
    assert len(TABLE.carc) >= 60 and len(TABLE.rarc) >= 40
    assert any("x12.org" in s for s in TABLE.sources) and any("CMS" in s for s in TABLE.sources)


def test_every_code_is_listed_once():
    for kind in ("carc", "rarc"):
        codes = [str(row["code"]).upper() for row in yaml.safe_load((TABLES / f"{kind}.yaml").read_text())["codes"]]
        assert len(codes) == len(set(codes)), kind


def test_every_carc_has_an_action_and_appealable_ones_say_what_a_chart_proves():
    for code, row in TABLE.carc.items():
        assert row.action is not None and row.meaning.strip() and row.title.strip(), code
        if row.action == "appeal":
            assert row.argument and row.evidence, code
            assert all(req.queries for req in row.evidence), code


def test_codes_that_need_a_remark_are_marked():
    assert all(TABLE.carc[c].remark_required for c in ("16", "96", "234", "252"))


def test_the_wording_is_short_and_our_own():
    """A guard against pasting the licensed list: titles stay short, and no row carries the list's
    telltale opening phrases."""
    pasted = (
        "This change to be effective",
        "Start:",
        "Usage: Refer to the 835 Healthcare Policy Identification Segment",
    )
    for row in [*TABLE.carc.values(), *TABLE.rarc.values()]:
        assert len(row.title) <= 80, row.code
        assert not any(p in row.meaning for p in pasted), row.code


def test_a_group_code_with_any_carc_is_a_knowledge_entry():
    kb = load_knowledge([ROOT / "knowledge" / "codes"])
    entry = kb.get("pr-204")
    assert (entry.code, entry.kind, entry.group) == ("PR-204", "carc", "PR")
    assert "patient may be billed" in entry.explanation
    assert kb.get("CO 97").title == "Included in the payment for another service"  # the code file wins over the table
    assert kb.get("OA-22").evidence == [] and kb.get("CO-50").evidence
    assert kb.get("N130").kind == "rarc"
    with pytest.raises(UnknownCodeError):
        kb.get("CO-Q9Z")


def test_a_licensed_list_is_read_and_shown_beside_our_words(tmp_path):
    data = b"code,description,type\n97,OFFICIAL WORDING NINETY-SEVEN,CARC\nN130,OFFICIAL REMARK,RARC\nMA04,OFFICIAL MA04,\n"
    rows = read_official_list(data)
    assert rows == {
        "CARC 97": "OFFICIAL WORDING NINETY-SEVEN",
        "RARC N130": "OFFICIAL REMARK",
        "RARC MA04": "OFFICIAL MA04",
    }
    (tmp_path / "list.csv").write_bytes(data)
    kb = load_knowledge([ROOT / "knowledge" / "codes"], tmp_path / "list.csv")
    assert "OFFICIAL WORDING NINETY-SEVEN" in kb.get("OA-97").explanation
    assert "OFFICIAL REMARK" in kb.get("N130").explanation


@pytest.mark.parametrize("data", [b"", b"a,b\n1,2\n", b"code,description\n,\n", b"\xff\xfe\x00bad"])
def test_a_code_list_that_cannot_be_read_is_refused(data):
    with pytest.raises(CodeListError):
        read_official_list(data)


def test_the_cli_loads_a_code_list_and_shows_it(tmp_path):
    csv_file = tmp_path / "carc.csv"
    csv_file.write_text("code,description\n50,OFFICIAL FIFTY\n", encoding="utf-8")
    env = {"OVERTURN_HOME": str(tmp_path / "home")}
    loaded = run_cli(["knowledge", "codelist", csv_file], env)
    assert loaded.returncode == 0 and "loaded 1 CARCs and 0 RARCs" in loaded.stdout, loaded.stderr
    shown = run_cli(["codes", "show", "PI-50"], env)
    assert shown.returncode == 0 and "OFFICIAL FIFTY" in shown.stdout and shown.stdout.startswith("PI-50: ")
