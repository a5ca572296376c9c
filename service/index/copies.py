"""Near-identical chunks: the same words with other digits (a templated note printed again with
another date, a vitals grid with other readings, the same cover sheet before every section).

A long packet holds many such copies. Searched one by one, the copies of one note take a place
each in every ranking and push the evidence, which is printed once, below the cut; searched as
one, the note takes one place and its copies come in with it, so nothing is lost.
"""

import re
from collections.abc import Iterable

from service.models import Chunk

DIGITS = re.compile(r"\d+")


def signature(text: str) -> str:
    """A chunk's words in order, lower case, every run of digits one mark."""
    return " ".join(DIGITS.sub("#", text.lower()).split())


def find_copies(chunks: Iterable[Chunk]) -> dict[str, str]:
    """Chunk id -> the id of the first chunk (in the order given) with the same signature, for
    every chunk that is a copy of an earlier one."""
    first: dict[str, str] = {}
    copy_of: dict[str, str] = {}
    for chunk in chunks:
        key = signature(chunk.text)
        if key in first:
            copy_of[chunk.id] = first[key]
        else:
            first[key] = chunk.id
    return copy_of


def members(copy_of: dict[str, str]) -> dict[str, list[str]]:
    """First chunk's id -> its copies' ids, in order."""
    out: dict[str, list[str]] = {}
    for chunk_id, original in copy_of.items():
        out.setdefault(original, []).append(chunk_id)
    return out


def collapse(ranking: list[str], copy_of: dict[str, str]) -> list[str]:
    """A ranking of chunk ids with each set of copies in one place: its first chunk's id, where
    the best ranked of them stood."""
    return list(dict.fromkeys(copy_of.get(chunk_id, chunk_id) for chunk_id in ranking))
