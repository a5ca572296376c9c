"""Choose, for each evidence requirement of a denial code, the verbatim sentences to quote.

Hybrid search (dense + BM25, fused by rank) finds the case's best chunks for the requirement's
queries; the sentences inside them are scored against the queries (`scoring.py`) and the best
ones, spread over pages, become quotes. Excluded pages and instruction sentences never become
candidates.
"""

import re
from dataclasses import dataclass, field

from service.evidence.contacts import is_outside_contact
from service.evidence.counter import find_counter
from service.evidence.matching import service_words
from service.evidence.mentions import is_mention
from service.evidence.recurrence import states_recurrence
from service.evidence.reports import outside_results
from service.evidence.scoring import (
    CLOSE_CALL,
    CUE_FLOOR,
    CaseIndex,
    asks_for_codes,
    asks_for_time,
    distinctive_stems,
    rank_chunks,
    score_sentences,
)
from service.evidence.sections import declared_by_heading, section_headings
from service.evidence.shapes import DURATION, SHAPES, claim_by_shape, kind_lines, ruled_out
from service.evidence.signatures import closing_signatures
from service.models import Chunk, CodeEntry, Evidence, EvidenceRequirement, Span, span_key
from service.records.tables import ICD10
from service.screening.boilerplate import is_boilerplate, is_sign_off, wants_signatures


@dataclass
class Selection:
    evidence: list[Evidence] = field(default_factory=list)
    missing: list[EvidenceRequirement] = field(default_factory=list)
    ranked_pages: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    """Requirement id -> pages in the order of their best sentence's score (for recall@k)."""
    counter: list[tuple[str, Span]] = field(default_factory=list)
    """(requirement id, sentence) for sentences that speak against a requirement: never quoted."""


BORROW = 0.1
BORROWED = 2
"""A requirement with no sentence of its own may quote up to this many of another's, scoring
within BORROW of what they score there."""
NEAR_TOP = 0.15
LIST_SLACK = 0.1
"""An item of a list or a row of a table next to one being quoted may score this much under the
floor and still be quoted with it: the rest of the same list, not the rest of the page."""
LIST_ITEM = re.compile(
    r"^\W{0,2}(?:[-*\u2022>]\s|\d{1,2}[.)]\s|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b|\[[ xX]\]\s|[A-Z][\w/&-]*(?:\s[\w/&-]+){0,2}:\s)"
)


CHUNK_PAGES = 10
"""A chart of this many pages has its requirements read on `chunk_limit` chunks each; every
further CHUNK_PAGES pages add one more: a packet padded with more notes brings more notes close
to a requirement's wording, and the evidence, printed once, must not fall below the cut."""
TIMED_PAGES = 3
"""A requirement of minutes, or of contacts with outside parties, also reads the lines of its
shape (a logged duration, a contact) on this many times the usual number of pages."""


def is_list_item(text: str) -> bool:
    return bool(LIST_ITEM.match(text))


def _neighbour_floor(threshold: float, span: Span) -> float:
    """How low a line may score and still join a chosen neighbour: a list item or labelled line
    ('Home: senior apartment w/ elevator' under 'Fx: ...' and 'Mood: ...') as low as the next
    item of a list being quoted, whichever requirement it leans to by a hair."""
    return threshold - LIST_SLACK if is_list_item(span.text) else threshold


def _pick(
    scored: list[tuple[float, Span]],
    used: set,
    limit: int,
    bar: float,
    floor: float,
    position: dict | None = None,
    close: list[tuple[float, Span]] = (),
    own_bar: dict | None = None,
) -> list[tuple[float, Span]]:
    """Sentences above `bar`, one per page first so the letter cites every page it can; then the
    rest above `bar`, and the lines above `floor` right next to a chosen one (the next item of the
    same list, the next row of the same log), never the rest of a page for being on it. `limit` counts
    quotes, not lines: a sentence next to one already chosen (the next row of the same table)
    joins its quote instead of taking a place of its own. `own_bar`: sentence key -> a bar of its
    own, in place of `bar`."""
    position = position or {}
    own_bar = own_bar or {}
    eligible = [(s, sp) for s, sp in scored if s >= floor and span_key(sp) not in used]
    listed = [
        (s, sp)
        for s, sp in scored
        if floor - LIST_SLACK <= s < floor and span_key(sp) not in used and is_list_item(sp.text)
    ]
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
        if score >= own_bar.get(span_key(span), bar) and quotes < limit and (span.document, span.page) not in pages:
            take(score, span)
    grew = True
    while grew:  # each round reaches one more item of a list being taken
        grew = False
        for score, span in eligible + listed:
            if (score, span) in chosen or len(chosen) >= 3 * limit:
                continue
            if (quotes >= limit or span_key(span) in neighbours_only) and not adjacent(span):
                continue
            if (score >= own_bar.get(span_key(span), bar) and score >= floor) or (
                adjacent(span) and (score >= floor or is_list_item(span.text))
            ):
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
    history_for: dict[str, set[tuple[str, int, int]]] | None = None,
    practice: str | None = None,
    provider: str | None = None,
) -> Selection:
    """`presence`: the best sentence must reach it or the requirement is reported missing, and
    so must any later line quoted on its own; `threshold`: the floor for a line quoted beside a
    chosen one (the next row, the next item); `margin`: how far below the best a sentence
    on a new page may be; `blocked_for`: sentences one requirement may not quote (a note from
    another month is still a standing document); `history_for`: sentences one requirement may
    quote only as the neighbour of a line of its own ('Care plan initiated 5/4/25' above this
    month's review); `practice`, `provider`: the case's, so an outside report's letterhead and
    signer are told from the practice's own."""
    blocked_for = blocked_for or {}
    history_for = history_for or {}
    by_page: dict[tuple[str, int], list[Span]] = {}
    for sentence in index.sentences:
        by_page.setdefault((sentence.document, sentence.page), []).append(sentence)
    headings = section_headings(by_page, index.page_text)
    position = {span_key(s): i for spans in by_page.values() for i, s in enumerate(spans)}
    selection = Selection()
    candidates: dict[str, list[Span]] = {}
    req_blocked = {req.id: blocked_sentences | blocked_for.get(req.id, set()) for req in entry.evidence}
    chunk_limit += max(0, len(by_page) - CHUNK_PAGES) // CHUNK_PAGES
    for req in entry.evidence:
        page_blocked = blocked_pages | _fully_blocked(by_page, req_blocked[req.id])
        if asks_for_time(req) or req.cue == "outside_contact":
            ranked = rank_chunks(req, index, page_blocked, TIMED_PAGES * chunk_limit)
            chunks = _flat(ranked[:chunk_limit]) + _shaped_beyond(req, _flat(ranked[chunk_limit:]))
        else:
            chunks = _flat(rank_chunks(req, index, page_blocked, chunk_limit))
        candidates[req.id] = _candidates(chunks, by_page, req_blocked[req.id], signatures=wants_signatures(req.need))
    pool = list({span_key(sp): sp for spans in candidates.values() for sp in spans}.values())
    mentions = {span_key(sp) for sp in pool if is_mention(sp.text)}
    distinct = distinctive_stems(entry)
    service = service_words(entry.services)
    full = {
        req.id: {
            span_key(sp): score for score, sp in score_sentences(req, pool, index, headings, distinct[req.id], service)
        }
        for req in entry.evidence
    }
    counter: set[tuple[str, int, int]] = set()
    if index.mode != "bm25":
        for req in entry.evidence:
            # as low as a list neighbour may be quoted: the next row can say 'not counted'
            relevant = [sp for sp in candidates[req.id] if full[req.id][span_key(sp)] >= threshold - LIST_SLACK]
            for i in find_counter(req, [(index.counter_text(sp), sp.text) for sp in relevant], index.embed):
                counter.add(span_key(relevant[i]))
                selection.counter.append((req.id, relevant[i]))
    texts = {span_key(sp): (sp.text, index.scored_text(sp)) for sp in pool}
    best: dict[tuple[str, int, int], tuple[float, str]] = {}
    for req in entry.evidence:  # what each sentence is about, whether or not that requirement may quote it
        for key, score in full[req.id].items():
            # a line the requirement's shape never quotes (the review line, for goals) is about the next best
            if score > best.get(key, (-1.0, ""))[0] and not ruled_out(req, texts[key][0]):
                best[key] = (score, req.id)
    by_id = {req.id: req for req in entry.evidence}
    shared = claim_by_shape(entry.evidence, full, best, texts, threshold, blocked_for)

    def heading_scores(req_id: str, spans: list[Span]) -> list[float]:
        scored = score_sentences(by_id[req_id], spans, index, None, distinct[req_id], service, as_headings=True)
        by_key = {span_key(sp): score for score, sp in scored}
        return [by_key[span_key(sp)] for sp in spans]

    declared = declared_by_heading(list(by_id), headings, pool, heading_scores)
    for key, req_id in declared.items():
        there = full[req_id].get(key, 0.0)
        if there >= threshold and there >= best[key][0] - NEAR_TOP and not ruled_out(by_id[req_id], texts[key][0]):
            best[key] = (max(best[key][0], there), req_id)
    scored_by_req = {
        req.id: sorted(
            (
                (full[req.id][span_key(sp)], sp)
                for sp in candidates[req.id]
                if span_key(sp) not in counter and span_key(sp) not in history_for.get(req.id, ())
            ),
            key=_by_score,
        )
        for req in entry.evidence
    }
    history = {
        req.id: sorted(
            (
                (full[req.id][span_key(sp)], sp)
                for sp in candidates[req.id]
                if span_key(sp) in history_for.get(req.id, ())
            ),
            key=_by_score,
        )
        for req in entry.evidence
    }
    selection.ranked_pages = {req: _page_order(scored) for req, scored in scored_by_req.items()}
    used: set[tuple[str, int, int]] = set()
    aside: set[tuple[str, str, int, int]] = set()
    for req in entry.evidence:
        scored = scored_by_req[req.id]
        own = [(s, sp) for s, sp in scored if best[span_key(sp)][1] == req.id or req.id in shared.get(span_key(sp), ())]
        own = [(s, sp) for s, sp in own if not ruled_out(req, sp.text)]
        rules = [(s, sp) for s, sp in own if not _stands_alone(req, sp, mentions)]  # beside evidence only
        own = [pair for pair in own if _stands_alone(req, pair[1], mentions)]
        close = rules + [
            (s, sp)
            for s, sp in scored
            if best[span_key(sp)][1] != req.id
            and not ruled_out(req, sp.text)
            and req.id not in shared.get(span_key(sp), ())
            and s >= max(_neighbour_floor(threshold, sp), best[span_key(sp)][0] - CLOSE_CALL)
        ]
        close += [(s, sp) for s, sp in history[req.id] if s >= threshold]
        top = max((s for s, _ in own), default=0.0)
        if asks_for_codes(req) and top >= presence and ICD10.search(own[0][1].text):
            # the best line is a coded list: that is the problem list, and 'routine follow-up of
            # chronic conditions' elsewhere only mentions one (it may join as the list's next line)
            coded = [bool(ICD10.search(sp.text)) for _, sp in own]
            uncoded = [pair for pair, has in zip(own, coded) if not has]
            close = close + uncoded
            aside |= {(req.id, *span_key(sp)) for _, sp in uncoded}
            own = [pair for pair, has in zip(own, coded) if has]
        bar = max(presence, top - margin)
        entries = kind_lines(own, req, index.scored_text)
        entry_bar = max(presence, max((s for s, sp in own if span_key(sp) in entries), default=top) - margin)
        if req.cue in SHAPES:
            entry_bar = min(entry_bar, CUE_FLOOR)  # every line of the requirement's shape is evidence
        own_bar = {key: min(bar, entry_bar) for key in entries}
        chosen = _pick(own, used, per_requirement, bar, threshold, position, close, own_bar) if top >= presence else []
        if chosen and wants_signatures(req.need):
            chosen += closing_signatures(chosen, by_page, position, req_blocked[req.id] | counter)
        if not chosen:
            selection.missing.append(req)
        for score, span in chosen:
            if best[span_key(span)][1] == req.id and span_key(span) not in shared:
                used.add(span_key(span))
        for score, span in merge_adjacent(chosen, position, index.page_text):
            selection.evidence.append(_evidence(req, span, score, ocr_pages))
    selection.missing = [req for req in selection.missing if not req.optional]
    _borrow(selection, scored_by_req, best, presence, ocr_pages, mentions)
    leftovers = [
        (s, req, sp)
        for req in entry.evidence
        for s, sp in scored_by_req[req.id]
        if best[span_key(sp)][1] == req.id and (req.id, *span_key(sp)) not in aside and _stands_alone(req, sp, mentions)
    ]
    _cover_remaining_pages(selection, leftovers, used, max(presence, threshold + 0.1), ocr_pages)
    blocked = {req.id: req_blocked[req.id] | history_for.get(req.id, set()) for req in entry.evidence}
    found = outside_results(
        entry, index, by_page, blocked_pages, blocked, counter, selection.evidence, practice, provider
    )
    _quote_outside(selection, found, position, index.page_text, presence, ocr_pages)
    return selection


def _quote_outside(selection: Selection, found, position: dict, page_text: dict, score: float, ocr_pages) -> None:
    """Quote an outside report's result for the requirement it proves (`reports.py`); a result
    line that speaks against it is a warning instead."""
    if not found:
        return
    req, spans, against = found
    selection.counter += [(req.id, span) for span in against]
    for merged_score, span in merge_adjacent([(score, span) for span in spans], position, page_text):
        selection.evidence.append(_evidence(req, span, merged_score, ocr_pages))
    if req in selection.missing:
        selection.missing.remove(req)


def _by_score(pair: tuple[float, Span]) -> tuple:
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


def _stands_alone(req: EvidenceRequirement, span: Span, mentions: set) -> bool:
    """May the line be quoted on its own for the requirement? Not a rule or a habit (`mentions`:
    their keys), unless a standing statement is what proves the requirement; for a recurring
    process, only a line stating its schedule or its written rule."""
    if req.cue == "recurring" and not states_recurrence(span.text):
        return False
    return req.standing or span_key(span) not in mentions


def _borrow(selection: Selection, scored_by_req: dict, best: dict, presence: float, ocr_pages, mentions: set) -> None:
    """A requirement left without evidence may quote a sentence another requirement took, when
    it scores past the presence bar for this one too and nearly as well as for that one: a log
    row 'Coord w/ Dr. Park's office re echo' is both time and coordination."""
    by_id = {req.id: req for req in selection.missing}
    for req_id, req in by_id.items():
        shared = [
            (score, span)
            for score, span in scored_by_req[req_id]
            if score >= presence and score >= best[span_key(span)][0] - BORROW and _stands_alone(req, span, mentions)
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
            between = page_text[page][last.end : span.start] if page == (last.document, last.page) else ""
            # a sentence cut down to its billable tally leaves the rest of its line out of any quote
            if (
                page == (last.document, last.page)
                and index == last_index + 1
                and span.end - last.start <= limit
                and not re.search(r"[A-Za-z0-9]", between)
            ):
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
        if (
            score >= max(bar, top.get(req.id, 0.0) - NEAR_TOP)
            and page not in cited
            and span_key(span) not in used
            and req.id not in missing
        ):
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
