"""Everything decided about a case's pages before any evidence is chosen.

Boilerplate is set aside first (running headers and footers, confidentiality legends), so a
legend never makes a page look like it carries instructions. Then: pages of another patient and
pages holding instructions are never cited (unless the instructions only follow a signed note on
the page: then only what follows the signature is blocked, `addenda.py`); each requirement is blocked from the sentences its
period rules out; an earlier version of a standing document (last month's care plan), or an
earlier line the period repeats, yields to the version dated in the period.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from rapidfuzz.fuzz import ratio

from service.models import CaseFields, CodeEntry, Exclusion, Page, Span, span_key
from service.screening.addenda import appended_instructions, appended_warning
from service.screening.boilerplate import is_cover_page, page_title, repeated_lines, running_text_spans
from service.screening.care_events import WITHDRAWN, after_withdrawal, event_notes
from service.screening.dates import MONTH_NAME, ORDINAL, month_bounds
from service.screening.exclusions import INSTRUCTIONS, document_orders, other_patient_pages
from service.screening.instructions import instruction_pages, instruction_spans
from service.screening.meta_text import META_TEXT, meta_pages, meta_spans, meta_warning
from service.screening.periods import (
    PageDates,
    Window,
    blocked_by_period,
    date_page,
    history_lines,
    page_outside,
    requirement_windows,
)

Key = tuple[str, int, int]
SAME_TITLE = 90
"""Similarity (rapidfuzz ratio, 0-100) at which two page titles name the same document: an
older 'Comprehensive Care Plan' yields to this month's, an enrollment note does not yield to
the program's monthly report because both start with the practice's name."""


@dataclass
class Screening:
    excluded: list[Exclusion]
    """Pages never cited: another patient's, or holding instructions."""
    instructions: set[Key]
    running: set[Key]
    """Running headers and footers, and legends: never quoted, never read as instructions."""
    blocked_for: dict[str, set[Key]] = field(default_factory=dict)
    history_for: dict[str, set[Key]] = field(default_factory=dict)
    """Sentences a requirement may quote only beside its own: when a standing document began."""
    outside: set[tuple[str, int]] = field(default_factory=set)
    """Pages whose own dates all lie outside the billing period."""
    notes: list[str] = field(default_factory=list)
    events: set[Key] = field(default_factory=set)
    """Lines reporting a withdrawal, an unanswered contact or unbillable minutes: never quoted."""
    withdrawals: list[tuple[Span, date | None]] = field(default_factory=list)
    """Lines where the patient left the program, with the latest date each names or sits under
    (None when undated): a check before billing ends the countable month there."""
    days: dict[Key, list[date]] = field(default_factory=dict)
    """Sentence -> the dates it names, else those of the note it sits under (a check orders a doubt
    and the line that answers it)."""

    @property
    def blocked_sentences(self) -> set[Key]:
        return self.instructions | self.running | self.events


def screen(
    case: CaseFields,
    entry: CodeEntry,
    pages: list[Page],
    sentences: list[Span],
    events: dict[Key, set[str]] | None = None,
) -> Screening:
    repeated = repeated_lines(pages)
    running = running_text_spans(sentences, repeated)
    covers = {(p.document, p.number) for p in pages if is_cover_page(p.text)}
    running |= {span_key(s) for s in sentences if (s.document, s.page) in covers}
    instructions = instruction_spans(sentences, skip=running)
    orders = document_orders(pages)
    excluded, notes = other_patient_pages(pages, case, orders)
    other = {(e.document, e.page) for e in excluded}
    spared, appendix = appended_instructions(sentences, instructions, running)
    for document, number in sorted(instruction_pages(instructions)):
        if (document, number) not in other and (document, number) not in spared:
            excluded.append(Exclusion(document=document, page=number, reason=INSTRUCTIONS))
    screening = Screening(excluded, instructions, running, notes=[f"Patient identity: {n}." for n in notes])
    screening.notes += [appended_warning(document, number) for document, number in sorted(spared - other)]
    screening.events = appendix - instructions
    if events:
        screening.events |= {key for key in events if key not in running}
        shown = [s for s in sentences if span_key(s) in screening.events and (s.document, s.page) not in other]
        screening.notes += event_notes(shown, events)
    meta = meta_spans(sentences, skip=running | instructions)
    screening.events |= meta
    taken = {(e.document, e.page) for e in excluded}
    for document, number in sorted(meta_pages(sentences, meta, running) - taken):
        excluded.append(Exclusion(document=document, page=number, reason=META_TEXT))
    warned: set[tuple[str, int]] = set(other)
    for s in sentences:
        if span_key(s) in meta and (s.document, s.page) not in warned:
            warned.add((s.document, s.page))
            screening.notes.append(meta_warning(s))
    windows = requirement_windows(entry, case)
    if not windows:
        return screening
    by_page: dict[tuple[str, int], list[Span]] = {}
    for s in sentences:
        by_page.setdefault((s.document, s.page), []).append(s)
    stamps = repeated_lines(pages, exact=True)
    dated: dict[tuple[str, int], PageDates] = {}
    datings = {}
    for page in pages:
        where = (page.document, page.number)
        dated[where] = date_page(
            page, by_page.get(where, []), orders.get(page.document, "MDY"), stamps, case.date_of_service
        )
        datings.update(dated[where].datings)
    screening.days = {key: days for key, dating in datings.items() if (days := _dates(dating))}
    if events:
        later = after_withdrawal(sentences, events, lambda key: _dates(datings.get(key))) - running - screening.events
        screening.withdrawals = [
            (s, _withdrawal_day(_dates(datings.get(span_key(s))), dated[(s.document, s.page)]))
            for s in sentences
            if WITHDRAWN in events.get(span_key(s), ())
            and span_key(s) not in running
            and (s.document, s.page) not in other
        ]
        screening.events |= later
        for document, number in sorted({(k[0], k[1]) for k in later} - other):
            screening.notes.append(
                f"{document} page {number}: lines dated after the patient left the program are not counted (not quoted)."
            )
    screening.blocked_for = blocked_by_period(
        windows, datings, [k for spans in by_page.values() for k in map(span_key, spans)]
    )
    month = Window(*month_bounds(case.date_of_service))
    screening.outside = {where for where, d in dated.items() if page_outside(d, month)}
    spans = {span_key(sp): sp for page_spans in by_page.values() for sp in page_spans}
    screening.history_for = history_lines(windows, screening.blocked_for, spans, screening.outside)
    for req_id, keys in screening.history_for.items():
        screening.blocked_for[req_id] -= keys
    stale = superseded(pages, dated, repeated, month, case.practice_name)
    copies = old_copies(by_page, screening.outside, {(e.document, e.page) for e in excluded})
    for req_id, (kind, _) in windows.items():
        if kind == "before_or_during":
            screening.blocked_for[req_id] |= {span_key(s) for where in stale for s in by_page.get(where, [])} | copies
    return screening


def _withdrawal_day(own: list, page: PageDates) -> date | None:
    """The latest date the line names or sits under ('asked to stop effective 4/15'); else the
    earliest day its page is dated by or names (a telephone note titled with its date): the check
    stops counting there, so when in doubt it counts less."""
    if own:
        return max(own)
    days = [first for first, last in page.page_context if first == last]
    days = days or [day for dating in page.datings.values() for day in _dates(dating)]
    return min(days, default=None)


def _dates(dating) -> list:
    """The dates a line names or sits under, strongest first: its own, else its note's."""
    if dating is None:
        return []
    own = [first for first, _ in dating.stated + dating.inside]
    return own or [first for first, _ in dating.context]


EVENT_TITLE = re.compile(
    r"\b(?:encounter|telephone|phone|call|visit|contact|message|progress\s+note|nurse\s+note)\b", re.IGNORECASE
)
VERSIONED = re.compile(r"\b(?:plan|list|summary|report|registry|log)\b", re.IGNORECASE)
"""A 'Telephone Encounter' records one event, not a version of a document: January's consent
call does not yield to June's call with the same heading. A care plan or a problem list does."""


def superseded(
    pages: list[Page], dated: dict, repeated: set[str], window: Window, practice: str | None = None
) -> set[tuple[str, int]]:
    """Earlier versions of a document that the period has a newer version of: a care plan from
    two months ago yields to this month's revision of the same plan."""
    titles = {(p.document, p.number): page_title(p, repeated, practice) for p in pages}
    titles = {w: t for w, t in titles.items() if not t or not EVENT_TITLE.search(t) or VERSIONED.search(t)}
    current = [
        t for where, t in titles.items() if t and not page_outside(dated[where], window) and dated[where].page_context
    ]
    stale = set()
    for where, title in titles.items():
        context = [d for d in dated[where].page_context if window.plausible(*d)]
        if (
            title
            and context
            and all(last < window.first for _, last in context)
            and any(ratio(title, other) >= SAME_TITLE for other in current)
        ):
            stale.add(where)
    return stale


DATE_WORD = re.compile(rf"{MONTH_NAME}|\d+{ORDINAL}", re.IGNORECASE)


def _words(text: str) -> str:
    """A line's words without its dates: last month's copy of an entry carries last month's date."""
    return " ".join(w for w in re.findall(r"[a-z0-9]+", text.lower()) if not DATE_WORD.fullmatch(w))


def old_copies(by_page: dict, outside: set[tuple[str, int]], excluded: set[tuple[str, int]]) -> set[Key]:
    """Sentences on pages dated outside the period whose every line a citable page of the period
    repeats, dates aside: last month's note carrying the same goals or the same workflow line is
    an old copy, and the period's own page is the one to cite. A line only the earlier page holds
    (the signed consent, the original order) stays quotable for a standing requirement."""
    if not outside:
        return set()
    current = set()
    for page, spans in by_page.items():
        if page not in outside and page not in excluded:
            for sp in spans:  # whole, by line, and by column: a two-column scan reads across both
                current |= {
                    _words(sp.text),
                    *map(_words, sp.text.splitlines()),
                    *map(_words, re.split(r"\s{3,}|\n", sp.text)),
                }
    current.discard("")
    copies = set()
    for page in outside:
        for sp in by_page.get(page, []):
            lines = [w for w in map(_words, sp.text.splitlines()) if w]
            if lines and (_words(sp.text) in current or all(w in current for w in lines)):
                copies.add(span_key(sp))
    return copies
