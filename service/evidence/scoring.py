"""Scoring a case's sentences against one evidence requirement: the case's searchable index,
chunk search (dense + BM25 fused by rank) and the sentence score with its lifts and penalties.
`selection.py` picks the quotes from these scores."""

import re
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

import numpy as np

from service.evidence.actions import states_action
from service.evidence.contacts import is_check, is_outside_contact, names_other_end
from service.evidence.goals import states_target
from service.evidence.matching import expand
from service.evidence.sections import LISTED_UNDER, frames, note_title
from service.index.copies import collapse, members
from service.index.fusion import reciprocal_rank_fusion
from service.index.lexical import LexicalIndex, stems, tokens
from service.models import Chunk, CodeEntry, EvidenceRequirement, Span, span_key
from service.records.tables import ICD10, is_total

SPECIFIC = re.compile(r"\d")


@dataclass
class CaseIndex:
    """What evidence selection needs from the index, as plain callables (easy to fake in tests)."""

    chunks: dict[str, Chunk]
    sentences: list[Span]
    page_text: dict[tuple[str, int], str]
    lexical: LexicalIndex
    dense_search: Callable[[np.ndarray, int], list[str]]
    embed: Callable[[list[str]], np.ndarray]
    mode: str = "hybrid"
    """'hybrid', or 'bm25' / 'dense' to use one kind of similarity everywhere (eval baselines)."""
    background: list[str] = field(default_factory=list)
    """Ordinary chart content that proves no requirement: a sentence closer to it than to the
    requirement loses the difference."""
    match_text: dict[tuple[str, int, int], str] = field(default_factory=dict)
    """Sentence key -> the text it is scored by (shorthand spelled out, table header attached)."""
    cut: set[tuple[str, int, int]] = field(default_factory=set)
    """Keys of tally lines cut down to their billable part: ranked as the whole line."""

    current_text: dict[tuple[str, int, int], str] = field(default_factory=dict)
    """Sentence key -> a table row without its earlier-state cells (`matching.current_texts`)."""
    copy_of: dict[str, str] = field(default_factory=dict)
    """Chunk id -> the first chunk with the same words and other digits (`index.copies`)."""

    def scored_text(self, span: Span) -> str:
        return self.match_text.get(span_key(span)) or " ".join(span.text.split())

    def counter_text(self, span: Span) -> str:
        """What a line says against a requirement: a tally cut to its billable part by that part
        alone ('counted toward 99457: 27 min'), since the unbillable part it left out is already an
        event of its own and never quoted; a table row by its current cells; else its scored text."""
        if span_key(span) in self.cut:
            return expand(" ".join(span.text.split()))
        return self.current_text.get(span_key(span)) or self.scored_text(span)


DISTINCT = 0.08
CUE_LIFT = 0.1
CUE_FLOOR = 0.62
"""A line with the requirement's shape (knowledge `cue`) gains CUE_LIFT and reaches at least
CUE_FLOOR, past the presence bar: the shape is what the requirement asks for. Not a line that
reads clearly more like not-evidence ('Preferred pharmacy confirmed against registration')."""
CLOSE_CALL = 0.05
"""A sentence scoring within this much of its best requirement may also join another's quote as
the neighbour of a line chosen there: 'COPD: no more than one flare through 11/30' between two
goals is a goal as much as it names a problem."""
ORDINARY_HEADING = 0.6
"""A heading this close to a line of not-evidence names ordinary chart content ('Vital Signs
Flowsheet', 'Appointment History'); lines under it that it also claims for a requirement sink
halfway toward the heading's score. Shorter headings rarely come this close to any one line,
so 'Telephone Encounter' or a practice's name never sinks what sits under it."""
TIME_NEED = re.compile(r"\b(?:minutes|time|days)\b", re.IGNORECASE)


def asks_for_time(req: EvidenceRequirement) -> bool:
    """A requirement for minutes or days, where a total row is the strongest statement."""
    return bool(TIME_NEED.search(req.need))


def asks_for_codes(req: EvidenceRequirement) -> bool:
    """A requirement for diagnoses with their ICD-10 codes (a problem list)."""
    return "ICD-10" in req.need


def _lexical_overlap(query_tokens: list[set[str]], sentence: str) -> float:
    have = set(tokens(sentence))
    return max((len(q & have) / len(q) for q in query_tokens if q), default=0.0)


SEARCH_DEPTH = 20
"""Chunks each dense or BM25 search returns, counting a set of near-identical chunks once."""


def rank_chunks(req: EvidenceRequirement, index: CaseIndex, blocked: set, limit: int) -> list[list[Chunk]]:
    """The case's best `limit` chunks for one requirement: dense and BM25 rankings for its need
    and each query, fused by reciprocal rank; chunks on `blocked` pages are passed over. Chunks
    with the same words and other digits (`index.copies`) rank as one and take one place: each
    place is the list of them on pages not blocked."""
    queries = [expand(q) for q in (req.need, *req.queries)]
    vectors = index.embed(queries) if index.mode != "bm25" else [None] * len(queries)
    depth = SEARCH_DEPTH + len(index.copy_of)
    rankings = []
    for query, vector in zip(queries, vectors):
        if index.mode != "bm25":
            rankings.append(collapse(index.dense_search(vector, depth), index.copy_of)[:SEARCH_DEPTH])
        if index.mode != "dense":
            rankings.append(collapse(index.lexical.search(query, depth), index.copy_of)[:SEARCH_DEPTH])
    copies = members(index.copy_of)
    ranked = []
    for chunk_id, _ in reciprocal_rank_fusion(rankings):
        found = [index.chunks.get(c) for c in (chunk_id, *copies.get(chunk_id, ()))]
        group = [chunk for chunk in found if chunk and (chunk.document, chunk.page) not in blocked]
        if group:
            ranked.append(group)
        if len(ranked) == limit:
            break
    return ranked


def distinctive_stems(entry: CodeEntry) -> dict[str, set[str]]:
    """Requirement id -> word stems only its own wording uses among the code's requirements
    ('sync', 'interface' for EHR integration; 'order' for the device order): a sentence holding
    one is about that requirement rather than its neighbours."""
    by_req = {req.id: stems(expand(" ".join([req.label, req.need]))) - COMMON for req in entry.evidence}
    return {rid: own - set().union(*(o for other, o in by_req.items() if other != rid)) for rid, own in by_req.items()}


COMMON = {
    w[:5]
    for w in (
        "about into there than shown care patient patients month months date dates time times home back "
        "this that with from each other have been what when which used uses using how any may one out day days "
        "made make give given takes taken done more most only also shown meant names rather were "
        "include including such record records".split()
    )
}


def heading_text(heading: Span, index: CaseIndex, service: re.Pattern | None = None) -> str:
    """What a heading is scored by: a note's title alone ('Setup/education'), without the name of
    the code's service ('RPM Call' is a call; 'RPM Monthly Transmission Report' a transmission
    report): a name every requirement shares would pull each heading toward whichever query
    repeats it."""
    text = note_title(index.scored_text(heading)) or index.scored_text(heading)
    return _strip(text, service) if service else text


def _strip(text: str, service: re.Pattern) -> str:
    """`text` without the code's service names, spaces closed up (empty if nothing else)."""
    return " ".join(service.sub(" ", text).split())


def _without(text: str, service: re.Pattern | None) -> str:
    """A query without the code's service names, unless nothing else is left: 'RPM ordered' and
    'RPM treatment management time' share 'RPM', so a short line naming it ('RPM call w/ pt, 12
    min') read as close to the order as to the call it is. The line keeps its words: 'agrees to
    receive chronic care management services' is consent to that service."""
    if not service:
        return text
    rest = _strip(text, service)
    return rest if re.search(r"[A-Za-z]{3}", rest) else text


def _unframed(sentence: Span, index: CaseIndex, service: re.Pattern | None) -> str:
    """The scored text of a line read under a header ('RPM Data Review: last sync 05/26 07:08'),
    without the service's name in that header: a name every requirement shares would make a sync
    time read like treatment management. The line's own words are kept."""
    text = index.scored_text(sentence)
    own = expand(" ".join(sentence.text.split()))
    if not service or len(text) <= len(own) or not text.endswith(own):
        return text
    head = _strip(text[: -len(own)], service)
    return f"{head} {own}" if re.search(r"[A-Za-z]", head) else own


def score_sentences(
    req: EvidenceRequirement,
    candidates: list[Span],
    index: CaseIndex,
    headings: dict | None = None,
    distinct: AbstractSet[str] = frozenset(),
    service: re.Pattern | None = None,
    as_headings: bool = False,
) -> list[tuple[float, Span]]:
    """Dense similarity to the queries, plus term overlap, plus a little for specifics; a line
    under a relevant page title or section heading is lifted halfway toward that heading's score.
    `service`: the code's service names, left out of heading texts; `as_headings`: the candidates
    are headings, scored by their heading text."""
    if not candidates:
        return []
    queries = [_without(expand(q), service) for q in (req.need, *req.queries)]
    query_tokens = [set(tokens(q)) for q in queries]
    weight = {"hybrid": 0.75, "dense": 1.0, "bm25": 0.0}[index.mode]

    def raw(texts: list[str]) -> tuple[list[float], list[bool], list[float]]:
        """Scores; whether each sentence reads clearly more like not-evidence than like the
        requirement: by more than a close call, both measured the same way, best clause included
        ('Spoke w/ BrightPath Home Health RN' is a close call with 'how the patient prefers to be
        contacted'; 'Preferred pharmacy confirmed against registration' is not); and how close
        each is to not-evidence at all."""
        dense = background = np.zeros(len(texts))
        if weight:
            vectors = index.embed(texts)
            dense = _similarity(texts, vectors, index.embed(queries), index.embed)
            if index.background:
                background = _similarity(texts, vectors, index.embed(index.background), index.embed)
        penalty = np.maximum(0.0, background - dense)
        scores = [
            weight * float(c) + (1 - weight) * _lexical_overlap(query_tokens, t) - float(p)
            for t, c, p in zip(texts, dense, penalty)
        ]
        return scores, [bool(p > CLOSE_CALL) for p in penalty], [float(b) for b in background]

    headings = headings or {}
    timed = asks_for_time(req)
    coded = asks_for_codes(req)
    unique = {span_key(h): h for s in candidates for h in headings.get(span_key(s), ()) if h is not None}
    heading_spans = [unique[k] for k in sorted(unique)]
    heading_texts = [heading_text(h, index, service) for h in heading_spans]
    heading_raw = raw(heading_texts) if heading_spans else ([], [], [])
    heading_score = {
        span_key(h): score if t else 0.0 for h, t, score in zip(heading_spans, heading_texts, heading_raw[0])
    }
    heading_claimed = {span_key(h) for h, c, b in zip(heading_spans, *heading_raw[1:]) if c and b >= ORDINARY_HEADING}
    scored = []
    texts = [heading_text(s, index, service) if as_headings else _unframed(s, index, service) for s in candidates]
    for sentence, text, score, claimed, _ in zip(candidates, texts, *raw(texts)):
        if not text:
            scored.append((0.0, sentence))  # a heading that names only the service
            continue
        title, near = headings.get(span_key(sentence), (None, None))
        frame = [heading_score[span_key(h)] for h in (title, near) if h is not None]
        listed = False
        if frame and frames(sentence, near if near is not None else title):
            score = max(score, 0.5 * score + 0.5 * sum(frame) / len(frame))
            if near is not None and heading_score[span_key(near)] >= LISTED_UNDER:
                listed = True
                score = max(score, heading_score[span_key(near)] - 0.1)  # an item of a list headed 'Goals
        if SPECIFIC.search(sentence.text):
            score += 0.05
        if timed and is_total(sentence.text):
            score += 0.05  # a total row is the strongest statement of time
        if distinct and distinct & stems(index.scored_text(sentence)):
            score += DISTINCT  # a word only this requirement's wording uses
        if coded and ICD10.search(sentence.text):
            score += 0.15  # a diagnosis with its ICD-10 code is what a problem list is made of
        if req.cue == "outside_contact" and claimed and names_other_end(sentence.text):
            claimed = False
        if req.cue == "outside_contact" and not claimed and is_outside_contact(sentence.text):
            score = max(score + CUE_LIFT, CUE_FLOOR)
        elif req.cue == "outside_contact" and is_check(sentence.text):
            score = min(score, 0.0)  # details checked, no one contacted
        if req.cue == "action" and states_action(sentence.text):
            score = max(score + CUE_LIFT, CUE_FLOOR)
        if req.cue == "target" and (states_target(sentence.text) or states_target(index.scored_text(sentence))):
            claimed = False  # 'A1c < 8 (last 7.9 on 3/20/26)' reads like a lab result; its shape is a goal
            score = max(score + CUE_LIFT, CUE_FLOOR)
        if frame and not listed and any(span_key(h) in heading_claimed for h in (title, near) if h is not None):
            score = min(score, 0.5 * score + 0.5 * sum(frame) / len(frame))  # under 'Vital Signs Flowsheet'
        if claimed and not listed:
            score = min(score, 0.0)  # not evidence, unless the list it sits in says what it is
        scored.append((round(score, 4), sentence))
    scored.sort(key=lambda pair: (-pair[0], pair[1].document, pair[1].page, pair[1].start))
    return scored


CLAUSE = re.compile(r";|:\s|\s[-\u2013\u2014]\s|,\s")
LEADING_LABEL = re.compile(r"^\W{0,2}([A-Za-z][\w/&'-]*\s[\w/&'-]+(?:\s[\w/&'-]+){0,2}|[A-Z]{4,}):\s")
"""A label of two to four words, or one in capitals ('PROBLEMS:'): one ordinary word before a
colon is as often a value ('Diabetes: A1c < 7')."""


def _similarity(texts: list[str], vectors: np.ndarray, targets: np.ndarray, embed) -> np.ndarray:
    """Each text's best similarity to the targets, its best clause averaged in."""
    whole = (vectors @ targets.T).max(axis=1)
    return (whole + np.maximum(whole, _best_clause(texts, targets, embed))) / 2


def _best_clause(texts: list[str], query_vectors: np.ndarray, embed) -> np.ndarray:
    """Each text's best clause against the queries: 'Medication management 05/21: reconciled 8
    meds w/ pt; metformin reduced to 500 mg' is about reconciliation though its whole reads less
    so. Averaged with the whole, so one stray clause cannot carry a sentence."""
    best = np.full(len(texts), -1.0)
    owners, clauses = [], []
    for i, text in enumerate(texts):
        parts = [c.strip() for c in CLAUSE.split(text) if len(c.split()) >= 3]
        label = LEADING_LABEL.match(text)
        if label:
            parts.append(label.group(1))  # 'His goal: "no more missed pills"' is a goal
        if len(parts) > 1:
            owners += [i] * len(parts)
            clauses += parts
    if clauses:
        scores = (embed(clauses) @ query_vectors.T).max(axis=1)
        for i, score in zip(owners, scores):
            best[i] = max(best[i], float(score))
    return best
