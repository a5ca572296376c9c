"""Lines a requirement asks for by their shape, not only by their wording.

A requirement's knowledge `cue` names a shape: a measurable goal (`target`, `goals.py`) or a
dated act of care (`action`, `actions.py`); a requirement of minutes asks for lines that log a
duration. Such a line belongs to its requirement even where another one's wording scores it a
little higher, and it is measured against the best line of its own kind, not against a line
that wins on wording alone ('Prognosis: fair' reads more like 'treatment goals' than 'A1c <7.5%
in 6 months' does).
"""

import re
from collections.abc import Callable

from service.evidence.actions import states_action
from service.evidence.goals import reports_review, states_target
from service.evidence.scoring import asks_for_codes, asks_for_time
from service.models import EvidenceRequirement, Span, span_key
from service.records.tables import ICD10, is_total

SHAPES: dict[str, Callable[[str], bool]] = {"target": states_target, "action": states_action}
DURATION = re.compile(r"\b\d{1,3}\s*(?:minutes|mins?)\b", re.IGNORECASE)

Key = tuple[str, int, int]


def has_shape(req: EvidenceRequirement, text: str, scored: str = "") -> bool:
    """`scored`: the text the line is scored by; a table row's carries its header, so a goal row
    whose date sits under 'Target date' reads 'Goal: Home BP below 130/80; Target date: 08/31/2026'.
    An act's date is read from the line as printed ('Last done' in a header is no act's label)."""
    shape = SHAPES.get(req.cue or "")
    if shape is None:
        return False
    return shape(text) or (req.cue == "target" and bool(scored) and shape(scored))


def ruled_out(req: EvidenceRequirement, text: str) -> bool:
    """A line the requirement's shape never quotes, whatever its wording: 'CP reviewed + revised
    w/ pt, goals updated' is the review, not a goal. Its score stands, so it is still checked as
    counter-evidence."""
    return req.cue == "target" and reports_review(text)


def kind_lines(own: list[tuple[float, Span]], req: EvidenceRequirement, scored_text: Callable[[Span], str]) -> set[Key]:
    """Keys of the lines of the requirement's own kind: its shape's, or for minutes the lines
    that log a duration ('RPM call w/ pt, 12 min'; the total ranks first, and the dated contacts
    it adds up are evidence of their own)."""
    if req.cue in SHAPES:
        return {span_key(sp) for _, sp in own if has_shape(req, sp.text, scored_text(sp))}
    if not asks_for_time(req):
        return set()
    return {span_key(sp) for _, sp in own if DURATION.search(scored_text(sp)) and not is_total(sp.text)}


def claim_by_shape(
    reqs: list[EvidenceRequirement],
    full: dict,
    best: dict,
    texts: dict[Key, tuple[str, str]],
    threshold: float,
    blocked_for: dict,
) -> dict[Key, set[str]]:
    """Give each line of a requirement's shape to that requirement (`best`: key -> (score,
    owner), changed in place) when its date lets the requirement quote it: 'Home BP < 135/85 by
    next visit' is a goal though it reads as symptom management too; '6/14/2026 urine ACR ordered'
    is an action, while a vaccine given a season ago stays the status it reads like. A line of the
    shape that carries an ICD-10 code, and that the problem list may quote, is shared instead:
    key -> requirement ids that may both quote it (a coded goal row). `texts`: key -> (text as printed, text as scored)."""
    shared: dict[Key, set[str]] = {}
    coded = [r.id for r in reqs if asks_for_codes(r)]
    for req in reqs:
        if req.cue not in SHAPES:
            continue
        for key, score in full[req.id].items():
            if score < threshold or key not in best or key in blocked_for.get(req.id, ()):
                continue
            if not has_shape(req, *texts[key]) or ruled_out(req, texts[key][0]):
                continue
            listing = [c for c in coded if c != req.id and full[c].get(key, 0.0) >= threshold]
            if listing and ICD10.search(texts[key][0]):
                shared[key] = {*listing, req.id}
            elif best[key][1] != req.id:
                best[key] = (max(best[key][0], score), req.id)
    return shared
