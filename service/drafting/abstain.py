"""Cite or abstain: after the repair round, the sentences that still say more than their
citations are left out, when what remains is still a whole letter.

Only sentence-level failures can be dropped (a claim without a citation, a fact not in its
quote, a marker on the wrong passage, a sentence restating an instruction, a quotation not on
its page, a sentence that turns its quote around: `meaning.py`). The letter that remains must
pass the validator on its own (identifiers, salutation, request, closing, signature) and still
cite at least one passage for every requirement the model argued from. Otherwise the template
letter ships, as before.
"""

import re

from service.drafting.statements import Statement, split_statements
from service.drafting.validator import Failure, Sources, validate

DROPPABLE = {
    "uncited_claim",
    "claim_not_in_quote",
    "marker_irrelevant",
    "instruction_text",
    "quote_not_verbatim",
    "polarity_mismatch",
    "actor_mismatch",
    "modality_mismatch",
    "quantity_mismatch",
    "unsupported_universal",
}


def abstain(body: str, failures: list[Failure], sources: Sources) -> tuple[str, list[Failure]] | None:
    """(the letter without the failing sentences, what was dropped), or None if that is no letter."""
    if not failures or any(f.name not in DROPPABLE or not f.sentence for f in failures):
        return None
    statements = split_statements(body)
    by_index = {st.index: st for st in statements}
    doomed = {f.sentence for f in failures if f.sentence is not None}  # every one has a sentence (above)
    if any(by_index.get(i) is None or by_index[i].part == "frame" for i in doomed):
        return None
    kept = drop(body, [by_index[i] for i in sorted(doomed)])
    if kept is None or validate(kept, sources):
        return None
    argued = _requirements(statements, sources)
    if argued - _requirements(split_statements(kept), sources):
        return None
    return kept, failures


def drop(body: str, statements: list[Statement]) -> str | None:
    """`body` without these statements, whatever line breaks they were written across."""
    for st in statements:
        pattern = r"\s+".join(re.escape(word) for word in st.text.split())
        found = re.search(rf"{pattern}[ \t]*", body)
        if not found:
            return None
        body = body[: found.start()] + body[found.end() :]
    return body


def _requirements(statements: list[Statement], sources: Sources) -> set[str]:
    """The requirements a letter argues from: those of the passages its sentences cite."""
    return {
        sources.passages[n].requirement
        for st in statements
        if st.part != "frame"
        for n in st.markers
        if n in sources.passages and sources.passages[n].requirement
    }
