"""Lines where the patient, or whoever decides for them, agrees to the service: what a consent
requirement asks for, told by the event and not only by how close a line's words come to the
requirement's descriptions ('She agreed, out loud, with her husband listening; consent entered in
the chart' scores under the letter's presence bar, yet is the agreement).

The event's wordings are in `knowledge/agreement-events.yaml`; whether a mention happened is
medspaCy's ConText (negated, possible, planned: none), and an empty box ('[ ] I agree') is no
agreement by its structure."""

import re
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from service.index.anchors import Scorer
from service.models import Evidence, EvidenceRequirement
from service.resources import KNOWLEDGE, load_yaml
from service.screening.care_events import EventReader, EventRules, shared_reader
from service.screening.care_events import load_rules as care_event_rules

EVENTS_FILE = KNOWLEDGE / "agreement-events.yaml"
AGREED = "agreed"
AGREED_TO = re.compile(
    r"\b(?:consent(?:ed|s|ing)?|agree(?:d|s|ment|able)?|ok|okay|permission|approval|yes)\b[^.;:,]*?"
    r"\b(?:to|for)\s+(?!be\b)(.{2,80}?)(?=[.;:,()\[\]]|\s(?:and|but|after|before|then|once|while)\b|$)"
    r"|\b(?:accept(?:s|ed)?|join(?:s|ed)?|enroll(?:s|ed)?(?:\s+in(?:to)?)?)\s+(.{2,80}?)"
    r"(?=[.;:,()\[\]]|\s(?:and|but|after|before|then|once|while)\b|$)",
    re.IGNORECASE,
)
"""What an agreement names as agreed to: the words after 'to' or 'for' ('consented to the flu
vaccine', 'verbal consent for the procedure'), or after accepting, joining or enrolling in, up to
the end of the clause ('agreed to CCM, declined the shingles vaccine' agreed to CCM)."""
BARE = re.compile(
    r"^(?:join|enroll|enrol|participate|proceed|continue|start|begin|it|this|that|them|all|both|sign\s+up|take\s+part)$",
    re.IGNORECASE,
)
"""Words after 'agreed to' that name nothing but the agreeing itself: the line is about the
service it was found for."""
EMPTY_BOX = re.compile(r"^\W{0,3}(?:\[\s*\]|\(\s*\)|\u2610|\u25a1)")
"""'[ ] I agree', '( ) yes', '☐': a box nobody ticked."""


@lru_cache(maxsize=2)
def _sides(path: Path) -> tuple[tuple[str, ...], tuple[str, ...]]:
    raw = load_yaml(path.read_text(encoding="utf-8"))
    return tuple(raw["this_service"]), tuple(raw["other_care"])


def service_sides(path: Path = EVENTS_FILE) -> dict[str, list[str]]:
    """The two sides an agreement may be for, each by its descriptions: this service, other care."""
    this_service, other_care = _sides(path)
    return {"this_service": list(this_service), "other_care": list(other_care)}


def agreed_to(text: str) -> str | None:
    """What the line says was agreed to, unless it names nothing but the agreeing ('agreed to join')."""
    found = AGREED_TO.search(" ".join(text.split()))
    if found is None:
        return None
    named = (found.group(1) or found.group(2) or "").strip()
    return None if not named or BARE.match(named) else named


def for_this_service(texts: Sequence[str], score: Scorer) -> list[bool]:
    """For each agreement line, whether it is about this service rather than other care (`score`:
    against `service_sides`): a bare agreement is; one naming what was agreed to is when that is
    closer to this service."""
    objects = [agreed_to(text) for text in texts]
    named = [o for o in objects if o is not None]
    leans = iter([bool(row[0] >= row[1]) for row in score(named)] if named else [])
    return [True if o is None else next(leans) for o in objects]


def load_rules(path: Path = EVENTS_FILE) -> EventRules:
    """The care events' rule file layout; a relative or a proxy agreeing is still an agreement."""
    return replace(care_event_rules(path), patients_own=frozenset())


def agreement_reader(path: Path = EVENTS_FILE) -> EventReader:
    return shared_reader(path, load_rules)


def states_agreement(texts: list[str], reader: EventReader | None = None) -> list[bool]:
    """For each text, whether it says an agreement happened."""
    reader = reader or agreement_reader()
    flat = [" ".join(text.split()) for text in texts]
    found = reader.events(flat)
    return [AGREED in kinds and not EMPTY_BOX.match(text) for kinds, text in zip(found, flat)]


def without_other_care(
    requirements: Sequence[EvidenceRequirement], evidence: list[Evidence], score: Scorer
) -> tuple[list[Evidence], set[str]]:
    """The evidence without the lines that show an agreement to other care for a requirement
    shown by an agreement ('Pt consented to the flu vaccine' is close in words to a consent, but
    not the program's), and the requirements left with no line by it."""
    wanted = {req.id for req in requirements if req.agreement}
    asked = [e for e in evidence if e.requirement in wanted]
    said = states_agreement([e.text for e in asked])
    agreements = [e for e, yes in zip(asked, said) if yes]
    elsewhere = {
        id(e) for e, ours in zip(agreements, for_this_service([e.text for e in agreements], score)) if not ours
    }
    kept = [e for e in evidence if id(e) not in elsewhere]
    had = {e.requirement for e in asked}
    return kept, had - {e.requirement for e in kept}
