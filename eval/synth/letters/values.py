"""Invented values and how a letter prints them: seeded random streams, IDs (MBIs and payer
patterns, OCR-safe on scans), dates, money, names, phone numbers and group-reason codes.

Shared by the claim and every layout, so one letter's formats stay consistent.
"""

from __future__ import annotations

import random
from datetime import date

from ..people import Person
from ..voice import MON3, fmt_date


def _rng(layout: str, seed: int, purpose: str) -> random.Random:
    return random.Random(f"overturn-denial-letter:{layout}:{seed}:{purpose}")


LETTERS = "ACDEFGHJKMNPQRTUVWXY"  # as in MBIs: no B, I, L, O, S, Z
# On scans, IDs keep to characters tesseract tells apart on our pages even where letters and
# digits alternate (an MBI): no D, G, J, Q, T, V, W, and only 2, 3, 4, 5, 7 next to a letter
# (measured: 9 -> O, 6 -> G, 8 -> B, J -> ")" were the misreads).
SAFE_LETTERS = "ACEFHKMNPRUXY"
SAFE_DIGITS = "23457"


def _ident(rng: random.Random, pattern: str, safe: bool) -> str:
    """Fill a pattern: L letter, D digit, N non-zero digit, A letter or digit; others literal.
    safe: digits touching a letter are 2-9, so OCR cannot read them as I or O."""
    out = []
    for i, ch in enumerate(pattern):
        near = {pattern[j] for j in (i - 1, i + 1) if 0 <= j < len(pattern)}
        touching = safe and bool(near & {"L", "A"})
        if ch == "A":
            ch = "L" if rng.random() < 0.5 else "D"
            touching = safe
        if ch == "L":
            out.append(rng.choice(SAFE_LETTERS if safe else LETTERS))
        elif ch == "D":
            out.append(rng.choice(SAFE_DIGITS if touching else "0123456789"))
        elif ch == "N":
            out.append(rng.choice(SAFE_DIGITS if touching else "123456789"))
        else:
            out.append(ch)
    return "".join(out)


def _mbi(rng: random.Random, safe: bool) -> str:
    """Medicare Beneficiary Identifier: 11 characters, C A AN N A AN N A A N N."""
    return _ident(rng, "NLADLADLLDD", safe)


def _date(d: date, kind: str) -> str:
    if kind == "mmddyy":
        return f"{d:%m%d%y}"
    if kind == "upper":
        return f"{MON3[d.month - 1].upper()} {d.day:02d}, {d.year}"
    return fmt_date(d, kind)


def _money(x: float, kind: str = "$") -> str:
    if kind == "$":
        return f"${x:,.2f}"
    if kind == ",":
        return f"{x:,.2f}"
    return f"{x:.2f}"


def _name(p: Person, kind: str) -> str:
    return {
        "LAST, FIRST M": f"{p.last.upper()}, {p.first.upper()} {p.middle}",
        "LAST, FIRST": f"{p.last.upper()}, {p.first.upper()}",
        "First M. Last": f"{p.first} {p.middle}. {p.last}",
        "First Last": f"{p.first} {p.last}",
        "FIRST M LAST": f"{p.first.upper()} {p.middle} {p.last.upper()}",
        "Last, First M": f"{p.last}, {p.first} {p.middle}",
    }[kind]


def _phone(rng: random.Random, toll_free: bool = True) -> str:
    area = rng.choice(["800", "866", "877", "888", "855"]) if toll_free else str(rng.randint(201, 989))
    return f"1-{area}-555-01{rng.randint(10, 99)}" if toll_free else f"({area}) 555-01{rng.randint(10, 99)}"


def _code_str(group: str, carc: str, sep: str) -> str:
    return f"{group}{sep}{carc}"
