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
from service.retrieval.boilerplate import is_boilerplate, is_section_heading
from service.models import Chunk, CodeEntry, EvidenceRequirement, Evidence, Span

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


@dataclass
class Selection:
    evidence: list[Evidence] = field(default_factory=list)
    missing: list[EvidenceRequirement] = field(default_factory=list)
    ranked_pages: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    """Requirement id -> pages in the order of their best sentence's score (for recall@k)."""


def _lexical_overlap(query_tokens: list[set[str]], sentence: str) -> float:
    have = set(tokens(sentence))
    return max((len(q & have) / len(q) for q in query_tokens if q), default=0.0)


def rank_chunks(req: EvidenceRequirement, index: CaseIndex, blocked: set, limit: int) -> list[Chunk]:
    queries = [req.need, *req.queries]
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


def score_sentences(
    req: EvidenceRequirement, candidates: list[Span], index: CaseIndex, headings: dict | None = None
) -> list[tuple[float, Span]]:
    """Dense similarity to the queries, plus term overlap, plus a little for specifics; a line
    under a relevant page title or section heading is lifted halfway toward that heading's score."""
    if not candidates:
        return []
    queries = [req.need, *req.queries]
    query_tokens = [set(tokens(q)) for q in queries]
    weight = {"hybrid": 0.75, "dense": 1.0, "bm25": 0.0}[index.mode]

    def raw(spans: list[Span]) -> list[float]:
        if weight:
            qv = index.embed(queries)
            dense = (index.embed([" ".join(s.text.split()) for s in spans]) @ qv.T).max(axis=1)
        else:
            dense = np.zeros(len(spans))
        return [weight * float(c) + (1 - weight) * _lexical_overlap(query_tokens, s.text) for s, c in zip(spans, dense)]

    headings = headings or {}
    unique = {_key(h): h for s in candidates for h in headings.get(_key(s), [])}
    heading_spans = [unique[k] for k in sorted(unique)]
    heading_score = dict(zip(map(_key, heading_spans), raw(heading_spans))) if heading_spans else {}
    scored = []
    for sentence, score in zip(candidates, raw(candidates)):
        frame = [heading_score[_key(h)] for h in headings.get(_key(sentence), [])]
        if frame:
            score = max(score, 0.5 * score + 0.5 * max(frame))
        if SPECIFIC.search(sentence.text):
            score += 0.05
        scored.append((round(score, 4), sentence))
    scored.sort(key=lambda pair: (-pair[0], pair[1].document, pair[1].page, pair[1].start))
    return scored


def section_headings(by_page: dict, page_text: dict, reach: int = 12) -> dict:
    """Sentence key -> the headings that frame it: the page's title ('Care Gap Outreach and
    Orders') and the section heading above it (within `reach` sentences)."""
    out = {}
    for page, spans in by_page.items():
        text = page_text.get(page, "")
        title, heading, since, previous_heading = None, None, 0, False
        for position, s in enumerate(spans):
            flat = " ".join(s.text.split())
            whole_line = (s.start == 0 or text[s.start - 1] == "\n") and (s.end == len(text) or text[s.end] == "\n")
            looks_like_heading = whole_line and is_section_heading(flat)
            if looks_like_heading and not previous_heading:
                heading, since, previous_heading = s, 0, True
                if title is None and position < 4:
                    title = s
                continue
            previous_heading = looks_like_heading
            since += 1
            frame = [h for h in (title, heading if since <= reach else None) if h is not None]
            if frame:
                out[_key(s)] = frame
    return out


def _key(span: Span) -> tuple[str, int, int]:
    return (span.document, span.page, span.start)


def _pick(scored: list[tuple[float, Span]], used: set, limit: int, bar: float, floor: float) -> list[tuple[float, Span]]:
    """Sentences above `bar`, one per page first so the letter cites every page it can; then
    sentences above `floor` on pages already chosen (the rest of the same note)."""
    eligible = [(s, sp) for s, sp in scored if s >= floor and _key(sp) not in used]
    chosen, pages = [], set()
    for score, span in eligible:
        if score >= bar and len(chosen) < limit and (span.document, span.page) not in pages:
            chosen.append((score, span))
            pages.add((span.document, span.page))
    for score, span in eligible:
        if len(chosen) >= limit or (score, span) in chosen:
            continue
        if score >= bar or (span.document, span.page) in pages:
            chosen.append((score, span))
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
) -> Selection:
    """`presence`: the best sentence must reach it or the requirement is reported missing;
    `threshold`: the floor for further sentences; `margin`: how far below the best a sentence
    on a new page may be."""
    by_page: dict[tuple[str, int], list[Span]] = {}
    for sentence in index.sentences:
        by_page.setdefault((sentence.document, sentence.page), []).append(sentence)
    headings = section_headings(by_page, index.page_text)
    position = {_key(s): i for spans in by_page.values() for i, s in enumerate(spans)}
    scored_by_req: dict[str, list[tuple[float, Span]]] = {}
    best: dict[tuple[str, int, int], tuple[float, str]] = {}
    for req in entry.evidence:
        candidates = _candidates(rank_chunks(req, index, blocked_pages, chunk_limit), by_page, blocked_sentences)
        scored_by_req[req.id] = score_sentences(req, candidates, index, headings)
        for score, span in scored_by_req[req.id]:
            if score > best.get(_key(span), (-1.0, ""))[0]:
                best[_key(span)] = (score, req.id)
    selection = Selection(ranked_pages={req: _page_order(scored) for req, scored in scored_by_req.items()})
    used: set[tuple[str, int, int]] = set()
    for req in entry.evidence:
        scored = scored_by_req[req.id]
        own = [(s, sp) for s, sp in scored if best[_key(sp)][1] == req.id]
        top = max((s for s, _ in own), default=0.0)
        chosen = _pick(own, used, per_requirement, max(threshold, top - margin), threshold) if top >= presence else []
        if not chosen:
            selection.missing.append(req)
        for score, span in chosen:
            used.add(_key(span))
        for score, span in merge_adjacent(chosen, position, index.page_text):
            selection.evidence.append(_evidence(req, span, score, ocr_pages))
    leftovers = [(s, req, sp) for req in entry.evidence for s, sp in scored_by_req[req.id] if best[_key(sp)][1] == req.id]
    _cover_remaining_pages(selection, leftovers, used, threshold + 0.1, ocr_pages)
    return selection


def merge_adjacent(
    chosen: list[tuple[float, Span]], position: dict, page_text: dict, limit: int = 600
) -> list[tuple[float, Span]]:
    """Neighbouring sentences chosen for one requirement become one quote: fewer markers and the
    same verbatim text, sliced from the page from the first sentence's start to the last's end.
    `position` is each sentence's index on its page."""
    merged: list[tuple[float, Span, int]] = []
    for score, span in sorted(chosen, key=lambda pair: _key(pair[1])):
        index = position[_key(span)]
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


def _candidates(chunks: list[Chunk], by_page, blocked_sentences) -> list[Span]:
    """Every sentence on the pages the search found: a page that holds one fact usually holds
    its neighbours (the rest of the list, the total under the log)."""
    seen, candidates = set(), []
    for chunk in chunks:
        for s in by_page.get((chunk.document, chunk.page), []):
            key = _key(s)
            if key not in seen:
                seen.add(key)
                if key not in blocked_sentences and not is_boilerplate(s.text):
                    candidates.append(s)
    return candidates


def _cover_remaining_pages(selection: Selection, leftovers, used, bar: float, ocr_pages) -> None:
    """A page that strongly supports a requirement is cited even past the per-requirement cap."""
    cited = {(e.document, e.page) for e in selection.evidence}
    missing = {req.id for req in selection.missing}
    for score, req, span in sorted(leftovers, key=lambda t: (-t[0], t[2].document, t[2].page, t[2].start)):
        page = (span.document, span.page)
        if score >= bar and page not in cited and _key(span) not in used and req.id not in missing:
            cited.add(page)
            used.add(_key(span))
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
