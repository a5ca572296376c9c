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
LABEL_WORDS = 10
"""'Care plan (written with her daughter today):' - a label, not a sentence."""
PARAGRAPH_LINES = 20
"""A plan introduced by a label runs as one paragraph at most this long."""
SECTION_LINES = 70
"""A plan under its own heading may run onto the next page of the same document."""
ELEMENT_SCORE = 0.4
"""A clause holds an element when it scores this much for the element's description."""
SENTENCE_END = re.compile(r"[.!?](?=\s+[A-Z(])")
REMARK = re.compile(r"\([^)]*\)")
CLAUSE_END = re.compile(r";\s+|,\s+(?=[A-Za-z])|(?<=[a-z0-9)]{3})\.\s+(?=[A-Z])")
"""Where a list-like plan line parts: semicolons, commas before a word, a sentence end (not the
point of 'Dr. Amadi')."""
DOSE = re.compile(r"\b\d+(?:\.\d+)?\s*(?:mg|mcg|g|units?|u|ml|mL|puffs?|tabs?)\b(?!/)", re.IGNORECASE)
SCHEDULE = re.compile(
    r"\bq\s?\d+\s*(?:h|hrs?|d|days?|wks?|weeks?|mos?|months?)\b|\b\d+\s*x\s*/\s*(?:d|day|wk|week|mo|month)\b|"
    r"\b(?:daily|weekly|monthly|every\s+\w+\s+(?:days?|weeks?|months?))\b",
    re.IGNORECASE,
)


def assigns_work(text: str) -> bool:
    """'home health RN weekly', 'Dr. Amadi q2 mo': a person or role with a schedule is a task
    with the one responsible for it."""
    return bool(SCHEDULE.search(text)) and bool(CREDENTIAL.search(text) or TITLE.search(text) or CLINICAL.search(text))


SHAPES: dict[str, Callable[[str], bool]] = {
    "goals": states_target,
    "interventions": assigns_work,
    "medications": lambda text: bool(DOSE.search(text)),
    "problems": lambda text: len(set(ICD10.findall(text))) >= 2,
}
"""Elements a clause shows by its shape, whatever its words: a target with a deadline is a goal,
a dose is a medicine, two diagnosis codes are a problem list."""


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
    """'care plan' also finds 'care management plan' and 'care plans': one word may sit between
    the words of a name."""
    parts = []
    for name in names:
        words = [re.escape(w) for w in name.split()]
        parts.append(r"\b" + r"\W+(?:[A-Za-z-]+\W+)?".join(words) + r"s?\b")
    return re.compile("|".join(parts), re.IGNORECASE)


def _caps_title(text: str, at: int) -> bool:
    """The name sits in a run set in capitals ('PROBLEM LIST / PLAN OF CARE'): a title."""
    run = re.sub(r"[^A-Za-z ]", " ", REMARK.sub(" ", text[:at] + text[at:].split(".")[0]))
    letters = [c for c in run if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _heading(line: str, at: int) -> bool:
    flat = " ".join(line.split())
    if line.rfind("(", 0, at) > line.rfind(")", 0, at):
        return False  # named in a remark: 'Office visit (care plan revision)' is a visit
    if _caps_title(line.strip(), max(0, at - (len(line) - len(line.lstrip())))):
        return True
    bare = " ".join(REMARK.sub(" ", flat).split())
    if not bare or len(bare.split()) > HEADING_WORDS or bare[-1] in ".!?;,":
        return False
    return not states_something(bare.rstrip(":"))


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
    """The pieces a plan line may hold: the line, its label, each clause of a list-like line."""
    flat = " ".join(line.split())
    out = [flat]
    label, colon, rest = flat.partition(":")
    if colon and 0 < len(label.split()) <= 4:
        out.append(label)
    pieces = [p.strip(" -.") for p in CLAUSE_END.split(rest if colon else flat)]
    out += [p for p in pieces if len(p.split()) >= 2 and p != flat]
    return out


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


def _headings(page: Page, names: re.Pattern[str]) -> list[tuple[int, str, int, int | None]]:
    """(line number, line, line its body starts after, colon there) of each line that heads a
    plan. A label may wrap: 'Plan of care (drawn up with them' / 'today): aim for ...'."""
    out: list[tuple[int, str, int, int | None]] = []
    lines = page.text.splitlines()
    for number, line in enumerate(lines):
        m = names.search(line)
        if not m:
            continue
        colon = _label_end(line, m.start())
        if colon is not None and line[colon + 1 :].strip():
            out.append((number, line, number, colon))
            continue
        if _heading(line, m.start()):
            out.append((number, line, number, None))
        elif colon is None and number + 1 < len(lines):
            joined = _label_end(f"{line} {lines[number + 1]}", m.start())
            if joined is not None and joined > len(line):
                out.append((number, line, number + 1, joined - len(line) - 1))
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
    found = []
    for index, page in enumerate(kept):
        for _, line, start, colon in _headings(page, names):
            body = _body(kept, index, start, colon)
            plan = WrittenPlan(page.document, page.number, line.strip(), _first_date(line), body=body)
            plan.elements = _elements(body, shape, score)
            if len(plan.elements) >= shape.least:
                found.append(plan)
    return sorted(found, key=lambda p: -len(p.elements))


def _elements(body: list[tuple[int, str]], shape: DocumentShape, score: Scorer) -> dict[str, tuple[int, str]]:
    pieces = [(page, line, clause) for page, line in body for clause in _clauses(line) if clause.strip()]
    if not pieces:
        return {}
    sims = score([clause for _, _, clause in pieces])
    names = list(shape.elements)
    best: dict[str, tuple[float, int, str]] = {}
    for (page, line, clause), row in zip(pieces, sims):
        column = int(np.argmax(row))
        held = [(float(row[column]), names[column])] if row[column] >= ELEMENT_SCORE else []
        held += [(1.0, name) for name, shows in SHAPES.items() if name in shape.elements and shows(clause)]
        for value, element in held:
            if value > best.get(element, (0.0, 0, ""))[0]:
                best[element] = (value, page, line.strip())
    return {element: (page, line) for element, (_, page, line) in best.items()}


def _first_date(line: str) -> date | None:
    mentions = find_dates(line)
    return mentions[0].first if mentions else None
