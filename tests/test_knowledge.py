import re
from pathlib import Path

import pytest

from service.config import Settings
from service.errors import KnowledgeFileError, UnknownCodeError
from service.knowledge import load_code_file, load_knowledge
from service.knowledge.loader import code_key

SEED_CODES = ["CCM02", "CCM06", "CCM20", "CCM31", "CCM39"]
REPO = Path(__file__).resolve().parent.parent

GOOD = """---
code: XY01
title: Test code
kind: payer
evidence:
  - id: minutes
    label: Minutes
    need: Minutes of care
    queries: [minutes of care]
---
## Explanation
What it means.

## Common causes
- one

## Appeal argument
The argument.
"""


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text)
    return path


def test_bundled_codes_load_with_the_agreed_evidence_ids():
    kb = load_knowledge(Settings().code_dirs)
    table = (REPO / "docs" / "evidence-ids.md").read_text()
    for code in SEED_CODES:
        entry = kb.get(code)
        expected = re.findall(rf"^\| {code} \| (\w+) \|", table, re.MULTILINE)
        assert [r.id for r in entry.evidence] == expected
        assert entry.billing_period == "calendar_month"
        assert entry.attachments and entry.prevention and entry.common_causes
        assert all(len(r.queries) >= 3 for r in entry.evidence)


def test_appeal_arguments_state_no_numbers():
    """The argument is pasted into every letter, so it must carry no unsupported specifics."""
    for entry in load_knowledge(Settings().code_dirs).all():
        assert not re.search(r"\d", entry.appeal_argument), entry.code


def test_standard_carc_codes_are_present_with_groups():
    kb = load_knowledge(Settings().code_dirs)
    entry = kb.get("co50")
    assert entry.code == "CO-50" and entry.kind == "carc" and entry.group == "CO"


def test_code_lookup_ignores_case_and_punctuation():
    assert code_key("co-50") == code_key("CO 50") == "CO50"
    with pytest.raises(UnknownCodeError):
        load_knowledge(Settings().code_dirs).get("NOPE1")


def test_a_valid_file_loads(tmp_path):
    entry = load_code_file(write(tmp_path, "XY01.md", GOOD))
    assert entry.common_causes == ["one"] and entry.prevention == []


@pytest.mark.parametrize(
    "mutate, field",
    [
        (lambda t: t.replace("title: Test code\n", ""), "title"),
        (lambda t: t.replace("kind: payer", "kind: other"), "kind"),
        (lambda t: t.replace("    queries: [minutes of care]\n", "    queries: []\n"), "evidence.0.queries"),
        (lambda t: t.replace("## Appeal argument\nThe argument.\n", ""), "appeal_argument"),
        (lambda t: t.replace("code: XY01", "code: XY02"), "code"),
        (lambda t: t.replace("evidence:", "evidence: [\n"), "YAML"),
    ],
)
def test_invalid_files_name_the_file_and_field(tmp_path, mutate, field):
    path = write(tmp_path, "XY01.md", mutate(GOOD))
    with pytest.raises(KnowledgeFileError) as err:
        load_code_file(path)
    assert "XY01.md" in err.value.message and field in err.value.message


def test_duplicate_requirement_ids_are_refused(tmp_path):
    doubled = GOOD.replace(
        "---\n## Explanation", "  - id: minutes\n    label: M\n    need: n\n    queries: [q]\n---\n## Explanation"
    )
    with pytest.raises(KnowledgeFileError, match="duplicate id"):
        load_code_file(write(tmp_path, "XY01.md", doubled))


def test_extra_folders_add_and_override_codes(tmp_path):
    extra = tmp_path / "codes"
    write(extra, "XY01.md", GOOD)
    write(extra, "CCM20.md", GOOD.replace("XY01", "CCM20").replace("Test code", "Our own CCM20"))
    settings = Settings(home=tmp_path / "home", knowledge_dirs=[extra])
    kb = load_knowledge(settings.code_dirs)
    assert kb.get("XY01").title == "Test code"
    assert kb.get("CCM20").title == "Our own CCM20"


def test_bundled_not_evidence_lines_load_as_background_not_as_codes():
    kb = load_knowledge(Settings().code_dirs)
    loaded = {"allergies reviewed, no new allergies", "fax cover sheet, records release and authorization"} <= set(
        kb.background
    )
    assert loaded, "bundled not-evidence lines missing"
    assert not any(line.startswith(("#", "Every line", "Add lines")) for line in kb.background), (
        "prose of the file was loaded"
    )
    assert all(code_key("not-evidence") != key for key in kb.codes)


def test_a_not_evidence_file_in_a_user_folder_adds_its_lines_and_is_not_read_as_a_code(tmp_path):
    extra = tmp_path / "practice"
    write(extra, "XY01.md", GOOD)
    write(
        extra,
        "not-evidence.md",
        "# Our layouts\n\nLines below are background.\n\n- pharmacy hours and address\n"
        "- allergies reviewed, no new allergies\n-\n",
    )
    kb = load_knowledge(Settings(home=tmp_path / "home", knowledge_dirs=[extra]).code_dirs)
    added = "pharmacy hours and address" in kb.background
    assert added, "the user's not-evidence line was not loaded"
    assert kb.background.count("allergies reviewed, no new allergies") == 1, "a line in both files is kept once"
    stray = "" in kb.background or any("background" in line for line in kb.background)
    assert not stray, "an empty bullet or the file's prose was loaded"
    assert kb.get("XY01").title == "Test code"


def test_a_folder_with_only_a_not_evidence_file_loads_without_error(tmp_path):
    extra = tmp_path / "practice"
    write(extra, "not-evidence.md", "- transportation vouchers\n")
    kb = load_knowledge(Settings(home=tmp_path / "home", knowledge_dirs=[extra]).code_dirs)
    added = "transportation vouchers" in kb.background
    assert added, "the user's not-evidence line was not loaded"
    assert kb.get("CCM20").code == "CCM20"
