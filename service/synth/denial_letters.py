"""Synthetic payer denial letters and provider EOBs as PDFs, with the claim fields as gold.

Test data for reading a payer's denial notice into claim fields. The letters are written the
way payers write them, not the way any reader parses them: a Medicare contractor's review
letter, a commercial plan's provider remittance / EOB, the Medicare Advantage Integrated
Denial Notice (CMS-10003-NDMCP) and a Medicaid denial notice. Each seed varies the wording
of labels, date formats, name order, the order of fields, tables, distracting dates and
numbers (received date, ADR date, DOB, account and group numbers), page breaks, fax
headers, RECEIVED stamps and footers.

Every name, number and address is invented. Code descriptions are paraphrased in our own
words (the X12 code lists are copyrighted). `make_letter(layout, seed, scanned)` is
deterministic: the same arguments give the same PDF bytes. A scanned letter has the same
wording and layout as its text twin; only the generated IDs (and a few codes) are drawn so
that OCR is likely to read them (no 0/1 next to a letter, no I/O).
"""
from __future__ import annotations

import calendar
import datetime as dt
import random
import re
from dataclasses import dataclass, field, replace
from datetime import date

from reportlab.pdfbase.pdfmetrics import stringWidth

from .assemble import Slot, make_scanned
from .compose import HELVETICA, MARGIN, PAGE_W, SIZES, Page, Para, Table, compose, page_text
from .layout import render_pdf
from .people import PRACTICE, STAFF_FIRST, STREETS, TOWNS, NamePool, Person
from .scan import SCAN_SCALE, ocr_safe, scan_style
from .voice import MON3, fmt_date

__all__ = ["LAYOUTS", "LetterFields", "make_letter"]

LAYOUTS = ("medicare_mac", "commercial_eob", "cms_idn", "medicaid_notice")
MAX_PAGES = 3


@dataclass
class LetterFields:
    """The gold values, exactly as a reader should return them."""
    claim_number: str
    patient_name: str  # "First Last", no middle initial
    patient_id: str  # as printed (an MBI keeps its dashes when printed with them)
    date_of_service: date  # of the denied service lines
    payer: str  # as printed in the letterhead
    denial_code: str  # "CO-50" style, the payer's own code (e.g. "CCM39"), or "" if none printed
    denial_date: date  # the date of the letter / notice
    billed_cpt: list[str]  # codes of the denied lines only
    amount_denied: float | None  # total billed charge of the denied lines, when printed
    rarcs: list[str] = field(default_factory=list)  # remark codes printed on the letter


# --------------------------------------------------------------------------------------
# Codes, services and scenarios
# --------------------------------------------------------------------------------------

# CPT/HCPCS: (short description in our words, family, typical charge)
CPT = {
    "99490": ("Chronic care mgmt, clinical staff, first 20 min", "ccm", 92.0),
    "99439": ("Chronic care mgmt, clinical staff, each addl 20 min", "ccm", 71.0),
    "99491": ("Chronic care mgmt by physician, first 30 min", "ccm", 128.0),
    "99437": ("Chronic care mgmt by physician, addl 30 min", "ccm", 92.0),
    "99487": ("Complex chronic care mgmt, first 60 min", "ccm", 185.0),
    "99489": ("Complex chronic care mgmt, each addl 30 min", "ccm", 96.0),
    "G0506": ("Care planning add-on at CCM initiating visit", "ccm", 95.0),
    "99424": ("Principal care mgmt by physician, first 30 min", "pcm", 118.0),
    "99426": ("Principal care mgmt, clinical staff, first 30 min", "pcm", 88.0),
    "99453": ("Remote monitoring setup and patient education", "rpm", 32.0),
    "99454": ("Remote monitoring device supply, 16-30 days", "rpm", 68.0),
    "99445": ("Remote monitoring device supply, 2-15 days", "rpm", 60.0),
    "99457": ("Remote monitoring treatment mgmt, first 20 min", "rpm", 75.0),
    "99458": ("Remote monitoring treatment mgmt, addl 20 min", "rpm", 62.0),
    "99470": ("Remote monitoring treatment mgmt, first 10 min", "rpm", 40.0),
    "99091": ("Collection and interpretation of physiologic data", "rpm", 80.0),
    "99495": ("Transitional care mgmt, moderate complexity", "tcm", 285.0),
    "99496": ("Transitional care mgmt, high complexity", "tcm", 380.0),
    "99213": ("Office/outpatient visit, established, low MDM", "visit", 135.0),
    "99214": ("Office/outpatient visit, established, moderate MDM", "visit", 195.0),
    "G2211": ("Visit complexity add-on", "visit", 22.0),
    "36415": ("Routine venipuncture", "visit", 18.0),
    "93000": ("Electrocardiogram with interpretation and report", "visit", 55.0),
}
NEW_2026 = {"99445", "99470"}
SERVICE = {"ccm": "chronic care management", "pcm": "principal care management",
           "rpm": "remote physiologic monitoring", "tcm": "transitional care management",
           "visit": "office visit"}
COMPANIONS = ["99213", "99214", "36415", "93000", "99490", "99454", "99457", "99453"]

GROUP_TEXT = {
    "CO": "Contractual obligation: the provider may not bill the patient for this amount.",
    "PR": "Patient responsibility: this amount may be billed to the patient.",
    "OA": "Other adjustment.",
}
CARC_TEXT = {
    "1": "Amount applied to the patient's deductible.",
    "2": "Coinsurance amount.",
    "3": "Copayment amount.",
    "45": "The charge is more than the fee schedule or contracted amount for this service.",
    "253": "Reduction required by federal sequestration.",
    "50": "We did not find this service medically necessary based on the information we have.",
    "252": "Documentation or an attachment is needed to process this service.",
    "226": "Information we asked for was not sent or was incomplete.",
    "97": "Payment for this service is included in the payment for another service.",
    "151": "The information received does not support this many services or this frequency.",
    "18": "Exact duplicate of a claim or service already processed.",
    "29": "The time limit for filing this claim has passed.",
    "204": "This service is not covered under the patient's current benefit plan.",
    "22": "Another payer may be responsible first (coordination of benefits).",
    "197": "Precertification, authorization or notification was not obtained.",
    "242": "The service was not furnished by a network or primary care provider.",
    "16": "The claim or service is missing information or has a billing error.",
    "11": "The diagnosis does not match the procedure billed.",
    "27": "The service was furnished after the patient's coverage ended.",
}
RARC_TEXT = {
    "N115": "This decision was based on a Local Coverage Determination (LCD).",
    "M127": "The medical record for this service is missing.",
    "M15": "Services billed separately have been bundled and are not paid separately.",
    "M80": "Not covered when furnished in the same period as a service already processed.",
    "N290": "The rendering provider's identifier is missing or invalid.",
    "MA130": "The claim cannot be processed and has no appeal rights; send a new, complete "
             "and correct claim.",
    "MA01": "Alert: if you disagree with the amount approved for these services, you may appeal.",
    "N130": "See the plan's benefit documents or guidelines for coverage information.",
    "M86": "A payment was already made for the same or a similar service within the allowed "
           "time period.",
    "MA04": "Secondary payment cannot be considered without the primary payer's information.",
    "N54": "The claim information does not match the services that were authorized.",
}
# Payer-internal codes (the seed pages), described the way a payer would.
PAYER_CODES = {
    "CCM02": ("The care plan on file is not comprehensive or not individualized to the patient.",
              ["99490", "99487"]),
    "CCM06": ("Care coordination activities billed are not documented in the record.",
              ["99490"]),
    "CCM20": ("Remote monitoring data were not sent automatically by the device or were not "
              "integrated with the patient's record.", ["99454", "99457"]),
    "CCM31": ("The record does not show that care gaps were identified in a systematic way.",
              ["99490"]),
    "CCM39": ("The record does not show that patient engagement was measured.", ["99490"]),
}
PAID_CODES = {"CTR": "Contract rate reduction; not billable to the member.",
              "COI": "Member coinsurance.", "DED": "Applied to the member's deductible.",
              "CPY": "Member copayment."}

DETAILS = {
    "ccm": ["The record does not contain a comprehensive care plan for the service period.",
            "The time log does not account for the clinical staff minutes the code requires.",
            "The record does not show two or more chronic conditions expected to last at least "
            "12 months.",
            "No documentation of the patient's consent to care management services was found."],
    "pcm": ["The record does not show a disease-specific care plan for the high-risk condition.",
            "The time log does not support the 30 minutes the code requires."],
    "rpm": ["The device readings submitted cover fewer than 16 days of the 30-day period.",
            "The record does not show an interactive communication with the patient during the "
            "calendar month.",
            "The records do not show that the monitoring data were used to manage the patient's "
            "treatment.",
            "The records do not show that the readings were transmitted automatically by the "
            "device."],
    "tcm": ["The record does not show an interactive contact within 2 business days of discharge.",
            "The face-to-face visit falls outside the time frame the code requires.",
            "Medication reconciliation was not documented by the date of the face-to-face visit."],
    "visit": ["The note does not support the level of service billed."],
}


@dataclass(frozen=True)
class Scenario:
    key: str
    group: str
    carc: str
    rarcs: tuple  # options, each a tuple of remark codes
    cpts: tuple  # options, each a tuple of denied codes
    layouts: tuple
    weight: int = 1
    needs: tuple = ()  # paid codes that must be on the claim (bundling)

    @property
    def code(self) -> str:
        return f"{self.group}-{self.carc}"


ALL = LAYOUTS
SCENARIOS = [
    Scenario("necessity", "CO", "50", ((), ("N115",), ("N115",), ("MA01",)),
             (("99490",), ("99490", "99439"), ("99491",), ("99487",), ("99487", "99489"),
              ("99457",), ("99457", "99458"), ("99454",), ("99091",), ("99424",), ("99426",),
              ("99495",), ("99496",), ("99445",), ("99470",)), ALL, 5),
    Scenario("records", "CO", "252", (("M127",),),
             (("99490",), ("99457",), ("99454", "99457"), ("99487",), ("99495",)),
             ("medicare_mac", "commercial_eob", "medicaid_notice", "cms_idn"), 3),
    Scenario("incomplete", "CO", "226", (("M127",), ()),
             (("99490",), ("99491",), ("99457",)), ("commercial_eob", "medicaid_notice"), 1),
    Scenario("bundled", "CO", "97", (("M15",), ("M80",)), (("99091",),), ALL[:2] + ALL[3:], 1,
             needs=("99457",)),
    Scenario("bundled_pcm", "CO", "97", (("M80",), ()), (("99426",), ("99424",)),
             ALL[:2] + ALL[3:], 1, needs=("99490",)),
    Scenario("frequency", "CO", "151", ((), ("M86",)),
             (("99454",), ("99453",), ("99490",), ("99457",)), ALL, 2),
    Scenario("duplicate", "OA", "18", ((),), (("99490",), ("99457",), ("99214",), ("99495",)),
             ("medicare_mac", "commercial_eob", "medicaid_notice"), 1),
    Scenario("duplicate_co", "CO", "18", ((),), (("99490",), ("99454",)),
             ("commercial_eob", "medicaid_notice"), 1),
    Scenario("timely", "CO", "29", ((),), (("99490",), ("99457",), ("99495",), ("99214",)),
             ("medicare_mac", "commercial_eob", "medicaid_notice"), 1),
    Scenario("noncovered", "PR", "204", ((), ("N130",)),
             (("99454",), ("99457",), ("99453", "99454"), ("99091",)),
             ("commercial_eob", "medicaid_notice", "cms_idn"), 2),
    Scenario("other_payer", "CO", "22", ((), ("MA04",)), (("99490",), ("99214",), ("99457",)),
             ("medicare_mac", "commercial_eob"), 1),
    Scenario("no_auth", "CO", "197", ((), ("N54",)),
             (("99457",), ("99454", "99457"), ("99487",), ("99496",)),
             ("commercial_eob", "medicaid_notice", "cms_idn"), 2),
    Scenario("out_of_network", "CO", "242", ((),), (("99490",), ("99457",), ("99214",)),
             ("commercial_eob", "cms_idn"), 1),
    Scenario("missing_npi", "CO", "16", (("N290",), ("N290", "MA130")),
             (("99490",), ("99457",), ("99214",)), ("medicare_mac", "medicaid_notice"), 1),
    Scenario("diagnosis", "CO", "11", ((),), (("99490",), ("99487",), ("99454",)),
             ("medicare_mac", "commercial_eob", "medicaid_notice"), 1),
    Scenario("coverage_ended", "CO", "27", ((),), (("99490",), ("99457",), ("99214",)),
             ("commercial_eob", "cms_idn", "medicaid_notice"), 1),
]


# --------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------

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


def H(text: str) -> Para:
    return Para(text, bold=True, size="heading", space_after=3)


def P(text: str, **kw) -> Para:
    return Para(text, **kw)


def lines(texts: list[str], size: str = "body", bold_first: bool = False) -> list[Para]:
    """An address or label block: short lines with no gap between them."""
    out = [Para(t, size=size, space_after=0.5, bold=bold_first and i == 0)
           for i, t in enumerate(texts)]
    if out:
        out[-1] = replace(out[-1], space_after=6)
    return out


# --------------------------------------------------------------------------------------
# The claim behind a letter
# --------------------------------------------------------------------------------------

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


def _pick_scenario(rng: random.Random, sub: random.Random, layout: str, scanned: bool,
                   payer_share: float) -> tuple:
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
    scen, pcode = _pick_scenario(rng, sub, layout, scanned,
                                 0.35 if layout == "commercial_eob" else 0.2)
    if pcode:
        denied_cpts = tuple(rng.choice([[c] for c in PAYER_CODES[pcode][1]] +
                                       [PAYER_CODES[pcode][1]]))
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
        lines_.append(Line(cpt, dos, billed, units, [], 0.0, 0.0, 0.0, 0.0,
                           [(g, carc, billed)], list(rarcs), True))
    n_paid = 0 if layout == "cms_idn" else rng.choices([0, 1, 2], [35, 45, 20])[0]
    paid_cpts = list(needs)
    visits = {"99213", "99214"}
    pool = [c for c in COMPANIONS if c not in denied_cpts and c not in paid_cpts
            and not (c in visits and visits & set(denied_cpts))]
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

    lag = rng.randint(370, 420) if scen.key == "timely" and layout == "medicare_mac" else \
        rng.randint(190, 260) if scen.key == "timely" else rng.randint(2, 21)
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
    ln = Line(cpt, d, billed, 1, mods, allowed, share if kind == "deduct" else 0.0,
              share if kind != "deduct" else 0.0, paid, [("CO", "45", round(billed - allowed, 2)), adj_pr])
    return ln


# --------------------------------------------------------------------------------------
# People, places and the parties to a letter
# --------------------------------------------------------------------------------------

@dataclass
class Party:
    practice: str
    street: str
    town: str
    state: str
    zipc: str
    provider: str
    npi: str
    ptan: str
    tin: str
    phone: str

    @property
    def city_line(self) -> str:
        return f"{self.town}, {self.state} {self.zipc}"


def _party(rng: random.Random, pool: NamePool) -> Party:
    town, state, zipc = rng.choice(TOWNS)
    practice = rng.choice(PRACTICE).format(t=town)
    street = f"{rng.randint(100, 4800)} {rng.choice(STREETS)}"
    if rng.random() < 0.3:
        street += f", Suite {rng.randint(1, 4)}{rng.randint(0, 2)}{rng.randint(1, 9)}"
    doc = f"{rng.choice(STAFF_FIRST)} {pool.last()}, {rng.choice(['MD', 'MD', 'DO', 'NP'])}"
    npi = str(rng.choice([1, 1, 2])) + "".join(rng.choice("0123456789") for _ in range(9))
    ptan = "".join(rng.choice("0123456789") for _ in range(rng.choice([6, 7, 10])))
    tin = f"XX-XXX{rng.randint(1000, 9999)}"
    phone = f"({rng.randint(201, 989)}) 555-01{rng.randint(10, 99)}"
    return Party(practice, street, town, state, zipc, doc, npi, ptan, tin, phone)


def _member_address(rng: random.Random) -> list[str]:
    town, state, zipc = rng.choice(TOWNS)
    return [f"{rng.randint(12, 9800)} {rng.choice(['Willow Lane', 'Birch Court', 'Maple Avenue', 'Ridge Road', 'Lakeview Drive', 'Church Street'])}",
            f"{town}, {state} {zipc}"]


MACS = [("Cascadia Medicare Services", "Jurisdiction F Part B", "PO Box 6702", "Topeka, KS 66601"),
        ("Great Plains Government Health Administrators", "Jurisdiction 5 Part B", "PO Box 3104",
         "Omaha, NE 68103"),
        ("Tri-River Medicare Solutions", "Jurisdiction L Part B", "PO Box 44117",
         "Harrisburg, PA 17105"),
        ("Piedmont Federal Benefit Services", "Jurisdiction M Part B", "PO Box 10066",
         "Greensboro, NC 27404"),
        ("Heartland Claims Administration", "Jurisdiction 15 Part B", "PO Box 20119",
         "Louisville, KY 40250"),
        ("Granite Coast Medicare Contractor Services", "Jurisdiction K Part B", "PO Box 7401",
         "Albany, NY 12212"),
        ("Sunbelt Medicare Claims Administration", "Jurisdiction H Part B", "PO Box 33812",
         "Tulsa, OK 74153")]
COMMERCIALS = [("Bluewater Health Plan", "PO Box 30117", "Salt Lake City, UT 84130"),
               ("Cascade Choice Health", "PO Box 8804", "Spokane, WA 99203"),
               ("Keystone Meridian Health", "PO Box 71540", "Allentown, PA 18105"),
               ("Prairie Shield Insurance Company", "PO Box 2290", "Des Moines, IA 50306"),
               ("Harborline Health Insurance", "PO Box 55019", "Portland, ME 04112"),
               ("Evergreen Mutual Health", "PO Box 14437", "Boise, ID 83707"),
               ("Redstone Benefit Health Plans", "PO Box 9183", "Birmingham, AL 35283")]
MA_PLANS = [("Summit Mutual Medicare Advantage HMO", "Summit Mutual Health"),
            ("Northstar Senior Advantage PPO", "Northstar Health Plans"),
            ("Silver Harbor Medicare Advantage (HMO)", "Silver Harbor Health"),
            ("Lakeshore Senior Care Plan (PPO)", "Lakeshore Health Partners"),
            ("Golden Prairie Medicare Complete (HMO-POS)", "Golden Prairie Health"),
            ("Bluewater Medicare Advantage Plus (PPO)", "Bluewater Health Plan")]
MEDICAIDS = [("Riverbend Community Health Plan", "Medicaid Managed Care", "PO Box 3380",
              "Columbus, OH 43216"),
             ("Prairie Valley Health Connections", "A Medicaid Health Plan", "PO Box 1187",
              "Cedar Rapids, IA 52406"),
             ("Department of Family Health Services", "Medical Assistance Program - Claims Unit",
              "PO Box 9900", "Nashville, TN 37229"),
             ("Bureau of Medical Assistance", "Provider Claims and Payment", "PO Box 4211",
              "Frankfort, KY 40602"),
             ("Mountain State Medicaid Partners", "Medicaid Managed Care Organization",
              "PO Box 17640", "Denver, CO 80217")]


# --------------------------------------------------------------------------------------
# Page assembly
# --------------------------------------------------------------------------------------

BREAK = object()  # a forced page break in a block list


class Keep:
    """A block that must stay on the page of the block after it (a heading)."""

    def __init__(self, block):
        self.block = block


def _fits(page: Page) -> bool:
    return compose(page, HELVETICA)[1] and compose(page, scan_style(1.0))[1]


def _paginate(first: Page, items: list, cont: Page) -> list[Page]:
    """Greedy page filling; headings stay with the next block; BREAK starts a page."""
    pages, cur = [], first
    i = 0
    while i < len(items):
        if items[i] is BREAK:
            if cur.blocks:
                pages.append(cur)
                cur = replace(cont, blocks=[])
            i += 1
            continue
        group = []
        while i < len(items) and isinstance(items[i], Keep):
            group.append(items[i].block)
            i += 1
        if i < len(items) and items[i] is not BREAK:
            group.append(items[i])
            i += 1
        trial = replace(cur, blocks=cur.blocks + group)
        if _fits(trial):
            cur = trial
            continue
        if not cur.blocks and cur is not first:
            raise ValueError("a block does not fit on an empty page")
        pages.append(cur)
        cur = replace(cont, blocks=list(group))
        if not _fits(cur):
            raise ValueError("a block does not fit on an empty page")
    pages.append(cur)
    return pages


def table_widths(columns: list[str], rows: list[list[str]]) -> list[float]:
    """Column fractions from the scan font's metrics at its largest scale (wider than
    Helvetica), so no word spills into the next column in either rendering."""
    style = scan_style(SCAN_SCALE)
    size = SIZES["table"] * style.scale
    pad = 2 * 3.0 * style.scale + 3.0
    body = PAGE_W - 2 * MARGIN
    mins, wants = [], []
    for c, head in enumerate(columns):
        cells = [(head, True)] + [(r[c], False) for r in rows]
        mn = max(stringWidth(w, style.bold if b else style.regular, size)
                 for t, b in cells for w in (t.split() or [""]))
        wt = max(stringWidth(t, style.bold if b else style.regular, size) for t, b in cells
                 if not b)
        wt = max(wt, mn)
        mins.append(mn + pad)
        wants.append(wt + pad)
    if sum(mins) > body:
        raise ValueError("table too wide")
    if sum(wants) <= body:
        slack = (body - sum(wants)) / len(wants)
        ws = [w + slack for w in wants]
    else:
        k = (body - sum(mins)) / (sum(wants) - sum(mins))
        ws = [m + (w - m) * k for m, w in zip(mins, wants)]
    return [w / body for w in ws]


def _table(columns: list[str], rows: list[list[str]]) -> Table:
    return Table(columns, rows, table_widths(columns, rows))


def _fit_table(build, money: str, tdate: str) -> tuple[Table, str, str]:
    """The service-line table in the chosen money and date formats, or narrower ones when
    it would be too wide for the page: (table, money, tdate)."""
    for mk, dk in [(money, tdate), (".", tdate), (".", "mdy_s"), (".", "mmddyy")]:
        cols, rows = build(mk, dk)
        try:
            return _table(cols, rows), mk, dk
        except ValueError:
            continue
    raise ValueError("service table too wide in every format")


@dataclass
class Noise:
    """Per-letter furniture: footers, legend, fax header, RECEIVED stamp."""
    page_kind: int
    legend: str
    footer_id: str
    fax: str | None
    stamp: str | None


LEGENDS = [
    "CONFIDENTIAL: This notice contains protected health information. If you received it in "
    "error, notify the sender and destroy all copies.",
    "This communication may contain protected health information (PHI). Unauthorized use or "
    "disclosure is prohibited.",
    "Confidentiality notice: intended only for the addressee. Do not re-disclose without "
    "authorization.",
]


def _noise(rng: random.Random, claim: Claim, scanned: bool, party: Party, tag: str) -> Noise:
    legend = rng.choice(LEGENDS) if rng.random() < 0.5 else ""
    footer_id = f"{tag}{rng.randint(10000, 99999)}" if rng.random() < 0.6 else ""
    fax = None
    if rng.random() < (0.45 if scanned else 0.12):
        day = claim.letter + dt.timedelta(days=rng.randint(1, 6))
        t = f"{rng.randint(8, 17):02d}:{rng.randint(0, 59):02d}"
        frm = f"{rng.choice(['800', '866', '877'])}555{rng.randint(1000, 9999)}"
        fax = rng.choice([
            f"{fmt_date(day, 'mdy')} {t}  FROM: {frm}  TO: {party.phone}  P. {{i}}/{{n}}",
            f"{MON3[day.month - 1]} {day.day:02d} {day.year} {t}  FAX {frm}  p.{{i}}",
            f"{fmt_date(day, 'mdy_s')} {t} PG {{i}} OF {{n}}  FROM FAX {frm}",
        ])
    stamp = None
    if scanned and rng.random() < 0.5:
        day = claim.letter + dt.timedelta(days=rng.randint(3, 12))
        stamp = f"RECEIVED {MON3[day.month - 1].upper()} {day.day:02d} {day.year}"
    return Noise(rng.randint(0, 3), legend, footer_id, fax, stamp)


def _finish(pages: list[Page], noise: Noise, form: str = "") -> list[Page]:
    n = len(pages)
    out = []
    for i, page in enumerate(pages, 1):
        num = [f"Page {i} of {n}", f"{i} / {n}", f"Page {i}", f"- {i} -"][noise.page_kind]
        first = "    ".join(x for x in (form, noise.footer_id, num) if x)
        foot = first + (f"\n{noise.legend}" if noise.legend else "")
        banner = [noise.fax.format(i=i, n=n)] if noise.fax else []
        stamp = noise.stamp if noise.stamp and i == 1 else ""
        out.append(replace(page, footer=foot, banner=banner, stamp=stamp))
    return out


def _placeholder(page: Page, noise: Noise, form: str = "") -> Page:
    """The page with room held for what `_finish` prints."""
    foot = f"{form} {noise.footer_id} Page 9 of 9" + (f"\n{noise.legend}" if noise.legend else "")
    return replace(page, footer=foot, banner=["-"] if noise.fax else [],
                   stamp="RECEIVED MAY 00 0000" if noise.stamp else "")


# --------------------------------------------------------------------------------------
# Letter context shared by the layouts
# --------------------------------------------------------------------------------------

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


def _explain(c: Ctx, who: str, audience: str = "provider") -> str:
    """The plain-language reason, in the payer's voice."""
    cl, s = c.claim, c.claim.scen
    svc = c.svc()
    dos = c.d(cl.dos)
    fam = cl.family
    detail = c.pick(DETAILS[fam])
    key = s.key
    if cl.payer_code:
        return (f"{PAYER_CODES[cl.code][0]} The {svc} billed for {dos} {c.pick(['is denied', 'was denied', 'cannot be paid'])} "
                f"under payment policy code {cl.code}. " + c.pick([
                    "Submit records that show the requirement was met if you request an appeal.",
                    "See the claim payment policy on the provider portal for the documentation we expect.",
                    ""])).strip()
    if key == "necessity":
        return c.pick([
            f"{who} reviewed the medical records received for this claim. The documentation does "
            f"not support the medical necessity of the {svc} billed for {dos}. {detail}",
            f"Payment for {svc} requires that the medical record show the service was reasonable "
            f"and necessary and met every element of the code billed. {detail} The service is "
            f"therefore denied as not medically necessary.",
            f"After review of the records submitted, the {svc} on {dos} does not meet coverage "
            f"requirements. Finding: {detail}",
        ])
    if key == "records":
        adr = c.d(cl.extra["adr"])
        return c.pick([
            f"We requested medical records for this claim on {adr}. The records were not received "
            f"within the 45-day response period, so the {svc} could not be reviewed and is denied.",
            f"An additional documentation request (ADR) was sent on {adr}. No response was "
            f"received. Without the records we cannot determine that the {svc} billed for {dos} "
            f"was covered.",
        ])
    if key == "incomplete":
        adr = c.d(cl.extra["adr"])
        return (f"The records we asked for on {adr} were received, but they were incomplete: "
                f"{detail[0].lower() + detail[1:]} The {svc} is denied until the missing "
                f"information is provided.")
    if key.startswith("bundled"):
        other = next((ln.cpt for ln in cl.lines if not ln.denied), "another service")
        return c.pick([
            f"Payment for {svc} is included in the payment for {other}, billed for the same "
            f"patient and period. It is not paid separately.",
            f"{SERVICE[fam].capitalize()} billed for {dos} may not be paid in the same period as "
            f"{other} for the same patient; the allowance for {other} already covers this work.",
        ])
    if key == "frequency":
        per = {"99454": "30-day period", "99453": "episode of care", "99490": "calendar month",
               "99457": "calendar month"}.get(cl.denied[0].cpt, "period")
        return (f"{cl.denied[0].cpt} is payable once per {per} for the same patient. Our records "
                f"show this service was already paid for this {per} on an earlier claim, so the "
                f"{svc} billed for {dos} is denied as exceeding the allowed frequency.")
    if key.startswith("duplicate"):
        return (f"The {svc} billed for {dos} was already submitted and processed on another claim "
                f"for the same patient and date. This line is denied as a duplicate.")
    if key == "timely":
        limit = "12 months" if c.layout == "medicare_mac" else c.pick(["180 days", "the filing limit in your agreement"])
        return (f"This claim was received on {c.d(cl.received)}, more than {limit} after the "
                f"date of service ({dos}). Claims filed after the time limit cannot be paid.")
    if key == "noncovered":
        return (f"{SERVICE[fam].capitalize()} is not a covered benefit under the member's "
                f"current plan. The {svc} billed for {dos} is the member's responsibility.")
    if key == "other_payer":
        return (f"Our records show other insurance that pays before us for this patient on "
                f"{dos}. Bill the primary payer first, then send its payment information with a "
                f"new claim.")
    if key == "no_auth":
        return (f"The {svc} requires prior authorization. No authorization was on file for the "
                f"service date {dos}.")
    if key == "out_of_network":
        return (f"The rendering provider is not in the member's network, and the member's plan "
                f"does not cover out-of-network {SERVICE[fam]} without a referral.")
    if key == "missing_npi":
        return (f"The rendering provider's NPI was missing or did not match our enrollment "
                f"records for the {svc} billed for {dos}.")
    if key == "diagnosis":
        return (f"The diagnosis codes reported on the claim do not support the {svc}. "
                + ("Chronic care management requires two or more chronic conditions; the claim "
                   "lists one." if fam == "ccm" else
                   "The diagnosis listed does not support the need for this service."))
    if key == "coverage_ended":
        return (f"The patient's coverage ended on {c.d(cl.extra['coverage_end'])}, before the "
                f"date of service ({dos}).")
    raise KeyError(key)


def _legend_rows(c: Ctx, sep: str) -> list[str]:
    """Descriptions of every code printed on the letter, in the payer's words."""
    out, seen = [], set()
    for ln in c.claim.lines:
        for g, r, _ in ln.adj:
            if (g, r) in seen:
                continue
            seen.add((g, r))
            if c.claim.payer_code:  # the paid lines' own codes are described by the caller
                if ln.denied:
                    out.append(f"{r}: {PAYER_CODES[r][0]}")
            else:
                out.append(f"{_code_str(g, r, sep)}: {CARC_TEXT[r]}")
    for r in dict.fromkeys(x for ln in c.claim.lines for x in ln.rarcs):
        out.append(f"{r}: {RARC_TEXT[r]}")
    return out


# --------------------------------------------------------------------------------------
# Layout 1: Medicare Administrative Contractor letter
# --------------------------------------------------------------------------------------

MAC_CLAIM = ["ICN:", "Claim Number (ICN):", "Internal Control Number (ICN):", "Claim #:", "ICN #:",
             "Claim Control Number:"]
MAC_ID = ["Medicare Number:", "MBI:", "Medicare Beneficiary Identifier (MBI):", "Medicare ID:",
          "Beneficiary ID (MBI):", "Medicare No.:"]
MAC_NAME = ["Beneficiary:", "Beneficiary Name:", "Patient:", "Medicare Beneficiary:"]
MAC_DOS = ["Date(s) of Service:", "Dates of Service:", "DOS:", "Service Date(s):"]
MAC_DATE = ["", "Date: ", "Notice Date: ", "Letter Date: ", "Date of Notice: "]
MAC_SUBJ = ["Notice of Claim Denial", "Medicare Part B Claim Determination",
            "Initial Determination - Services Denied", "Medical Review Results",
            "Results of Additional Documentation Request (ADR) Review",
            "Targeted Probe and Educate (TPE) Review Results"]


def _medicare_mac(c: Ctx) -> tuple[list[Page], list, Page, LetterFields, str]:
    w, cl, p, pa = c.w, c.claim, c.patient, c.party
    name, juris, box, city = c.pick(MACS)
    safe = c.scanned
    ids = _rng(c.layout, c.seed, "ids")
    mbi = _mbi(ids, safe)
    mbi_printed = f"{mbi[:4]}-{mbi[4:7]}-{mbi[7:]}" if w.random() < 0.4 else mbi
    region = w.choice(["02", "10", "11", "12", "13", "14", "20", "21", "22"])
    icn = f"{region}{cl.received:%y}{cl.received.timetuple().tm_yday:03d}{ids.randint(0, 999):03d}" \
          f"{ids.randint(0, 999):03d}"
    phone = _phone(w)
    review = cl.scen.key in ("necessity", "records")
    subject = c.pick(MAC_SUBJ[3:] if review else MAC_SUBJ[:3])
    who = c.pick([name, "Medical Review", "We", "The Medical Review department"])

    header = [c.pick([f"{juris}  |  {box}, {city}", f"Medicare Administrative Contractor - {juris}",
                      f"{juris} - {box} - {city}"])]
    if w.random() < 0.7:
        header.append(c.pick([f"Provider Contact Center: {phone}", f"Provider Services {phone}",
                              f"Questions? Call {phone}"]))
    letterhead = c.pick(["", "A CMS Contracted Medicare Administrative Contractor",
                         "Medicare Part B", "CMS Medicare Administrative Contractor"])
    items: list = []
    date_label = c.pick(MAC_DATE)
    letter_date = c.show(c.d(cl.letter))
    date_para = P(f"{date_label}{letter_date}", space_after=8)
    addr = [pa.practice, c.pick(["Attn: Billing Office", "Attn: Billing Department",
                                 "Attn: Medical Records", pa.provider]), pa.street, pa.city_line]
    idline = c.pick([f"NPI: {pa.npi}    PTAN: {pa.ptan}", f"Provider NPI: {pa.npi}",
                     f"PTAN {pa.ptan} / NPI {pa.npi}"])
    if w.random() < 0.5:
        items += [date_para] + lines(addr) + [P(idline, size="small", space_after=8)]
    else:
        items += lines(addr) + [P(idline, size="small", space_after=6), date_para]

    # The RE block
    nm = c.show(_name(p, c.name_kind))
    dates = sorted({ln.dos for ln in cl.lines})
    dkind = c.date_kind if w.random() < 0.6 else "mdy"
    if len(dates) == 1:
        dos_txt = _date(dates[0], dkind)
        c.show(dos_txt)
    else:
        dos_txt = f"{_date(dates[0], dkind)} - {_date(dates[-1], dkind)}"
    re_fields = [(c.pick(MAC_NAME), nm), (c.pick(MAC_ID), mbi_printed), (c.pick(MAC_CLAIM), icn),
                 (c.pick(MAC_DOS), dos_txt)]
    if w.random() < 0.6:
        re_fields.append((c.pick(["Date Received:", "Claim Received:", "Received Date:"]),
                          c.d(cl.received, dkind)))
    if w.random() < 0.3:
        re_fields.append(("Date of Birth:", c.d(p.dob, "mdy")))
    if len(cl.denied) > 1 or w.random() < 0.4:
        amt = c.show(_money(cl.amount_denied))
        re_fields.append((c.pick(["Amount Denied:", "Total Denied:", "Billed Amount Denied:"]), amt))
        amount = cl.amount_denied
    else:
        amount = cl.amount_denied  # printed as the denied line's billed amount
    if w.random() < 0.5:
        head, rest = re_fields[:1], re_fields[1:]
        w.shuffle(rest)
        re_fields = head + rest
    re_style = w.randint(0, 2)
    if re_style == 0:
        items.append(Keep(P("RE:", bold=True, space_after=1)))
        items += lines([f"{k} {v}" for k, v in re_fields])
    elif re_style == 1:
        items += lines([f"RE: {re_fields[0][0]} {re_fields[0][1]}"] +
                       [f"      {k} {v}" for k, v in re_fields[1:]])
    else:
        cols = [k.rstrip(":") for k, _ in re_fields[:4]]
        items.append(_table(cols, [[v for _, v in re_fields[:4]]]))
        if re_fields[4:]:
            items.append(P("    ".join(f"{k} {v}" for k, v in re_fields[4:]), space_after=6))
    items.append(Keep(P(subject, bold=True, size="heading", space_after=4)))
    doc = pa.provider.split(",")[0]
    doc = f"Dr. {doc.split()[-1]}" if pa.provider.endswith(("MD", "DO")) else doc
    items.append(P(c.pick(["Dear Provider:", "Dear Medicare Provider:", f"Dear {doc}:"]),
                   space_after=4))
    opening = c.pick([
        "This letter is to notify you that Medicare has denied payment for one or more services "
        "on the claim identified above.",
        f"{name} has completed its review of the claim identified above. The service(s) listed "
        f"below have been denied. This letter explains the decision and your right to appeal.",
        "We have made an initial determination on the claim listed above. Medicare will not pay "
        "for the service(s) shown as denied below.",
    ]) if not review else c.pick([
        "We requested medical records to support the claim identified above. This letter gives "
        "the results of that request.",
        f"{name} selected the claim identified above for review and asked for the supporting "
        "medical records. The results are shown below.",
    ]) if cl.scen.key == "records" else c.pick([
        f"{name} performed a {c.pick(['medical review', 'prepayment complex medical review', 'post-payment review', 'Targeted Probe and Educate review'])} "
        f"of the claim identified above. Based on the records received, the service(s) below "
        f"have been denied.",
        "Thank you for responding to our request for medical records. We reviewed the "
        "documentation for the claim identified above; the results are shown below.",
    ])
    items.append(P(opening, space_after=6))

    # Service lines
    sep = c.pick(["-", "-", "-", " ", ""])
    tdate = c.pick(["mdy", "mdy", "mdy_s", "mmddyy", c.date_kind if c.date_kind in ("mdy", "iso") else "mdy"])
    money = c.pick(["$", ",", "."])
    variant = w.randint(0, 2)
    heads = _mac_heads(c, variant)
    total_row = len(cl.lines) > 1 and w.random() < 0.5
    table, money, tdate = _fit_table(
        lambda mk, dk: _mac_table(c, variant, heads, sep, dk, mk, total_row), money, tdate)
    for ln in cl.denied:
        c.show(_money(ln.billed, money))
        c.show(ln.cpt)
    items.append(Keep(H(c.pick(["Claim Detail", "Service Line Detail", "Services Reviewed",
                                "Line Item Detail"]))))
    items.append(table)
    if variant == 2:
        c.shows += [cl.code.split("-")[0]]
    else:
        c.show(_code_str(*cl.code.split("-"), sep))
    if w.random() < 0.4:
        items.append(P(f"Claim remark code(s): {', '.join(cl.rarcs) if cl.rarcs else 'none'}",
                       size="small", space_after=6))

    items.append(Keep(H(c.pick(["Reason for Denial", "Why was the service denied?", "Review Findings",
                                "Explanation of Decision", "Decision Rationale"]))))
    items.append(P(_explain(c, who), space_after=6))
    legend = _legend_rows(c, sep)
    if legend:
        items.append(Keep(H(c.pick(["Reason and Remark Codes", "Code Descriptions",
                                    "Claim Adjustment Reason and Remark Code Descriptions"]))))
        items += [P(x, size="small", space_after=2) for x in legend]
    if w.random() < 0.3:
        items.append(BREAK)
    items.append(Keep(H(c.pick(["Your Right to Appeal", "Appeal Rights",
                                "If You Disagree With This Decision", "Redetermination Rights"]))))
    if "MA130" in cl.rarcs:
        items.append(P("This claim cannot be processed as submitted and does not carry appeal "
                       "rights. Correct the missing or invalid information and send a new claim; "
                       "a redetermination request for this claim will be dismissed."))
    else:
        items.append(P(c.pick([
            f"If you disagree with this decision, you may ask for a redetermination. A "
            f"redetermination is a new review of the claim by {name} staff who were not "
            f"involved in the first decision. Your request must reach us within 120 days from "
            f"the date you receive this notice; we assume you received it 5 days after the date "
            f"of this letter unless you show otherwise.",
            "You have the right to request a redetermination (the first level of the Medicare "
            "appeals process). File your request within 120 days of receiving this notice. "
            "This notice is presumed received 5 calendar days after the date shown above.",
        ])))
        items.append(P(c.pick([
            "Use form CMS-20027, Medicare Redetermination Request Form, or send a signed letter. "
            "Include the beneficiary's name, the Medicare number, the specific services and dates "
            "of service you are appealing, your name and signature, and any records that support "
            "the claim.",
            "You may use form CMS-20027 or a written request that names the beneficiary, gives the "
            "Medicare number, identifies the service(s) and date(s) of service in dispute and "
            "explains why you disagree. Attach supporting medical records.",
        ])))
        items.append(P(f"Mail to: {name}, {juris} Redeterminations, {box}, {city}."
                       + c.pick(["", " You may also submit your request through the provider portal."])))
    items.append(P(c.pick([
        f"If you have questions about this letter, call the Provider Contact Center at {phone}, "
        f"Monday through Friday, 8:00 a.m. to 4:00 p.m. Please have the claim number ready.",
        f"Questions: {phone} (Provider Contact Center).",
    ]), space_after=8))
    items += lines(["Sincerely,", c.pick(["Medical Review Department", "Part B Claims Processing",
                                          "Provider Services", "Part B Medical Review Unit"]), name])
    first = Page(name, header, [], letterhead)
    cont_header = c.pick([[f"{re_fields[0][1]}    {icn}"], [f"Beneficiary: {nm}    ICN: {icn}"],
                          [juris]])
    cont = Page(name, cont_header, [], letterhead)
    fields = LetterFields(icn, f"{p.first} {p.last}", mbi_printed, cl.dos, name, cl.code,
                          cl.letter, [ln.cpt for ln in cl.denied], amount, list(cl.rarcs))
    c.shows += [icn, mbi_printed, name]
    return first, items, cont, fields, "MR-"


def _mac_heads(c: Ctx, variant: int) -> list[str]:
    if variant == 0:
        return [c.pick(["DOS", "Service Date", "From Date"]), c.pick(["CPT", "Proc", "Procedure"]),
                "Mod", "Units", c.pick(["Billed", "Billed Amt", "Charge"]), "Allowed", "Paid",
                c.pick(["Adj Codes", "Group / Reason", "Reason Code"]),
                c.pick(["Remarks", "RARC", "Remark Codes"])]
    if variant == 1:
        return [c.pick(["Serv Date", "DOS"]), c.pick(["Proc", "HCPCS"]), "Mod", c.pick(["Billed", "Charge"]),
                c.pick(["Allowed", "Approved"]), c.pick(["Grp/Rsn", "Adj Reason"]), "Adj Amt", "Paid",
                c.pick(["Remarks", "RARC"])]
    return [c.pick(["DOS", "Svc Date"]), c.pick(["HCPCS", "Proc Code"]), "Billed", "Allowed",
            "Deduct", "Coins", "Paid", "Group", "Reason", c.pick(["RARC", "Remark"])]


def _mac_table(c: Ctx, variant: int, cols: list[str], sep: str, tdate: str, money: str,
               total_row: bool):
    """Service lines as a contractor prints them: codes joined in one cell (0), one row per
    adjustment with its amount (1), or group and reason in separate columns (2)."""
    cl = c.claim
    m = lambda x: _money(x, money)  # noqa: E731
    rows = []
    if variant == 0:
        joiner = ", " if sep == " " else " "
        for ln in cl.lines:
            rows.append([_date(ln.dos, tdate), ln.cpt, " ".join(ln.mods), str(ln.units), m(ln.billed),
                         m(ln.allowed), m(ln.paid),
                         joiner.join(_code_str(g, r, sep) for g, r, _ in ln.adj), " ".join(ln.rarcs)])
    elif variant == 1:
        for ln in cl.lines:
            for k, (g, r, a) in enumerate(ln.adj):
                if k == 0:
                    rows.append([_date(ln.dos, tdate), ln.cpt, " ".join(ln.mods), m(ln.billed),
                                 m(ln.allowed), _code_str(g, r, sep), m(a), m(ln.paid), " ".join(ln.rarcs)])
                else:
                    rows.append(["", "", "", "", "", _code_str(g, r, sep), m(a), "", ""])
    else:
        for ln in cl.lines:
            co = [r for g, r, _ in ln.adj if g != "PR"] or [r for g, r, _ in ln.adj]
            grp = next(g for g, r, _ in ln.adj if r == co[0])
            rows.append([_date(ln.dos, tdate), ln.cpt, m(ln.billed), m(ln.allowed), m(ln.deduct),
                         m(ln.coins), m(ln.paid), grp, ", ".join(co), " ".join(ln.rarcs)])
    if total_row:
        tot = [m(sum(x.billed for x in cl.lines)), m(sum(x.allowed for x in cl.lines))]
        paid = m(sum(x.paid for x in cl.lines))
        if variant == 0:
            rows.append(["Totals", "", "", "", *tot, paid, "", ""])
        elif variant == 1:
            rows.append(["Totals", "", "", *tot, "", "", paid, ""])
        else:
            rows.append(["Totals", "", *tot, m(sum(x.deduct for x in cl.lines)),
                         m(sum(x.coins for x in cl.lines)), paid, "", "", ""])
    return cols, rows


# --------------------------------------------------------------------------------------
# Layout 2: commercial plan provider remittance / EOB
# --------------------------------------------------------------------------------------

EOB_TITLES = ["Provider Remittance / Explanation of Benefits", "Explanation of Benefits - Provider Copy",
              "Provider Claim Summary", "Claim Denial Notification", "Explanation of Payment (EOP)",
              "PROVIDER EXPLANATION OF BENEFITS"]
EOB_CLAIM = ["Claim #", "Claim Number", "Claim ID", "Reference No.", "Payer Claim Control #", "Claim No."]
EOB_ID = ["Member ID", "ID #", "Subscriber ID", "Member No.", "Identification No."]
EOB_NAME = ["Member", "Patient", "Member Name", "Patient Name"]
EOB_GROUP = ["Group No.", "Group #", "Group Number", "Employer Group"]
EOB_ACCT = ["Patient Acct #", "Patient Account No.", "Pt Control No.", "Your Patient #"]
EOB_DATE = ["Notice Date", "Statement Date", "Date", "Date Issued", "Issue Date"]
CLAIM_PATTERNS = ["LLDDDDDDDDDD", "DDDDLLDDDDDD", "LDDDDDDDDD-DD", "DDDD-LL-DDDDDDD", "LLLDDDDDDDDD"]
MEMBER_PATTERNS = ["LLLDDDDDDDDD", "LDDDDDDDD", "LLLDDDDDDDDD-DD", "DDDDDDDDDLL", "LLDDDDDDD"]


def _commercial_eob(c: Ctx):
    w, cl, p, pa = c.w, c.claim, c.patient, c.party
    name, box, city = c.pick(COMMERCIALS)
    ids = _rng(c.layout, c.seed, "ids")
    claim_no = _ident(ids, c.pick(CLAIM_PATTERNS), c.scanned)
    member = _ident(ids, c.pick(MEMBER_PATTERNS), c.scanned)
    group_no = _ident(ids, c.pick(["DDDDDD", "DDDDD-DDD", "LDDDDD", "DDDDDDDD-LL"]), c.scanned)
    acct = _ident(ids, c.pick(["DDDDDDD", "LLDDDDDD", "DDDDDD-D"]), c.scanned)
    phone = _phone(w)
    title = c.pick(EOB_TITLES)
    logo = c.pick([name, name])
    header = [title, c.pick([f"{box}  |  {city}  |  Provider Services {phone}",
                             f"Claims: {box}, {city}", f"Provider Service Center {phone}"])]
    letterhead = c.pick(["", "", "Health insurance plans and services", "Serving members since 1962"])
    items: list = []
    nm = c.show(_name(p, c.pick(["LAST, FIRST", "LAST, FIRST", "LAST, FIRST M", "First Last",
                                   "First M. Last"])))
    letter = c.show(c.d(cl.letter))
    payee = [pa.practice, pa.street, pa.city_line]
    items += [P(c.pick(["Payee:", "Pay To Provider:", "Provider:"]), bold=True, space_after=1)] + \
        lines(payee) + [P(c.pick([f"NPI: {pa.npi}    TIN: {pa.tin}", f"Billing NPI {pa.npi}",
                                  f"TIN {pa.tin}  NPI {pa.npi}"]), size="small", space_after=6)]
    dl = c.pick(EOB_DATE)
    pay = [f"{dl}: {letter}"]
    if w.random() < 0.5:
        pay.append(c.pick([f"EFT Trace #: {ids.randint(10**8, 10**9 - 1)}",
                           f"Check #: {ids.randint(10**6, 10**7 - 1)}", "Payment: none (denied)"]))
    items.append(P("    ".join(pay), space_after=6))

    subscriber = w.random() < 0.25
    fields = [(c.pick(EOB_NAME) if not subscriber else "Patient", nm),
              (c.pick(EOB_ID), member), (c.pick(EOB_CLAIM), claim_no),
              (c.pick(EOB_GROUP), group_no), (c.pick(EOB_ACCT), acct)]
    if subscriber:
        sub = NamePool(w).person()
        fields.insert(1, ("Subscriber", _name(Person(sub.first, sub.middle, p.last, "", sub.dob, sub.sex),
                                              c.pick(["LAST, FIRST", "First Last"]))))
    if w.random() < 0.5:
        fields.append((c.pick(["Received", "Date Received", "Claim Received"]), c.d(cl.received)))
    if w.random() < 0.4:
        fields.append(("Rendering Provider", pa.provider))
    if w.random() < 0.3:
        fields.append(("Patient DOB", c.d(p.dob, "mdy")))
    if w.random() < 0.6:
        w.shuffle(fields)
    style = w.randint(0, 2)
    if style == 0:  # label over value grid, 3 or 4 per row
        per = c.pick([3, 4])
        for k in range(0, len(fields), per):
            chunk = fields[k:k + per]
            items.append(_table([f for f, _ in chunk], [[v for _, v in chunk]]))
    elif style == 1:
        pairs = [f"{k}: {v}" for k, v in fields]
        items += lines(["    ".join(pairs[k:k + 2]) for k in range(0, len(pairs), 2)])
    else:
        items += lines([f"{k}: {v}" for k, v in fields])

    money = c.pick(["$", ",", "."])
    sep = c.pick(["-", "-", "-", " "])
    tdate = c.pick(["mdy", "mdy", "mdy_s", c.date_kind if c.date_kind in ("mdy", "iso") else "mdy"])
    cols = [c.pick(["Line", "Ln", "#"]), c.pick(["Service Date", "Dates of Service", "DOS"]),
            c.pick(["Proc", "Service Code", "Code"]), c.pick(["Billed", "Charges", "Amount Billed"]),
            c.pick(["Allowed", "Allowed Amt"]),
            c.pick(["Member Resp", "Member Cost Share", "Ded, Coins, Copay"]),
            c.pick(["Not Covered", "Denied", "Amount Not Covered"]),
            c.pick(["Plan Paid", "Paid", "Paid Amt"]), c.pick(["Reason", "Remark", "Codes"])]

    def build(mk, dk):
        m = lambda x: _money(x, mk)  # noqa: E731
        rows = []
        for k, ln in enumerate(cl.lines, 1):
            if cl.payer_code:
                codes = [ln.adj[0][1]] if ln.denied else \
                    ["CTR"] + [{"1": "DED", "2": "COI", "3": "CPY"}[r] for g, r, _ in ln.adj if g == "PR"]
            else:
                codes = [_code_str(g, r, sep) for g, r, _ in ln.adj]
            codes += ln.rarcs
            svc = ln.cpt + (f"-{ln.mods[0]}" if ln.mods else "")
            rows.append([str(k), _date(ln.dos, dk), svc, m(ln.billed), m(ln.allowed),
                         m(ln.deduct + ln.coins), m(ln.billed if ln.denied else 0.0), m(ln.paid),
                         ", ".join(codes)])
        tot = lambda f: m(sum(f(x) for x in cl.lines))  # noqa: E731
        rows.append(["", "Totals", "", tot(lambda x: x.billed), tot(lambda x: x.allowed),
                     tot(lambda x: x.deduct + x.coins), m(cl.amount_denied), tot(lambda x: x.paid), ""])
        return cols, rows

    table, money, tdate = _fit_table(build, money, tdate)
    m = lambda x: _money(x, money)  # noqa: E731
    tot = lambda f: m(sum(f(x) for x in cl.lines))  # noqa: E731
    c.show(m(cl.amount_denied))
    rows = table.rows
    items.append(Keep(H(c.pick(["Claim Detail", "Service Detail", "Claim Information"]))))
    items.append(table)
    c.shows += [ln.cpt for ln in cl.denied]
    c.show(cl.code if cl.payer_code else _code_str(*cl.code.split("-"), sep))
    if w.random() < 0.5:
        items.append(P(c.pick([f"Patient responsibility: {m(sum(x.deduct + x.coins for x in cl.lines) + (cl.amount_denied if cl.code.startswith('PR') else 0))}",
                               f"Total paid to provider: {tot(lambda x: x.paid)}"]), space_after=6))
    items.append(Keep(H(c.pick(["Claim Message", "Explanation", "Why this claim was denied",
                                "Notes About This Claim"]))))
    items.append(P(_explain(c, "We"), space_after=6))
    items.append(Keep(H(c.pick(["Reason Code Descriptions", "Explanation of Codes", "Code Legend",
                                "Remark Code Key"]))))
    items += [P(x, size="small", space_after=2) for x in _legend_rows(c, sep)]
    if cl.payer_code:
        for code, txt in PAID_CODES.items():
            if any(code in r[-1] for r in rows):
                items.append(P(f"{code}: {txt}", size="small", space_after=2))
    if w.random() < 0.3:
        items.append(BREAK)
    items.append(Keep(H(c.pick(["Appeal Rights", "How to Appeal", "If You Disagree",
                                "Provider Appeal Instructions"]))))
    items.append(P(c.pick([
        "If you disagree with how this claim was processed, you may file a written appeal within "
        "180 days of the date of this notice. Include a copy of this notice, the claim number "
        "and any medical records or other documents that support your request.",
        "You or the member may ask us to review this decision. Appeals must be received within "
        "180 calendar days from the date on this statement. Send the claim number, the reason "
        "you disagree and supporting records.",
    ])))
    items.append(P(f"Send appeals to: {name} Provider Appeals, {box}, {city}" +
                   c.pick(["", f", or fax to {_phone(w)}", ". Appeals may also be filed on the provider portal."])))
    if w.random() < 0.5:
        items.append(P("If the member's plan is governed by ERISA, the member may also have the "
                       "right to bring a civil action under section 502(a) after the plan's "
                       "appeal process is complete.", size="small"))
    if w.random() < 0.5:
        items.append(P(c.pick(["THIS IS NOT A BILL.", "Keep this statement for your records."]), bold=True))
    first = Page(logo, header, [], letterhead)
    cont = Page(logo, [c.pick([f"{title} (continued)", f"Claim {claim_no} - continued",
                                f"{nm}    Member ID {member}"])], [], letterhead)
    gold = LetterFields(claim_no, f"{p.first} {p.last}", member, cl.dos, name, cl.code, cl.letter,
                        [ln.cpt for ln in cl.denied], cl.amount_denied, list(cl.rarcs))
    c.shows += [claim_no, member, name]
    return first, items, cont, gold, "EOB"


# --------------------------------------------------------------------------------------
# Layout 3: CMS Integrated Denial Notice (Medicare Advantage)
# --------------------------------------------------------------------------------------

IDN_CLAIM = ["Claim number:", "Claim #:", "Reference number:", "Claim/Reference No.:", "Claim ID:"]
IDN_ID = ["Member number:", "Member ID:", "Plan member #:", "Member number"]
IDN_NAME = ["Name:", "Member name:", "Enrollee:", "Name"]
IDN_DATE = ["Date:", "Notice date:", "Date of notice:", "Date"]


def _idn_reason(c: Ctx) -> str:
    cl, fam = c.claim, c.claim.family
    svc = SERVICE[fam]
    detail = c.pick(DETAILS[fam])
    key = cl.scen.key
    plan = c.claim.extra["plan_short"]
    if cl.payer_code:
        return (f"{PAYER_CODES[cl.code][0]} Because of this, the records do not meet our payment "
                f"policy for {svc} in {c.month}.")
    texts = {
        "necessity": lambda: f"We reviewed the records your provider sent us. They do not show that the "
                     f"{svc} you received in {c.month} was medically necessary under Medicare "
                     f"coverage rules. {detail}",
        "records": lambda: f"We asked your provider on {c.d(cl.extra.get('adr', cl.received))} for the "
                   f"medical records we need to decide this claim. We did not receive them.",
        "frequency": lambda: f"{svc.capitalize()} is covered only once per period for each member. "
                     f"{plan} already paid for this service for the same period.",
        "noncovered": lambda: f"{svc.capitalize()} is not a covered benefit under your plan. Please see "
                      f"your Evidence of Coverage.",
        "no_auth": lambda: f"Your plan requires prior authorization for {svc}. Your provider did not get "
                   f"our approval before giving you this service.",
        "out_of_network": lambda: f"Your plan covers {svc} only from providers in our network. The "
                          f"provider who gave you this service is not in our network, and we had "
                          f"no referral or approval on file.",
        "coverage_ended": lambda: f"Your coverage with {plan} ended on "
                          f"{c.d(cl.extra['coverage_end'])}, before the date of this service.",
    }
    return texts[key]()


def _cms_idn(c: Ctx):
    w, cl, p, pa = c.w, c.claim, c.patient, c.party
    plan, company = c.pick(MA_PLANS)
    cl.extra["plan_short"] = c.pick([plan, company])
    ids = _rng(c.layout, c.seed, "ids")
    member = _ident(ids, c.pick(["LDDDDDDDDD", "DDDDDDDDDDD", "LLLDDDDDDDD", "DDDDDDDDD-DD"]),
                    c.scanned)
    claim_no = _ident(ids, c.pick(["DDDDDDDDDDDDDD", "LLDDDDDDDDDD", "DDDDLDDDDDDDD"]), c.scanned)
    phone = _phone(w)
    header = [c.pick([company + " - Medicare Advantage", f"{company}  |  Member Services {phone}",
                      "Medicare Advantage Plan"])]
    title = "Notice of Denial of Medical Coverage (or Payment)"
    nm = c.show(_name(p, c.pick(["First M. Last", "First Last", "First Last", "LAST, FIRST",
                                   "FIRST M LAST"])))
    letter = c.show(c.d(cl.letter))
    items: list = []
    items += lines([nm.upper() if w.random() < 0.5 else nm] + _member_address(w))
    info = [(c.pick(IDN_DATE), letter), (c.pick(IDN_NAME), nm), (c.pick(IDN_ID), member)]
    claim_in_header = w.random() < 0.6
    if claim_in_header:
        info.append((c.pick(IDN_CLAIM), claim_no))
    style = w.randint(0, 1)
    if style == 0:
        items += lines([f"{k.rstrip(':')}: {v}" for k, v in info])
    else:
        items += lines([f"{info[0][0].rstrip(':')}: {info[0][1]}",
                        "    ".join(f"{k.rstrip(':')}: {v}" for k, v in info[1:])])
    items.append(Keep(H(c.pick(["Your request was denied", "Your request was denied."]))))
    amount = None
    show_amt = w.random() < 0.35
    svc_kind = w.randint(0, 1)
    items.append(P(c.pick([
        "We have denied payment for the following services that you received:",
        "We denied payment for the medical services listed below. You received these services "
        f"from {pa.practice}.",
    ])))
    if svc_kind == 0:
        for ln in cl.denied:
            txt = (f"- {ln.desc} ({c.pick(['CPT ', 'code ', ''])}{ln.cpt}), provided on "
                   f"{c.d(ln.dos)} by {pa.provider}")
            if show_amt:
                txt += f"; amount billed {_money(ln.billed)}"
            items.append(P(txt, indent=12, space_after=2))
        c.show(c.d(cl.dos))
    else:
        cols = [c.pick(["Date of service", "Service date"]), "Service", "Code", "Provider"] + \
            (["Amount billed"] if show_amt else [])
        rows = [[_date(ln.dos, "mdy"), ln.desc, ln.cpt, pa.practice] +
                ([_money(ln.billed)] if show_amt else []) for ln in cl.denied]
        items.append(_table(cols, rows))
        c.show(_date(cl.dos, "mdy"))
    if show_amt:
        if len(cl.denied) > 1:
            items.append(P(f"Total amount billed: {c.show(_money(cl.amount_denied))}", space_after=4))
        else:
            c.show(_money(cl.amount_denied))
        amount = cl.amount_denied
    if not claim_in_header:
        items.append(P(f"{c.pick(IDN_CLAIM)} {claim_no}", space_after=6))
    items.append(Keep(H("Why did we deny your request?")))
    reason = _idn_reason(c)
    code_mode = w.random()
    code = ""
    if cl.payer_code:
        if code_mode < 0.7:
            reason += f" (Plan reason code: {cl.code})"
            code = cl.code
    elif code_mode < 0.4:
        g, r = cl.scen.group, cl.scen.carc
        reason += c.pick([f" (Reason code: {g}-{r})", f" Denial code: {g}-{r}.",
                          f" [Claim adjustment reason code {g}-{r}]"])
        code = cl.code
        if cl.rarcs and w.random() < 0.6:
            reason += f" Remark: {', '.join(cl.rarcs)}."
    rarcs = [r for r in cl.rarcs if f"Remark: {', '.join(cl.rarcs)}" in reason]
    items.append(P(f"We denied the services listed above because: {reason}"
                   if w.random() < 0.5 else reason))
    if code:
        c.show(code)
    items.append(P(c.pick([
        "If you already paid for these services, you may be able to get your money back if you "
        "appeal and we decide the services should be covered.",
        "You are not responsible for paying for these services except for your usual cost "
        "sharing, if your provider is in our network.",
    ])))
    if w.random() < 0.4:
        items.append(BREAK)
    items.append(Keep(H("You have the right to appeal our decision")))
    items.append(P(f"You have the right to ask {plan} to review our decision by asking us for an "
                   f"appeal. Ask for an appeal within 65 days from the date of this notice. We can "
                   f"give you more time if you have a good reason for missing the deadline."))
    items.append(P("Because you already received these services, you cannot ask for a fast "
                   "appeal. We will answer a standard payment appeal within 60 calendar days."))
    items.append(P("A provider who does not have a contract with us may appeal this payment "
                   "decision for you if the provider signs a waiver saying you will not be billed "
                   "for the services, whatever the outcome of the appeal."))
    items.append(Keep(H("How to ask for an appeal")))
    items.append(P(c.pick([
        "Step 1: You, your representative, or your doctor must ask us for an appeal. Your "
        "written request must include your name, address, member number, the reasons for "
        "appealing, and any evidence you wish to attach.",
        "Step 1: Send us a written appeal that gives your name, member number and the service you want "
        "us to review, and explains why you think we should pay for it. You may include records "
        "from your doctor.",
    ])))
    items.append(P(f"Step 2: Mail, fax, or deliver your appeal to: {company} Appeals and "
                   f"Grievances, {c.pick(['PO Box 45020', 'PO Box 8812', 'PO Box 61390'])}, "
                   f"{c.pick([t[2] for t in COMMERCIALS])}. Fax: {_phone(w)}. For a fast appeal "
                   f"about care you have not received, call {phone}."))
    items.append(Keep(H("What happens next?")))
    items.append(P("If you ask for an appeal and we continue to deny payment, we will send your "
                   "case to an independent reviewer automatically. If the independent reviewer "
                   "also denies payment, you will be told about further levels of appeal."))
    items.append(Keep(H("Get help & more information")))
    items.append(P(f"{plan}: {phone} (TTY 711), 8 a.m. to 8 p.m., seven days a week. "
                   f"Medicare: 1-800-MEDICARE (1-800-633-4227), 24 hours a day, 7 days a week. "
                   f"TTY users call 1-877-486-2048."))
    if w.random() < 0.5:
        items.append(P(f"Copy sent to: {pa.provider}, {pa.practice}", size="small"))
    first = Page(plan, header, [], "")
    items.insert(0, Para(title, bold=True, size="title", space_after=6))
    cont = Page(plan, [c.pick([title, f"{nm}  -  {member}", f"Member number: {member}"])], [], "")
    gold = LetterFields(claim_no, f"{p.first} {p.last}", member, cl.dos, plan, code, cl.letter,
                        [ln.cpt for ln in cl.denied], amount, rarcs)
    c.shows += [claim_no, member, plan] + [ln.cpt for ln in cl.denied]
    return first, items, cont, gold, "Form CMS-10003-NDMCP"


# --------------------------------------------------------------------------------------
# Layout 4: Medicaid denial notice (state program or Medicaid managed care plan)
# --------------------------------------------------------------------------------------

MCD_CLAIM = ["TCN:", "Transaction Control Number:", "ICN:", "Claim Ref #:", "Claim Number:"]
MCD_ID = ["Recipient ID:", "Medicaid ID:", "Member ID:", "Beneficiary No.:", "Medicaid #:"]
MCD_NAME = ["Recipient:", "Recipient Name:", "Member:", "Patient:"]
MCD_TITLES = ["Provider Claim Denial Notice", "Remittance Advice - Denied Claim",
              "Notice of Adverse Benefit Determination - Provider Copy", "Claim Denial Notification"]


def _medicaid_notice(c: Ctx):
    w, cl, p, pa = c.w, c.claim, c.patient, c.party
    name, sub, box, city = c.pick(MEDICAIDS)
    mco = "Department" not in name and "Bureau" not in name
    ids = _rng(c.layout, c.seed, "ids")
    recip = _ident(ids, c.pick(["DDDDDDDDDDDD", "DDDDDDDDDD", "LLDDDDDL", "DDDDDDDDD"]), c.scanned)
    tcn = f"{cl.received:%y}{cl.received.timetuple().tm_yday:03d}" + \
        "".join(str(ids.randint(0, 9)) for _ in range(12))
    prov_id = "".join(str(ids.randint(0, 9)) for _ in range(c.pick([7, 9, 10])))
    phone = _phone(w)
    title = c.pick(MCD_TITLES if mco else MCD_TITLES[:2] + MCD_TITLES[3:])
    header = [sub, c.pick([f"{box}  |  {city}", f"Provider Services: {phone}", f"{box}, {city}  |  {phone}"])]
    nm = c.show(_name(p, c.pick(["LAST, FIRST M", "LAST, FIRST", "First Last", "Last, First M"])))
    letter = c.show(c.d(cl.letter))
    items: list = [Para(title, bold=True, size="heading", space_after=6)]
    items += [P(f"{c.pick(['Date:', 'Notice Date:', 'Run Date:'])} {letter}", space_after=6)]
    items += lines([pa.practice, pa.street, pa.city_line])
    items.append(P(c.pick([f"Medicaid Provider ID: {prov_id}    NPI: {pa.npi}",
                           f"Provider No. {prov_id}", f"NPI {pa.npi}  |  Provider ID {prov_id}"]),
                   size="small", space_after=6))
    info = [(c.pick(MCD_NAME), nm), (c.pick(MCD_ID), recip), (c.pick(MCD_CLAIM), tcn)]
    if w.random() < 0.5:
        info.append((c.pick(["Date Received:", "Received:"]), c.d(cl.received)))
    if w.random() < 0.3:
        info.append(("DOB:", c.d(p.dob, "mdy")))
    if w.random() < 0.5:
        info.append((c.pick(["Dates of Service:", "DOS:", "Service Date:"]), c.show(c.d(cl.dos))))
    if w.random() < 0.5:
        w.shuffle(info)
    items += lines([f"{k} {v}" for k, v in info])
    items.append(P(c.pick([
        "The claim below has been processed. One or more services were denied for the reasons "
        "shown.",
        f"{name} has denied payment for the service(s) listed below.",
        "This notice tells you about services on your claim that we did not pay.",
    ])))
    money = c.pick(["$", ","])
    sep = c.pick(["-", "-", " "])
    tdate = c.pick(["mdy", "mdy_s", "mmddyy"])
    edit = {ln.cpt: f"{ids.randint(100, 9999):04d}" for ln in cl.lines}
    with_edit = not mco or w.random() < 0.3
    cols = ["Ln", c.pick(["DOS", "From DOS", "Service Date"]), c.pick(["Proc", "Procedure"]), "Units",
            c.pick(["Billed", "Billed Amt"]), "Allowed", "Paid", "Status"] + \
        (["EOB"] if with_edit else []) + [c.pick(["Adj Reason / Remark", "CARC / RARC", "Reason"])]

    def build(mk, dk):
        m = lambda x: _money(x, mk)  # noqa: E731
        rows = []
        for k, ln in enumerate(cl.lines, 1):
            codes = [_code_str(g, r, sep) for g, r, _ in ln.adj] + ln.rarcs
            rows.append([str(k), _date(ln.dos, dk), ln.cpt, str(ln.units), m(ln.billed), m(ln.allowed),
                         m(ln.paid), "DENIED" if ln.denied else "PAID"] +
                        ([edit[ln.cpt]] if with_edit else []) + [", ".join(codes)])
        return cols, rows

    table, money, tdate = _fit_table(build, money, tdate)
    items.append(table)
    items.append(P(f"{c.pick(['Total denied charges:', 'Denied amount:', 'Amount denied:'])} "
                   f"{c.show(_money(cl.amount_denied))}", space_after=6))
    c.shows += [ln.cpt for ln in cl.denied]
    c.show(_code_str(*cl.code.split("-"), sep))
    items.append(Keep(H(c.pick(["Reason for Denial", "Explanation", "Denial Reason"]))))
    items.append(P(_explain(c, "We")))
    if with_edit:
        items.append(P(f"EOB {edit[cl.denied[0].cpt]}: " + c.pick([
            "Service denied; see the adjustment reason code.", "Claim line denied by a program edit.",
            "Refer to the HIPAA reason and remark codes on this line."]), size="small"))
    if w.random() < 0.5:
        items.append(Keep(H(c.pick(["Code Descriptions", "Adjustment Reason and Remark Codes"]))))
    items += [P(x, size="small", space_after=2) for x in _legend_rows(c, sep)]
    if w.random() < 0.3:
        items.append(BREAK)
    items.append(Keep(H(c.pick(["Your Appeal Rights", "Reconsideration and Appeal",
                                "If You Disagree"]))))
    days = c.pick([60, 90]) if not mco else 60
    items.append(P(
        f"You may ask us to reconsider this decision. Your request must be received within "
        f"{days} days of the date of this notice and must include the claim number, a copy of "
        f"this notice and any records that support the service."))
    if mco:
        items.append(P("The member may also appeal to the plan and, after the plan's decision, ask "
                       "for a State fair hearing. The member will receive a separate notice."))
    items.append(P(f"Send requests to: {name}, Provider Appeals, {box}, {city}. Questions: {phone}."))
    first = Page(name, header, [], c.pick(["", "Medicaid"] if mco else ["", "State Medical Assistance"]))
    cont = Page(name, [c.pick([f"{title} (continued)", f"{nm}  {tcn}"])], [], "")
    gold = LetterFields(tcn, f"{p.first} {p.last}", recip, cl.dos, name, cl.code, cl.letter,
                        [ln.cpt for ln in cl.denied], cl.amount_denied, list(cl.rarcs))
    c.shows += [tcn, recip, name]
    return first, items, cont, gold, "RA-"


# --------------------------------------------------------------------------------------
# The entry point
# --------------------------------------------------------------------------------------

BUILDERS = {"medicare_mac": _medicare_mac, "commercial_eob": _commercial_eob, "cms_idn": _cms_idn,
            "medicaid_notice": _medicaid_notice}
DATE_KINDS = ["mdy", "long", "iso", "dmy", "abbr", "mdy", "long"]
NAME_KINDS = ["LAST, FIRST M", "LAST, FIRST", "First M. Last", "First Last", "FIRST M LAST",
              "Last, First M"]


def build_pages(layout: str, seed: int, scanned: bool = False) -> tuple[list[Page], LetterFields]:
    """The letter's pages (before rendering) and its gold fields."""
    if layout not in BUILDERS:
        raise ValueError(f"unknown layout {layout!r}; expected one of {LAYOUTS}")
    claim = _build_claim(_rng(layout, seed, "claim"), layout, scanned)
    pool = NamePool(_rng(layout, seed, "people"))
    patient = pool.person()
    party = _party(_rng(layout, seed, "party"), pool)
    w = _rng(layout, seed, "wording")
    c = Ctx(layout, seed, w, claim, patient, party, scanned, w.choice(DATE_KINDS),
            w.choice(NAME_KINDS))
    first, items, cont, gold, tag = BUILDERS[layout](c)
    noise = _noise(_rng(layout, seed, "noise"), claim, scanned, party, tag)
    form = tag if tag.startswith("Form") else ""
    if form:
        noise.footer_id = noise.footer_id.replace(form, "NDN")
    pages = _paginate(_placeholder(first, noise, form), items, _placeholder(cont, noise, form))
    if len(pages) > MAX_PAGES:
        raise ValueError(f"{layout} seed {seed}: {len(pages)} pages")
    pages = _finish(pages, noise, form)
    _check(pages, gold, c.shows)
    if scanned:
        if not (ocr_safe(gold.claim_number) and ocr_safe(gold.patient_id)):
            raise AssertionError("an ID on a scanned letter is not OCR-safe")
        srng = _rng(layout, seed, "scan")
        slots = [Slot(pg, "letter") for pg in pages]
        for slot in slots:
            make_scanned(slot, srng)
        pages = [s.page for s in slots]
    return pages, gold


def _check(pages: list[Page], gold: LetterFields, shows: list[str]) -> None:
    """The gold must be printed: a template change can never leave it pointing at nothing."""
    text = " ".join(page_text(pg) for pg in pages)
    low = text.lower()
    first, last = gold.patient_name.split(" ", 1)
    must = [gold.claim_number, gold.patient_id, gold.payer, *gold.billed_cpt, *gold.rarcs,
            *[s for s in shows if s]]
    if gold.denial_code and "-" not in gold.denial_code:
        must.append(gold.denial_code)
    missing = [m for m in must if " ".join(m.split()) not in text]
    if first.lower() not in low or last.lower() not in low:
        missing.append(gold.patient_name)
    if missing:
        raise AssertionError(f"gold not printed: {missing}")
    if not gold.date_of_service <= gold.denial_date:
        raise AssertionError("date of service after the letter")


def make_letter(layout: str, seed: int, scanned: bool = False) -> tuple[bytes, LetterFields]:
    """A PDF of the letter (1-3 pages) and its gold fields; the same seed gives the same bytes.
    scanned=True: every page is an image with no text layer (OCR needed)."""
    pages, gold = build_pages(layout, seed, scanned)
    return render_pdf(pages, title=f"Correspondence - {gold.payer}"), gold
