"""Where a letter's line names a claim field: the payers' label vocabulary
(`knowledge/notice-labels.yaml`) found in a line with its position, so a value can be looked for
right of its label, under it, or in its table column. Decoy labels (a patient account number, a
correspondence reference, a check number) are found too, so their values are never taken."""

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process

from service.resources import KNOWLEDGE, load_yaml

LABELS_FILE = "notice-labels.yaml"
LABEL_CELL = re.compile(r"(?:^|(?<=\s\s)|(?<=\|\s))\s*(?P<label>[A-Za-z][A-Za-z0-9 .#()/'-]{1,40}?)\s*:")
OCR_SLIPS = [
    str.maketrans({"1": "l", "0": "o", "5": "s", "8": "b", "|": "l"}),
    str.maketrans({"1": "i", "0": "o", "5": "s", "8": "b", "|": "i"}),
]
"""A letter OCR read as a digit: '1' is an 'l' in 'C1aim' and an 'I' in 'Member 1D'."""
CELL_START = re.compile(r"(?:^\s*|\s{2,}|\|\s*|\t|[;•·]\s*)$")


@dataclass(frozen=True)
class Label:
    start: int
    end: int
    field: str | None
    """None for a decoy: its value is someone else's number."""
    text: str


@dataclass(frozen=True)
class Vocabulary:
    pattern: re.Pattern
    fields: dict[str, str | None]
    titles: re.Pattern
    relationships: frozenset[str]
    plan_types: frozenset[str]
    patient_headings: frozenset[str]
    other_headings: frozenset[str]


def _norm(label: str) -> str:
    return " ".join(re.sub(r"\(s\)", "", label.lower()).replace(".", " ").split())


def _spellings(label: str) -> list[str]:
    """'member number' is also printed 'member no', 'member no.' and 'member #'."""
    if label.endswith(" number"):
        stem = label[: -len(" number")]
        return [f"{stem} no", f"{stem} #", f"{stem} num"]
    return []


def _phrase(label: str) -> str:
    words = [re.escape(w) for w in label.split()]
    return r"(?:\s?\(s\))?[\s.]+".join(words)


@lru_cache(maxsize=4)
def vocabulary(path: Path | None = None) -> Vocabulary:
    raw = load_yaml((path or KNOWLEDGE / LABELS_FILE).read_text(encoding="utf-8"))
    fields: dict[str, str | None] = {}
    for decoy in raw["decoys"]:
        fields[_norm(decoy)] = None
    for field, labels in raw["fields"].items():
        for label in labels:
            for variant in _spellings(_norm(label)):
                fields.setdefault(variant, field)
            fields[_norm(label)] = field
    ordered = sorted(fields, key=len, reverse=True)
    pattern = re.compile(
        r"(?<![A-Za-z0-9])(?:"
        + "|".join(_phrase(label) for label in ordered)
        + r")(?:\s?\(s\))?(?![A-Za-z0-9]|['’]s\b)",
        re.I,
    )
    titles = re.compile(r"(?<![A-Za-z])(?:" + "|".join(_phrase(t) for t in raw["titles"]) + r")(?![A-Za-z])", re.I)
    people = raw["people"]
    return Vocabulary(
        pattern,
        fields,
        titles,
        frozenset(raw["relationships"]),
        frozenset(t.upper() for t in raw["plan_types"]),
        frozenset(people["patient"]),
        frozenset(people["other"]),
    )


def labels_in(text: str, vocab: Vocabulary | None = None, loose: bool = False) -> list[Label]:
    """Every label in a line, left to right. A one-word label ('Claim', 'Member', 'Date') counts
    only where a cell starts or when a colon follows it: inside a sentence it is just a word."""
    vocab = vocab or vocabulary()
    found = []
    for match in vocab.pattern.finditer(text):
        phrase = match.group(0)
        key = _norm(phrase)
        if key not in vocab.fields:
            continue
        one_word = " " not in key
        follows = text[match.end() : match.end() + 3].lstrip(" .")
        acronym = (
            phrase.isupper() and len(phrase) <= 4
        )  # 'ICN', 'MID': a printout's label, even where OCR closed the gap
        if (
            one_word
            and not loose
            and not acronym
            and not (CELL_START.search(text[: match.start()]) or follows.startswith((":", "#")))
        ):
            continue
        found.append(Label(match.start(), match.end(), vocab.fields[key], phrase))
    return _misread(text, found, vocab)


def _misread(text: str, exact: list[Label], vocab: Vocabulary) -> list[Label]:
    """Labels OCR misspelt ('Member 1D:', 'Claim Numbcr:'): a cell's opening words before a
    colon that no label read exactly covers, close to one label of the vocabulary once OCR's
    digit-for-letter slips are undone. They replace the shorter labels read inside them."""
    found = list(exact)
    for match in LABEL_CELL.finditer(text):
        start, end = match.span("label")
        inside = [label for label in found if label.start < end and start < label.end]
        if inside and max(label.end for label in inside) >= end - 1:
            continue
        keys = [_norm(match.group("label").translate(slips)) for slips in OCR_SLIPS]
        known = [key for key in keys if key in vocab.fields]
        if known:
            field = vocab.fields[known[0]]
        else:
            hits = [process.extractOne(key, list(vocab.fields), scorer=fuzz.ratio) for key in keys if len(key) >= 5]
            best = max((hit for hit in hits if hit), key=lambda hit: hit[1], default=None)
            if not best or best[1] < 88:
                continue
            field = vocab.fields[best[0]]
        found = [label for label in found if label not in inside] + [Label(start, end, field, match.group("label"))]
    return sorted(found, key=lambda label: label.start)


def is_label_row(text: str, vocab: Vocabulary | None = None) -> bool:
    """A line of labels ('Member No.    Claim ID    Group'), the top row of boxes: each of its
    cells holds a label and no digit; a single cell only when it is nothing but labels."""
    cells = [c for c in re.split(r"\s{2,}|\t", text.strip()) if c]
    if not cells or re.search(r"\d", text):
        return False
    if len(cells) > 1:
        return all(labels_in(cell, vocab, loose=True) for cell in cells)
    rest, labels = text, labels_in(text, vocab, loose=True)
    for label in sorted(labels, key=lambda x: -x.start):
        rest = rest[: label.start] + rest[label.end :]
    return bool(labels) and not re.sub(r"[\s:#.()/|&-]", "", rest)


def heading(text: str, vocab: Vocabulary | None = None) -> str | None:
    """'patient' or 'other' for a line that is only a person's box heading ('SUBSCRIBER')."""
    vocab = vocab or vocabulary()
    plain = " ".join(text.lower().strip(" :").split())
    if plain in vocab.patient_headings:
        return "patient"
    if plain in vocab.other_headings:
        return "other"
    return None
