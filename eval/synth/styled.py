"""What a chart style changes in a case: section builders, standing documents, fillers,
scanned pages of a fax packet, and the claim's member ID.
"""

from __future__ import annotations

import math
import random
import string
from dataclasses import replace

from . import assemble as asm
from . import pages
from .compose import Table, compose
from .families import coord, engage, gaps, plan, rpm
from .families.kit import new
from .filler import KINDS, filler_section
from .model import Ctx, Section
from .scan import ocr_safe, scan_style
from .voice import Voice

PROSE = {"CCM02": plan.prose, "CCM06": coord.prose, "CCM20": rpm.prose, "CCM31": gaps.prose, "CCM39": engage.prose}
STYLED = {
    "CCM02": plan.styled,
    "CCM06": coord.styled,
    "CCM20": rpm.styled,
    "CCM31": gaps.styled,
    "CCM39": engage.styled,
}
# Requirements whose evidence belongs to one month (what an out-of-period page may imitate)
TIME_BOUND = {
    "CCM02": ["plan_shared_reviewed"],
    "CCM06": ["time_log", "care_transitions"],
    "CCM20": ["automatic_transmission", "treatment_management"],
    "CCM31": ["gap_registry", "gap_actions"],
    "CCM39": ["interactive_time", "engagement_measures"],
}


def apply_standing(code: str, v: dict, rng: random.Random) -> None:
    """Standing documents dated before the billing month (days < 1 count back)."""
    if code in ("CCM06", "CCM39"):
        v["consent_day"] = -rng.randint(28, 240)
    elif code == "CCM20":
        v["setup_day"] = -rng.randint(10, 42)
        v["order_day"] = v["setup_day"] - rng.randint(3, 12)
    elif code == "CCM02":
        v["initiated"] = -rng.randint(30, 240)


def builder(code: str, vo: Voice):
    """(ctx, values) -> sections in this voice's style."""
    if vo.style != "prose":
        return lambda ctx, v: STYLED[code].sections(ctx, v, vo)

    def prose(ctx: Ctx, v: dict) -> list[Section]:
        out = PROSE[code].sections(ctx, v)
        if "initiated" in v:
            for s in out:
                if s.requirement == "plan_shared_reviewed":
                    d = ctx.d(v["initiated"])
                    s.fact(
                        f"This care plan was initiated on {d}; this review is a scheduled revision.",
                        f"initiated on {d}",
                    )
                    s.blocks.insert(1, s.blocks.pop())
        return out

    return prose


NOTE_FILL = [
    ("Telephone Encounter", ["Pt called re parking garage entrance - directions given", "No clinical concerns voiced"]),
    ("Nurse Note", ["BP check in clinic {bp} seated, P {p}", "No c/o today, pt feels well", "RTC as scheduled"]),
    ("Refill Request", ["Refill req from pharmacy for {med}", "90 day supply sent per protocol"]),
    (
        "Telephone Encounter",
        ["Daughter called to confirm lab appt time - confirmed", "Reminded nothing to eat after midnight"],
    ),
    ("Progress Note", ["S: pt c/o {cc}", "O: BP {bp}, P {p}. {exam}", "A/P: {plan}"]),
]
MEDS = ["lisinopril 20 mg", "atorvastatin 40 mg", "metformin 500 mg", "omeprazole 20 mg"]


def filler(ctx: Ctx, rng: random.Random, vo: Voice, case: dict) -> Section:
    from .filler import COMPLAINTS

    day = ctx.day(rng.randint(2, ctx.last_day.day - 1))
    if vo.style == "notes" and rng.random() < 0.6:
        title, lines = rng.choice(NOTE_FILL)
        cc, exam, plan = rng.choice(COMPLAINTS)
        fill = {
            "bp": f"{rng.randint(118, 156)}/{rng.randint(66, 92)}",
            "p": rng.randint(58, 94),
            "med": rng.choice(MEDS),
            "cc": cc,
            "exam": exam,
            "plan": plan,
        }
        s = new(vo, "filler", title, vo.enc(day, rng.choice(ctx.ident.staff)), date=day)
        for ln in lines:
            s.para(vo.end(ln.format(**fill)))
        return s
    if vo.style == "ehr" and rng.random() < 0.2:
        s = new(vo, "filler", "Registration - Face Sheet", vo.enc(day, kind="Registration"), date=day)
        s.table(
            ["Coverage", "Payer", "Member ID", "Relationship"],
            [
                ["Primary", ctx.ident.payer, case["patient_id"], "Self"],
                ["Secondary", "Supplemental plan on file", "on file", "Self"],
            ],
            [0.15, 0.4, 0.27, 0.18],
        )
        s.para(f"- PCP: {ctx.ident.provider}, {ctx.ident.practice}")
        s.para("- Preferred language: English    Advance directive: on file")
        return s
    kinds = [k for k in KINDS if k.__name__ != "_fax"]  # a styled chart has its own covers
    return rng.choice(kinds)(ctx, rng, rng.randint(2, ctx.last_day.day - 1))


def prose_filler(ctx: Ctx, rng: random.Random) -> Section:
    return filler_section(ctx, rng)


def _scannable(slot: asm.Slot) -> bool:
    return all(ocr_safe(f.phrase) for f in slot.facts) and compose(slot.page, scan_style(0.92))[1]


def fax_scans(units: list[list[asm.Slot]], others: list[asm.Slot], lay: random.Random, at_least: int) -> None:
    """A fax packet: most evidence pages image-only (tables too), some of the rest."""
    pages_ = [s for u in units for s in u]
    ok = [s for s in pages_ if _scannable(s)]
    n = min(len(ok), max(at_least, math.ceil(0.8 * len(pages_))))
    for slot in lay.sample(ok, n):
        asm.make_scanned(slot, lay)
    rest = [s for s in others if not s.page.scanned and lay.random() < 0.3 and _scannable(s)]
    for slot in rest[:3]:
        asm.make_scanned(slot, lay)


_MBI_ALPHA = [c for c in string.ascii_uppercase if c not in "SLOIBZ"]


def member_id(rng: random.Random, medicare: bool) -> str:
    """A Medicare MBI-shaped ID (1EG4-TE5-MK72) or a commercial member ID (XJH402117733)."""
    if not medicare:
        return "".join(rng.choice(string.ascii_uppercase) for _ in range(3)) + "".join(
            rng.choice(string.digits) for _ in range(9)
        )
    an = _MBI_ALPHA + list(string.digits)
    c = [
        rng.choice("123456789"),
        rng.choice(_MBI_ALPHA),
        rng.choice(an),
        rng.choice(string.digits),
        rng.choice(_MBI_ALPHA),
        rng.choice(an),
        rng.choice(string.digits),
        rng.choice(_MBI_ALPHA),
        rng.choice(_MBI_ALPHA),
        rng.choice(string.digits),
        rng.choice(string.digits),
    ]
    return "".join(c[:4]) + "-" + "".join(c[4:7]) + "-" + "".join(c[7:])


def case_ids(case: dict, ctx: Ctx, vo: Voice, rng: random.Random) -> dict:
    """Styled charts: patient_id is the payer's member ID; the chart's MRN and DOB go into
    case.json only sometimes, so an engine must find the chart's identity by itself."""
    case = dict(case)
    case["patient_id"] = member_id(rng, "Medicare" in ctx.ident.payer)
    which = rng.choice(["none", "mrn", "dob", "both", "both"])
    if which in ("mrn", "both"):
        case["mrn"] = vo.mrn(ctx.patient)
    if which in ("dob", "both"):
        case["patient_dob"] = ctx.patient.dob.isoformat()
    return case


def _split_table(s: Section, ctx: Ctx, make, fits) -> list[Section]:
    """Run a section's longest table onto a continuation section, as printouts do."""
    tables = [b for b in s.blocks if isinstance(b, Table) and len(b.rows) > 4]
    if not tables:
        return [s]
    t = max(tables, key=lambda b: len(b.rows))
    at = s.blocks.index(t)
    for k in range(len(t.rows) - 2, 1, -1):
        head = Table(t.columns, t.rows[:k], t.widths, t.req, {i: r for i, r in t.row_also.items() if i < k})
        tail = Table(t.columns, t.rows[k:], t.widths, t.req, {i - k: r for i, r in t.row_also.items() if i >= k})
        s1 = replace(s, blocks=s.blocks[:at] + [head], facts=[])
        if fits(make([s1], ctx)):
            break
    else:
        return [s]
    s2 = replace(s, title=f"{s.title} (continued)", blocks=[tail] + s.blocks[at + 1 :], facts=[])
    after = {id(b) for b in s.blocks[at + 1 :]}
    for f in s.facts:
        if f.para is t:
            in_head = any(f.phrase in c for r in head.rows for c in r)
            (s1 if in_head else s2).facts.append(replace(f, para=head if in_head else tail))
        else:
            (s2 if id(f.para) in after else s1).facts.append(f)
    return [s1, *fit_sections([s2], ctx, make, fits)]


def fit_sections(sections: list[Section], ctx: Ctx, make, fits=asm.fits) -> list[Section]:
    """Sections too long for one page are continued on the next (never for prose defaults,
    whose sections always fit)."""
    out = []
    for s in sections:
        out += [s] if fits(make([s], ctx)) else _split_table(s, ctx, make, fits)
    return out


STALE = {
    "CCM02": "Hx (copied from {d} note): chronic conditions stable, last A1c {a1c}%, continue plan",
    "CCM06": "Copied from {d} note: pt enrolled in CCM, chronic conditions stable, cont monthly calls",
    "CCM20": "Copied fwd from {d}: pt on RPM, readings reviewed weekly, no med changes",
    "CCM31": "Copied fwd from {d}: HM reviewed, f/u on open gaps next month",
    "CCM39": "Copied fwd from {d} note: PAM {pam}, pt engaged, cont monthly calls",
}


def copy_forward(code: str, sections: list[Section], ctx: Ctx, v: dict, vo: Voice, rng: random.Random) -> None:
    """Notes style: a paragraph copied forward from last month's note (stale, never evidence)."""
    if vo.style != "notes" or rng.random() < 0.35:
        return
    notes = [s for s in sections if "Summary" not in s.title]
    prior = ctx.shifted(-1)
    for s in rng.sample(notes, min(len(notes), rng.choice([1, 2]))):
        d = vo.d(prior.day(rng.randint(3, 27)))
        text = STALE[code].format(d=d, a1c=v.get("fill", {}).get("last", "8.1"), pam=v.get("pam_prev", 50))
        s.para(text, relevant=False)
        if not vo.fits(pages.page_for(vo, [s], ctx)):
            s.blocks.pop()
