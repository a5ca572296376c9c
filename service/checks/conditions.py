"""The chronic conditions a chart names: the proof of 'two or more chronic conditions' (CCM) or
'one high-risk condition' (PCM), counted as diseases, not as sentences about eligibility.

A condition is named by its ICD-10-CM code ('E11.40', 'I48.21', '(I10)') or in words ('T2DM',
'heart failure w/ reduced EF'), from the families in `knowledge/chronic-conditions.yaml`; a code
and a name of the same family ('E11.65' and 'type 2 diabetes') are one condition. Only the code
chapters that hold diseases count: symptoms (R), injuries and poisonings (S, T), external causes
(V-Y), pregnancy (O) and the factors of chapter Z ('long-term use of anticoagulants') are not
conditions, and a finding named in words ('exertional hypoxemia') belongs to no family. A code
without its dot is read only inside brackets, so a lab's 'B12' or 'A1C' is never a diagnosis. A
name counts only where medspaCy's ConText says the patient has it: not negated, possible, a
relative's, or a test, risk or example ('osteoporosis screen', 'stroke risk').
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from service.models import Page
from service.resources import KNOWLEDGE, load_yaml
from service.screening.care_events import EventReader, EventRules, shared_reader

DOTTED = re.compile(r"(?<![A-Za-z0-9.])([A-NPQ]\d[0-9A-Z])\.([0-9A-Z]{1,4})(?![A-Za-z0-9])")
BRACKETED = re.compile(r"[(\[]\s*(?:ICD(?:-?10)?(?:-CM)?:?\s*)?([A-NPQ]\d\d)\s*[)\]]")
VOCABULARY_FILE = KNOWLEDGE / "chronic-conditions.yaml"
FAMILY_HEADING = re.compile(
    r"^\W*(?:family\s+(?:medical\s+)?(?:history|hx)|fhx|f/h|fh)\b\s*(?::\s*|-\s*)?$", re.IGNORECASE
)
"""A heading alone on its line over a family history ('FAMILY HISTORY', 'FHx:')."""
FAMILY_LABEL = re.compile(r"^\W*(?:family\s+(?:medical\s+)?(?:history|hx)|fhx|f/h|fh)\s*[:-]\s*\S", re.IGNORECASE)
"""A family history told after its label on the same line ('Family history: mother had')."""
HEADING = re.compile(r"^\s*[A-Za-z][A-Za-z /&()-]{1,40}:")
"""A line opening another labelled part of the note ('Social history:', 'ROS:')."""
FAMILY_LINES = 10
"""A family history under its own heading runs at most this many lines."""


@dataclass(frozen=True)
class ConditionLine:
    document: str
    page: int
    line: str  # verbatim: the page's text holds it
    conditions: frozenset[str]  # full codes ('E11.65') from `coded_lines`, families from `condition_lines`
    coded: bool = True  # the line names a code (a problem list's or an assessment's line)


@dataclass(frozen=True)
class Family:
    key: str
    label: str
    codes: tuple[str, ...]
    names: tuple[str, ...]
    listed: tuple[str, ...] = ()
    """Names that count only on a line naming another condition ('DM, HTN', not 'Signed: DM')."""


LISTED = ":listed"


@dataclass(frozen=True)
class Vocabulary:
    families: tuple[Family, ...]
    rules: EventRules

    def family_of(self, code: str) -> str:
        """The label of the family a code belongs to, else the code's three-character category."""
        for family in self.families:
            if any(code.startswith(prefix) for prefix in family.codes):
                return family.label
        return code[:3]

    def label(self, key: str) -> str:
        return next((f.label for f in self.families if f.key == key), key)


def load_vocabulary(path: Path = VOCABULARY_FILE) -> Vocabulary:
    raw = load_yaml(path.read_text(encoding="utf-8"))
    families = tuple(
        Family(
            key,
            entry.get("label") or key.replace("_", " "),
            tuple(entry.get("icd10") or ()),
            tuple(entry.get("names") or ()),
            tuple(entry.get("listed") or ()),
        )
        for key, entry in raw["conditions"].items()
    )
    modifiers = raw.get("not_had") or {}
    patterns = {f.key: list(f.names) for f in families if f.names}
    patterns |= {f.key + LISTED: list(f.listed) for f in families if f.listed}
    rules = EventRules(
        patterns,
        tuple(modifiers.get("forward", ())),
        tuple(modifiers.get("backward", ())),
        scope=modifiers.get("scope"),
        examples=tuple(modifiers.get("examples", ())),
        patients_own=frozenset(patterns),
        terminators=tuple(modifiers.get("terminators", ())),
        line_doubt=False,
    )
    return Vocabulary(families, rules)


@lru_cache(maxsize=2)
def _vocabulary(path: Path) -> tuple[Vocabulary, re.Pattern]:
    vocabulary = load_vocabulary(path)
    any_name = re.compile("|".join(f"(?:{n})" for f in vocabulary.families for n in f.names + f.listed), re.IGNORECASE)
    return vocabulary, any_name


def condition_reader(path: Path = VOCABULARY_FILE) -> tuple[Vocabulary, EventReader, re.Pattern]:
    """The vocabulary, its ConText pipeline (built once per process) and a prefilter for lines
    that may name a family."""
    vocabulary, any_name = _vocabulary(path)
    return vocabulary, shared_reader(path, lambda _: vocabulary.rules), any_name


def coded_lines(pages: list[Page], excluded: set[tuple[str, int]] | frozenset = frozenset()) -> list[ConditionLine]:
    """Every line naming a disease code, with the codes it names."""
    out = []
    for page in pages:
        if (page.document, page.number) in excluded:
            continue
        for m in re.finditer(r"[^\n]+", page.text):
            line = m.group(0)
            found = {f"{c.group(1)}.{c.group(2)}" for c in DOTTED.finditer(line)}
            found |= {c.group(1) for c in BRACKETED.finditer(line)}
            if found:
                out.append(ConditionLine(page.document, page.number, line.strip(), frozenset(found)))
    return out


def family_history_lines(text: str) -> set[int]:
    """Indexes (in `text.split("\n")`) of the lines under a family history heading: up to a blank
    line, another labelled part or `FAMILY_LINES` lines. Diseases named there are relatives'
    even on a line that does not name the relative ('breast cancer and diabetes.' under 'Family
    history: mother had')."""
    lines = text.split("\n")
    out: set[int] = set()
    for start, line in enumerate(lines):
        if FAMILY_LABEL.match(line):
            n = start  # the sentence after the label runs on while it is unfinished
            while (
                n + 1 < len(lines) and not lines[n].rstrip().endswith((".", ";")) and lines[n + 1].strip()[:1].islower()
            ):
                n += 1
                out.add(n)
            continue
        if not FAMILY_HEADING.match(line):
            continue
        for n in range(start + 1, min(len(lines), start + 1 + FAMILY_LINES)):
            if not lines[n].strip() or HEADING.match(lines[n]) and not FAMILY_HEADING.match(lines[n]):
                break
            out.add(n)
    return out


def categories(lines: list[ConditionLine]) -> set[str]:
    """The three-character code categories of coded lines."""
    return {code[:3] for line in lines for code in line.conditions}


def condition_lines(
    pages: list[Page],
    excluded: set[tuple[str, int]] | frozenset = frozenset(),
    path: Path = VOCABULARY_FILE,
) -> list[ConditionLine]:
    """Every line naming a condition the patient has, by code or in words, with its families'
    labels (a code outside every family stands as its category). In page order, each line once."""
    vocabulary, reader, any_name = condition_reader(path)
    by_line: dict[tuple[str, int, str], set[str]] = {}
    coded_found = coded_lines(pages, excluded)
    for line in coded_found:
        key = (line.document, line.page, line.line)
        by_line.setdefault(key, set()).update(vocabulary.family_of(code) for code in line.conditions)
    candidates = []
    for page in pages:
        if (page.document, page.number) in excluded:
            continue
        relatives = family_history_lines(page.text)
        for n, printed in enumerate(page.text.split("\n")):
            if n not in relatives and printed.strip() and any_name.search(printed):
                candidates.append((page.document, page.number, printed.strip()))
    for (document, number, text), had in zip(candidates, reader.events([t for _, _, t in candidates])):
        key = (document, number, text)
        named = {vocabulary.label(kind) for kind in had if not kind.endswith(LISTED)}
        listed = {vocabulary.label(kind.removesuffix(LISTED)) for kind in had if kind.endswith(LISTED)}
        if len(named | listed | by_line.get(key, set())) >= 2:
            named |= listed  # 'DM, HTN': a list of conditions, not someone's initials
        if named:
            by_line.setdefault(key, set()).update(named)
    coded = {(line.document, line.page, line.line) for line in coded_found}
    order = {(p.document, p.number): (i, p.text) for i, p in enumerate(pages)}
    keys = sorted(by_line, key=lambda k: (order[(k[0], k[1])][0], order[(k[0], k[1])][1].find(k[2])))
    return [ConditionLine(d, n, text, frozenset(by_line[(d, n, text)]), (d, n, text) in coded) for d, n, text in keys]


def distinct_conditions(lines: list[ConditionLine]) -> set[str]:
    return {condition for line in lines for condition in line.conditions}
