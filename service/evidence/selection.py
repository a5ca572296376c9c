"""Choose, for each evidence requirement of a denial code, the verbatim sentences to quote.

Hybrid search (dense + BM25, fused by rank) finds the case's best chunks for the requirement's
queries; the sentences inside them are scored against the queries (`scoring.py`) and the best
ones, spread over pages, become quotes. Excluded pages and instruction sentences never become
candidates.

`select_evidence` runs named stages, each a function of what the stages before it found, so each
decision can be read, and tested, on its own:

1. `gather_candidates`: the sentences each requirement may quote;
2. `score_candidates`: every candidate scored against every requirement;
3. `find_counter_evidence`: sentences that speak against a requirement, never quoted;
4. `assign`: which requirement each sentence is about, and what each requirement may pick from;
5. `pick_quotes`: each requirement's quotes (`picking.py`), or the requirement is missing;
6. `borrow`: a missing requirement quotes a sentence another one took;
7. `cover_remaining_pages` and `quote_outside_reports`: a page that strongly supports a
   requirement past its cap, and an outside report's result.

The numbers that tune them are one `SelectionTuning`.
"""

from dataclasses import dataclass, field

from service.evidence.candidates import (
    Key,
    Layout,
    PageKey,
    Scored,
    assign,
    find_counter_evidence,
    gather_candidates,
    quotable,
    score_candidates,
)
from service.evidence.picking import borrow, cover_remaining_pages, pick_quotes, quote_outside_reports
from service.evidence.reports import outside_results
from service.evidence.scoring import CaseIndex
from service.evidence.tuning import SelectionTuning
from service.models import CodeEntry, Evidence, EvidenceRequirement, Span, span_key
from service.screening.boilerplate import wants_signatures


@dataclass
class Selection:
    evidence: list[Evidence] = field(default_factory=list)
    missing: list[EvidenceRequirement] = field(default_factory=list)
    ranked_pages: dict[str, list[PageKey]] = field(default_factory=dict)
    """Requirement id -> pages in the order of their best sentence's score (for recall@k)."""
    counter: list[tuple[str, Span]] = field(default_factory=list)
    """(requirement id, sentence) for sentences that speak against a requirement: never quoted."""
    about: dict[Key, tuple[float, str]] = field(default_factory=dict)
    """Sentence -> (its best score, the requirement it scores best for): what a line is about."""
    scores: dict[str, dict[Key, float]] = field(default_factory=dict)
    """Requirement id -> every candidate sentence's score for it."""
    sentences: dict[Key, Span] = field(default_factory=dict)
    """The candidate sentences scored, by key."""
    blocked: dict[str, set[Key]] = field(default_factory=dict)
    """Requirement id -> scored sentences it may not quote on their own (screened out for it,
    boilerplate, a sign-off, or history that joins only beside a line of its own): `scores`
    still scores them, since another requirement's search found them."""


@dataclass(frozen=True)
class CaseBounds:
    """What screening decided about a case's pages, and whose case it is.

    `blocked_pages`: pages never cited; `blocked_sentences`: sentences no requirement may quote;
    `ocr_pages`: pages read by OCR (their quotes say so); `blocked_for`: sentences one
    requirement may not quote (a note from another month is still a standing document);
    `history_for`: sentences one requirement may quote only as the neighbour of a line of its
    own ('Care plan initiated 5/4/25' above this month's review); `practice`, `provider`: the
    case's, so an outside report's letterhead and signer are told from the practice's own."""

    blocked_pages: set[PageKey] = field(default_factory=set)
    blocked_sentences: set[Key] = field(default_factory=set)
    ocr_pages: set[PageKey] = field(default_factory=set)
    blocked_for: dict[str, set[Key]] = field(default_factory=dict)
    history_for: dict[str, set[Key]] = field(default_factory=dict)
    practice: str | None = None
    provider: str | None = None


def select_evidence(entry: CodeEntry, index: CaseIndex, tuning: SelectionTuning, bounds: CaseBounds) -> Selection:
    """The quotes for each of `entry`'s requirements, the requirements left without one, and the
    sentences that speak against one; the stages in order (see the module's docstring)."""
    layout = Layout.of(index)
    req_blocked = {req.id: bounds.blocked_sentences | bounds.blocked_for.get(req.id, set()) for req in entry.evidence}
    candidates = gather_candidates(entry, index, layout, bounds.blocked_pages, req_blocked, tuning)
    scores = score_candidates(entry, index, candidates, layout.headings)
    counter = find_counter_evidence(entry, index, candidates, scores, tuning)
    counter_keys = {span_key(span) for _, span in counter}
    assignment = assign(
        entry, index, layout, candidates, scores, counter_keys, bounds.blocked_for, bounds.history_for, tuning
    )
    picked = pick_quotes(entry, index, layout, scores, assignment, req_blocked, counter_keys, bounds.ocr_pages, tuning)
    borrowed, missing = borrow(picked.missing, assignment, scores.mentions, bounds.ocr_pages, tuning)
    evidence = picked.evidence + borrowed
    evidence += cover_remaining_pages(entry, evidence, missing, scores, assignment, picked, bounds.ocr_pages, tuning)
    blocked = {req.id: req_blocked[req.id] | bounds.history_for.get(req.id, set()) for req in entry.evidence}
    found = outside_results(
        entry,
        index,
        layout.by_page,
        bounds.blocked_pages,
        blocked,
        counter_keys,
        evidence,
        bounds.practice,
        bounds.provider,
    )
    outside, against, proved = quote_outside_reports(found, layout, index, bounds.ocr_pages, tuning)
    missing = list(missing)
    if proved is not None and proved in missing:
        missing.remove(proved)
    return Selection(
        evidence=evidence + outside,
        missing=missing,
        ranked_pages={req: _page_order(scored) for req, scored in assignment.scored.items()},
        counter=counter + against,
        about=dict(assignment.best),
        scores=scores.full,
        sentences={span_key(span): span for span in scores.pool},
        blocked=_never_quoted(entry, scores.pool, blocked),
    )


def _never_quoted(entry: CodeEntry, pool: list[Span], blocked: dict[str, set[Key]]) -> dict[str, set[Key]]:
    """Requirement id -> the scored sentences it may not quote on their own: its blocked ones, and
    those `quotable` refuses (boilerplate, a sign-off unless it asks for signatures), each sentence
    tested once for all requirements."""
    nothing = {span_key(s) for s in pool if not quotable(s, set(), signatures=True)}
    sign_offs = {span_key(s) for s in pool if not quotable(s, set())} - nothing
    return {
        req.id: blocked[req.id] | nothing | (set() if wants_signatures(req.need) else sign_offs)
        for req in entry.evidence
    }


def _page_order(scored: Scored) -> list[PageKey]:
    return list(dict.fromkeys((span.document, span.page) for _, span in scored))
