"""The first stages of choosing quotes (`selection.py`): which sentences each requirement may
quote, their scores, the sentences that speak against a requirement, and which requirement each
sentence is about."""

import re
from dataclasses import dataclass

from service.evidence.contacts import is_outside_contact
from service.evidence.counter import find_counter
from service.evidence.matching import service_words
from service.evidence.mentions import is_mention
from service.evidence.scoring import CaseIndex, asks_for_time, distinctive_stems, rank_chunks, score_sentences
from service.evidence.sections import declared_by_heading, section_headings
from service.evidence.shapes import DURATION, claim_by_shape, ruled_out
from service.evidence.tuning import SelectionTuning
from service.models import Chunk, CodeEntry, EvidenceRequirement, Span, span_key
from service.screening.boilerplate import is_boilerplate, is_sign_off, wants_signatures

Key = tuple[str, int, int]
PageKey = tuple[str, int]
Scored = list[tuple[float, Span]]
Headings = dict[Key, tuple[Span | None, Span | None]]
"""Sentence key -> (page title, section heading) above it (`sections.section_headings`)."""


@dataclass(frozen=True)
class Layout:
    """The case's sentences by page, each one's place on its page, and the heading above it."""

    by_page: dict[PageKey, list[Span]]
    position: dict[Key, int]
    headings: Headings

    @classmethod
    def of(cls, index: CaseIndex) -> "Layout":
        by_page: dict[PageKey, list[Span]] = {}
        for sentence in index.sentences:
            by_page.setdefault((sentence.document, sentence.page), []).append(sentence)
        position = {span_key(s): i for spans in by_page.values() for i, s in enumerate(spans)}
        return cls(by_page, position, section_headings(by_page, index.page_text))


@dataclass(frozen=True)
class Scores:
    """Every candidate's score for every requirement, and what the later stages read of each."""

    pool: list[Span]
    """Every requirement's candidates, once each."""
    full: dict[str, dict[Key, float]]
    """Requirement id -> sentence key -> score."""
    texts: dict[Key, tuple[str, str]]
    """Sentence key -> (text as printed, text as scored)."""
    mentions: set[Key]
    """Lines that name a subject without reporting anything done (`mentions.py`)."""
    distinct: dict[str, set[str]]
    service: re.Pattern[str] | None
    """The code's service words (`matching.service_words`), passed on to `score_sentences`."""


@dataclass(frozen=True)
class Assignment:
    """Which requirement each sentence is about, and what each requirement may pick from."""

    best: dict[Key, tuple[float, str]]
    """Sentence key -> (its best score, the requirement it is about)."""
    shared: dict[Key, set[str]]
    """Sentence key -> requirements that may all quote it (a coded goal row)."""
    scored: dict[str, Scored]
    """Requirement id -> its candidates it may quote, best first (counter-evidence left out)."""
    history: dict[str, Scored]
    """Requirement id -> its candidates it may quote only beside a line of its own."""


def gather_candidates(
    entry: CodeEntry,
    index: CaseIndex,
    layout: Layout,
    blocked_pages: set[PageKey],
    req_blocked: dict[str, set[Key]],
    tuning: SelectionTuning,
) -> dict[str, list[Span]]:
    """Requirement id -> every sentence on the pages of its best chunks that it may quote. Search
    only narrows the case to the pages near a requirement's wording: a page that holds one fact
    usually holds its neighbours (the rest of the list, the total under the log). A longer chart
    reads more chunks (`chunk_pages`), and a requirement of minutes or outside contacts also reads
    the further chunks holding a line of its shape, which short notes rank low."""
    chunk_limit = tuning.chunk_limit + max(0, len(layout.by_page) - tuning.chunk_pages) // tuning.chunk_pages
    candidates: dict[str, list[Span]] = {}
    for req in entry.evidence:
        page_blocked = blocked_pages | _fully_blocked(layout.by_page, req_blocked[req.id])
        if asks_for_time(req) or req.cue == "outside_contact":
            ranked = rank_chunks(req, index, page_blocked, tuning.timed_pages * chunk_limit)
            chunks = _flat(ranked[:chunk_limit]) + _shaped_beyond(req, _flat(ranked[chunk_limit:]))
        else:
            chunks = _flat(rank_chunks(req, index, page_blocked, chunk_limit))
        candidates[req.id] = _sentences_of(
            chunks, layout.by_page, req_blocked[req.id], signatures=wants_signatures(req.need)
        )
    return candidates


def score_candidates(
    entry: CodeEntry, index: CaseIndex, candidates: dict[str, list[Span]], headings: Headings
) -> Scores:
    """Every candidate scored against every requirement, not only the one whose search found it:
    a sentence is about the requirement it scores best for, wherever it was found (`assign`)."""
    pool = list({span_key(sp): sp for spans in candidates.values() for sp in spans}.values())
    distinct = distinctive_stems(entry)
    service = service_words(entry.services)
    full = {
        req.id: {
            span_key(sp): score for score, sp in score_sentences(req, pool, index, headings, distinct[req.id], service)
        }
        for req in entry.evidence
    }
    return Scores(
        pool=pool,
        full=full,
        texts={span_key(sp): (sp.text, index.scored_text(sp)) for sp in pool},
        mentions={span_key(sp) for sp in pool if is_mention(sp.text)},
        distinct=distinct,
        service=service,
    )


def find_counter_evidence(
    entry: CodeEntry, index: CaseIndex, candidates: dict[str, list[Span]], scores: Scores, tuning: SelectionTuning
) -> list[tuple[str, Span]]:
    """(requirement id, sentence) for each relevant sentence that says the requirement was not met
    (`counter.py`): it shares the evidence's words, so it must be set aside before any quote is
    picked, and it is reported as a warning. It is told by meaning, so a BM25-only index finds none."""
    found: list[tuple[str, Span]] = []
    if index.mode == "bm25":
        return found
    for req in entry.evidence:
        # as low as a list neighbour may be quoted: the next row can say 'not counted'
        floor = tuning.threshold - tuning.list_slack
        relevant = [sp for sp in candidates[req.id] if scores.full[req.id][span_key(sp)] >= floor]
        for i in find_counter(req, [(index.counter_text(sp), sp.text) for sp in relevant], index.embed):
            found.append((req.id, relevant[i]))
    return found


def assign(
    entry: CodeEntry,
    index: CaseIndex,
    layout: Layout,
    candidates: dict[str, list[Span]],
    scores: Scores,
    counter: set[Key],
    blocked_for: dict[str, set[Key]],
    history_for: dict[str, set[Key]],
    tuning: SelectionTuning,
) -> Assignment:
    """Give each sentence to the requirement it is about: the one it scores best for, unless its
    shape (a goal, a dated action) or the heading above it names another that scores it nearly as
    well. A requirement quotes on their own only the sentences it was given, so one line is not
    quoted twice for two requirements it merely resembles."""
    best: dict[Key, tuple[float, str]] = {}
    for req in entry.evidence:  # what each sentence is about, whether or not that requirement may quote it
        for key, score in scores.full[req.id].items():
            # a line the requirement's shape never quotes (the review line, for goals) is about the next best
            if score > best.get(key, (-1.0, ""))[0] and not ruled_out(req, scores.texts[key][0]):
                best[key] = (score, req.id)
    by_id = {req.id: req for req in entry.evidence}
    shared = claim_by_shape(entry.evidence, scores.full, best, scores.texts, tuning.threshold, blocked_for)

    def heading_scores(req_id: str, spans: list[Span]) -> list[float]:
        scored = score_sentences(
            by_id[req_id], spans, index, None, scores.distinct[req_id], scores.service, as_headings=True
        )
        by_key = {span_key(sp): score for score, sp in scored}
        return [by_key[span_key(sp)] for sp in spans]

    declared = declared_by_heading(list(by_id), layout.headings, scores.pool, heading_scores)
    for key, req_id in declared.items():
        there = scores.full[req_id].get(key, 0.0)
        if (
            there >= tuning.threshold
            and there >= best[key][0] - tuning.near_top
            and not ruled_out(by_id[req_id], scores.texts[key][0])
        ):
            best[key] = (max(best[key][0], there), req_id)

    def scored_where(req: EvidenceRequirement, history: bool) -> Scored:
        earlier = history_for.get(req.id, set())
        if history:
            spans = [sp for sp in candidates[req.id] if span_key(sp) in earlier]
        else:
            spans = [sp for sp in candidates[req.id] if span_key(sp) not in counter and span_key(sp) not in earlier]
        return sorted(((scores.full[req.id][span_key(sp)], sp) for sp in spans), key=_by_score)

    return Assignment(
        best=best,
        shared=shared,
        scored={req.id: scored_where(req, history=False) for req in entry.evidence},
        history={req.id: scored_where(req, history=True) for req in entry.evidence},
    )


def _by_score(pair: tuple[float, Span]) -> tuple[float, str, int, int]:
    return (-pair[0], pair[1].document, pair[1].page, pair[1].start)


def _flat(groups: list[list[Chunk]]) -> list[Chunk]:
    return [chunk for group in groups for chunk in group]


def _shaped_beyond(req: EvidenceRequirement, more: list[Chunk]) -> list[Chunk]:
    """The further chunks holding a line of the requirement's shape: in a chart of many short
    notes, a call charted as 'S: Phone call w/ pt, 11 min', or a one-line telephone encounter
    'Called Corner Drug & Compounding - refills synced', ranks below longer notes, and it is
    still one of the month's minutes or contacts."""
    if asks_for_time(req):
        return [c for c in more if DURATION.search(c.text)]
    return [c for c in more if any(is_outside_contact(line) for line in c.text.splitlines())]


def _fully_blocked(by_page: dict[PageKey, list[Span]], blocked: set[Key]) -> set[PageKey]:
    """Pages none of whose sentences the requirement may quote: their chunks are passed over."""
    if not blocked:
        return set()
    return {page for page, spans in by_page.items() if spans and all(span_key(s) in blocked for s in spans)}


def _sentences_of(
    chunks: list[Chunk], by_page: dict[PageKey, list[Span]], blocked_sentences: set[Key], signatures: bool = False
) -> list[Span]:
    """Every sentence on the pages the search found, except blocked ones and boilerplate. Sign-off
    lines prove only a signature, so only a requirement about signatures may use them."""
    seen: set[Key] = set()
    candidates: list[Span] = []
    for chunk in chunks:
        for s in by_page.get((chunk.document, chunk.page), []):
            key = span_key(s)
            if key not in seen:
                seen.add(key)
                if quotable(s, blocked_sentences, signatures):
                    candidates.append(s)
    return candidates


def quotable(span: Span, blocked_sentences: set[Key], signatures: bool = False) -> bool:
    """May a requirement quote the sentence at all: not blocked for it, not boilerplate, and not
    a sign-off unless the requirement is about signatures."""
    if span_key(span) in blocked_sentences or is_boilerplate(span.text):
        return False
    return signatures or not is_sign_off(" ".join(span.text.split()))
