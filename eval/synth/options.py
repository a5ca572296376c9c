"""Resolves make_case options: explicit values win, the seed decides the rest.

Explicit trap options are promises (an error if the page budget cannot hold them);
seed-chosen ones are dropped quietly when a small `pages` leaves no room.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

TRAPS = ("misfiled", "out_of_period", "injection")


@dataclass
class Options:
    pages: int
    documents: int
    scanned: int
    misfiled: bool
    out_of_period: bool
    injection: bool
    split_evidence: bool
    missing: str | None
    two_column: bool
    tables: bool
    explicit: frozenset
    same_name: bool = False
    counter_evidence: bool = False
    standing_before: bool = False
    polite_injection: bool = False

    @property
    def n_traps(self) -> int:
        return sum(bool(getattr(self, t)) for t in TRAPS)


def resolve(rng: random.Random, family, given: dict) -> Options:
    unknown = set(given) - (set(Options.__dataclass_fields__) - {"explicit"})
    if unknown:
        raise TypeError(f"unknown option(s): {sorted(unknown)}")
    g = {k: v for k, v in given.items() if v is not None}

    def flag(name: str, p: float) -> bool:
        return bool(g[name]) if name in g else rng.random() < p

    pages = int(g.get("pages", rng.randint(8, 30)))
    if not 5 <= pages <= 80:
        raise ValueError("pages must be between 5 and 80")
    documents = int(g.get("documents", rng.choice([1, 1, 2, 3])))
    if not 1 <= documents <= 3:
        raise ValueError("documents must be between 1 and 3")
    scanned = int(g.get("scanned", rng.choice([0, 0, 1, 1, 2])))
    if scanned < 0:
        raise ValueError("scanned must be >= 0")
    missing = g.get("missing", rng.random() < 0.25)
    if missing is True:
        missing = rng.choice(family.MISSABLE)
    elif missing is False:
        missing = None
    elif missing not in family.MISSABLE:
        raise ValueError(f"missing must be one of {family.MISSABLE} (or a bool)")
    opts = Options(
        pages=pages,
        documents=documents,
        scanned=scanned,
        misfiled=flag("misfiled", 0.5),
        out_of_period=flag("out_of_period", 0.5),
        injection=flag("injection", 0.5),
        split_evidence=flag("split_evidence", 0.35),
        missing=missing,
        two_column=flag("two_column", 0.35),
        tables=flag("tables", 0.75),
        explicit=frozenset(g),
    )
    # New options are never chosen by the seed; asking for a variant of a trap asks for the trap
    for name, trap in (
        ("same_name", "misfiled"),
        ("counter_evidence", None),
        ("standing_before", None),
        ("polite_injection", "injection"),
    ):
        if g.get(name):
            setattr(opts, name, True)
            if trap and trap not in g:
                setattr(opts, trap, True)
                opts.explicit = opts.explicit | {trap}
    return opts


def fit_budget(opts: Options, evidence_min: int) -> None:
    """Drop seed-chosen extras until evidence + traps fit in `pages`; else raise."""

    def need() -> int:
        return evidence_min + opts.n_traps + int(opts.split_evidence)

    for name in ("split_evidence", "injection", "out_of_period", "misfiled"):
        if need() <= opts.pages:
            break
        if name not in opts.explicit:
            setattr(opts, name, False)
    if need() > opts.pages:
        raise ValueError(f"pages={opts.pages} is too small: this case needs at least {need()}")
