"""Load and validate `knowledge/codes/*.md`; every error names the file and the field."""

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from service.errors import KnowledgeFileError, UnknownCodeError
from service.knowledge.adjustments import CodeTable, load_code_table
from service.knowledge.unreviewed import unreviewed_entry
from service.models import CaseFields, CodeEntry
from service.resources import load_yaml

SECTION_FIELDS = {
    "explanation": "explanation",
    "common causes": "common_causes",
    "prevention": "prevention",
    "appeal argument": "appeal_argument",
    "attachments": "attachments",
}
LIST_SECTIONS = {"common_causes", "prevention", "attachments"}
BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")


def split_front_matter(text: str, name: str) -> tuple[dict, str]:
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or lines[0].strip() != "---":
        raise KnowledgeFileError(f"{name}: must start with a '---' YAML front matter block")
    try:
        end = next(i for i, line in enumerate(lines[1:], 1) if line.strip() == "---")
    except StopIteration:
        raise KnowledgeFileError(f"{name}: front matter is not closed by a '---' line") from None
    try:
        meta = load_yaml("\n".join(lines[1:end])) or {}
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" (line {where.line + 2})" if where else ""
        raise KnowledgeFileError(f"{name}: front matter is not valid YAML{line}") from None
    if not isinstance(meta, dict):
        raise KnowledgeFileError(f"{name}: front matter must be a mapping of fields")
    return meta, "\n".join(lines[end + 1 :])


def parse_sections(body: str) -> dict[str, str | list[str]]:
    """Markdown `## Heading` sections -> field values; list sections keep their bullets."""
    sections: dict[str, list[str]] = {}
    current = None
    for line in body.splitlines():
        heading = re.match(r"^##\s+(.+?)\s*#*\s*$", line)
        if heading:
            current = SECTION_FIELDS.get(heading.group(1).strip().lower())
            if current:
                sections[current] = []
            continue
        if current:
            sections[current].append(line)
    values: dict[str, str | list[str]] = {}
    for key, lines in sections.items():
        if key in LIST_SECTIONS:
            values[key] = [BULLET.sub("", ln).strip() for ln in lines if BULLET.match(ln)]
        else:
            values[key] = "\n".join(lines).strip()
    return values


def _describe(error: ValidationError, name: str) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "file"
    return f"{name}: field '{where}': {first['msg']}"


def load_code_file(path: Path) -> CodeEntry:
    name = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise KnowledgeFileError(f"{name}: cannot be read ({exc.__class__.__name__})") from None
    meta, body = split_front_matter(text, name)
    values = {**meta, **parse_sections(body), "source": str(path)}
    for required in ("explanation", "appeal_argument"):
        if not values.get(required):
            section = required.replace("_", " ").capitalize()
            raise KnowledgeFileError(f"{name}: field '{required}': missing '## {section}' section")
    try:
        entry = CodeEntry.model_validate(values)
    except ValidationError as exc:
        raise KnowledgeFileError(_describe(exc, name)) from None
    if entry.code.upper() != path.stem.upper():
        raise KnowledgeFileError(f"{name}: field 'code': '{entry.code}' does not match the file name")
    if not entry.evidence:
        raise KnowledgeFileError(f"{name}: field 'evidence': needs at least one requirement")
    seen: set[str] = set()
    for i, req in enumerate(entry.evidence):
        if req.id in seen:
            raise KnowledgeFileError(f"{name}: field 'evidence.{i}.id': duplicate id '{req.id}'")
        if not req.queries:
            raise KnowledgeFileError(f"{name}: field 'evidence.{i}.queries': needs at least one query")
        seen.add(req.id)
    return entry


def read_background(path: Path) -> list[str]:
    """The bullet lines of a `not-evidence.md` file."""
    text = path.read_text(encoding="utf-8")
    return [line[2:].strip() for line in text.splitlines() if line.startswith("- ") and line[2:].strip()]


def code_key(code: str) -> str:
    """CO-50, co50 and 'CO 50' name the same code."""
    return re.sub(r"[^A-Z0-9]", "", code.upper())


BACKGROUND_FILE = "not-evidence.md"
ADJUSTMENTS_DIR = "adjustments"
SERVICES_DIR = "services"


@dataclass
class KnowledgeBase:
    codes: dict[str, CodeEntry] = field(default_factory=dict)
    background: list[str] = field(default_factory=list)
    """Ordinary chart content that proves no requirement (`not-evidence.md`): scored against."""

    services: dict[str, CodeEntry] = field(default_factory=dict)
    """Arguments for kinds of service (`knowledge/services/`): TCM's rules are its own whichever
    code denied it."""
    table: CodeTable = field(default_factory=CodeTable)
    """CARCs and RARCs (`knowledge/adjustments/`): a group code with any CARC in it is a code."""

    def get(self, code: str) -> CodeEntry:
        """A code file first (they hold the full argument), else the CARC table's row."""
        entry = self.codes.get(code_key(code)) or self.table.entry(code)
        if entry is None:
            raise UnknownCodeError(
                f"unknown denial code '{code[:40]}' (the code list: 'overturn codes list' or GET /v1/codes)"
            )
        return entry

    def for_case(self, code: str) -> CodeEntry:
        """The code's entry, or for a well-formed code the table lacks (a remittance may carry any)
        a stand-in that says the code needs review: an imported case is never lost to it."""
        entry = self.codes.get(code_key(code)) or self.table.entry(code) or unreviewed_entry(code)
        if entry is None:
            return self.get(code)
        return entry

    def argument_for(self, case: CaseFields) -> CodeEntry:
        """The denial code's entry, argued for the service billed: a payer code that covers the
        service takes the service's requirements and argument in place of its own (CCM06 lists
        TCM but argues CCM); an appealable CARC keeps its own and adds the service's first."""
        entry = self.for_case(case.denial_code)
        billed = set(case.billed_cpt)
        service = next((s for s in self.services.values() if billed & set(s.services)), None)
        if service is None or entry.kind == "service" or not entry.evidence:
            return entry
        if entry.kind == "payer":
            return entry.model_copy(
                update={
                    "evidence": service.evidence,
                    "appeal_argument": service.appeal_argument,
                    "attachments": service.attachments,
                    "billing_period": service.billing_period,
                    "episode_days": service.episode_days,
                }
            )
        own = {req.id for req in service.evidence}
        return entry.model_copy(
            update={
                "evidence": [*service.evidence, *(req for req in entry.evidence if req.id not in own)],
                "appeal_argument": f"{service.appeal_argument.strip()}\n\n{entry.appeal_argument.strip()}",
                "attachments": [*service.attachments, *entry.attachments],
            }
        )

    def all(self) -> list[CodeEntry]:
        return sorted(self.codes.values(), key=lambda entry: entry.code)


def load_knowledge(dirs: list[Path], code_list: Path | None = None) -> KnowledgeBase:
    """Later folders override earlier ones, so a practice can replace a bundled code. The CARC
    and RARC tables sit beside the first (bundled) folder; `code_list` is a licensed list."""
    kb = KnowledgeBase()
    if dirs:
        kb.table = load_code_table(dirs[0].parent / ADJUSTMENTS_DIR, code_list)
        services = dirs[0].parent / SERVICES_DIR
        kb.services = (
            {p.stem.upper(): load_code_file(p) for p in sorted(services.glob("*.md"))} if services.is_dir() else {}
        )
    for folder in dirs:
        if not folder.is_dir():
            continue
        beside = [folder.parent / BACKGROUND_FILE] if folder == dirs[0] else []  # knowledge/ beside codes/
        for path in [*beside, folder / BACKGROUND_FILE]:
            if path.is_file():
                kb.background += [line for line in read_background(path) if line not in kb.background]
        for path in sorted(folder.glob("*.md")):
            if path.name.lower() in ("readme.md", BACKGROUND_FILE):
                continue
            entry = load_code_file(path)
            kb.codes[code_key(entry.code)] = entry
    return kb
