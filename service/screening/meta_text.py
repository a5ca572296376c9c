"""Sentences about the paperwork rather than the patient's care: never evidence.

A chart sometimes talks about itself or about the claim: a message asking the billing office to
count more minutes, a correction of a total, advice on what a summary should say, a reviewer's
recommendation to approve. It documents nothing done for the patient, whoever it addresses.

A sentence is such meta-text when two things hold, each read from the sentence's structure:
- its **subject** is the paperwork: the claim, the bill or a billing code, coding, payment or
  approval, a review of the claim, the record itself (this chart, the log, the note, entries
  above), or a summary, letter or write-up of it (`knowledge/meta-text.yaml` names these things);
- it is a **message, not a record**: it asks or tells someone to do something (a request, an
  imperative, a recommendation), corrects or disputes what the record says ('X, not Y', 'more
  than the log shows', 'is wrong'), or speaks to a reader (second person, a greeting, a note
  'for' someone).
A log's own lines (a row's minutes and codes, a threshold met) state what was done and ask
nothing, so they stay evidence; a care instruction to a patient asks something but is about care.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from service.models import Span, short_quote, span_key
from service.resources import KNOWLEDGE, load_yaml

META_FILE = "meta-text.yaml"
META_TEXT = "talks about the claim or the record, not the patient's care"
"""The reason a page that is mostly such a message is excluded."""
Key = tuple[str, int, int]
MIN_WORDS = 3
"""A label or a column header ('Bill', 'Billable') is no message."""


@dataclass(frozen=True)
class MetaRules:
    subject: re.Pattern
    request: re.Pattern
    correction: re.Pattern
    address: re.Pattern


def _any(patterns: list[str]) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


@lru_cache(maxsize=4)
def load_rules(path: Path | None = None) -> MetaRules:
    raw = load_yaml((path or KNOWLEDGE / META_FILE).read_text(encoding="utf-8"))
    return MetaRules(_any(raw["subject"]), _any(raw["request"]), _any(raw["correction"]), _any(raw["address"]))


def is_meta(text: str, rules: MetaRules | None = None) -> bool:
    """Whether a sentence is a message about the paperwork (see the module's docstring)."""
    rules = rules or load_rules()
    flat = " ".join(text.split())
    if len(re.findall(r"[A-Za-z0-9]+", flat)) < MIN_WORDS or not rules.subject.search(flat):
        return False
    return bool(rules.request.search(flat) or rules.correction.search(flat) or rules.address.search(flat))


def meta_spans(sentences: list[Span], skip: AbstractSet[Key] = frozenset()) -> set[Key]:
    """Keys of the meta-text sentences, and of the sentences that continue a message: a line
    that follows one on its page and is itself a request or a correction."""
    rules = load_rules()
    flagged: set[Key] = set()
    previous: tuple[str, int] | None = None
    for sentence in sentences:
        key = span_key(sentence)
        if key in skip:
            continue
        flat = " ".join(sentence.text.split())
        hit = is_meta(flat, rules)
        if not hit and previous == (sentence.document, sentence.page):
            hit = bool(rules.request.search(flat) or rules.correction.search(flat))
        if hit:
            flagged.add(key)
        previous = (sentence.document, sentence.page) if hit else None
    return flagged


LABEL_LINE = re.compile(r"^\s*[A-Za-z][A-Za-z /#&.()-]{0,30}:\s")


def _prose(text: str) -> bool:
    """A line of running words: five or more, some in lower case, and not a 'Label: value' field
    (a message's From/To/Subject, a banner, a letterhead are its frame, not its content)."""
    flat = " ".join(text.split())
    return len(re.findall(r"\b[a-z]{2,}", flat)) >= 5 and not LABEL_LINE.match(flat)


def meta_pages(sentences: list[Span], flagged: set[Key], skip: AbstractSet[Key] = frozenset()) -> set[tuple[str, int]]:
    """Pages that are mostly a message about the paperwork (a staff message to billing): at least
    half of their lines of prose. Such a page is not cited at all."""
    counts: dict[tuple[str, int], list[int]] = {}
    for sentence in sentences:
        key = span_key(sentence)
        if key in skip or (key not in flagged and not _prose(sentence.text)):
            continue
        tally = counts.setdefault((sentence.document, sentence.page), [0, 0])
        tally[0] += key in flagged
        tally[1] += 1
    return {page for page, (meta, total) in counts.items() if meta and 2 * meta >= total}


def meta_warning(sentence: Span) -> str:
    return (
        f"{sentence.document} page {sentence.page} talks about the claim or the record, not the patient's care: "
        f'"{short_quote(sentence.text)}" (not quoted).'
    )
