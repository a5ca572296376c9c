"""The last stages of choosing quotes (`selection.py`): each requirement's quotes picked from the
sentences it was given (`candidates.assign`), neighbours joined into one quote, a missing
requirement borrowing another's sentence, further pages past the cap, an outside report's result."""

import re
from dataclasses import dataclass

from service.evidence.candidates import Assignment, Key, Layout, PageKey, Scored, Scores
from service.evidence.recurrence import states_recurrence
from service.evidence.scoring import CLOSE_CALL, CUE_FLOOR, CaseIndex, asks_for_codes
from service.evidence.shapes import SHAPES, kind_lines, ruled_out
from service.evidence.signatures import closing_signatures
from service.evidence.tuning import SelectionTuning
from service.models import CodeEntry, Evidence, EvidenceRequirement, Span, span_key
from service.records.tables import ICD10
from service.screening.boilerplate import wants_signatures

LIST_ITEM = re.compile(
    r"^\W{0,2}(?:[-*\u2022>]\s|\d{1,2}[.)]\s|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b|\[[ xX]\]\s|[A-Z][\w/&-]*(?:\s[\w/&-]+){0,2}:\s)"
)


def is_list_item(text: str) -> bool:
    return bool(LIST_ITEM.match(text))


def neighbour_floor(threshold: float, span: Span, tuning: SelectionTuning) -> float:
    """How low a line may score and still join a chosen neighbour: a list item or labelled line
    ('Home: senior apartment w/ elevator' under 'Fx: ...' and 'Mood: ...') as low as the next
    item of a list being quoted, whichever requirement it leans to by a hair."""
    return threshold - tuning.list_slack if is_list_item(span.text) else threshold


def pick(
    scored: Scored,
    used: set[Key],
    limit: int,
    bar: float,
    floor: float,
    tuning: SelectionTuning,
    position: dict[Key, int] | None = None,
    close: Scored | tuple[()] = (),
    own_bar: dict[Key, float] | None = None,
) -> Scored:
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
        if floor - tuning.list_slack <= s < floor and span_key(sp) not in used and is_list_item(sp.text)
    ]
    listed += [(s, sp) for s, sp in close if span_key(sp) not in used]  # a close call joins only as a neighbour
    neighbours_only = {span_key(sp) for _, sp in close}
    chosen: Scored = []
    pages: set[tuple[str, int]] = set()
    taken: set[Key] = set()
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


def merge_adjacent(
    chosen: Scored, position: dict[Key, int], page_text: dict[tuple[str, int], str], limit: int = 600
) -> Scored:
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


@dataclass(frozen=True)
class Picked:
    evidence: list[Evidence]
    missing: list[EvidenceRequirement]
    """Requirements with no quote, optional ones left out."""
    used: set[Key]
    """Sentences a requirement took as its own: no other requirement's page cover takes them."""
    aside: set[tuple[str, str, int, int]]
    """(requirement id, *sentence key) for uncoded lines a problem list set aside."""


def pick_quotes(
    entry: CodeEntry,
    index: CaseIndex,
    layout: Layout,
    scores: Scores,
    assignment: Assignment,
    req_blocked: dict[str, set[Key]],
    counter: set[Key],
    ocr_pages: set[PageKey],
    tuning: SelectionTuning,
) -> Picked:
    """Each requirement's quotes, in the knowledge file's order, from the sentences it was given:
    the best must reach `presence`, the rest stay within `margin` of it, one per page first
    (`picking.pick`). A rule or a habit, a close call another requirement won, or a line the
    period leaves as history joins only beside a quote of its own. A sentence a requirement takes
    as its own is not picked again by a later one."""
    best, shared = assignment.best, assignment.shared
    evidence: list[Evidence] = []
    missing: list[EvidenceRequirement] = []
    used: set[Key] = set()
    aside: set[tuple[str, str, int, int]] = set()
    for req in entry.evidence:
        scored = assignment.scored[req.id]
        own = [(s, sp) for s, sp in scored if best[span_key(sp)][1] == req.id or req.id in shared.get(span_key(sp), ())]
        own = [(s, sp) for s, sp in own if not ruled_out(req, sp.text)]
        rules = [(s, sp) for s, sp in own if not _stands_alone(req, sp, scores.mentions)]  # beside evidence only
        own = [pair for pair in own if _stands_alone(req, pair[1], scores.mentions)]
        close = rules + [
            (s, sp)
            for s, sp in scored
            if best[span_key(sp)][1] != req.id
            and not ruled_out(req, sp.text)
            and req.id not in shared.get(span_key(sp), ())
            and s >= max(neighbour_floor(tuning.threshold, sp, tuning), best[span_key(sp)][0] - CLOSE_CALL)
        ]
        close += [(s, sp) for s, sp in assignment.history[req.id] if s >= tuning.threshold]
        top = max((s for s, _ in own), default=0.0)
        if asks_for_codes(req) and top >= tuning.presence and ICD10.search(own[0][1].text):
            # the best line is a coded list: that is the problem list, and 'routine follow-up of
            # chronic conditions' elsewhere only mentions one (it may join as the list's next line)
            coded = [bool(ICD10.search(sp.text)) for _, sp in own]
            uncoded = [pair for pair, has in zip(own, coded) if not has]
            close = close + uncoded
            aside |= {(req.id, *span_key(sp)) for _, sp in uncoded}
            own = [pair for pair, has in zip(own, coded) if has]
        bar = max(tuning.presence, top - tuning.margin)
        entries = kind_lines(own, req, index.scored_text)
        entry_top = max((s for s, sp in own if span_key(sp) in entries), default=top)
        entry_bar = max(tuning.presence, entry_top - tuning.margin)
        if req.cue in SHAPES:
            entry_bar = min(entry_bar, CUE_FLOOR)  # every line of the requirement's shape is evidence
        own_bar = {key: min(bar, entry_bar) for key in entries}
        chosen = (
            pick(own, used, tuning.per_requirement, bar, tuning.threshold, tuning, layout.position, close, own_bar)
            if top >= tuning.presence
            else []
        )
        if chosen and wants_signatures(req.need):
            chosen += closing_signatures(chosen, layout.by_page, layout.position, req_blocked[req.id] | counter)
        if not chosen:
            missing.append(req)
        for _, span in chosen:
            if best[span_key(span)][1] == req.id and span_key(span) not in shared:
                used.add(span_key(span))
        for score, span in merge_adjacent(chosen, layout.position, index.page_text, tuning.merge_chars):
            evidence.append(_evidence(req, span, score, ocr_pages))
    return Picked(evidence, [req for req in missing if not req.optional], used, aside)


def borrow(
    missing: list[EvidenceRequirement],
    assignment: Assignment,
    mentions: set[Key],
    ocr_pages: set[PageKey],
    tuning: SelectionTuning,
) -> tuple[list[Evidence], list[EvidenceRequirement]]:
    """(borrowed quotes, requirements still missing). A requirement left without evidence may
    quote a sentence another requirement took, when it scores past the presence bar for this one
    too and nearly as well as for that one: a log row 'Coord w/ Dr. Park's office re echo' is
    both time and coordination."""
    evidence: list[Evidence] = []
    still = list(missing)
    by_id = {req.id: req for req in missing}
    for req_id, req in by_id.items():
        lent = [
            (score, span)
            for score, span in assignment.scored[req_id]
            if score >= tuning.presence
            and score >= assignment.best[span_key(span)][0] - tuning.borrow
            and _stands_alone(req, span, mentions)
        ]
        if not lent:
            continue
        still.remove(req)
        for score, span in lent[: tuning.borrowed]:
            evidence.append(_evidence(req, span, score, ocr_pages))
    return evidence, still


def cover_remaining_pages(
    entry: CodeEntry,
    evidence: list[Evidence],
    missing: list[EvidenceRequirement],
    scores: Scores,
    assignment: Assignment,
    picked: Picked,
    ocr_pages: set[PageKey],
    tuning: SelectionTuning,
) -> list[Evidence]:
    """Further quotes past the per-requirement cap: a page that strongly supports a requirement is
    cited, strongly meaning above the bar (`presence`, and `threshold` plus `cover_lift`) and near
    the requirement's best quote. Only a line a requirement was given and may quote on its own,
    on a page not cited yet, for a requirement that is not missing."""
    bar = max(tuning.presence, tuning.threshold + tuning.cover_lift)
    leftovers = [
        (s, req, sp)
        for req in entry.evidence
        for s, sp in assignment.scored[req.id]
        if assignment.best[span_key(sp)][1] == req.id
        and (req.id, *span_key(sp)) not in picked.aside
        and _stands_alone(req, sp, scores.mentions)
    ]
    cited = {(e.document, e.page) for e in evidence}
    absent = {req.id for req in missing}
    used = set(picked.used)
    top: dict[str, float] = {}
    for e in evidence:
        top[e.requirement] = max(top.get(e.requirement, 0.0), e.score)
    covered: list[Evidence] = []
    for score, req, span in sorted(leftovers, key=lambda t: (-t[0], t[2].document, t[2].page, t[2].start)):
        page = (span.document, span.page)
        if (
            score >= max(bar, top.get(req.id, 0.0) - tuning.near_top)
            and page not in cited
            and span_key(span) not in used
            and req.id not in absent
        ):
            cited.add(page)
            used.add(span_key(span))
            covered.append(_evidence(req, span, score, ocr_pages))
    return covered


def quote_outside_reports(
    found: tuple[EvidenceRequirement, list[Span], list[Span]] | None,
    layout: Layout,
    index: CaseIndex,
    ocr_pages: set[PageKey],
    tuning: SelectionTuning,
) -> tuple[list[Evidence], list[tuple[str, Span]], EvidenceRequirement | None]:
    """(quotes, counter-evidence, the requirement they prove) for an outside report's result
    (`reports.py`, `found`): the result is what was done, so it proves the requirement even when
    nothing else did; a result line that speaks against it is a warning instead. Quoted at
    `presence`, the score of a line quoted on its own."""
    if not found:
        return [], [], None
    req, spans, against = found
    merged = merge_adjacent(
        [(tuning.presence, span) for span in spans], layout.position, index.page_text, tuning.merge_chars
    )
    quotes = [_evidence(req, span, score, ocr_pages) for score, span in merged]
    return quotes, [(req.id, span) for span in against], req


def _stands_alone(req: EvidenceRequirement, span: Span, mentions: set[Key]) -> bool:
    """May the line be quoted on its own for the requirement? Not a rule or a habit (`mentions`:
    their keys), unless a standing statement is what proves the requirement; for a recurring
    process, only a line stating its schedule or its written rule."""
    if req.cue == "recurring" and not states_recurrence(span.text):
        return False
    return req.standing or span_key(span) not in mentions


def _evidence(req: EvidenceRequirement, span: Span, score: float, ocr_pages: set[PageKey]) -> Evidence:
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
