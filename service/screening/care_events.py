"""Care-management events that make a charted line no evidence of the work it names.

Three events matter to a care-management appeal whatever words a chart uses: the patient left
the program or took back consent (`withdrawn`), a contact attempt reached nobody
(`unanswered`), and minutes the record itself says do not count (`not_billable`). The events
are listed by meaning in `knowledge/care-events.yaml`; whether a mention is an event that
happened is decided by medspaCy's ConText with its clinical lexicon (negation, hypotheticals,
possibility, family members as the experiencer), so "if you wish to leave the program" or "did
not opt out" is none. A time-log row whose billable column says no is `not_billable` by its
structure, whatever its note says.

A line holding an event is never quoted (a withdrawal is not consent, an unanswered call is not
a contact, unbillable minutes are not the month's time) and staff are told about it.
"""

from __future__ import annotations

import re
import sys
import threading
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from service.models import Span, short_quote, span_key
from service.resources import KNOWLEDGE, load_yaml

Key = tuple[str, int, int]

WITHDRAWN = "withdrawn"
UNANSWERED = "unanswered"
NOT_BILLABLE = "not_billable"
EVENTS_FILE = "care-events.yaml"

NOT_EVENT = {"NEGATED_EXISTENCE", "POSSIBLE_EXISTENCE", "HYPOTHETICAL"}
"""ConText categories under which a mention is not an event that happened."""
DESCRIBED = {"POSSIBLE_EXISTENCE", "HYPOTHETICAL"}
"""An event spoken of as a right or a possibility anywhere in a line makes the line a description."""
OTHERS_DECISION = {WITHDRAWN}
"""Events that are the patient's own: a husband leaving the program is not the patient leaving
it (ConText's family experiencer), while a call to the daughter that reached nobody is still
no contact."""

MAX_TEXT = 20_000
"""A text is read up to this many characters: a line is a sentence or a row, and spaCy refuses
a text over a million characters (a page of one endless line must not stop a check)."""

BILLABLE_CELL = re.compile(
    r"(?:^|;\s)(?:billable|billed|bill|counted|counts?|countable|ccm\s+time|billable\s+time)\s*\??\s*:\s*(?:n|no)\s*(?:;|$)",
    re.IGNORECASE,
)
"""A row read under its header ('...; Billable: N'): the log's own column says the minutes do not count."""


@dataclass(frozen=True)
class EventRules:
    patterns: dict[str, list[str]]
    forward: tuple[str, ...]
    backward: tuple[str, ...]
    scope: int | None = None
    """How many tokens `forward` and `backward` reach (None: the sentence, ConText's default)."""
    examples: tuple[str, ...] = ()
    """Modifiers that make the rest of the sentence examples ('such as'), whatever `scope` is."""
    patients_own: frozenset[str] = frozenset(OTHERS_DECISION)
    """Kinds that are not had when a relative is the one they are said of."""
    terminators: tuple[str, ...] = ()
    """Words or marks that end every modifier's reach ('denies chest pain; CAD stable')."""
    line_doubt: bool = True
    """One mention spoken of as a right or a possibility makes the whole text a description of
    its kind (a consent form's terms); when False each mention is judged on its own (a problem
    list naming 'screening for diabetic eye disease' beside 'T2DM')."""


def load_rules(path: Path | None = None) -> EventRules:
    raw = load_yaml((path or KNOWLEDGE / EVENTS_FILE).read_text(encoding="utf-8"))
    hypo = raw.get("hypothetical") or {}
    return EventRules(
        {kind: list(patterns) for kind, patterns in raw["events"].items()},
        tuple(hypo.get("forward", ())),
        tuple(hypo.get("backward", ())),
    )


class EventReader:
    """A blank spaCy pipeline with medspaCy's target matcher and ConText: built once per
    process (about 2 s), lazily, and shared; spaCy pipelines are not safe to share between
    threads, so calls are serialised."""

    def __init__(self, rules: EventRules):
        _import_rule_pipeline()
        import spacy
        from medspacy.context import ConTextRule
        from medspacy.target_matcher import TargetRule

        self.nlp = spacy.blank("en")
        self.nlp.add_pipe("sentencizer")
        # spaCy types a pipe as a callable on a Doc; medspacy's components also take rules
        matcher: Any = self.nlp.add_pipe("medspacy_target_matcher")
        context: Any = self.nlp.add_pipe("medspacy_context")
        matcher.add(
            [
                TargetRule(f"{kind}_{i}", kind, pattern=p)
                for kind, ps in rules.patterns.items()
                for i, p in enumerate(ps)
            ]
        )
        context.add(
            [ConTextRule(lit, "HYPOTHETICAL", direction="FORWARD", max_scope=rules.scope) for lit in rules.forward]
        )
        context.add(
            [ConTextRule(lit, "HYPOTHETICAL", direction="BACKWARD", max_scope=rules.scope) for lit in rules.backward]
        )
        context.add([ConTextRule(lit, "HYPOTHETICAL", direction="FORWARD") for lit in rules.examples])
        context.add([ConTextRule(lit, "TERMINATE", direction="TERMINATE") for lit in rules.terminators])
        self.patients_own = rules.patients_own
        self.line_doubt = rules.line_doubt
        self.lock = threading.Lock()

    def events(self, texts: list[str]) -> list[set[str]]:
        """For each text, the events it reports as having happened. A line that speaks of an event
        as a right or a possibility once ('I may revoke this consent at any time; revocation takes
        effect at month end') is describing it, however it goes on."""
        out = []
        with self.lock, warnings.catch_warnings():
            warnings.filterwarnings(
                "ignore", message=r".*does not have any patterns defined"
            )  # our rules are all regular expressions
            for doc in self.nlp.pipe([text[:MAX_TEXT] for text in texts], batch_size=256):
                found, doubted = set(), set()
                inside = [(ent.start, ent.end) for ent in doc.ents]
                for ent in doc.ents:
                    # a modifier word inside a matched event ('no longer wants') is the event's own wording
                    mods = [
                        m
                        for m in ent._.modifiers
                        if not any(a < m.modifier_span[1] and m.modifier_span[0] < b for a, b in inside)
                    ]
                    categories = {m.category for m in mods}
                    if categories & DESCRIBED and self.line_doubt:
                        doubted.add(ent.label_)
                    elif categories & NOT_EVENT or (
                        ent.label_ in self.patients_own and any(_relative_decides(m, ent) for m in mods)
                    ):
                        continue
                    else:
                        found.add(ent.label_)
                out.append(found - doubted)
        return out


_IMPORT_LOCK = threading.Lock()
UNUSED_OPTIONALS = ("torch", "scipy.stats")
"""Imported when installed by spaCy's thinc (for neural layers) and by nltk under medspaCy (for
one collocation statistic); a rule-based pipeline uses neither, and they were 2.5 s of every cold
draft."""


def _import_rule_pipeline() -> None:
    """spaCy and medspaCy imported with `UNUSED_OPTIONALS` hidden, so the libraries record them as
    absent; they are put back at once, and a process that has imported one already keeps it."""
    with _IMPORT_LOCK:
        hidden = [name for name in UNUSED_OPTIONALS if name not in sys.modules]
        for name in hidden:
            sys.modules[name] = None  # type: ignore[assignment]
        try:
            import medspacy.context  # noqa: F401
            import medspacy.target_matcher  # noqa: F401
            import spacy  # noqa: F401
        finally:
            for name in hidden:
                if name in sys.modules and sys.modules[name] is None:
                    del sys.modules[name]


PATIENT = re.compile(r"^(?:pt|patient|she|he|his|her|hers|him|member|beneficiary)$", re.IGNORECASE)


def _relative_decides(modifier, ent) -> bool:
    """A relative is the one leaving ('her husband dropped out of the program'), unless the
    patient is named between them ('daughter says pt wants off the program')."""
    if modifier.category != "FAMILY":
        return False
    doc = ent.doc
    start, end = sorted((modifier.modifier_span[1], ent.start))
    return not any(PATIENT.match(token.text) for token in doc[start:end])


_BUILDING = threading.Lock()
_READERS: dict[Path, EventReader] = {}


def shared_reader(path: Path, load: Callable[[Path], EventRules]) -> EventReader:
    """The process' reader of one rules file (`load` reads it), built once; a second caller waits
    for the first one's build. Care events, agreements and chronic conditions each have theirs."""
    with _BUILDING:
        if path not in _READERS:
            _READERS[path] = EventReader(load(path))
        return _READERS[path]


def default_reader() -> EventReader:
    """The process' reader of care events."""
    return shared_reader(KNOWLEDGE / EVENTS_FILE, load_rules)


def warm_reader() -> None:
    """Start building the reader in a thread, while the caller reads and embeds records: its
    libraries take about a second to import, and the first draft needs it only at the end."""
    if KNOWLEDGE / EVENTS_FILE not in _READERS:
        threading.Thread(target=default_reader, name="context-reader", daemon=True).start()


def _flat(text: str) -> str:
    return " ".join(text.split())


def line_events(
    printed: list[str], scored: list[str] | None = None, reader: EventReader | None = None
) -> list[set[str]]:
    """Events of each line: ConText over the printed words, and the billable column of a row
    read under its header (`scored`, the text with header labels)."""
    reader = reader or default_reader()
    found = reader.events([_flat(t) for t in printed])
    for i, text in enumerate(scored or []):
        if text and BILLABLE_CELL.search(text):
            found[i].add(NOT_BILLABLE)
    return found


TALLY_SPLIT = re.compile(r"\s*(?:\||\n|\s/\s|\s{4,})\s*")
TALLY = re.compile(
    r"\d+(?:\.\d+)?\s*(?:min|mins|minutes|hrs?|hours?)\b|\b(?:min|mins|minutes|time|hours)\b[^|\n]*?\d+", re.IGNORECASE
)
GRAND = re.compile(r"\b(?:total|all|overall|sum|combined|grand|everything|entire)\b", re.IGNORECASE)
LABELLED_COUNT = re.compile(r"[A-Za-z][^|\n]*?\d")
"""'Not countable: 9' beside 'Countable clinical minutes: 27': words, then the count."""
COUNTED = re.compile(
    r"\b(?:billable|billed|counted|countable|clinical\s+staff|interactive|treatment\s+management)\b", re.IGNORECASE
)


def billable_part(text: str, reader: EventReader | None = None) -> tuple[int, int] | None:
    """Where, in a line of tallies that also counts unbillable minutes ('Billable: 25 min |
    Non-billable: 15 min | All logged: 40 min'), the billable tally is: the part to quote. A
    part saying the minutes do not count goes, and so does a grand total beside it, which adds
    them in. None when the line is not such a tally or has no billable part."""
    parts, at = [], 0
    for gap in list(TALLY_SPLIT.finditer(text)) + [None]:
        end = gap.start() if gap else len(text)
        if text[at:end].strip():
            parts.append((at, end))
        at = gap.end() if gap else at
    if not any(TALLY.search(text[a:b]) for a, b in parts):
        return None
    tallies = [(a, b) for a, b in parts if LABELLED_COUNT.search(text[a:b])]
    if len(tallies) < 2:
        return None
    kinds = line_events([text[a:b] for a, b in tallies], reader=reader)
    for (a, b), found in zip(tallies, kinds):
        part = text[a:b]
        if NOT_BILLABLE in found or (GRAND.search(part) and not COUNTED.search(part)):
            continue
        lead = len(part) - len(part.lstrip())
        return a + lead, a + len(part.rstrip())
    return None


WARNING = {
    WITHDRAWN: "the patient left the program or withdrew consent; check the consent and any time after it before sending",
    UNANSWERED: "a contact attempt that reached nobody is neither a contact nor countable time",
    NOT_BILLABLE: "the record marks these minutes as not billable; they are not counted",
}
ORDER = (WITHDRAWN, UNANSWERED, NOT_BILLABLE)


def event_warning(kind: str, document: str, page: int, text: str) -> str:
    return f'{document} page {page}: {WARNING[kind]}: "{short_quote(text)}" (not quoted).'


def read_events(
    sentences: list[Span], match_text: dict[Key, str], reader: EventReader | None = None
) -> tuple[list[Span], dict[Key, set[str]]]:
    """The case's sentences, with a tally line that also counts unbillable minutes cut down to
    its billable part (`match_text` gains the cut line's key), and the events of every other
    line (by sentence key)."""
    found = line_events([s.text for s in sentences], [match_text.get(span_key(s), "") for s in sentences], reader)
    out: list[Span] = []
    events: dict[Key, set[str]] = {}
    for sentence, kinds in zip(sentences, found):
        part = billable_part(sentence.text, reader) if NOT_BILLABLE in kinds else None
        if part:
            a, b = part
            whole = match_text.get(span_key(sentence)) or _flat(sentence.text)
            sentence = sentence.model_copy(
                update={"start": sentence.start + a, "end": sentence.start + b, "text": sentence.text[a:b]}
            )
            match_text[span_key(sentence)] = whole  # ranked as the whole line, quoted as its billable part
            kinds = kinds - {NOT_BILLABLE}
        if kinds:
            events[span_key(sentence)] = kinds
        out.append(sentence)
    return out, events


def event_notes(sentences: list[Span], events: dict[Key, set[str]]) -> list[str]:
    """One warning per event and page, quoting the first line that shows it."""
    seen: set[tuple[str, str, int]] = set()
    notes = []
    for sentence in sentences:
        for kind in ORDER:
            if kind in events.get(span_key(sentence), ()) and (kind, sentence.document, sentence.page) not in seen:
                seen.add((kind, sentence.document, sentence.page))
                notes.append(event_warning(kind, sentence.document, sentence.page, sentence.text))
    return notes


def _month_summary(text: str) -> bool:
    return bool(TALLY.search(text)) and bool(GRAND.search(text) or COUNTED.search(text))


def after_withdrawal(
    sentences: list[Span], events: dict[Key, set[str]], dates: Callable[[Key], list[date]]
) -> set[Key]:
    """Lines that follow the patient's withdrawal in the same document and are dated on or after
    it (the latest date the withdrawal line names: 'asked to stop effective 4/15'), or carry no
    date at all on its page: care after leaving the program is not the program's. `dates(key)`
    is what the period reader dated a line by, strongest first. A tally of the month's minutes
    under the log sums the whole month, not what came after."""
    order = {span_key(s): i for i, s in enumerate(sentences)}
    blocked: set[Key] = set()
    for key, kinds in events.items():
        if WITHDRAWN not in kinds or key not in order:
            continue
        named = dates(key)
        cut = max(named) if named else None
        for sentence in sentences[order[key] + 1 :]:
            other = span_key(sentence)
            if other[0] != key[0]:
                continue
            if _month_summary(sentence.text):
                continue
            own = dates(other)
            if (not own and other[1] == key[1]) or (own and cut and min(own) >= cut):
                blocked.add(other)
    return blocked
