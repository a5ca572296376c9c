"""Load and validate `knowledge/codes/*.md`; every error names the file and the field."""

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from service.errors import KnowledgeFileError, UnknownCodeError
from service.knowledge.adjustments import CodeTable, load_code_table
from service.knowledge.unreviewed import unreviewed_entry
from service.models import BillableCode, CaseFields, CodeEntry, EvidenceRequirement
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
    if entry.billing:
        check_billing(entry, name)
    return entry


ADD_ON_TITLE = re.compile(r"\beach\s+(?:further|additional)\b", re.IGNORECASE)
"""How an add-on's title reads ('each further 20 minutes'): such a code must name its base."""


def check_billing(entry: CodeEntry, name: str) -> None:
    """A service's billing rules hold together: every requirement names its source, every code
    is one of the service's, listed once, requires only the entry's own requirement ids, and an
    add-on's base is a primary code of the same entry."""
    if entry.kind != "service":
        raise KnowledgeFileError(f"{name}: field 'billing': only a 'kind: service' entry has billing rules")
    ids = {req.id for req in entry.evidence}
    for i, req in enumerate(entry.evidence):
        if not (req.source or "").strip():
            raise KnowledgeFileError(f"{name}: field 'evidence.{i}.source': names no source for '{req.id}'")
        for needed in req.needs:
            if needed not in ids or needed == req.id:
                raise KnowledgeFileError(
                    f"{name}: field 'evidence.{i}.needs': '{needed}' is not another requirement here"
                )
    services = {s.upper() for s in entry.services}
    codes = {b.code: b for b in entry.billing}
    seen: set[str] = set()
    for i, billable in enumerate(entry.billing):
        where = f"{name}: field 'billing.{i}"
        if billable.code in seen:
            raise KnowledgeFileError(f"{where}.code': '{billable.code}' is listed twice")
        seen.add(billable.code)
        if billable.code not in services:
            raise KnowledgeFileError(f"{where}.code': '{billable.code}' is not in the entry's services")
        if not billable.requires:
            raise KnowledgeFileError(f"{where}.requires': '{billable.code}' needs at least one requirement id")
        for req_id in billable.requires:
            if req_id not in ids:
                raise KnowledgeFileError(f"{where}.requires': unknown requirement id '{req_id}'")
        if billable.base is None:
            if ADD_ON_TITLE.search(billable.title):
                raise KnowledgeFileError(
                    f"{where}.base': add-on '{billable.code}' ('each further ...') names no base code"
                )
            continue
        base = codes.get(billable.base)
        if base is None:
            raise KnowledgeFileError(
                f"{where}.base': add-on '{billable.code}' names base '{billable.base}', not a code of this entry"
            )
        if base.code == billable.code:
            raise KnowledgeFileError(f"{where}.base': '{billable.code}' cannot be its own base")
        if base.base is not None:
            raise KnowledgeFileError(f"{where}.base': '{billable.base}' is itself an add-on")


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
BILLING_DIR = "billing"
"""Service entries read only for their billing rules (CCM, PCM, RPM): kept out of `services`,
which would otherwise argue every CCM or RPM denial with the service's requirements in place of
the denial code's own."""


@dataclass(frozen=True)
class Billable:
    """A billable code with the service entry that holds its rules (`KnowledgeBase.billable`)."""

    entry: CodeEntry
    code: BillableCode

    @property
    def requirements(self) -> list[EvidenceRequirement]:
        """The entry's requirements this code must meet, in the order the code lists them."""
        by_id = {req.id: req for req in self.entry.evidence}
        return [by_id[req_id] for req_id in self.code.requires]

    @property
    def base(self) -> BillableCode | None:
        """The primary code an add-on is billed with; None for a primary code."""
        return next((b for b in self.entry.billing if b.code == self.code.base), None)


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
    billing: dict[str, CodeEntry] = field(default_factory=dict)
    """Services with billing rules, by entry code: those of `services` that have a `billing:`
    block (TCM) and the entries of `knowledge/billing/` (CCM, PCM, RPM), which argue no letter."""

    def billable(self, cpt: str) -> Billable:
        """The billing rules of one CPT/HCPCS code: `billable("99439")` is the CCM entry and its
        99439 (an add-on of 99490, 20 more minutes of clinical staff time)."""
        key = cpt.strip().upper()
        for entry in self.billing.values():
            for code in entry.billing:
                if code.code == key:
                    return Billable(entry, code)
        raise UnknownCodeError(f"no billing rules for code '{cpt[:40]}' (known: {', '.join(self.billable_codes())})")

    def billable_codes(self) -> list[str]:
        """Every code with billing rules, in the order the entries list them."""
        return [code.code for entry in self.billing.values() for code in entry.billing]

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
        kb.billing = load_billing(kb.services, dirs[0].parent / BILLING_DIR)
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


def load_billing(services: dict[str, CodeEntry], folder: Path) -> dict[str, CodeEntry]:
    """The services with billing rules: those of `services` with a `billing:` block, then each
    file of `folder` (which must be a service with one). A code belongs to one entry only."""
    out = {key: entry for key, entry in services.items() if entry.billing}
    owner = {code.code: key for key, entry in out.items() for code in entry.billing}
    for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
        if path.name.lower() == "readme.md":
            continue
        entry = load_code_file(path)
        key = path.stem.upper()
        if entry.kind != "service":
            raise KnowledgeFileError(f"{path.name}: field 'kind': a billing rules file is a 'service' entry")
        if not entry.billing:
            raise KnowledgeFileError(f"{path.name}: field 'billing': needs at least one billable code")
        if key in out:
            raise KnowledgeFileError(f"{path.name}: field 'code': '{entry.code}' already has billing rules")
        for i, code in enumerate(entry.billing):
            if code.code in owner:
                raise KnowledgeFileError(
                    f"{path.name}: field 'billing.{i}.code': '{code.code}' already belongs to {owner[code.code]}"
                )
            owner[code.code] = key
        out[key] = entry
    return out
