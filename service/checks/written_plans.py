"""A document of several parts (the care plan) found by its structure: a heading or a label that
names it, followed by lines that each hold one of its elements (goals, interventions, the review
date ...). A sentence that only mentions the plan ('plan updated at today's visit') has no such
body under it, and is not the document: an auditor asks for the plan itself.

Pure: the caller passes a function that scores texts against the elements (the embedding model
in the check, a stand-in in tests)."""

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from service.checks.staff import CLINICAL, CREDENTIAL, TITLE
from service.evidence.goals import states_target
from service.models import DocumentShape, Page
from service.records.tables import ICD10
from service.screening.boilerplate import states_something
from service.screening.dates import find_dates

Scorer = Callable[[list[str]], np.ndarray]
"""texts -> (len(texts), elements) similarities, columns in the shape's element order."""

HEADING_WORDS = 12
"""A heading is short: a longer line that names the plan is a sentence about it."""
LABEL_TAG_WORDS = 6
"""What may follow a heading's colon and still leave it a heading: a name, a date, 'see below'."""
LABEL_WORDS = 10
"""'Care plan (written with her daughter today):' - a label, not a sentence."""
PARAGRAPH_LINES = 20
"""A plan introduced by a label runs as one paragraph at most this long."""
SECTION_LINES = 70
"""A plan under its own heading may run onto the next page of the same document."""
ELEMENT_SCORE = 0.4
"""A clause holds an element when it scores this much for the element's description."""
MAX_CLAUSES = 400
MAX_LINE = 2000
"""A body is read up to this many clauses, each line up to this many characters: a page of one
endless line costs no more than a long plan."""
SENTENCE_END = re.compile(r"[.!?](?=\s+[A-Z(])")
GAP = re.compile(r"\s{3,}|\s\|\s|\t")
"""What parts a printed line into columns: a heading sits in one part ('RIVERFORK FAMILY MEDICINE
      Care Plan'), a table's header in many."""
LEADERS = re.compile(r"\.{4,}|\u2026{2,}|(?:\s\.){3,}")
"""A table of contents' dot leaders: 'Care plan ........ 2' lists the plan, it is not it."""
READER = re.compile(r"\b(?:you|your|yours)\b", re.IGNORECASE)
PROMISE = re.compile(r"\b(?:will|would|may|might|can|could|should|shall)\b", re.IGNORECASE)
"""A clause addressed to the reader that says what will or may happen describes what a form
promises ('your care team will write a plan listing your goals'), not what a plan holds; a copy
written for the patient ('Your goals: walk 20 minutes a day') still holds it."""
CONFUSED = {"l": "[l1I|]", "i": "[i1l|]", "o": "[o0]"}
"""Letters OCR reads for one another: 'care pian' is a care plan."""
NOT_WRITTEN = re.compile(r"\b(?:next|review\w*|due|by|until|through|thru)\W{1,3}$", re.IGNORECASE)
"""A date after these words is when the plan will be looked at again, not when it was written."""
REMARK = re.compile(r"\([^)]*\)")
SEPARATOR = re.compile(r"\s+[-\u2013\u2014|/]\s+")
"""What joins a letterhead, a title and a remark on one heading line: 'CLINIC - CARE PLAN - updated 04/02'."""
DATE_OR_REMARK = re.compile(r"\([^)]*\)|\b\d{1,4}[/.-]\d{1,2}(?:[/.-]\d{2,4})?\b")
CLAUSE_END = re.compile(r";\s+|,\s+(?=[A-Za-z])|(?<=[a-z0-9)]{3})\.\s+(?=[A-Za-z])")
"""Where a list-like plan line parts: semicolons, commas before a word, a sentence end (not the
point of 'Dr. Amadi')."""
DOSE = re.compile(r"\b\d+(?:\.\d+)?\s*(?:mg|mcg|g|units?|u|ml|mL|puffs?|tabs?)\b(?!/)", re.IGNORECASE)
LOWER_CREDENTIAL = re.compile(r"\b(?:rn|lpn|lvn|aprn|np|md|lcsw|pharmd)\b")
"""Credentials written in lower case by a hurried hand or OCR ('rn calls weekly'), those that are no English word."""
SCHEDULE = re.compile(
    r"\bq\s?\d+\s*(?:h|hrs?|d|days?|wks?|weeks?|mos?|months?)\b|\b\d+\s*x\s*/\s*(?:d|day|wk|week|mo|month)\b|"
    r"\b(?:daily|weekly|monthly|every\s+\w+\s+(?:days?|weeks?|months?))\b",
    re.IGNORECASE,
)


def assigns_work(text: str) -> bool:
    """'home health RN weekly', 'Dr. Amadi q2 mo': a person or role with a schedule is a task
    with the one responsible for it."""
    who = CREDENTIAL.search(text) or TITLE.search(text) or CLINICAL.search(text) or LOWER_CREDENTIAL.search(text)
    return bool(SCHEDULE.search(text)) and bool(who)


SHAPES: dict[str, Callable[[str], bool]] = {
    "goals": states_target,
    "interventions": assigns_work,
    "medications": lambda text: bool(DOSE.search(text)),
    "problems": lambda text: len(set(ICD10.findall(text))) >= 2,
}
"""Elements a clause shows by its shape, whatever its words: a target with a deadline is a goal,
a dose is a medicine, two diagnosis codes are a problem list. Keyed by the element names the
knowledge base uses (`knowledge/billing/CCM.md`); a shape is asked only of a document whose
elements name it."""


@dataclass
class WrittenPlan:
    """One plan found: where its heading is and, per element, the line that shows it."""

    document: str
    page: int
    heading: str
    dated: date | None
    elements: dict[str, tuple[int, str]] = field(default_factory=dict)
    """element -> (page, line as printed)."""
    body: list[tuple[int, str]] = field(default_factory=list)
    """(page, line) of everything under the heading: a line in it speaks of this plan."""


def name_pattern(names: Sequence[str]) -> re.Pattern[str]:
    """'care plan' also finds 'careplan', 'care management plan', 'Care Management (CCM) Plan',
    'care plans' and OCR's 'care pian': up to two words (or an acronym in brackets) may sit
    between its words, and letters OCR confuses stand for each other."""
    between = r"\W*(?:(?:[A-Za-z-]+|\([A-Z]{2,6}\))\W+){0,2}"
    parts = [r"\b" + between.join(_read_as(w) for w in name.split()) + r"s?\b" for name in names]
    return re.compile("|".join(parts), re.IGNORECASE)


def _read_as(word: str) -> str:
    return "".join(CONFUSED.get(c.lower(), re.escape(c)) for c in word)


def _title(line: str, at: int) -> str | None:
    """The part of a printed line that holds the name at `at`, when the line may be a heading:
    one or two parts (a letterhead beside the title, a date after a bar), no dot leaders."""
    if LEADERS.search(line):
        return None
    cuts = [0]
    for gap in GAP.finditer(line):
        cuts += [gap.start(), gap.end()]
    cuts.append(len(line))
    parts = [(a, b) for a, b in zip(cuts[::2], cuts[1::2]) if line[a:b].strip()]
    if len(parts) > 2:
        return None
    return next((line[a:b].strip() for a, b in parts if a <= at < b), None)


def _caps_title(title: str) -> bool:
    """Set in capitals word by word ('PROBLEM LIST / PLAN OF CARE'): a title."""
    letters = [c for c in REMARK.sub(" ", title.split(". ")[0]) if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _heading(line: str, at: int) -> bool:
    """The line heads a section named for the plan ('COMPREHENSIVE CARE PLAN (revised 02/12)',
    'Shared Care Plan | reviewed 05/04/2026', 'Care plan - updated 04/02'), not a field whose value
    names it ('RE: care plan'), a remark ('Office visit (care plan revision)') or a sentence about it."""
    if line.rfind("(", 0, at) > line.rfind(")", 0, at):
        return False
    title = _title(line, at)
    if title is None:
        return False
    name = line[at : at + 4].lower()
    piece = next((p for p in SEPARATOR.split(title) if name in p.lower()), title)
    if ":" in piece[: max(piece.lower().find(name), 0)]:
        return False
    bare = " ".join(DATE_OR_REMARK.sub(" ", piece).split()).rstrip(" ,;")
    if not bare or len(" ".join(DATE_OR_REMARK.sub(" ", title).split()).split()) > HEADING_WORDS:
        return False
    if _caps_title(piece):
        return True
    return bare[-1] not in ".!?" and not states_something(bare.rstrip(":"))


def _label_end(line: str, at: int) -> int | None:
    """Where the label's colon is when the name opens a label of its sentence ('... any time.
    Plan of care drawn up with him: fewer falls ...'), else None."""
    start = max((m.end() for m in SENTENCE_END.finditer(line) if m.end() <= at), default=0)
    colon = line.find(":", at)
    if colon < 0:
        return None
    label = line[start:colon]
    if SENTENCE_END.search(label) or len(REMARK.sub(" ", label).split()) > LABEL_WORDS:
        return None
    return colon


def _clauses(line: str) -> list[str]:
    """The pieces a plan line may hold: the line, its label, each clause of a list-like line. A
    bare label ('Medications:') holds nothing: a blank template is not a plan."""
    flat = " ".join(line.split())[:MAX_LINE]
    label, colon, rest = flat.partition(":")
    if colon and not rest.strip():
        return []
    out = [flat]
    if colon and 0 < len(label.split()) <= 4:
        out.append(label)
    pieces = [p.strip(" -.") for p in CLAUSE_END.split(rest if colon else flat)]
    out += [p for p in pieces if len(p.split()) >= 2 and p != flat]
    return [clause for clause in out if not (READER.search(clause) and PROMISE.search(clause))]


def _body(pages: list[Page], index: int, line_no: int, after_colon: int | None) -> list[tuple[int, str]]:
    """(page number, line) of the plan's body: a labelled paragraph (its lines run on while a
    sentence is unfinished or the text is indented under the label: 'Care plan: reviewed, no
    changes.' followed by the rest of a note is a remark, not a plan), or a titled section with
    the next page of the same document."""
    page = pages[index]
    lines = page.text.splitlines()
    if after_colon is not None:
        body = [(page.number, lines[line_no][after_colon + 1 :])]
        margin = _indent(lines[line_no])
        previous = lines[line_no]
        for line in lines[line_no + 1 :]:
            ended = previous.rstrip().endswith((".", "!", "?"))
            if not line.strip() or len(body) >= PARAGRAPH_LINES or (ended and _indent(line) <= margin):
                break
            body.append((page.number, line))
            previous = line
        return body
    body = [(page.number, line) for line in lines[line_no + 1 :] if line.strip()]
    if index + 1 < len(pages) and pages[index + 1].document == page.document:
        body += [(pages[index + 1].number, line) for line in pages[index + 1].text.splitlines() if line.strip()]
    return body[:SECTION_LINES]


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _titled_label(line: str, at: int, colon: int | None) -> bool:
    """'CARE PLAN: Ms. Okafor, 05/2026' or 'Plan of Care: see below': a heading with a short tag
    after its colon, over sections below; 'Care plan: reviewed, no changes.' is a remark."""
    if colon is None:
        return False
    tag = line[colon + 1 :].strip()
    short = len(tag.split()) <= LABEL_TAG_WORDS and tag[-1:] not in ".!?;" and not states_something(tag)
    return short and _heading(line[:colon], at)


def _headings(page: Page, names: re.Pattern[str]) -> list[tuple[str, int, int | None]]:
    """(line, line its body starts on, colon there) of each way a line may head a plan: a label
    over its paragraph, a heading over its section, or both ('CARE PLAN: Ms. Okafor, 05/2026'
    over sections below). A label may wrap: 'Plan of care (drawn up with them' / 'today): ...'."""
    out: list[tuple[str, int, int | None]] = []
    lines = page.text.splitlines()
    for number, line in enumerate(lines):
        before = len(out)
        for m in names.finditer(line):
            colon = _label_end(line, m.start())
            labelled = colon is not None and bool(line[colon + 1 :].strip())
            if labelled:
                out.append((line, number, colon))
            if _heading(line, m.start()) if not labelled else _titled_label(line, m.start(), colon):
                out.append((line, number, None))
            elif colon is None and number + 1 < len(lines):
                joined = _label_end(f"{line} {lines[number + 1]}", m.start())
                if joined is not None and joined > len(line):
                    out.append((line, number + 1, joined - len(line) - 1))
            if len(out) > before:
                break
    return out


def written_plans(
    pages: list[Page],
    shape: DocumentShape,
    score: Scorer,
    excluded: set[tuple[str, int]] | frozenset[tuple[str, int]] = frozenset(),
) -> list[WrittenPlan]:
    """Every plan the pages hold with at least `shape.least` of its elements, best first. Pages
    set aside upstream (another patient's) are never read."""
    names = name_pattern(shape.names)
    kept = [p for p in pages if (p.document, p.number) not in excluded]
    plans = [
        WrittenPlan(page.document, page.number, line.strip(), _written_on(line), body=_body(kept, index, start, colon))
        for index, page in enumerate(kept)
        for line, start, colon in _headings(page, names)
    ]
    pieces = [_pieces(plan.body) for plan in plans]
    clauses = list(dict.fromkeys(clause for held in pieces for _, _, clause in held))
    scored = dict(zip(clauses, score(clauses))) if clauses else {}
    found = []
    for plan, held in zip(plans, pieces):
        plan.elements = _elements(held, shape, scored)
        if len(plan.elements) >= shape.least:
            found.append(plan)
    return sorted(found, key=lambda p: -len(p.elements))


def _pieces(body: list[tuple[int, str]]) -> list[tuple[int, str, str]]:
    """(page, line, clause) of a body, at most MAX_CLAUSES of them."""
    return [(page, line, clause) for page, line in body for clause in _clauses(line) if clause.strip()][:MAX_CLAUSES]


def _elements(
    pieces: list[tuple[int, str, str]], shape: DocumentShape, scored: dict[str, np.ndarray]
) -> dict[str, tuple[int, str]]:
    """Element -> (page, line) of the clause that holds it best: the plans of one call share one
    scoring of their clauses (headings on one page share a body)."""
    names = list(shape.elements)
    best: dict[str, tuple[float, int, str]] = {}
    for page, line, clause in pieces:
        row = scored[clause]
        column = int(np.argmax(row))
        held = [(float(row[column]), names[column])] if row[column] >= ELEMENT_SCORE else []
        held += [(1.0, name) for name, shows in SHAPES.items() if name in shape.elements and shows(clause)]
        for value, element in held:
            if value > best.get(element, (0.0, 0, ""))[0]:
                best[element] = (value, page, line.strip())
    return {element: (page, line) for element, (_, page, line) in best.items()}


def _written_on(line: str) -> date | None:
    """The earliest date the heading gives the plan (a version's or a revision's), leaving out
    dates it is next due ('next review 11/2026'): a plan written after the month is not its plan."""
    head = line.split(":", 1)[0] if ":" in line else line
    days = [m.first for m in find_dates(head) if not NOT_WRITTEN.search(head[: m.start])]
    return min(days) if days else None
