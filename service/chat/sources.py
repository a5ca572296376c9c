"""What an answer may cite: sections of the code files, and a case's evidence when one is given.

The question names a code ("What does CCM20 mean?") or not; either way the sections are ranked
by BM25 against the question, with a lift for the section the question asks about (meaning,
causes, prevention, evidence, argument, attachments) and for the codes it names.
"""

import re
from dataclasses import dataclass

from service.index.lexical import LexicalIndex
from service.knowledge.loader import KnowledgeBase, code_key
from service.models import CodeEntry

INTENTS = {
    "explanation": r"\b(mean|means|meaning|what is|what's|explain|definition|stand for)\b",
    "common_causes": r"\b(cause|causes|why|reason|trigger)\b",
    "prevention": r"\b(prevent|prevention|avoid|stop|fix)\b",
    "evidence": r"\b(evidence|document|documentation|chart|record|prove|show|need)\b",
    "appeal_argument": r"\b(appeal|argue|argument|overturn|letter)\b",
    "attachments": r"\b(attach|attachments|include|send|enclose)\b",
}
SECTION_TITLES = {
    "explanation": "What it means", "common_causes": "Common causes", "prevention": "Prevention",
    "evidence": "Evidence the record must show", "appeal_argument": "Appeal argument", "attachments": "What to attach",
}


@dataclass(frozen=True)
class Source:
    number: int
    label: str
    text: str
    kind: str  # "knowledge" or "record"
    code: str | None = None
    section: str | None = None
    document: str | None = None
    page: int | None = None


def section_texts(entry: CodeEntry) -> dict[str, str]:
    return {
        "explanation": entry.explanation,
        "common_causes": "\n".join(f"- {c}" for c in entry.common_causes),
        "prevention": "\n".join(f"- {p}" for p in entry.prevention),
        "evidence": "\n".join(f"- {r.label}: {r.need}" for r in entry.evidence),
        "appeal_argument": entry.appeal_argument,
        "attachments": "\n".join(f"- {a}" for a in entry.attachments),
    }


def named_codes(question: str, kb: KnowledgeBase) -> list[CodeEntry]:
    found = []
    upper = question.upper()
    tokens = re.findall(r"\b[A-Z]{1,3}[- ]?\d{1,3}\b", upper) + re.findall(r"\b(?:CODE|CARC|REASON)\s+(\d{1,3})\b", upper)
    for token in tokens:
        key = code_key(token)
        for candidate in (key, f"CO{key}" if key.isdigit() else None):
            if candidate and candidate in kb.codes and kb.codes[candidate] not in found:
                found.append(kb.codes[candidate])
    return found


def intents(question: str) -> list[str]:
    return [name for name, pattern in INTENTS.items() if re.search(pattern, question, re.I)]


def knowledge_sources(question: str, kb: KnowledgeBase, limit: int = 4) -> list[tuple[CodeEntry, str, str]]:
    """(code, section, text) ranked for the question, best first."""
    items = [(entry, name, text) for entry in kb.all() for name, text in section_texts(entry).items() if text.strip()]
    if not items:
        return []
    index = LexicalIndex([str(i) for i in range(len(items))], [f"{e.code} {e.title} {SECTION_TITLES[n]} {t}" for e, n, t in items])
    lexical = {int(key): 1.0 / (1 + rank) for rank, key in enumerate(index.search(question, len(items)))}
    codes, wanted = named_codes(question, kb), intents(question) or ["explanation"]
    if not codes and lexical:
        best = sorted(lexical, key=lambda i: -lexical[i])
        top = list(dict.fromkeys(items[i][0].code for i in best))[:2]
        codes = [kb.get(code) for code in top]

    def score(i: int) -> float:
        entry, name, _ = items[i]
        value = lexical.get(i, 0.0)
        if codes:
            value += 2.0 if entry in codes else -5.0
        if name in wanted:
            value += 1.5
        return value

    ranked = sorted(range(len(items)), key=lambda i: (-score(i), items[i][0].code, items[i][1]))
    return [items[i] for i in ranked[:limit]]
