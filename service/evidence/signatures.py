"""A signed form closes with its signature line ('Patient signature: /s/ ... Date: ...'): the
date the patient agreed is written there and nowhere else. A requirement about a signed
document quotes that line with the form it closes, never alone: on its own it proves only that
someone signed something."""

import re

from service.models import Span, span_key
from service.screening.dates import find_dates

SIGNED = re.compile(r"(?:\bsign(?:ed|ature|s)?\b|/s/)", re.IGNORECASE)
FOLLOWING = 6
"""How many lines below a quoted line of the form its signature line may sit: the rest of a
short checklist, a witness or 'obtained by' line."""


def is_dated_signature(text: str) -> bool:
    flat = " ".join(text.split())
    return bool(SIGNED.search(flat)) and bool(find_dates(flat))


def closing_signatures(
    chosen: list[tuple[float, Span]], by_page: dict, position: dict, blocked: set
) -> list[tuple[float, Span]]:
    """The first dated signature line below each chosen line, scored as that line, so the form is
    quoted with its date; nothing when the form has no such line within reach."""
    have = {span_key(span) for _, span in chosen}
    extra: list[tuple[float, Span]] = []
    for score, span in chosen:
        spans = by_page.get((span.document, span.page), [])
        index = position[span_key(span)]
        for nxt in spans[index + 1 : index + 1 + FOLLOWING]:
            key = span_key(nxt)
            if key in blocked:
                break
            if key in have:
                continue
            if is_dated_signature(nxt.text):
                extra.append((score, nxt))
                have.add(key)
                break
    return extra
