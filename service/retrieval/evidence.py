"""Choose, for each evidence requirement of a denial code, the verbatim sentences to quote.

Hybrid search (dense + BM25, fused by rank) finds the case's best chunks for the requirement's
queries; the sentences inside them are scored against the queries and the best ones, spread over
pages, become quotes. Excluded pages and instruction sentences never become candidates.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from service.index.fusion import reciprocal_rank_fusion
from service.index.lexical import LexicalIndex, tokens
from service.records.tables import is_total
from service.retrieval.boilerplate import is_boilerplate, is_sign_off, wants_signatures
from service.retrieval.contacts import is_outside_contact
from service.retrieval.counter import find_counter
from service.retrieval.matching import expand
from service.retrieval.sections import LISTED_UNDER, declared_by_heading, section_headings, stands_alone
from service.models import Chunk, CodeEntry, Evidence, EvidenceRequirement, Span, span_key

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

    def scored_text(self, span: Span) -> str:
        return self.match_text.get(span_key(span)) or " ".join(span.text.split())


@dataclass
class Selection:
    evidence: list[Evidence] = field(default_factory=list)
    missing: list[EvidenceRequirement] = field(default_factory=list)
    ranked_pages: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    """Requirement id -> pages in the order of their best sentence's score (for recall@k)."""
    counter: list[tuple[str, Span]] = field(default_factory=list)
    """(requirement id, sentence) for sentences that speak against a requirement: never quoted."""


DISTINCT = 0.08
BORROW = 0.1
BORROWED = 2
"""A requirement with no sentence of its own may quote up to this many of another's, scoring
within BORROW of what they score there."""
NEAR_TOP = 0.15
CUE_LIFT = 0.1
CUE_FLOOR = 0.62
"""A line with the requirement's shape (knowledge `cue`) gains CUE_LIFT and reaches at least
CUE_FLOOR, past the presence bar: the shape is what the requirement asks for. Not a line that
reads clearly more like not-evidence ('Preferred pharmacy confirmed against registration')."""
CLOSE_CALL = 0.05
"""A sentence scoring within this much of its best requirement may also join another's quote as
the neighbour of a line chosen there: 'COPD: no more than one flare through 11/30' between two
goals is a goal as much as it names a problem."""
LIST_SLACK = 0.1
"""An item of a list or a row of a table next to one being quoted may score this much under the
floor and still be quoted with it: the rest of the same list, not the rest of the page."""
LIST_ITEM = re.compile(
    r"^\W{0,2}(?:[-*\u2022>]\s|\d{1,2}[.)]\s|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b|\[[ xX]\]\s|[A-Z][\w/&-]*(?:\s[\w/&-]+){0,2}:\s)"
)


def is_list_item(text: str) -> bool:
    return bool(LIST_ITEM.match(text))
ICD10 = re.compile(r"\b[A-TV-Z]\d{2}(?:\.\d{1,4}[A-Z]?)?\b")
TIME_NEED = re.compile(r"\b(?:minutes|time|days)\b", re.IGNORECASE)


def _lexical_overlap(query_tokens: list[set[str]], sentence: str) -> float:
    have = set(tokens(sentence))
    return max((len(q & have) / len(q) for q in query_tokens if q), default=0.0)


def rank_chunks(req: EvidenceRequirement, index: CaseIndex, blocked: set, limit: int) -> list[Chunk]:
    """The case's best chunks for one requirement: dense and BM25 rankings for its need and each
    query, fused by reciprocal rank; chunks on `blocked` pages are passed over."""
    queries = [expand(q) for q in (req.need, *req.queries)]
    vectors = index.embed(queries) if index.mode != "bm25" else [None] * len(queries)
    rankings = []
    for query, vector in zip(queries, vectors):
        if index.mode != "bm25":
            rankings.append(index.dense_search(vector, 20))
        if index.mode != "dense":
            rankings.append(index.lexical.search(query, 20))
    ranked = []
    for chunk_id, _ in reciprocal_rank_fusion(rankings):
        chunk = index.chunks.get(chunk_id)
        if chunk and (chunk.document, chunk.page) not in blocked:
            ranked.append(chunk)
        if len(ranked) == limit:
            break
    return ranked


def distinctive_stems(entry: CodeEntry) -> dict[str, set[str]]:
    """Requirement id -> word stems only its own wording uses among the code's requirements
    ('sync', 'interface' for EHR integration; 'order' for the device order): a sentence holding
    one is about that requirement rather than its neighbours."""
    stems = {req.id: _stems(expand(" ".join([req.label, req.need]))) - COMMON for req in entry.evidence}
    return {rid: own - set().union(*(o for other, o in stems.items() if other != rid)) for rid, own in stems.items()}


COMMON = {w[:5] for w in (
    "about into there than shown care patient patients month months date dates time times home back "
    "this that with from each other have been what when which used uses using how any may one out day days "
    "made make give given takes taken done more most only also shown meant names rather were "
    "include including such record records".split()
)}


def _stems(text: str) -> set[str]:
    """Crude stems: 'goals' and 'goal', 'synced' and 'sync' meet."""
    out = set()
    for w in tokens(text):
        if len(w) < 3 or w.isdigit():
            continue
        for suffix in ("ing", "ed", "es", "s"):
            if w.endswith(suffix) and len(w) - len(suffix) >= 3:
                w = w[: -len(suffix)]
                break
        out.add(w[:5])
    return out


def score_sentences(
    req: EvidenceRequirement, candidates: list[Span], index: CaseIndex, headings: dict | None = None,
    distinct: set[str] = frozenset(),
) -> list[tuple[float, Span]]:
    """Dense similarity to the queries, plus term overlap, plus a little for specifics; a line
    under a relevant page title or section heading is lifted halfway toward that heading's score."""
    if not candidates:
        return []
    queries = [expand(q) for q in (req.need, *req.queries)]
    query_tokens = [set(tokens(q)) for q in queries]
    weight = {"hybrid": 0.75, "dense": 1.0, "bm25": 0.0}[index.mode]

    def raw(spans: list[Span]) -> tuple[list[float], list[bool]]:
        """Scores, and whether each sentence reads clearly more like not-evidence than like the
        requirement: by more than a close call, both measured the same way, best clause included
        ('Spoke w/ BrightPath Home Health RN' is a close call with 'how the patient prefers to be
        contacted'; 'Preferred pharmacy confirmed against registration' is not)."""
        texts = [index.scored_text(s) for s in spans]
        penalty = np.zeros(len(spans))
        if weight:
            vectors = index.embed(texts)
            dense = _similarity(texts, vectors, index.embed(queries), index.embed)
            if index.background:
                penalty = np.maximum(0.0, _similarity(texts, vectors, index.embed(index.background), index.embed) - dense)
        else:
            dense = np.zeros(len(spans))
        scores = [
            weight * float(c) + (1 - weight) * _lexical_overlap(query_tokens, t) - float(p)
            for t, c, p in zip(texts, dense, penalty)
        ]
        return scores, [bool(p > CLOSE_CALL) for p in penalty]

    headings = headings or {}
    timed = bool(TIME_NEED.search(req.need))
    coded = "ICD-10" in req.need
    unique = {span_key(h): h for s in candidates for h in headings.get(span_key(s), ()) if h is not None}
    heading_spans = [unique[k] for k in sorted(unique)]
    heading_score = dict(zip(map(span_key, heading_spans), raw(heading_spans)[0])) if heading_spans else {}
    scored = []
    for sentence, score, claimed in zip(candidates, *raw(candidates)):
        title, near = headings.get(span_key(sentence), (None, None))
        frame = [heading_score[span_key(h)] for h in (title, near) if h is not None]
        listed = False
        if frame and not stands_alone(sentence.text):
            score = max(score, 0.5 * score + 0.5 * sum(frame) / len(frame))
            if near is not None and heading_score[span_key(near)] >= LISTED_UNDER:
                listed = True
                score = max(score, heading_score[span_key(near)] - 0.1)  # an item of a list headed 'Goals
        if SPECIFIC.search(sentence.text):
            score += 0.05
        if timed and is_total(sentence.text):
            score += 0.05  # a total row is the strongest statement of time
        if distinct and distinct & _stems(index.scored_text(sentence)):
            score += DISTINCT  # a word only this requirement's wording uses
        if coded and ICD10.search(sentence.text):
            score += 0.15  # a diagnosis with its ICD-10 code is what a problem list is made of
        if req.cue == "outside_contact" and not claimed and is_outside_contact(sentence.text):
            score = max(score + CUE_LIFT, CUE_FLOOR)
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


def _pick(
    scored: list[tuple[float, Span]], used: set, limit: int, bar: float, floor: float, position: dict | None = None,
    close: list[tuple[float, Span]] = (),
) -> list[tuple[float, Span]]:
    """Sentences above `bar`, one per page first so the letter cites every page it can; then the
    rest above `bar`, and the lines above `floor` right next to a chosen one (the next item of the
    same list, the next row of the same log), never the rest of a page for being on it. `limit` counts
    quotes, not lines: a sentence next to one already chosen (the next row of the same table)
    joins its quote instead of taking a place of its own."""
    position = position or {}
    eligible = [(s, sp) for s, sp in scored if s >= floor and span_key(sp) not in used]
    listed = [(s, sp) for s, sp in scored if floor - LIST_SLACK <= s < floor and span_key(sp) not in used and is_list_item(sp.text)]
    listed += [(s, sp) for s, sp in close if span_key(sp) not in used]  # a close call joins only as a neighbour
    neighbours_only = {span_key(sp) for _, sp in close}
    chosen: list[tuple[float, Span]] = []
    pages: set = set()
    taken: set = set()
    quotes = 0

    def adjacent(span: Span) -> bool:
        at = position.get(span_key(span))
        return at is not None and any((span.document, span.page, at + d) in taken for d in (-1, 1))

    def take(score: float, span: Span) -> None:
        nonlocal quotes
        quotes += 0 if adjacent(span) else 1
        chosen.append((score, span))
        pages.add((span.document, span.page))
        taken.add((span.document, span.page, position.get(span_key(span), -10)))

    for score, span in eligible:
        if score >= bar and quotes < limit and (span.document, span.page) not in pages:
            take(score, span)
    grew = True
    while grew:  # each round reaches one more item of a list being taken
        grew = False
        for score, span in eligible + listed:
            if (score, span) in chosen or len(chosen) >= 3 * limit:
                continue
            if (quotes >= limit or span_key(span) in neighbours_only) and not adjacent(span):
                continue
            if (score >= bar and score >= floor) or (adjacent(span) and (score >= floor or is_list_item(span.text))):
                take(score, span)
                grew = True
    return chosen


def select_evidence(
    entry: CodeEntry,
    index: CaseIndex,
    blocked_pages: set[tuple[str, int]],
    blocked_sentences: set[tuple[str, int, int]],
    ocr_pages: set[tuple[str, int]],
    per_requirement: int,
    threshold: float,
    presence: float = 0.57,
    chunk_limit: int = 8,
    margin: float = 0.25,
    blocked_for: dict[str, set[tuple[str, int, int]]] | None = None,
) -> Selection:
    """`presence`: the best sentence must reach it or the requirement is reported missing;
    `threshold`: the floor for further sentences; `margin`: how far below the best a sentence
    on a new page may be; `blocked_for`: sentences one requirement may not quote (a note from
    another month is still a standing document)."""
    blocked_for = blocked_for or {}
    by_page: dict[tuple[str, int], list[Span]] = {}
    for sentence in index.sentences:
        by_page.setdefault((sentence.document, sentence.page), []).append(sentence)
    headings = section_headings(by_page, index.page_text)
    position = {span_key(s): i for spans in by_page.values() for i, s in enumerate(spans)}
    selection = Selection()
    candidates: dict[str, list[Span]] = {}
    for req in entry.evidence:
        req_blocked = blocked_sentences | blocked_for.get(req.id, set())
        page_blocked = blocked_pages | _fully_blocked(by_page, req_blocked)
        chunks = rank_chunks(req, index, page_blocked, chunk_limit)
        candidates[req.id] = _candidates(chunks, by_page, req_blocked, signatures=wants_signatures(req.need))
    pool = list({span_key(sp): sp for spans in candidates.values() for sp in spans}.values())
    distinct = distinctive_stems(entry)
    full = {
        req.id: {span_key(sp): score for score, sp in score_sentences(req, pool, index, headings, distinct[req.id])}
        for req in entry.evidence
    }
    counter: set[tuple[str, int, int]] = set()
    if index.mode != "bm25":
        for req in entry.evidence:
            relevant = [sp for sp in candidates[req.id] if full[req.id][span_key(sp)] >= threshold]
            for i in find_counter(req, [(index.scored_text(sp), sp.text) for sp in relevant], index.embed):
                counter.add(span_key(relevant[i]))
                selection.counter.append((req.id, relevant[i]))
    best: dict[tuple[str, int, int], tuple[float, str]] = {}
    for req in entry.evidence:  # what each sentence is about, whether or not that requirement may quote it
        for key, score in full[req.id].items():
            if score > best.get(key, (-1.0, ""))[0]:
                best[key] = (score, req.id)
    by_id = {req.id: req for req in entry.evidence}

    def heading_scores(req_id: str, spans: list[Span]) -> list[float]:
        scored = {span_key(sp): score for score, sp in score_sentences(by_id[req_id], spans, index, None, distinct[req_id])}
        return [scored[span_key(sp)] for sp in spans]

    declared = declared_by_heading(list(by_id), headings, pool, heading_scores)
    for key, req_id in declared.items():
        there = full[req_id].get(key, 0.0)
        if there >= threshold and there >= best[key][0] - NEAR_TOP:
            best[key] = (max(best[key][0], there), req_id)
    scored_by_req = {
        req.id: sorted(
            ((full[req.id][span_key(sp)], sp) for sp in candidates[req.id] if span_key(sp) not in counter),
            key=lambda pair: (-pair[0], pair[1].document, pair[1].page, pair[1].start),
        )
        for req in entry.evidence
    }
    selection.ranked_pages = {req: _page_order(scored) for req, scored in scored_by_req.items()}
    used: set[tuple[str, int, int]] = set()
    for req in entry.evidence:
        scored = scored_by_req[req.id]
        own = [(s, sp) for s, sp in scored if best[span_key(sp)][1] == req.id]
        close = [(s, sp) for s, sp in scored if best[span_key(sp)][1] != req.id and s >= max(threshold, best[span_key(sp)][0] - CLOSE_CALL)]
        top = max((s for s, _ in own), default=0.0)
        chosen = _pick(own, used, per_requirement, max(threshold, top - margin), threshold, position, close) if top >= presence else []
        if not chosen:
            selection.missing.append(req)
        for score, span in chosen:
            if best[span_key(span)][1] == req.id:
                used.add(span_key(span))
        for score, span in merge_adjacent(chosen, position, index.page_text):
            selection.evidence.append(_evidence(req, span, score, ocr_pages))
    _borrow(selection, scored_by_req, best, presence, ocr_pages)
    leftovers = [(s, req, sp) for req in entry.evidence for s, sp in scored_by_req[req.id] if best[span_key(sp)][1] == req.id]
    _cover_remaining_pages(selection, leftovers, used, threshold + 0.1, ocr_pages)
    return selection


def _borrow(selection: Selection, scored_by_req: dict, best: dict, presence: float, ocr_pages) -> None:
    """A requirement left without evidence may quote a sentence another requirement took, when
    it scores past the presence bar for this one too and nearly as well as for that one: a log
    row 'Coord w/ Dr. Park's office re echo' is both time and coordination."""
    by_id = {req.id: req for req in selection.missing}
    for req_id, req in by_id.items():
        shared = [
            (score, span) for score, span in scored_by_req[req_id]
            if score >= presence and score >= best[span_key(span)][0] - BORROW
        ]
        if not shared:
            continue
        selection.missing.remove(req)
        for score, span in shared[:BORROWED]:
            selection.evidence.append(_evidence(req, span, score, ocr_pages))


def _fully_blocked(by_page: dict, blocked: set) -> set[tuple[str, int]]:
    """Pages none of whose sentences the requirement may quote: their chunks are passed over."""
    if not blocked:
        return set()
    return {page for page, spans in by_page.items() if spans and all(span_key(s) in blocked for s in spans)}


def merge_adjacent(
    chosen: list[tuple[float, Span]], position: dict, page_text: dict, limit: int = 600
) -> list[tuple[float, Span]]:
    """Neighbouring sentences chosen for one requirement become one quote: fewer markers and the
    same verbatim text, sliced from the page from the first sentence's start to the last's end.
    `position` is each sentence's index on its page."""
    merged: list[tuple[float, Span, int]] = []
    for score, span in sorted(chosen, key=lambda pair: span_key(pair[1])):
        index = position[span_key(span)]
        if merged:
            last_score, last, last_index = merged[-1]
            page = (span.document, span.page)
            if page == (last.document, last.page) and index == last_index + 1 and span.end - last.start <= limit:
                text = page_text[page][last.start : span.end]
                merged[-1] = (max(last_score, score), last.model_copy(update={"end": span.end, "text": text}), index)
                continue
        merged.append((score, span, index))
    return [(score, span) for score, span, _ in merged]


def _page_order(scored: list[tuple[float, Span]]) -> list[tuple[str, int]]:
    return list(dict.fromkeys((span.document, span.page) for _, span in scored))


def _candidates(chunks: list[Chunk], by_page, blocked_sentences, signatures: bool = False) -> list[Span]:
    """Every sentence on the pages the search found: a page that holds one fact usually holds
    its neighbours (the rest of the list, the total under the log). Sign-off lines prove only
    a signature, so only a requirement about signatures may use them."""
    seen, candidates = set(), []
    for chunk in chunks:
        for s in by_page.get((chunk.document, chunk.page), []):
            key = span_key(s)
            if key not in seen:
                seen.add(key)
                if key in blocked_sentences or is_boilerplate(s.text):
                    continue
                if not signatures and is_sign_off(" ".join(s.text.split())):
                    continue
                candidates.append(s)
    return candidates


def _cover_remaining_pages(selection: Selection, leftovers, used, bar: float, ocr_pages) -> None:
    """A page that strongly supports a requirement is cited even past the per-requirement cap:
    strongly means above `bar` and near the requirement's best quote."""
    cited = {(e.document, e.page) for e in selection.evidence}
    missing = {req.id for req in selection.missing}
    top: dict[str, float] = {}
    for e in selection.evidence:
        top[e.requirement] = max(top.get(e.requirement, 0.0), e.score)
    for score, req, span in sorted(leftovers, key=lambda t: (-t[0], t[2].document, t[2].page, t[2].start)):
        page = (span.document, span.page)
        if score >= max(bar, top.get(req.id, 0.0) - NEAR_TOP) and page not in cited and span_key(span) not in used and req.id not in missing:
            cited.add(page)
            used.add(span_key(span))
            selection.evidence.append(_evidence(req, span, score, ocr_pages))


def _evidence(req: EvidenceRequirement, span: Span, score: float, ocr_pages) -> Evidence:
    return Evidence(
        requirement=req.id,
        document=span.document,
        page=span.page,
        start=span.start,
        end=span.end,
        text=span.text,
        score=score,
        ocr=(span.document, span.page) in ocr_pages,
    )
