"""How one chart style writes: dates, names, patient labels, legends, signatures.

A Voice is made once per case from its own seeded RNG, so every choice (date format,
printing user, fax numbers, nickname) is deterministic per (code, seed, style).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from .model import Ctx
from .people import Person, Staff

STYLES = ("prose", "ehr", "fax", "notes")

NICKNAMES = {
    "Walter": "Walt",
    "Harold": "Hal",
    "Eugene": "Gene",
    "Raymond": "Ray",
    "Leonard": "Len",
    "Dennis": "Denny",
    "Gilbert": "Gil",
    "Howard": "Howie",
    "Vernon": "Vern",
    "Clarence": "Clare",
    "Curtis": "Curt",
    "Alvin": "Al",
    "Frank": "Frankie",
    "Dorothy": "Dot",
    "Evelyn": "Evie",
    "Janet": "Jan",
    "Beatrice": "Bea",
    "Lorraine": "Lori",
    "Mildred": "Millie",
    "Joyce": "Joy",
    "Gloria": "Glo",
    "Carmen": "Carm",
    "Irene": "Reenie",
    "Ruth": "Ruthie",
}

LEGENDS = [
    "Confidential patient information - do not release without written authorization",
    "This record is protected by federal confidentiality rules (42 CFR Part 2); further disclosure is prohibited",
    "If you received this in error, notify the sender and destroy all copies",
    "CONFIDENTIAL: contains protected health information (HIPAA). Do not re-disclose",
    "This information has been disclosed to you from records protected by federal law; "
    "redisclosure without consent is prohibited",
]
ATTESTS = [
    "I attest that I personally performed the services documented above.",
    "Electronically signed and attested by {who} {when}",
    "Attestation: I have reviewed the documentation above and agree with its content. {who}",
    "{who} - I attest this note is accurate and complete.",
]
DEPTS = [
    "CCM Nursing",
    "Care Management",
    "Primary Care",
    "Population Health",
    "Chronic Care Program",
    "Internal Medicine",
]
MON3 = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def _th(n: int) -> str:
    return "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def fmt_date(d: dt.date, kind: str) -> str:
    """US-style date formats seen in real charts."""
    return {
        "mdy": f"{d:%m/%d/%Y}",
        "mdy_s": f"{d.month}/{d.day}/{d:%y}",
        "mdy_l": f"{d.month}/{d.day}/{d.year}",
        "iso": d.isoformat(),
        "long": f"{d:%B} {d.day}, {d.year}",
        "abbr": f"{MON3[d.month - 1]} {d.day}, {d.year}",
        "nth": f"{d:%B} {d.day}{_th(d.day)}, {d.year}",
        "dmy": f"{d.day}-{MON3[d.month - 1]}-{d.year}",
        "md": f"{d.month}/{d.day}",
    }[kind]


NOTE_FORMATS = ["mdy_s", "mdy_s", "mdy", "mdy", "iso", "long", "abbr", "nth", "dmy", "mdy_l"]


@dataclass
class Voice:
    style: str
    ctx: Ctx
    rng: random.Random
    legends: bool
    extra: dict = field(default_factory=dict)

    def __post_init__(self):
        r, ident = self.rng, self.ctx.ident
        self.print_date = self.ctx.last_day + dt.timedelta(days=r.randint(4, 24))
        self.print_time = f"{r.randint(8, 16):02d}:{r.randint(0, 59):02d}"
        self.printer = r.choice(ident.staff)
        self.legend = r.choice(LEGENDS)
        self.attest = r.choice(ATTESTS)
        self.dept = r.choice(DEPTS)
        digits = "".join(c for c in ident.phone if c.isdigit())
        self.fax_from = digits[:6] + f"{r.randint(0, 9999):04d}"
        self.fax_to = f"1800555{r.randint(0, 9999):04d}"
        self.fax_kind = r.randint(0, 2)
        self.ehr_short = r.random() < 0.5  # bullets cite dates as 5/2/26
        self.label_kinds = r.sample(range(4), 2)
        self.foot_kind = r.randint(0, 1)

    # --- choices and dates ---------------------------------------------------------
    def pick(self, items):
        return self.rng.choice(items)

    def day(self, n) -> dt.date:
        return n if isinstance(n, dt.date) else self.ctx.day(n)

    def d(self, n) -> str:
        """A date as this style prints it (notes mix formats within one chart)."""
        d = self.day(n)
        if self.style == "notes":
            return fmt_date(d, self.rng.choice(NOTE_FORMATS))
        if self.style == "fax" and self.rng.random() < 0.3:
            return fmt_date(d, "mdy_s")
        return fmt_date(d, "mdy")

    def ds(self, n) -> str:
        """A date in a terse bullet line."""
        d = self.day(n)
        if self.style == "ehr":
            return fmt_date(d, "mdy_s" if self.ehr_short else "mdy")
        return self.d(d)

    def span(self, a: dt.date, b: dt.date) -> str:
        """A date range written one way throughout (5/2/26 thru 5/31/26, 05/02/2026 - 05/31/2026)."""
        if self.style != "notes":
            kind = "mdy_s" if self.style == "ehr" and self.ehr_short else "mdy"
            return f"{fmt_date(a, kind)} - {fmt_date(b, kind)}"
        kind, sep = self.rng.choice(
            [("mdy_s", " thru "), ("mdy_s", "-"), ("mdy", " - "), ("abbr", " to "), ("mdy_l", " thru ")]
        )
        return f"{fmt_date(a, kind)}{sep}{fmt_date(b, kind)}"

    def time(self) -> str:
        return f"{self.rng.randint(7, 17):02d}:{self.rng.randint(0, 59):02d}"

    def month(self, ctx: Ctx | None = None) -> str:
        return f"{(ctx or self.ctx).month:%B %Y}"

    def period(self, ctx: Ctx | None = None) -> str:
        c = ctx or self.ctx
        a, b = c.month, c.last_day
        if self.style == "notes":
            k = self.rng.randint(0, 3)
            return [
                f"Service period {fmt_date(a, 'mdy_s')} thru {fmt_date(b, 'mdy_s')}",
                f"window {fmt_date(a, 'mdy')}-{fmt_date(b, 'mdy')}",
                f"Period: {fmt_date(a, 'abbr')} - {fmt_date(b, 'abbr')}",
                f"Monthly Summary - {a:%B %Y}",
            ][k]
        return f"{fmt_date(a, 'mdy')} - {fmt_date(b, 'mdy')}"

    # --- people ------------------------------------------------------------------
    @staticmethod
    def uid(s: Staff) -> str:
        first, last = s.name.split()[0], s.name.split()[-1]
        return (first[0] + last).upper()[:8]

    def who(self, s: Staff | str) -> str:
        if isinstance(s, str):
            return s
        first, last = s.name.split()[0], s.name.split()[-1]
        if self.style == "notes":
            return f"{first[0]}. {last} {s.cred}"
        if self.style == "ehr" and self.rng.random() < 0.5:
            return f"{first[0]}. {last}, {s.cred}"
        return s.signed

    @property
    def staff(self):
        return self.ctx.ident.staff

    @property
    def doc(self) -> str:
        return self.ctx.ident.provider

    def mrn(self, p: Person) -> str:
        return p.mrn.zfill(8) if self.style == "ehr" else p.mrn

    def age(self, p: Person, on: dt.date) -> int:
        return on.year - p.dob.year - ((on.month, on.day) < (p.dob.month, p.dob.day))

    def banner(self, p: Person) -> str:
        """The EHR patient banner: LAST, FIRST M  MRN  DOB  Sex  Age."""
        age = self.age(p, self.ctx.last_day)
        return (
            f"{p.last.upper()}, {p.first.upper()} {p.middle}    MRN: {self.mrn(p)}    "
            f"DOB: {p.dob:%m/%d/%Y}    Sex: {p.sex}    Age: {age}"
        )

    def label(self, p: Person) -> str:
        """A note's patient label: full name, nickname or initial, always with DOB or MRN."""
        kind = self.rng.choice(self.label_kinds + [0])
        nick = NICKNAMES.get(p.first)
        if kind == 1 and nick:
            return f"Pt: {nick} {p.last}    DOB: {fmt_date(p.dob, 'mdy_l')}    MRN {p.mrn}"
        if kind == 2:
            return f"Patient: {p.first[0]}. {p.last}    MRN: {p.mrn}    DOB {p.dob:%m/%d/%Y}"
        if kind == 3:
            return f"{p.last.upper()}, {p.first.upper()}    DOB {p.dob:%m/%d/%Y}    #{p.mrn}"
        return f"Patient: {p.first} {p.last}    DOB: {p.dob:%m/%d/%Y}    MRN: {p.mrn}"

    def fax_label(self, p: Person) -> str:
        if self.rng.random() < 0.5:
            return self.banner(p)
        return f"Patient Name: {p.first} {p.middle}. {p.last}    DOB: {p.dob:%m/%d/%Y}    MRN: {p.mrn}"

    # --- section headers and signatures -------------------------------------------
    def enc(self, n, by: Staff | str | None = None, kind: str | None = None, **fields) -> str:
        """Encounter header: label: value fields (ehr, fax) or a terse note line."""
        d = self.day(n)
        who = self.who(by) if by else None
        if self.style == "notes":
            parts = [f"Date: {self.d(d)}"] + ([f"{kind}"] if kind else [])
            if who:
                parts.append(f"Author: {who}")
            return "    ".join(parts)
        parts = [f"Encounter Date: {fmt_date(d, 'mdy')}", f"Department: {fields.pop('dept', self.dept)}"]
        line2 = [f"Provider: {self.doc}"]
        role = fields.pop("role", "Staff")
        if isinstance(by, Staff) and by.cred == "MA":
            role = "Assistant"
        if who and who != self.doc:
            line2.append(f"{role}: {who}")
        line2 += [f"{k.replace('_', ' ').title()}: {v}" for k, v in fields.items()]
        if kind:
            parts.insert(1, f"Type: {kind}")
        return "    ".join(parts) + "\n" + "    ".join(line2)

    def period_header(self, ctx: Ctx | None = None, by: Staff | str | None = None) -> str:
        c = ctx or self.ctx
        if self.style == "notes":
            return self.period(c) + (f"    Author: {self.who(by)}" if by else "")
        line = f"Reporting Period: {self.period(c)}    Department: {self.dept}"
        return line + (f"\nProvider: {self.doc}" + (f"    Staff: {self.who(by)}" if by else ""))

    def signature(self, who: str, d: dt.date | None, at: str | None = None) -> str:
        at = at or self.time()
        if d is None:  # undated (a summary whose month is named only in its title)
            return {"ehr": f"Electronically signed by: {who}", "notes": f"-- {who}"}.get(
                self.style, f"Signature: {who}"
            )
        if self.style == "ehr":
            return f"Electronically signed by: {who} {fmt_date(d, 'mdy')} {at}"
        if self.style == "notes":
            return self.pick([f"-- {who} {self.d(d)} {at}", f"Signed: {who} {self.d(d)}", f"{who} / {self.d(d)}"])
        return f"Signature: {who}    Date: {fmt_date(d, 'mdy_s')}"

    def attestation(self, who: str, d: dt.date | None, at: str | None = None) -> str:
        when = f"{fmt_date(d, 'mdy')} {at or self.time()}" if d else (at or self.time())
        return self.attest.format(who=who, when=when)

    def summary_header(self, ctx: Ctx, who: str) -> tuple[str, dt.date | None]:
        """Header and signing date of a monthly summary: half the time the month is named
        only in the title (no dates anywhere on the note)."""
        if self.rng.random() < 0.5:
            return f"Author: {who}", None
        return self.period(ctx), ctx.last_day

    def fits(self, page) -> bool:
        """Whether a page fits. A fax page may be scanned or stay a text page, so it must fit
        both in the scan font and in Helvetica: neither contains the other (the scan font is
        wider, so prose wraps sooner, but smaller, so a long table of one-line rows is shorter)."""
        from .compose import HELVETICA, compose
        from .scan import scan_style

        if not compose(page, HELVETICA)[1]:
            return False
        return self.style != "fax" or compose(page, scan_style(0.92))[1]

    def end(self, text: str) -> str:
        """Terse styles drop the final period."""
        return text[:-1] if self.style != "prose" and text.endswith(".") else text
