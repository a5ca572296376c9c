"""Turns sections into pages and pages into documents, keeping track of which facts
land on which page so the gold is computed from the final layout, not guessed.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field, replace

from .compose import HELVETICA, Page, Para, Table, compose
from .model import Ctx, Fact, Section


@dataclass
class Slot:
    page: Page
    role: str  # evidence | filler | cover | misfiled | out_of_period | injection | split_head
    facts: list[Fact] = field(default_factory=list)


def letterhead(ctx: Ctx) -> str:
    return f"{ctx.ident.practice}  |  {ctx.ident.address}  |  {ctx.ident.phone}"


def _signature(s: Section, ctx: Ctx) -> Para:
    date = re.findall(r"\d{2}/\d{2}/\d{4}", s.date_line)[-1]
    by_provider = "Order" in s.title or "Plan" in s.title
    who = ctx.ident.provider if by_provider else ctx.ident.staff[0].signed
    return Para(f"Electronically signed by {who} on {date}.", size="small", space_after=6)


def page_for(sections: list[Section], ctx: Ctx, sign: bool = True) -> Page:
    """One page holding one or more sections; later sections get their own heading."""
    first = sections[0]
    blocks = []
    for s in sections:
        if s is not first and s.title != first.title:
            blocks.append(Para(s.title, bold=True, size="heading", space_after=2))
            if s.date_line != first.date_line:
                blocks.append(Para(s.date_line, size="small"))
        blocks += s.blocks
        if sign:
            blocks.append(_signature(s, ctx))
    return Page(first.title, [ctx.patient.header(), first.date_line], blocks, letterhead(ctx))


def fits(page: Page) -> bool:
    return compose(page, HELVETICA)[1]


def pack(sections: list[Section], ctx: Ctx, max_pages: int, make=None, check=None) -> list[Slot]:
    """One section per page when there is room, else fill pages greedily;
    `make(sections, ctx)` builds a page (default: the prose page), `check(page)` says if it fits."""
    make, check = make or page_for, check or fits
    groups: list[list[Section]] = [[s] for s in sections]
    if len(groups) > max_pages:
        groups = []
        for s in sections:
            if groups and check(make(groups[-1] + [s], ctx)):
                groups[-1].append(s)
            else:
                groups.append([s])
    return [Slot(make(g, ctx), "evidence", [f for s in g for f in s.facts]) for g in groups]


def splittable(slots: list[Slot]) -> list[tuple[Slot, Fact]]:
    """Facts whose sentence can be cut before the phrase, on unscanned text pages."""
    out = []
    for slot in slots:
        if slot.role == "evidence" and not slot.page.scanned and slot.page.columns == 1:
            out += [(slot, f) for f in slot.facts if f.para.cut]
    return out


def split(slot: Slot, fact: Fact, padding: list[str], own_title: bool = False) -> tuple[Slot, Slot]:
    """Cut the fact's sentence at a page break; the continuation page holds the phrase.
    Neutral padding fills the first page so the break falls where a printer would put it.
    own_title: the continuation is titled after the section being cut (its heading on a
    page holding several), not after the page's first section."""
    page = slot.page
    k = next(i for i, b in enumerate(page.blocks) if b is fact.para)
    title = page.title
    if own_title:
        heads = [
            b.text for b in page.blocks[:k] if isinstance(b, Para) and b.bold and b.size == "heading" and b.req is None
        ]
        title = heads[-1] if heads else title
    head = Para(fact.para.text[: fact.para.cut].rstrip(), space_after=0, req=fact.para.req, also=fact.para.also)
    tail = replace(fact.para, text=fact.para.text[fact.para.cut :], cut=None)
    blocks_a = page.blocks[:k]
    for text in padding:
        if not fits(replace(page, blocks=blocks_a + [Para(text), head])):
            break
        blocks_a = blocks_a + [Para(text)]
    a = replace(page, blocks=blocks_a + [head])
    b = replace(page, title=f"{title} (continued)", blocks=[tail] + page.blocks[k + 1 :])
    before = {id(x) for x in page.blocks[:k]}
    fa = [f for f in slot.facts if id(f.para) in before]
    fb = [replace(f, para=tail) if f.para is fact.para else f for f in slot.facts if id(f.para) not in before]
    return Slot(a, "split_head", fa), Slot(b, "evidence", fb)


def make_scanned(slot: Slot, rng: random.Random) -> None:
    """Image-only page, tilted 0.5-2 degrees either way, with light speckle."""
    angle = rng.uniform(0.5, 2.0) * rng.choice([-1, 1])
    slot.page = replace(
        slot.page,
        scanned=True,
        rotate=round(angle, 2),
        noise=round(rng.uniform(0.0003, 0.0008), 5),
        seed=rng.randint(0, 2**31),
    )


def make_two_column(slot: Slot) -> bool:
    if any(isinstance(b, Table) for b in slot.page.blocks):
        return False
    trial = replace(slot.page, columns=2)
    if fits(trial):
        slot.page = trial
        return True
    return False


def interleave(evidence: list[list[Slot]], others: list[list[Slot]], rng: random.Random) -> list[list[Slot]]:
    """Keep evidence in order; drop every other unit (filler, traps) at a random spot."""
    units = list(evidence)
    for u in others:
        units.insert(rng.randint(0, len(units)), u)
    return units


def to_documents(units: list[list[Slot]], n_docs: int, rng: random.Random) -> list[list[Slot]]:
    """Cut the unit sequence into n contiguous, non-empty documents."""
    n_docs = max(1, min(n_docs, len(units)))
    cuts = sorted(rng.sample(range(1, len(units)), n_docs - 1)) if n_docs > 1 else []
    bounds = [0, *cuts, len(units)]
    return [[s for u in units[a:b] for s in u] for a, b in zip(bounds, bounds[1:])]


def doc_names(n: int) -> list[str]:
    return ["records.pdf"] if n == 1 else [f"records_part{i}.pdf" for i in range(1, n + 1)]


def set_footers(slots: list[Slot], ctx: Ctx) -> None:
    n = len(slots)
    for i, slot in enumerate(slots, 1):
        slot.page = replace(
            slot.page, footer=f"{ctx.ident.practice} - Confidential patient information - Page {i} of {n}"
        )
