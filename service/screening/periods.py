"""When was each sentence written, and which requirements may it serve?

Every requirement of a code declares its `period`: time-bound work (minutes, calls, readings,
monthly summaries) must fall in the billing period or the code's episode; standing documents
(consent, orders, device setup, a care plan) may predate it. A sentence is dated by, in order:
a period it states itself ('for April 2026', '5/1/26 thru 5/31/26') or the date that opens its
line (a log row, a note header); the dates inside it; the entry header above it; and the dates
its page states (title month, reporting period, a header row of months, date of service). A
date written without its year ('2/27', 'Mar 5', 'the 5th') is read against the nearest dated
context: its row's own date, the entry header above it, the page's period, else the date of
service; a row's own date is never replaced by its header's month. A note that says it was
copied from an earlier note is dated by that note. Print, fax and receipt stamps and repeated
running lines say when paper moved, not when care happened, so they never date a page. A page
from another month is blocked only for the requirements it cannot serve.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from service.models import CaseFields, CodeEntry, Page, Span
from service.records.tables import cells_under, find_tables
from service.screening.dates import MONTH_YEAR, Mention, find_dates, find_partial, find_ranges, month_bounds
from service.screening.identity import DOB
from service.screening.stamps import PAGE_COUNTER, is_stamp

PLAUSIBLE_DAYS = 400
"""A date further than this from the billing period (a birth date, an OCR slip) dates nothing."""
LOOKBACK_DAYS = 30
"""A date inside a sentence up to this long before the period may name the event that prompted
the period's work ('discharged on 04/28'); the sentence is then dated by its note."""

ADMIN_LINE = re.compile(
    rf"\b(?:generated|run\s+date|{PAGE_COUNTER}|fax\s*:?\s*\(?\d|from:\s*\(?\d|to:\s*\(?\d)\b",
    re.IGNORECASE,
)
"""Lines about the paper, not the care: page counters, fax headers, report run dates. Stamps are
found by their shape (`stamps.is_stamp`), so 'Pt received flu vaccine 10/01' and 'Faxed refill
request to Dr. Kumar 4/06' keep their dates."""
ENTRY_LABEL = re.compile(
    r"^\W*(?:(?:date\s+of\s+(?:service|visit|note|encounter|contact|call|entry)|service\s+date|DOS|visit\s+date|"
    r"note\s+date|encounter(?:\s+date)?|contact\s+date|call\s+date|entry\s+date|late\s+entry|addendum|date|"
    r"visit|seen|signed|(?:telephone|phone|office|nurse|clinic|video|telehealth|portal|home|care\s+management|ccm|rpm|tcm)"
    r"\s+(?:encounter|visit|note|call|contact))\b[^:\n]{0,20}[:#-]?\s*)?$",
    re.IGNORECASE,
)
NOTE_HEADER = re.compile(
    r"^\W*(?:date\s+of\s+(?:service|visit|note|encounter|contact|call)|service\s+date|DOS|visit\s+date|note\s+date|"
    r"encounter(?:\s+date)?|contact\s+date)\b",
    re.IGNORECASE,
)
"""A note that runs over several sheets repeats its own header on each ('Encounter Date:
03/10/2025  Type: Care Plan'): printed unchanged on many pages, and still the note's date. A
bare 'Date:' repeated on every sheet is the printout's."""
LATE = re.compile(r"\b(?:late\s+entry|addendum)\b", re.IGNORECASE)
"""A late entry's own date is when it was written; the care it records is dated inside it."""
PERIOD_LABEL = re.compile(
    r"\b(?:period|month|window|summary|report|covering|log|cycle|month\s+of|for\s+the\s+month)\b", re.IGNORECASE
)
TARGETS = r"\b(?:by|through|thru|until|till|before|next|due|goal|target)"
TARGET_WORD = re.compile(TARGETS + r"\b", re.IGNORECASE)
"""'A1c < 8 by 06/2026': a month a goal aims at dates nothing."""
AIMED_AT = re.compile(
    r"(?:"
    + TARGETS
    + r"|\b(?:next|due|goal|target)\b(?:\s+[A-Za-z][\w/-]*){1,4}|\b(?:reassess\w*|re-?evaluat\w*|review\s+again))"
    r"\s*:?\s*$",
    re.IGNORECASE,
)
"""The same words right before a date inside a sentence, or a few words before it ('next review
08/2026', 'due for recheck 06/2026', 'reassess 06/2026'): when the plan looks again, not when
it was written."""


MONTH_ONLY = re.compile(MONTH_YEAR, re.IGNORECASE)
"""A month in brackets ('DUE (8.1% 05/2025)') says when an earlier value was taken, not when
the row's entry was made; a range in brackets ('(09/01-09/30)') is the row's period."""
BEGAN = re.compile(r"\b(?:initiated|established|created|started|began|begun|enrolled|opened)\b", re.IGNORECASE)
"""'Care plan initiated 5/4/25': when a standing document began, not time-bound work of its date."""


@dataclass(frozen=True)
class Window:
    first: date
    last: date

    def overlaps(self, first: date, last: date) -> bool:
        return first <= self.last and last >= self.first

    def plausible(self, first: date, last: date) -> bool:
        return (self.first - last).days <= PLAUSIBLE_DAYS and (first - self.last).days <= PLAUSIBLE_DAYS


@dataclass
class Dating:
    """The dates that say when one sentence's content happened, strongest first."""

    stated: list[tuple[date, date]] = field(default_factory=list)
    inside: list[tuple[date, date]] = field(default_factory=list)
    context: list[tuple[date, date]] = field(default_factory=list)
    declared: list[tuple[date, date]] = field(default_factory=list)
    """The period the page says it reports on ('Reporting Period: 08/01/2025 - 08/31/2025')."""
    copied: tuple[date, date] | None = None
    """The date of the earlier note this sentence's note says it was copied from."""


def requirement_windows(entry: CodeEntry, case: CaseFields) -> dict[str, tuple[str, Window]]:
    """Requirement id -> (period kind, window) for requirements that have one."""
    if entry.billing_period != "calendar_month":
        return {}
    month = Window(*month_bounds(case.date_of_service))
    episode = month
    if entry.episode_days:
        start = case.date_of_service - timedelta(days=entry.episode_days - 1)
        episode = Window(min(month.first, start), max(month.last, case.date_of_service))
    out = {}
    for req in entry.evidence:
        if req.period == "service_period":
            out[req.id] = ("service_period", month)
        elif req.period == "episode":
            out[req.id] = ("episode", episode)
        elif req.period == "before_or_during":
            out[req.id] = ("before_or_during", month)
    return out


def _lines(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]


def _dob_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start("d"), m.end("d")) for m in DOB.finditer(text)]


NOT_WHEN_COLUMN = re.compile(
    r"\b(?:last|due|next|onset|since|expires?|expiry|target|by|goal|baseline|scheduled|prior|previous|birth|DOB)\b",
    re.IGNORECASE,
)
"""Table columns whose dates say when something was last done or falls due, not when the row's
entry was made: a registry row 'Eye exam | OPEN | 02/14/2025 | 02/14/2026 | OVERDUE' in a report
run this month is this month's statement, and a goal 'HbA1c | < 7.5 | By 12/2026' set this month
is this month's goal."""


ROW_NEAR_DAYS = 62
"""A row opening with a bare number pair is a log row when that day lies within two months of
the note or log it sits in ('9/29' in an October log); '1/2 tab nightly' in an October med
list is half a tablet."""
COPIED = re.compile(
    r"\b(?:copied|carried|cloned|copy[\s-]forward(?:ed)?)\s+(?:(?:forward|over)\s+)?from\b",
    re.IGNORECASE,
)
"""'text copied forward from the 01/22/2026 encounter': the note around it repeats an earlier
note, so what it says happened when that note was written, whatever date heads the copy."""


def _mentions(text: str, order: str, skip: list[tuple[int, int]], anchor: date | None = None) -> list[Mention]:
    """The dates of one line: full dates, then those written without a year read against the
    line's own full date, else `anchor` (the note or page the line sits in). A bare number pair
    ('4/5') is a date only where a date stands by position: opening a row that goes on, near
    the row's context (`ROW_NEAR_DAYS`), or as an end of a range; elsewhere it may be a score."""
    found = [m for m in find_dates(text, order) if not any(a <= m.start < b for a, b in skip)]
    own = next((m.first for m in found if m.is_day), None) or anchor
    if own is not None:
        partial = find_partial(text, own, order, [(m.start, m.end) for m in found])
        found = sorted(
            found + [m for m in partial if not any(a <= m.start < b for a, b in skip)], key=lambda m: m.start
        )
    ranges = find_ranges(text, found)
    inside_range = [m for m in found if any(r.start <= m.start and m.end <= r.end for r in ranges)]
    opens_row = (
        bool(found)
        and ENTRY_LABEL.match(text[: found[0].start]) is not None
        and bool(text[found[0].end :].strip())
        and (own is None or abs((found[0].first - own).days) <= ROW_NEAR_DAYS)
    )
    return sorted(
        [m for m in found if m not in inside_range and (not m.loose or (m is found[0] and opens_row))] + ranges,
        key=lambda m: m.start,
    )


@dataclass
class PageDates:
    page_context: list[tuple[date, date]]
    datings: dict[tuple[str, int, int], Dating]


def _shift(mentions: list[Mention], by: int) -> list[Mention]:
    return [replace(m, start=m.start + by, end=m.end + by) for m in mentions]


def _anchor(spans: list[tuple[date, date]]) -> date | None:
    """The middle of the first span: 'March 2026' reads '2/27' as 2026 and '12/30' as 2025."""
    return spans[0][0] + (spans[0][1] - spans[0][0]) / 2 if spans else None


def date_page(
    page: Page, sentences: list[Span], order: str, running: set[str] | None = None, anchor: date | None = None
) -> PageDates:
    """Date every sentence of one page (see the module docstring for the order of evidence).
    `running`: lines (flattened, lower case) printed unchanged on many pages: stamps, not dates.
    `anchor`: the date a yearless date on a page that states no date of its own is read
    against (the date of service); a page's title month, period or note header comes first."""
    text = page.text
    skip = _dob_spans(text) + cells_under(text, find_tables(text), NOT_WHEN_COLUMN)
    running = running or set()
    lines = []
    for start, end in _lines(text):
        flat = " ".join(text[start:end].split())
        if not (ADMIN_LINE.search(flat) or is_stamp(flat) or (flat.lower() in running and not NOTE_HEADER.match(flat))):
            lines.append((start, end))

    def read(start: int, end: int, at: date | None) -> list[Mention]:
        return _shift(_mentions(text[start:end], order, [(a - start, b - start) for a, b in skip], at), start)

    titles, declared, entry_dates = [], [], []
    for number, (start, end) in enumerate(lines):
        mentions, line = read(start, end, None), text[start:end]
        if _column_months(line, [replace(m, start=m.start - start, end=m.end - start) for m in mentions]):
            declared += [(m.first, m.last) for m in mentions]
            titles += [(m.first, m.last) for m in mentions]
            continue
        if mentions and ENTRY_LABEL.match(text[start : mentions[0].start]):
            entry_dates += [(m.first, m.last) for m in mentions]
        for m in mentions:
            before = text[max(start, m.start - 30) : m.start]
            titled = (
                number < 4
                and len(line.split()) <= 12
                and not TARGET_WORD.search(before)
                and not AIMED_AT.search(before)
            )
            if not m.is_day and (titled or PERIOD_LABEL.search(before)):
                titles.append((m.first, m.last))
            if not m.is_day and PERIOD_LABEL.search(before):
                declared.append((m.first, m.last))
    page_anchor = _anchor(declared) or _anchor(titles) or _anchor(entry_dates) or anchor

    entries: list[tuple[int, list[tuple[date, date]]]] = []
    by_line: list[Mention] = []
    copies: list[tuple[int, bool, tuple[date, date]]] = []
    for start, end in lines:
        at = _anchor(entries[-1][1]) if entries else page_anchor
        mentions = read(start, end, at)
        if not mentions:
            continue
        by_line += mentions
        if ENTRY_LABEL.match(text[start : mentions[0].start]):
            entries.append((start, [(m.first, m.last) for m in mentions]))
        elif copy := COPIED.search(text, start, end):
            after = [m for m in mentions if m.start >= copy.end() and m.is_day]
            if after:
                prefix, rest = text[start : copy.start()], text[after[0].end : end]
                heads = (
                    SECTION.match(prefix) is not None
                    or LABELLED.match(prefix) is not None
                    or INTRODUCES.match(rest) is not None
                )
                copies.append((start, heads, (after[0].first, after[0].last)))
    copied = _copied_scopes(text, copies, [at for at, _ in entries])
    context = titles + [d for at, spans in entries if not any(a <= at < b for a, b, _ in copied) for d in spans]
    context += [
        span for a, b, span in copied if any(a <= at < b for at, _ in entries)
    ]  # the copy's date stands for the note's
    datings = {}
    for s in sentences:
        own = [m for m in by_line if s.start <= m.start and m.end <= s.end]
        dating = Dating(context=list(context), declared=declared)
        for m in own:
            prefix = text[text.rfind("\n", 0, m.start) + 1 : m.start]  # from the start of the mention's own line
            if AIMED_AT.search(prefix):
                dating.inside.append(
                    (m.first, m.last)
                )  # 'A1c < 7.5 by 11/2026': when a goal aims, not when it was written
                continue
            at_line_start = ENTRY_LABEL.match(prefix) is not None and not LATE.search(prefix)
            aside = prefix.count("(") > prefix.count(")") and MONTH_ONLY.fullmatch(text[m.start : m.end]) is not None
            (dating.stated if (at_line_start or not (m.is_day or aside)) else dating.inside).append((m.first, m.last))
        above = [spans for at, spans in entries if at <= s.start]
        if above:
            dating.context = above[-1]
        dating.copied = next((span for a, b, span in copied if a <= s.start < b), None)
        datings[(s.document, s.page, s.start)] = dating
    return PageDates(context, datings)


def _column_months(line: str, mentions: list[Mention]) -> bool:
    """A header row of months ('Measure   Oct 2025   Nov 2025   Dec 2025'): the page is a
    flowsheet whose columns are those months, so those months are the period it reports on."""
    months = {(m.first, m.last) for m in mentions if not m.is_day}
    if len(months) < 2 or len(months) != len(mentions):
        return False
    pieces, at = [], 0
    for m in mentions:
        pieces.append(line[at : m.start])
        at = m.end
    rest = " ".join(pieces + [line[at:]])
    return len(rest.split()) <= 2 and not TARGET_WORD.search(rest)


SIGNED = re.compile(r"\W*(?:electronically\s+)?(?:signed|e-signed|authenticated)\b", re.IGNORECASE)
"""A sign-off line closes the note above it: a copied note stays copied through its signature."""
SECTION = re.compile(r"^\W*[A-Za-z][\w /&-]{0,30}:\W*$")
"""'SUBJECTIVE: [copied from ...': the copy marker heads one section, not the whole note."""
LABELLED = re.compile(r"^\W*[A-Za-z][\w /&-]{0,30}?\s*[(\[]\s*$")
"""'Hx (copied from Aug 4 note): stable': the marker qualifies its labelled line, not the note."""
INTRODUCES = re.compile(r"^[^:\n]{0,20}:\s*\S+\s+\S+")
"""'Copied from 14-Dec-2024 note: pt enrolled, stable': the marker introduces the text after it."""
SECTION_END = re.compile(r"^(?:(?P<indent>[ \t]*)[A-Za-z][^:\n]{0,40}:|[ \t]*$)", re.MULTILINE)
"""The next section: a labelled line no deeper than the heading ('PLAN:'), or a blank line."""


def _copied_scopes(
    text: str, copies: list[tuple[int, bool, tuple[date, date]]], entries: list[int]
) -> list[tuple[int, int, tuple[date, date]]]:
    """(start, end, date copied from) for each copied part of a page: a marker that heads a
    section covers that section (to the next blank line or entry header); a marker on its own
    covers its whole note, from the note's entry header (the page's top when it has none) to
    the next entry header."""
    scopes = []
    for at, heads, span in copies:
        end = min((e for e in entries if e > at and not SIGNED.match(text, e)), default=len(text))
        if heads:
            line = text[at:].split("\n", 1)[0]
            indent = len(line) - len(line.lstrip())
            below = SECTION_END.finditer(text, min(at + len(line) + 1, len(text)))
            ends = [m.start() for m in below if m.group("indent") is None or len(m.group("indent")) <= indent]
            scopes.append((at, min([end] + ends[:1]), span))
        else:
            scopes.append((max((e for e in entries if e <= at), default=0), end, span))
    return scopes


def fits(dating: Dating, kind: str, window: Window) -> bool:
    """May a sentence so dated serve a requirement of this period kind?"""
    if dating.copied and window.plausible(*dating.copied) and not window.overlaps(*dating.copied):
        return False  # an earlier note carried forward: the earlier note is the one to cite
    if kind == "before_or_during":
        if not any(a == b for a, b in dating.stated) and _reports_another_period(dating.declared, window):
            return False  # only a day of its own (a consent visit) sets a line apart from its page's period
        dates = dating.stated or dating.context  # dates inside ('goal: A1c < 8 by 12/31') may lie ahead
        return not dates or min(a for a, _ in dates) <= window.last
    stated = [d for d in dating.stated if window.plausible(*d)]
    if stated:
        return any(window.overlaps(*d) for d in stated)
    inside = [d for d in dating.inside if window.plausible(*d)]
    context = [d for d in dating.context if window.plausible(*d)]
    if any(window.overlaps(*d) for d in inside):
        return True
    context_in = not context or any(window.overlaps(*d) for d in context)
    if inside:
        recent = all(b >= window.first - timedelta(days=LOOKBACK_DAYS) for _, b in inside)
        return context_in and bool(context) and recent
    return context_in


def _reports_another_period(declared: list[tuple[date, date]], window: Window) -> bool:
    """The page says it reports on a period ('Reporting Period: 08/01/2025 - 08/31/2025',
    'Monthly Summary - April 2026') and that period is not this one: last month's registry
    report or summary is superseded by this month's, even for a standing requirement. A note
    dated by its day (a consent visit, an order), or a month named in passing ('A1c 8.9
    (01/2026)'), reports no period."""
    periods = [(a, b) for a, b in declared if window.plausible(a, b)]
    return bool(periods) and not any(window.overlaps(a, b) for a, b in periods)


def page_outside(page_dates: PageDates, window: Window) -> bool:
    """The page's own dates (title month, period, note header) all lie outside the window."""
    context = [d for d in page_dates.page_context if window.plausible(*d)]
    return bool(context) and not any(window.overlaps(*d) for d in context)


def blocked_by_period(
    windows: dict[str, tuple[str, Window]], datings: dict[tuple[str, int, int], Dating], keys: Iterable
) -> dict[str, set[tuple[str, int, int]]]:
    """Requirement id -> keys of the sentences it may not quote."""
    return {
        req: {key for key in keys if key in datings and not fits(datings[key], kind, window)}
        for req, (kind, window) in windows.items()
    }


def history_lines(
    windows: dict[str, tuple[str, Window]], blocked: dict[str, set], spans: dict, outside: set[tuple[str, int]]
) -> dict[str, set]:
    """Requirement id -> sentences its period blocks only for saying when something began ('CP
    initiated May 4, 2025' in this month's care plan note, beside 'CP reviewed + revised ...'):
    they may join a quote as the next item of the period's own lines, never stand alone.
    `spans`: sentence key -> span; `outside`: pages dated outside the period, whose lines stay
    blocked."""
    return {
        req: {
            key
            for key in blocked.get(req, set())
            if key in spans and (key[0], key[1]) not in outside and BEGAN.search(spans[key].text)
        }
        for req, (kind, _) in windows.items()
        if kind != "before_or_during"
    }
