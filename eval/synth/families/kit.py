"""Small helpers shared by the styled chart builders (each family's `styled` module)."""

from __future__ import annotations

import datetime as dt

from ..compose import Para, Table
from ..model import Section
from ..voice import Voice

# Terse versions of the prose time-log activities
TERSE = {
    "Monthly medication review by phone with the patient": "Med review by phone w/ pt",
    "Care plan update after chart review": "Care plan updated after chart review",
    "Symptom check-in call with the patient": "Symptom check-in call w/ pt",
    "Reviewed clinic vitals and recent labs with the provider": "Reviewed vitals + recent labs w/ provider",
    "Prepared visit summary and updated problem notes": "Visit summary prepared, problem notes updated",
    "Called patient about upcoming labs": "Called pt re upcoming labs",
}


def new(vo: Voice, req: str, title: str, header: str, who: str | None = None, date: dt.date | None = None) -> Section:
    """A styled section: `header` is printed as-is (lines split on newlines)."""
    meta = {"styled": True}
    if who is not None:
        meta["sign"] = (who, date)
    elif date is not None:
        meta["date"] = date
    return Section(req, title, header, meta=meta)


def bullet(vo: Voice, text: str, mark: bool = True) -> str:
    text = vo.end(text)
    return f"- {text}" if mark and vo.style in ("ehr", "fax") else text


def say(vo: Voice, s: Section, text: str, *phrases: str, mark: bool = True, **kw) -> Para:
    """A terse line (bullet in EHR and fax pages); phrases become gold facts."""
    text = bullet(vo, text, mark)
    if phrases:
        return s.fact(text, *phrases, **kw)
    return s.para(text, **kw)


def grid(
    vo: Voice,
    s: Section,
    cols: list[str],
    rows: list[list[str]],
    widths=None,
    row_also: dict | None = None,
    tables: bool = True,
) -> Table | None:
    """A table, or (tables off) one line per row as a text-mode EHR prints it."""
    if tables:
        return s.table(cols, rows, widths, row_also)
    for i, r in enumerate(rows):
        s.para("   ".join(c for c in r if c), size="small", space_after=1, also=(row_also or {}).get(i, ()))
    return None


def fact_cells(s: Section, t: Table | None, *phrases: str, req: str | None = None) -> None:
    """Gold facts in table cells; in text mode the phrase sits in the row's line."""
    for ph in phrases:
        if t is not None:
            s.cell_fact(t, ph, req)
        else:
            para = next(b for b in s.blocks if isinstance(b, Para) and ph in b.text)
            from ..model import Fact

            s.facts.append(Fact(req or s.requirement, ph, para))


def note(vo: Voice, s: Section, text: str) -> Para:
    """Background or copied-forward text: printed, never a relevant quote."""
    return s.para(vo.end(text) if vo.style != "prose" else text, relevant=False)


def mins(vo: Voice, n: int) -> str:
    return vo.pick([f"{n} min", f"{n} min", f"{n} minutes"])


def late(vo: Voice, day: dt.date, title: str, p: float = 0.4) -> tuple[str, dt.date, str | None]:
    """Notes style: sometimes the entry is an Addendum or Late entry written 1-4 days after
    the service it documents; returns (title, entry date, lead line or None)."""
    if vo.style != "notes" or vo.rng.random() >= p:
        return title, day, None
    kind = vo.pick(["Addendum", "Late Entry"])
    entry = day + dt.timedelta(days=vo.rng.randint(1, 4))
    lead = f"Addendum to note of {vo.d(day)}" if kind == "Addendum" else f"Late entry for {vo.d(day)}"
    return f"{title} - {kind}", entry, lead
