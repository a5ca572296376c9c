"""The claim behind a letter: its service lines (denied and paid), dates, remark codes and
the scenario that denies it, drawn from a seed before any wording is chosen.

A scanned letter re-makes only the choices OCR cannot read, so it stays its text twin's claim.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
import re
from dataclasses import dataclass, field
from datetime import date

from .scenarios import COMPANIONS, CPT, NEW_2026, PAYER_CODES, SCENARIOS, Scenario


@dataclass
class Line:
    cpt: str
    dos: date
    billed: float
    units: int = 1
    mods: list[str] = field(default_factory=list)
    allowed: float = 0.0
    deduct: float = 0.0
    coins: float = 0.0
    paid: float = 0.0
    adj: list[tuple[str, str, float]] = field(default_factory=list)
    rarcs: list[str] = field(default_factory=list)
    denied: bool = False

    @property
    def desc(self) -> str:
        return CPT[self.cpt][0]


@dataclass
class Claim:
    scen: Scenario
    code: str  # the gold denial code ("CO-50" or payer code)
    payer_code: bool
    lines: list[Line]
    rarcs: list[str]
    dos: date
    received: date
    letter: date
    extra: dict

    @property
    def denied(self) -> list[Line]:
        return [ln for ln in self.lines if ln.denied]

    @property
    def amount_denied(self) -> float:
        return round(sum(ln.billed for ln in self.denied), 2)

    @property
    def family(self) -> str:
        return CPT[self.denied[0].cpt][1]

    @property
    def first_dos(self) -> date:
        return min(ln.dos for ln in self.lines)


def _dos(rng: random.Random, cpts: tuple) -> date:
    lo = 2026 if set(cpts) & NEW_2026 else 2025
    y = rng.choice([y for y in (2025, 2026) if y >= lo])
    m = rng.randint(1, 12 if y == 2025 else 5)
    last = calendar.monthrange(y, m)[1]
    fam = CPT[cpts[0]][1]
    if fam in ("ccm", "pcm") and rng.random() < 0.5:
        return date(y, m, last)
    return date(y, m, rng.randint(1, last))


def scan_ok(code: str) -> bool:
    """Whether tesseract reads a code off our scans: a 0 touching a letter reads as O
    (MA01 -> MAO1, CCM02 -> CCM0O2); 1 next to a letter (N115, M127) reads fine."""
    return not re.search(r"[A-Za-z]0|0[A-Za-z]|[IlO]\d|\d[IlO]", code)


def _choose(rng: random.Random, options: list, scanned: bool, ok) -> object:
    """A choice that a scanned letter makes again among OCR-friendly options, so a scan and
    its text twin differ only where they must."""
    pick = rng.choice(options)
    if scanned and not ok(pick):
        pick = rng.choice([o for o in options if ok(o)] or options)
    return pick


def _pick_scenario(rng: random.Random, sub: random.Random, layout: str, scanned: bool, payer_share: float) -> tuple:
    """(scenario, payer_code or None)."""
    if layout in ("commercial_eob", "cms_idn") and rng.random() < payer_share:
        return None, _choose(sub, list(PAYER_CODES), scanned, scan_ok)
    pool = [s for s in SCENARIOS if layout in s.layouts]
    return rng.choices(pool, weights=[s.weight for s in pool])[0], None


def _fee(rng: random.Random, cpt: str, factor: float) -> float:
    base = CPT[cpt][2] * factor
    return float(round(base)) if rng.random() < 0.7 else round(base * 2) / 2


def _build_claim(rng: random.Random, layout: str, scanned: bool) -> Claim:
    sub = random.Random(rng.getrandbits(64))  # the choices a scan may have to make again
    scen, pcode = _pick_scenario(rng, sub, layout, scanned, 0.35 if layout == "commercial_eob" else 0.2)
    if pcode:
        denied_cpts = tuple(rng.choice([[c] for c in PAYER_CODES[pcode][1]] + [PAYER_CODES[pcode][1]]))
        group, carc, rarc_opts, needs = "", pcode, ((), (), ("N130",)), ()
        scen = Scenario(pcode.lower(), "", pcode, rarc_opts, (denied_cpts,), (layout,))
    else:
        denied_cpts = rng.choice(scen.cpts)
        group, carc, rarc_opts, needs = scen.group, scen.carc, scen.rarcs, scen.needs
    rarcs = list(_choose(sub, list(rarc_opts), scanned, lambda o: all(scan_ok(x) for x in o)))
    dos = _dos(rng, denied_cpts)
    factor = rng.choice([1.0, 1.15, 1.3, 1.5, 1.8, 2.1]) * (0.75 if layout == "medicaid_notice" else 1)

    lines_ = []
    for cpt in denied_cpts:
        units = rng.choice([1, 1, 2]) if cpt in ("99439", "99458", "99489", "99437") else 1
        billed = round(_fee(rng, cpt, factor) * units, 2)
        g = group
        lines_.append(Line(cpt, dos, billed, units, [], 0.0, 0.0, 0.0, 0.0, [(g, carc, billed)], list(rarcs), True))
    n_paid = 0 if layout == "cms_idn" else rng.choices([0, 1, 2], [35, 45, 20])[0]
    paid_cpts = list(needs)
    visits = {"99213", "99214"}
    pool = [
        c
        for c in COMPANIONS
        if c not in denied_cpts and c not in paid_cpts and not (c in visits and visits & set(denied_cpts))
    ]
    while len(paid_cpts) < max(n_paid, len(needs)):
        paid_cpts.append(pool.pop(rng.randrange(len(pool))))
        if paid_cpts[-1] in visits:
            pool = [c for c in pool if c not in visits]
    if visits & set(paid_cpts) and rng.random() < 0.3:
        paid_cpts.append("G2211")
    visit_day = dos
    if rng.random() < 0.35 and dos.day > 3:  # the office visit came earlier in the month
        visit_day = dos.replace(day=rng.randint(1, dos.day - 1))
    for cpt in paid_cpts:
        d = visit_day if CPT[cpt][1] == "visit" else dos
        billed = _fee(rng, cpt, factor)
        mods = ["25"] if cpt in ("99213", "99214") and rng.random() < 0.3 else []
        lines_.append(_paid_line(rng, layout, cpt, d, billed, mods, dos))
    order = rng.random()
    if order < 0.5:  # printed in date order, denied first or mixed
        lines_.sort(key=lambda ln: ln.dos)
    elif order < 0.75:
        rng.shuffle(lines_)

    lag = (
        rng.randint(370, 420)
        if scen.key == "timely" and layout == "medicare_mac"
        else rng.randint(190, 260)
        if scen.key == "timely"
        else rng.randint(2, 21)
    )
    received = dos + dt.timedelta(days=lag)
    work = rng.randint(55, 95) if scen.key in ("records", "necessity") else rng.randint(8, 40)
    letter = received + dt.timedelta(days=work)
    extra = {}
    if scen.key in ("records", "necessity", "incomplete"):
        extra["adr"] = received + dt.timedelta(days=rng.randint(3, max(4, work - 50)))
    if scen.key == "coverage_ended":
        end = dos.replace(day=1) - dt.timedelta(days=1)
        extra["coverage_end"] = end - dt.timedelta(days=rng.choice([0, 0, 31, 61]))
    code = pcode or scen.code
    return Claim(scen, code, bool(pcode), lines_, rarcs, dos, received, letter, extra)


def _paid_line(rng, layout, cpt, d, billed, mods, dos) -> Line:
    if layout == "medicare_mac":
        allowed = round(billed * rng.uniform(0.42, 0.72), 2)
        deduct = round(min(allowed, rng.uniform(20, 90)), 2) if dos.month == 1 and rng.random() < 0.4 else 0.0
        coins = round((allowed - deduct) * 0.2, 2)
        seq = round((allowed - deduct - coins) * 0.02, 2)
        paid = round(allowed - deduct - coins - seq, 2)
        adj = [("CO", "45", round(billed - allowed, 2))]
        if deduct:
            adj.append(("PR", "1", deduct))
        adj += [("PR", "2", coins), ("CO", "253", seq)]
        return Line(cpt, d, billed, 1, mods, allowed, deduct, coins, paid, adj)
    if layout == "medicaid_notice":
        allowed = round(billed * rng.uniform(0.35, 0.6), 2)
        copay = float(rng.choice([0, 0, 2, 3]))
        paid = round(allowed - copay, 2)
        adj = [("CO", "45", round(billed - allowed, 2))] + ([("PR", "3", copay)] if copay else [])
        return Line(cpt, d, billed, 1, mods, allowed, 0.0, copay, paid, adj)
    allowed = round(billed * rng.uniform(0.55, 0.85), 2)
    kind = rng.choice(["coins", "copay", "deduct"])
    if kind == "copay":
        share = min(allowed, float(rng.choice([20, 25, 30, 40])))
        adj_pr = ("PR", "3", share)
    elif kind == "deduct":
        share = allowed
        adj_pr = ("PR", "1", share)
    else:
        share = round(allowed * rng.choice([0.1, 0.2, 0.3]), 2)
        adj_pr = ("PR", "2", share)
    paid = round(allowed - share, 2)
    ln = Line(
        cpt,
        d,
        billed,
        1,
        mods,
        allowed,
        share if kind == "deduct" else 0.0,
        share if kind != "deduct" else 0.0,
        paid,
        [("CO", "45", round(billed - allowed, 2)), adj_pr],
    )
    return ln
