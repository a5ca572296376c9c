"""What an answer may cite: sections of the code files, and a case's evidence when one is given.

The question names a code ("What does CCM20 mean?") or not; when it names none, the two codes
whose sections BM25 ranks highest for it are used (fused with the codes' meaning when an
embedding function is given). For a model, sections are ranked by BM25 against the question,
with a lift for the section the question asks about (meaning, causes, prevention, evidence,
argument, attachments) and for the codes it names; without one, `ranking.py` ranks sentences.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from service.index.fusion import reciprocal_rank_fusion
from service.index.lexical import LexicalIndex
from service.knowledge.loader import KnowledgeBase, code_key
from service.models import CodeEntry

Embed = Callable[[list[str]], np.ndarray]
"""Texts -> L2-normalised rows, so a dot product is the cosine similarity."""

INTENTS = {
    "explanation": r"\b(mean|means|meaning|what is|what's|explain|definition|stand for)\b",
    "common_causes": r"\b(cause|causes|caused|why|reason|reasons|trigger|triggers)\b",
    "prevention": r"\b(prevent|prevention|avoid|stop|fix)\b",
    "evidence": r"\b(evidence|documentation|chart|record|prove|proof|show)\b",
    "appeal_argument": r"\b(argue|argument|arguments|grounds|letter)\b",
    "attachments": r"\b(attach|attachments|attached|include|enclose)\b",
}
"""Words that say which section a question asks about. 'Appeal', 'send' and 'need' are left out:
they come up in questions about every section ('what do we attach to the appeal?')."""
SECTION_TITLES = {
    "explanation": "What it means",
    "common_causes": "Common causes",
    "prevention": "Prevention",
    "evidence": "Evidence the record must show",
    "appeal_argument": "Appeal argument",
    "attachments": "What to attach",
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
    tokens = re.findall(r"\b[A-Z]{1,3}[- ]?\d{1,3}\b", upper) + re.findall(
        r"\b(?:CODE|CARC|REASON)\s+(\d{1,3})\b", upper
    )
    for token in tokens:
        key = code_key(token)
        for candidate in (key, f"CO{key}" if key.isdigit() else None):
            if candidate and candidate in kb.codes and kb.codes[candidate] not in found:
                found.append(kb.codes[candidate])
    return found


def intents(question: str) -> list[str]:
    return [name for name, pattern in INTENTS.items() if re.search(pattern, question, re.I)]


def _sections(kb: KnowledgeBase) -> list[tuple[CodeEntry, str, str]]:
    return [(entry, name, text) for entry in kb.all() for name, text in section_texts(entry).items() if text.strip()]


def _lexical(question: str, items: list[tuple[CodeEntry, str, str]]) -> dict[int, float]:
    index = LexicalIndex(
        [str(i) for i in range(len(items))], [f"{e.code} {e.title} {SECTION_TITLES[n]} {t}" for e, n, t in items]
    )
    return {int(key): 1.0 / (1 + rank) for rank, key in enumerate(index.search(question, len(items)))}


def _codes_by_words(items: list[tuple[CodeEntry, str, str]], lexical: dict[int, float]) -> list[str]:
    return list(dict.fromkeys(items[i][0].code for i in sorted(lexical, key=lambda i: -lexical[i])))


def _codes(question: str, kb: KnowledgeBase, items: list, lexical: dict[int, float]) -> list[CodeEntry]:
    """The codes the question names, else the two whose sections match it best."""
    return named_codes(question, kb) or [kb.get(code) for code in _codes_by_words(items, lexical)[:2]]


def answer_codes(question: str, kb: KnowledgeBase, embed: Embed | None = None) -> list[CodeEntry]:
    """The codes an answer may draw on: the ones the question names; else the best two by BM25
    over the sections, fused with how close the question is to each code's title and explanation
    when `embed` is given ('why would a payer deny care coordination?' is CCM06 by meaning, though
    its words match the medical-necessity codes as well)."""
    items = _sections(kb)
    named = named_codes(question, kb)
    if named or not items or embed is None:
        return named or _codes(question, kb, items, _lexical(question, items))
    entries = kb.all()
    vectors = embed([question, *(f"{e.title}. {e.explanation}" for e in entries)])
    by_meaning = [entries[i].code for i in np.argsort(-(vectors[1:] @ vectors[0]), kind="stable")]
    fused = reciprocal_rank_fusion([_codes_by_words(items, _lexical(question, items)), by_meaning])
    return [kb.get(code) for code, _ in fused[:2]]


def knowledge_sources(question: str, kb: KnowledgeBase, limit: int = 4) -> list[tuple[CodeEntry, str, str]]:
    """(code, section, text) ranked for the question, best first."""
    items = _sections(kb)
    if not items:
        return []
    lexical = _lexical(question, items)
    codes, wanted = _codes(question, kb, items, lexical), intents(question) or ["explanation"]

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
