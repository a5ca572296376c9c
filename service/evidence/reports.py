"""Outside reports: an exam, a screening read or a consultation another clinician sent back.

The note that records receiving such a report ('gap closed', 'rec'd the consult') says that
something was done; the report's own result, findings or assessment is what was done, and is
the proof that a gap was closed or a referral followed through. A page is read as such a report
when its letterhead names a party other than the practice and a line the letter already quotes
from another page names that party (its organisation, or a physician who signs the report): the
practice's own note of referring there, calling there or receiving the report from there. Its
result lines are then quoted for the requirement the knowledge file marks `outside_results`,
beside the note, never in place of it.
"""

import re
from dataclasses import dataclass

from rapidfuzz.fuzz import ratio

from service.evidence.counter import find_counter
from service.evidence.scoring import CaseIndex
from service.models import CodeEntry, Evidence, EvidenceRequirement, Span, span_key
from service.screening.boilerplate import is_boilerplate, is_sign_off

HEADER_LINES = 5
"""The letterhead is among a page's first non-empty lines (after a fax header, which carries
digits)."""
SECTION_LINES = 6
"""A result section runs at most this many lines past its label."""
RESULT_LABEL = re.compile(
    r"^\W{0,3}(?:results?|findings?|impressions?|assessments?|conclusions?|interpretations?|diagnos[ie]s|"
    r"labs?|laboratory|pertinent\s+results)"
    r"(?-i:\s+[A-Z]{1,3}\b){0,2}(?:\s*(?:/|and|&)\s*plan)?\s*(?::|\W*$)",
    re.IGNORECASE,
)
"""The standard headings under which a clinical report states what it found ('Impression:',
'FINDINGS', 'Result:', 'Labs:', 'Findings OD:'); a qualifier in capitals (an eye, a side) may
follow. 'Labs ordered' or 'Results reviewed w/ pt' are sentences, not headings."""
ANY_LABEL = re.compile(r"^\W{0,3}[A-Za-z][\w /&'()-]{0,30}:(?:\s|$)")
HEADING = re.compile(r"^\W{0,3}[A-Z][A-Z /&-]{2,30}\W*$")
"""A line that opens the next section: any label ('Plan:', 'Recommendation:') or a heading in
capitals ('PLAN')."""
CLINICIAN = re.compile(r"\b(?:[A-Z][a-z]+\.?\s+)(?:[A-Z]\.\s+)?([A-Z][A-Za-z'-]{2,}),?\s+(?:MD|DO|OD|DPM|PhD|MBBS)\b")
"""A physician named with a credential ('Imani Sato, MD'): the surname is what other notes use.
Nurses, assistants and practitioners sign the practice's own notes and time logs too, so their
names would tie a note of the practice to itself."""
CREDENTIALS = re.compile(r",?\s*\b(?:MD|DO|OD|DPM|NP|PA-C|PA|PhD|FNP|DNP|RN|LPN|MA|MBBS)\b\.?", re.IGNORECASE)
WORD = re.compile(r"[A-Za-z][A-Za-z'-]{2,}")
CELL_GAP = re.compile(r"\s{3,}")
SAME_WORD = 85
"""A letterhead word this close to one of the practice's is the practice's, misread by OCR."""


@dataclass(frozen=True)
class Report:
    document: str
    page: int
    party: frozenset[str]
    """Words of the letterhead's organisation, less the practice's own words."""
    clinicians: frozenset[str]
    """Surnames of the clinicians it names with a credential (its author, its reader), lowercased,
    never the billing provider's."""
    results: tuple[tuple[int, int], ...]
    """Character ranges of the page holding its result, findings or assessment."""


def words(text: str) -> set[str]:
    return {w.lower().strip("'-") for w in WORD.findall(text)}


def letterhead(text: str) -> str:
    """The first of the page's first lines that reads as a name: no digits (a fax header, an
    address, a date), at least two words; only its first cell, so a page title printed on the
    right ('Health Maintenance Worklist') is not taken for the name."""
    cells = [CELL_GAP.split(line.strip())[0] for line in text.splitlines() if line.strip()][:HEADER_LINES]
    return next((cell for cell in cells if not re.search(r"\d", cell) and len(WORD.findall(cell)) >= 2), "")


def surname(name: str | None) -> str:
    """'Leticia Barros, MD' -> 'barros'."""
    found = WORD.findall(CREDENTIALS.sub(" ", name or ""))
    return found[-1].lower() if found else ""


def result_ranges(text: str) -> list[tuple[int, int]]:
    """Where the page states what it found: from a result heading to the next label or heading."""
    ranges: list[tuple[int, int]] = []
    lines, offset = [], 0
    for line in text.splitlines(keepends=True):
        lines.append((offset, line))
        offset += len(line)
    open_at, count = None, 0
    for start, line in lines:
        bare = line.strip()
        if not bare:
            continue
        if RESULT_LABEL.match(bare):
            if open_at is not None:
                ranges.append((open_at, start))
            open_at, count = start, 0
            continue
        if open_at is not None:
            count += 1
            if ANY_LABEL.match(bare) or HEADING.match(bare) or count > SECTION_LINES:
                ranges.append((open_at, start))
                open_at = None
    if open_at is not None:
        ranges.append((open_at, offset))
    return ranges


def is_result_heading(text: str) -> bool:
    """A result heading with nothing after it ('ASSESSMENT , ,'): the lines under it are the result."""
    flat = " ".join(text.split())
    match = RESULT_LABEL.match(flat)
    return match is not None and not re.search(r"[A-Za-z0-9]", flat[match.end() :])


def read_report(document: str, page: int, text: str, practice: str | None, provider: str | None) -> Report | None:
    """The page as an outside report, or None: it needs a letterhead that is not the practice's
    and a result section."""
    own = words(practice or "")
    party = frozenset(w for w in words(letterhead(text)) if not any(ratio(w, o) >= SAME_WORD for o in own))
    results = tuple(result_ranges(text))
    if not party or not results:
        return None
    clinicians = frozenset(m.group(1).lower() for m in CLINICIAN.finditer(text)) - {surname(provider), ""}
    return Report(document, page, party, clinicians, results)


def names_party(report: Report, quote: str) -> bool:
    """Does a line name the report's author: a clinician who signs it, or most of its
    letterhead's words (at least two: 'Eye' alone names no one)?"""
    have = words(quote)
    if report.clinicians & have:
        return True
    shared = report.party & have
    return len(shared) >= 2 and 2 * len(shared) >= len(report.party)


def linked_results(reports: list[Report], lines: list[tuple[str, int, str]], by_page: dict, allowed) -> list:
    """The result sentences of each report a line on another page names. `lines`: (document,
    page, text) of what the letter quotes; `by_page`: (document, page) -> its sentences;
    `allowed(span)`: whether the requirement may quote that sentence."""
    out = []
    for report in reports:
        if not any(
            (doc, page) != (report.document, report.page) and names_party(report, text) for doc, page, text in lines
        ):
            continue
        out += [
            span
            for span in by_page.get((report.document, report.page), [])
            if any(start <= span.start < end for start, end in report.results)
            and not is_result_heading(span.text)
            and allowed(span)
        ]
    return out


def outside_results(
    entry: CodeEntry,
    index: CaseIndex,
    by_page: dict,
    blocked_pages: set,
    blocked: dict,
    counter: set,
    quoted: list[Evidence],
    practice: str | None,
    provider: str | None,
) -> tuple[EvidenceRequirement, list[Span], list[Span]] | None:
    """(requirement, result sentences to quote, result sentences that speak against it) for the
    first requirement marked `outside_results` that may quote a linked report's result.
    `blocked`: requirement id -> sentence keys it may not quote; `counter`: keys already found
    to speak against some requirement; `quoted`: the evidence chosen so far."""
    wanting = [req for req in entry.evidence if req.outside_results]
    if not wanting:
        return None
    reports = [
        report
        for (document, page), text in sorted(index.page_text.items())
        if (document, page) not in blocked_pages and (report := read_report(document, page, text, practice, provider))
    ]
    lines = [(e.document, e.page, e.text) for e in quoted]  # any line of the record ties unrelated pages
    for req in wanting:
        taken = [e for e in quoted if e.requirement == req.id]

        def allowed(span: Span, taken: list = taken, req: EvidenceRequirement = req) -> bool:
            key = span_key(span)
            overlaps = any(
                (e.document, e.page) == (span.document, span.page) and e.start < span.end and span.start < e.end
                for e in taken
            )
            flat = " ".join(span.text.split())
            return (
                not overlaps
                and key not in blocked[req.id]
                and key not in counter
                and not is_boilerplate(flat)
                and not is_sign_off(flat)
            )

        spans = linked_results(reports, lines, by_page, allowed)
        against: set[int] = set()
        if index.mode != "bm25" and spans:
            against = set(find_counter(req, [(index.scored_text(sp), sp.text) for sp in spans], index.embed))
        if len(against) < len(spans):
            return (
                req,
                [sp for i, sp in enumerate(spans) if i not in against],
                [sp for i, sp in enumerate(spans) if i in against],
            )
    return None
