"""Turn pages in the seed format (Quick Explanation / Common Causes for X / How to Prevent X
Denials / Appeal Letter Template for X) into knowledge files.

Sections may be empty or missing (the CCM06 seed lost its bullet lists); the import still works
and reports what it could not find so a person can fill it in.
"""

import re
from dataclasses import dataclass, field

import yaml

from service.errors import KnowledgeFileError
from service.models import CodeEntry, EvidenceRequirement

PLACEHOLDER = re.compile(r"\[[^\]]*\]")
CODE_LINE = re.compile(r"^Denial Code:?\s*([A-Za-z0-9-]+)\s*[-\u2013:]\s*(.+?)\s*$")
MARKETING = re.compile(r"^(Stop Writing Appeals Manually|Generate Appeal for)", re.I)
SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"(])")


@dataclass
class ImportResult:
    entry: CodeEntry
    notes: list[str] = field(default_factory=list)


def _section_of(line: str) -> str | None:
    low = line.lower()
    if low == "quick explanation":
        return "explanation"
    if low.startswith("common causes for"):
        return "causes"
    if low.startswith("how to prevent"):
        return "prevention"
    if low.startswith("appeal letter template for"):
        return "template"
    return None


def _split(text: str) -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {"head": []}
    current = "head"
    for raw in text.splitlines():
        line = raw.strip()
        if MARKETING.match(line):
            current = "tail"
        name = _section_of(line)
        if name:
            current = name
            sections[current] = []
            continue
        sections.setdefault(current, []).append(line)
    return sections


def _bullets(lines: list[str]) -> list[str]:
    return [re.sub(r"^[-*\u2022]\s*", "", ln) for ln in lines if re.match(r"^[-*\u2022]\s+", ln)]


def _without_placeholders(text: str) -> tuple[str, int]:
    kept, dropped = [], 0
    for sentence in SENTENCE.split(text):
        if PLACEHOLDER.search(sentence):
            dropped += 1
        else:
            kept.append(sentence)
    return " ".join(kept).strip(), dropped


def _template_parts(lines: list[str]) -> tuple[str, str, list[str], list[str]]:
    code = title = ""
    argument: list[str] = []
    attachments: list[str] = []
    state = "before"
    for line in lines:
        match = CODE_LINE.match(line)
        if match:
            code, title = match.group(1), match.group(2)
            continue
        low = line.lower()
        if low.startswith("dear "):
            state = "argument"
        elif low.startswith("attached please find"):
            state = "attachments"
        elif state == "argument" and line and not low.startswith("i am writing to appeal"):
            argument.append(line)
        elif state == "attachments":
            item = re.match(r"^\d+[.)]\s*(.+)$", line)
            if item:
                attachments.append(item.group(1))
            elif line:
                state = "after"
    return code, title, argument and [" ".join(argument)] or [], attachments


def _services(text: str) -> list[str]:
    families = [name for name in ("CCM", "PCM", "RPM", "TCM") if re.search(rf"\b{name}\b", text)]
    cpts = sorted(set(re.findall(r"\b(9\d{4}|G\d{4})\b", text)))
    return families + cpts


def _requirements(title: str, explanation: str, causes: list[str]) -> list[EvidenceRequirement]:
    if not causes:
        first = SENTENCE.split(explanation)[0] if explanation else title
        return [
            EvidenceRequirement(
                id="documentation",
                label="Supporting documentation",
                need=f"Documentation that answers the denial: {title}",
                queries=[title, first][: 2 if first != title else 1],
            )
        ]
    return [
        EvidenceRequirement(id=f"cause_{i}", label="Supporting documentation", need=cause, queries=[cause])
        for i, cause in enumerate(causes, 1)
    ]


def parse_seed_page(text: str, name: str) -> ImportResult:
    sections = _split(text)
    code, title, argument, attachments = _template_parts(sections.get("template", []))
    notes: list[str] = []
    if not code:
        head = re.search(r"\bDenial Code\s+([A-Z]{2,}[0-9]+)\b", text)
        causes_head = re.search(r"Common Causes for\s+([A-Za-z0-9-]+)", text)
        named = head or causes_head
        code = named.group(1) if named else ""
    if not code:
        raise KnowledgeFileError(f"{name}: no denial code found (expected 'Denial Code: X - Title')")
    explanation = " ".join(ln for ln in sections.get("explanation", []) if ln)
    if not explanation:
        raise KnowledgeFileError(f"{name}: field 'explanation': 'Quick Explanation' section is empty")
    causes = _bullets(sections.get("causes", []))
    prevention = _bullets(sections.get("prevention", []))
    for label, items in (("common causes", causes), ("prevention", prevention)):
        if not items:
            notes.append(f"{code}: no {label} in the page; section left empty")
    arg_text, dropped = _without_placeholders(argument[0]) if argument else ("", 0)
    if dropped:
        notes.append(f"{code}: dropped {dropped} argument sentence(s) holding [placeholders]")
    if not arg_text:
        arg_text = explanation
        notes.append(f"{code}: no appeal argument found; used the explanation instead")
    attachments = [a for a in attachments if not PLACEHOLDER.search(a)]
    all_text = " ".join([explanation, arg_text, *causes, *prevention])
    services = _services(all_text)
    monthly = any(s in services for s in ("CCM", "PCM", "RPM"))
    entry = CodeEntry(
        code=code.upper(),
        title=title or code.upper(),
        kind="carc" if code.isdigit() else "payer",
        services=services,
        billing_period="calendar_month" if monthly else "none",
        evidence=_requirements(title or code, explanation, causes),
        explanation=explanation,
        common_causes=causes,
        prevention=prevention,
        appeal_argument=arg_text,
        attachments=attachments,
        source=name,
    )
    notes.append(f"{entry.code}: evidence requirements derived from the page; review their queries")
    return ImportResult(entry=entry, notes=notes)


def render_code_file(entry: CodeEntry) -> str:
    """The knowledge-file text for an entry (front matter, then the Markdown sections)."""
    meta = {
        "code": entry.code,
        "title": entry.title,
        "kind": entry.kind,
        "group": entry.group,
        "services": entry.services,
        "billing_period": entry.billing_period,
        "evidence": [req.model_dump(exclude=None if req.source else {"source"}) for req in entry.evidence],
    }
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=100)

    def bullets(items: list[str]) -> str:
        return "\n".join(f"- {item}" for item in items)

    body = [
        "## Explanation",
        entry.explanation,
        "",
        "## Common causes",
        bullets(entry.common_causes),
        "",
        "## Prevention",
        bullets(entry.prevention),
        "",
        "## Appeal argument",
        entry.appeal_argument,
        "",
        "## Attachments",
        bullets(entry.attachments),
        "",
    ]
    return f"---\n{front}---\n" + "\n".join(body)
