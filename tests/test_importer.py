import re
from pathlib import Path

import pytest

from service.errors import KnowledgeFileError
from service.knowledge import load_code_file
from service.knowledge.importer import parse_seed_page, render_code_file
from tests.cli_runner import run_cli
from tests.conftest import shared_dir


def seeds() -> list[Path]:
    return sorted(shared_dir("seeds").glob("*.txt"))


def test_every_seed_page_imports_and_round_trips(tmp_path):
    codes = set()
    for path in seeds():
        result = parse_seed_page(path.read_text(), path.name)
        out = tmp_path / f"{result.entry.code}.md"
        out.write_text(render_code_file(result.entry))
        loaded = load_code_file(out)
        assert loaded.title == result.entry.title
        assert loaded.evidence and loaded.explanation and loaded.appeal_argument
        assert not re.search(r"\[[^\]]*\]", loaded.appeal_argument), "placeholders must not reach a letter"
        codes.add(loaded.code)
    assert codes == {"CCM02", "CCM06", "CCM20", "CCM31", "CCM39"}


def test_ccm06_with_empty_sections_still_imports():
    path = next(p for p in seeds() if "CCM06" in p.read_text()[:200])
    result = parse_seed_page(path.read_text(), path.name)
    assert result.entry.code == "CCM06"
    assert result.entry.common_causes == [] and result.entry.prevention == []
    assert any("no common causes" in note for note in result.notes)


def test_a_page_without_a_code_is_refused():
    with pytest.raises(KnowledgeFileError, match="no denial code"):
        parse_seed_page("Quick Explanation\nSomething.\n", "page.txt")


def test_cli_import_then_show(tmp_path):
    env = {"OVERTURN_HOME": str(tmp_path / "home")}
    page = seeds()[0]
    text = page.read_text().replace("CCM20", "ZZ20")
    src = tmp_path / "zz20.txt"
    src.write_text(text)
    done = run_cli(["knowledge", "import", src], env)
    assert done.returncode == 0, done.stderr
    shown = run_cli(["codes", "show", "ZZ20"], env)
    assert shown.returncode == 0 and "ZZ20: Technology integration not optimized" in shown.stdout
