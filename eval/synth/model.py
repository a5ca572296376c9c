"""Shared building blocks for chart families: facts, sections and the case context.

A Fact is a literal phrase printed inside one paragraph; its gold regex is derived
from the phrase so the gold can never drift from the printed words.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
import re
from dataclasses import dataclass, field, replace

from .compose import Para, Table
from .people import Identity, Person, md, month_name


def phrase_pattern(phrase: str) -> str:
    """Regex for a printed phrase, tolerant of any whitespace between words."""
    return r"\s+".join(re.escape(w) for w in phrase.split())


@dataclass
class Fact:
    requirement: str
    phrase: str
    para: Para

    @property
    def pattern(self) -> str:
        return phrase_pattern(self.phrase)


@dataclass
class Section:
    """One requirement's content: blocks for a page body plus the facts they state."""

    requirement: str
    title: str
    date_line: str
    blocks: list = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    meta: dict = field(default_factory=dict)  # styled pages: date, signer, header fields

    def para(self, text: str, relevant: bool = True, also: tuple = (), **kw) -> Para:
        """A content block; relevant=False for background or boilerplate inside a section."""
        p = Para(text, req=self.requirement if relevant else None, also=tuple(also), **kw)
        self.blocks.append(p)
        return p

    def heading(self, text: str) -> None:
        self.blocks.append(Para(text, bold=True, size="heading", space_after=3))

    def table(self, columns: list[str], rows: list[list[str]], widths=None, row_also: dict | None = None) -> Table:
        t = Table(columns, rows, widths, req=self.requirement, row_also=dict(row_also or {}))
        self.blocks.append(t)
        return t

    def cell_fact(self, table: Table, phrase: str, req: str | None = None) -> None:
        """A fact printed inside one cell of a table of this section."""
        if not any(phrase in c for r in table.rows for c in r):
            raise ValueError(f"phrase not in any cell: {phrase!r}")
        self.facts.append(Fact(req or self.requirement, phrase, table))

    def fact(self, text: str, *phrases: str, req: str | None = None, **kw) -> Para:
        """A sentence stating one or more facts; it may be cut before the first phrase."""
        starts = []
        for ph in phrases:
            at = text.find(ph)
            if at < 0:
                raise ValueError(f"phrase not in sentence: {ph!r}")
            starts.append(at)
        cut = min(starts)
        p = self.para(text, cut=cut if cut >= 20 and text[cut - 1] == " " else None, **kw)
        self.facts += [Fact(req or self.requirement, ph, p) for ph in phrases]
        return p


@dataclass(frozen=True)
class Ctx:
    """What every family needs: who, when, where, and which requirement is left out."""

    ident: Identity
    month: dt.date
    missing: str | None = None
    tables: bool = True

    @property
    def patient(self) -> Person:
        return self.ident.patient

    @property
    def last_day(self) -> dt.date:
        n = calendar.monthrange(self.month.year, self.month.month)[1]
        return self.month.replace(day=n)

    def day(self, n: int) -> dt.date:
        """Day n of the billing month; n < 1 counts back before it (0 = the day before)."""
        if n < 1:
            return self.month + dt.timedelta(days=n - 1)
        return self.month.replace(day=min(n, self.last_day.day))

    def d(self, n: int) -> str:
        return md(self.day(n))

    @property
    def month_label(self) -> str:
        return month_name(self.month)

    def period_line(self) -> str:
        return f"Reporting period: {md(self.month)} - {md(self.last_day)}"

    def dos_line(self, n: int) -> str:
        return f"Date of service: {self.d(n)}"

    def has(self, req: str) -> bool:
        return req != self.missing

    def shifted(self, months: int) -> Ctx:
        y, m = divmod(self.month.year * 12 + self.month.month - 1 + months, 12)
        return replace(self, month=dt.date(y, m + 1, 1))

    def for_patient(self, person: Person) -> Ctx:
        return replace(self, ident=replace(self.ident, patient=person))


def pick(rng: random.Random, items, k: int):
    """Sample k items keeping their original order (reads more like a chart)."""
    idx = sorted(rng.sample(range(len(items)), k))
    return [items[i] for i in idx]


def days(rng: random.Random, k: int, lo: int = 2, hi: int = 28) -> list[int]:
    return sorted(rng.sample(range(lo, hi + 1), k))
