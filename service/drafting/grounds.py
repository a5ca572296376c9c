"""What a model's letter may draw on, and how a failure of it is named.

`Sources`: the case, the code's knowledge, the numbered passages (each with the requirement it
was quoted for), the pages they come from and the text flagged as instructions. `Failure`: a
stable name, a detail, and the number of the sentence it is about (never its text).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from service.models import CaseFields, CodeEntry
from service.screening.dates import long_date


@dataclass(frozen=True)
class Passage:
    """One numbered piece of evidence the model may cite as [number]."""

    number: int
    document: str
    page: int
    text: str
    requirement: str = ""
    """The requirement it was quoted for ('' when unknown, as for an edited letter's citations)."""


@dataclass(frozen=True)
class Failure:
    name: str
    detail: str
    sentence: int | None = None
    """The number of the letter's statement it is about (`statements.py`), if it is about one."""

    def __str__(self) -> str:
        where = f"sentence {self.sentence} " if self.sentence else ""
        return f"{self.name}: {where}{self.detail}"


@dataclass
class Sources:
    """What a letter may draw on, beyond its own passages."""

    case: CaseFields
    entry: CodeEntry
    passages: dict[int, Passage]
    page_text: dict[tuple[str, int], str]
    excluded: set[tuple[str, int]] = field(default_factory=set)
    instructions: list[str] = field(default_factory=list)
    letter_date: date | None = None
    deadline: date | None = None
    embed: Callable[[list[str]], np.ndarray] | None = None
    """The embedding model, for the checks by meaning; without it they read words only."""


def flat(text: str) -> str:
    return " ".join(text.replace("“", '"').replace("”", '"').replace("’", "'").split())


def case_text(sources: Sources, letter: bool = True) -> str:
    """The case's fields as a letter may write them; `letter`: with the letter's own dates (its
    date and the appeal deadline), which are no record fact."""
    case = sources.case
    values = [
        str(v)
        for v in case.model_dump(mode="json", exclude=None if letter else {"letter_date"}).values()
        if v is not None
    ]
    dates = [case.date_of_service, case.denial_date] + ([sources.letter_date, sources.deadline] if letter else [])
    extra = [d for d in dates if d]
    values += [long_date(d) for d in extra] + [d.strftime("%m/%d/%Y") for d in extra] + [f"{d:%B %Y}" for d in extra]
    values += [f"{a.code} ${a.amount:,.2f} {a.cpt or ''} {' '.join(a.rarcs)}" for a in case.adjustments]
    return "\n".join(values)


def knowledge_text(entry: CodeEntry) -> str:
    parts = [
        entry.code,
        entry.title,
        entry.explanation,
        entry.appeal_argument,
        *entry.common_causes,
        *entry.prevention,
        *entry.attachments,
        *entry.services,
    ]
    parts += [f"{r.label} {r.need}" for r in entry.evidence]
    return "\n".join(parts)
