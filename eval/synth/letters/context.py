"""The context a layout writes from: the claim, the people, the seeded wording stream and
the strings the letter promises to print verbatim (checked against the gold).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from ..people import Person
from .claim import Claim
from .parties import Party
from .scenarios import SERVICE
from .values import _date


@dataclass
class Ctx:
    layout: str
    seed: int
    w: random.Random  # wording choices
    claim: Claim
    patient: Person
    party: Party
    scanned: bool
    date_kind: str
    name_kind: str
    shows: list[str] = field(default_factory=list)  # strings the letter must print verbatim

    def pick(self, items):
        return self.w.choice(items)

    def d(self, x: date, kind: str | None = None) -> str:
        return _date(x, kind or self.date_kind)

    def show(self, s: str) -> str:
        self.shows.append(s)
        return s

    @property
    def month(self) -> str:
        return f"{self.claim.dos:%B %Y}"

    def svc(self) -> str:
        """The denied services in prose: 'chronic care management (CPT 99490)'."""
        fam = self.claim.family
        codes = [ln.cpt for ln in self.claim.denied]
        return f"{SERVICE[fam]} ({'CPT ' if self.w.random() < 0.5 else ''}{', '.join(codes)})"
