"""A measured value stated beside an earlier one: the line is quoted for its current value only.

'PHQ-9 = 6 (was 11 in March)', 'A1c 7.8 (12/4) down from 8.1', 'PAM-13 = 62.4 (level 3, up from
55.1)': the line proves this month's measurement, and the earlier figure belongs to a month the
letter does not argue. A letter quoting it would state that figure as if it were this month's.
Such a line is cut into its current part and whatever follows the comparison; the comparison
itself is never quoted. A table row is not cut: a row is one fact, and its header says which
cell is which (`tables.earlier_columns`).
"""

import re

from service.evidence.matching import expand
from service.models import Span, span_key

Key = tuple[str, int, int]

VALUE = r"[<>~=:]?\s*(?:\d{2,3}/\d{2,3}|\d+(?:\.\d+)?)%?(?![/\d])"
"""A measured value: a number or a pressure ('150/90'), never a date ('01/08/2024', '12/4')."""
BEFORE = (
    r"(?:was|were|prev(?:ious(?:ly)?)?\.?|prior|last|baseline|before|compared\s+(?:with|to)|vs\.?)"
    r"(?:\s+(?:month|visit|time|reading|score|value|check|call|week|year))?"
)
"""Words naming an earlier value: they open a clause of their own ('(was 11)', ', prev 7.9')."""
CHANGE = r"(?:up|down|improved|increased|decreased|dropped|rose|fell|better|worse)\s+from"
"""Words of a change from an earlier value: a clause whatever stands before them ('7.8 down from 8.1')."""
EARLIER = re.compile(
    rf"(?:\(\s*|[,;]\s+|\s[-\u2013\u2014]\s+)(?:{BEFORE}|{CHANGE})\s*{VALUE}|\s{CHANGE}\s*{VALUE}",
    re.IGNORECASE,
)
CLAUSE_END = re.compile(r"[;,]\s|\s[-\u2013\u2014]\s|\.(?:\s|$)")
EDGE = " \t\n,;.-\u2013\u2014)"
HEAD_EDGE = " \t\n,;-\u2013\u2014("
OWN_VALUE = re.compile(r"(?<![\w.-])\d")
"""A value of the line's own: not the digit of a name ('A1c', 'PHQ-9')."""


def current_part(text: str) -> tuple[tuple[int, int], tuple[int, int] | None] | None:
    """Where, in a line stating a value beside an earlier one, the current part is, and the rest
    after the comparison (None when nothing worth quoting follows). None when the line compares
    nothing, or names no value before the comparison."""
    match = EARLIER.search(text)
    if not match:
        return None
    opened = text.rfind("(", 0, match.start() + 1)
    inside = opened >= 0 and text.find(")", opened, match.start()) < 0
    start = opened if inside else match.start()
    head_end = len(text[:start].rstrip(HEAD_EDGE))
    if not OWN_VALUE.search(text[:head_end]) or sum(ch.isalnum() for ch in text[:head_end]) < 3:
        return None
    if inside:
        close = text.find(")", match.end())
        end = close + 1 if close >= 0 else len(text)
    else:
        stop = CLAUSE_END.search(text, match.end())
        end = stop.start() if stop else len(text)
    rest_start = end + (len(text[end:]) - len(text[end:].lstrip(EDGE)))
    rest_end = len(text.rstrip())
    rest = (rest_start, rest_end) if sum(ch.isalnum() for ch in text[rest_start:rest_end]) >= 3 else None
    return (0, head_end), rest


def cut_comparisons(sentences: list[Span], match_text: dict[Key, str]) -> list[Span]:
    """The case's sentences with each line that states a value beside an earlier one cut into its
    current part and its rest (`match_text` gains their keys). Table rows are left whole."""
    out: list[Span] = []
    for sentence in sentences:
        out += _cut(sentence, match_text)
    return out


def _cut(sentence: Span, match_text: dict[Key, str]) -> list[Span]:
    plain = expand(" ".join(sentence.text.split()))
    if match_text.get(span_key(sentence), plain) != plain:
        return [sentence]  # a row read under its header
    parts = current_part(sentence.text)
    if parts is None:
        return [sentence]
    pieces = []
    for a, b in (p for p in parts if p is not None):
        piece = sentence.model_copy(
            update={"start": sentence.start + a, "end": sentence.start + b, "text": sentence.text[a:b]}
        )
        match_text[span_key(piece)] = expand(" ".join(piece.text.split()))
        pieces.append(piece)
    return pieces[:1] + [q for p in pieces[1:] for q in _cut(p, match_text)]
