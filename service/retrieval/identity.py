"""Whose page is this? Names, MRNs and dates of birth as charts print them.

A chart's own identity is what the case says (patient name, ID, optional MRN and DOB) plus what
most of its pages say: a page whose MRN or date of birth differs from the chart's is another
patient's even when the name is the same. Names are compared leniently (initials, nicknames,
'LAST, FIRST M', OCR slips) because a misspelled label must not hide our own page, and strictly
on a different first or last name.
"""

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from nameparser import HumanName
from nicknames import NickNamer
from rapidfuzz.distance import Levenshtein
from rapidfuzz.fuzz import ratio

from service.models import CaseFields
from service.retrieval.dates import DATE, parse_date

_NAME = r"[A-Za-z][A-Za-z.,'\- ]{1,60}"
NAME_LABEL = re.compile(
    r"(?:^|\s{2,}|\|\s*|\t)(?P<label>patient(?:'s)?(?:\s+name)?|pt\.?(?:\s+name)?|member(?:\s+name)?|"
    rf"beneficiary(?:\s+name)?|resident|client|name)\s*[:#]\s*(?P<name>{_NAME})",
    re.IGNORECASE | re.MULTILINE,
)
BANNER = re.compile(
    r"^\s*(?P<name>[A-Z][A-Za-z'\-]+(?:\s[A-Z][A-Za-z'\-]+)?,\s*[A-Z][A-Za-z'\-]+(?:\s+[A-Z][A-Za-z'\-]*\.?)?)"
    r"(?=\s{2,}|\s*\|)(?=.*\b(?:MRN|DOB|D\.O\.B|Sex|Age)\b)",
    re.MULTILINE,
)
MRN = re.compile(
    r"\b(?:MRN|Med(?:ical)?\.?\s*Rec(?:ord)?\.?\s*(?:No\.?|Number|#)?|Chart\s*(?:No\.?|Number|#)|"
    r"Patient\s+ID|Pt\.?\s+ID)\s*#?\s*[:#]?\s*(?P<id>[A-Z0-9][A-Z0-9\-]{3,})",
    re.IGNORECASE,
)
MEMBER_ID = re.compile(
    r"\b(?:MBI|Member\s+ID|Medicare\s+(?:ID|No\.?|Number|#)|Subscriber\s+ID|Insurance\s+ID|ID)\s*[:#]\s*"
    r"(?P<id>[A-Z0-9][A-Z0-9\-]{3,})",
    re.IGNORECASE,
)
DOB = re.compile(rf"\b(?:DOB|D\.O\.B\.?|Date\s+of\s+Birth|Birth\s*date|Born)\s*[:#]?\s*(?P<d>{DATE})", re.IGNORECASE)
NAME_STOP = re.compile(
    r"\s{2,}|\t|\||\b(?:MRN|DOB|D\.O\.B|ID|Sex|Age|Date|Member|Phone|Payer|Acct|Account|Encounter|Visit|"
    r"Chart|Med|Gender|Room|Provider|PCP|Ins)\b",
    re.IGNORECASE,
)
CLINICIAN = re.compile(r"^(?:dr|mr|mrs|ms|miss)\.?\s|\b(?:MD|DO|RN|NP|PA-C|LPN|MA|PharmD)\b", re.IGNORECASE)
_NICKNAMES = NickNamer()

OTHER_NAME = "another name"
OTHER_MRN = "another MRN"
OTHER_DOB = "another date of birth"


def norm_id(value: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", value.upper())


@dataclass
class PageIdentity:
    names: list[str] = field(default_factory=list)
    mrns: set[str] = field(default_factory=set)
    member_ids: set[str] = field(default_factory=set)
    dobs: set[date] = field(default_factory=set)


@dataclass
class ChartIdentity:
    name: str
    ids: set[str]
    """Identifiers that prove a page is ours: the case's patient ID and MRN, the chart's MRN."""
    mrn: str | None
    dob: date | None
    conflicts: list[str] = field(default_factory=list)
    """What could not be decided ('two MRNs on equal numbers of pages'): told to staff."""


def page_identity(text: str, order: str = "MDY") -> PageIdentity:
    ident = PageIdentity(names=patient_names(text))
    ident.mrns = {norm_id(m.group("id")) for m in MRN.finditer(text) if re.search(r"\d", m.group("id"))}
    ident.member_ids = {norm_id(m.group("id")) for m in MEMBER_ID.finditer(text) if re.search(r"\d", m.group("id"))}
    ident.dobs = {d for m in DOB.finditer(text) if (d := parse_date(m.group("d"), order))}
    return ident


def patient_names(text: str) -> list[str]:
    """Names printed as the patient's: after a patient label, or leading an EHR banner line."""
    names = []
    for match in NAME_LABEL.finditer(text):
        label = match.group("label").lower()
        line_end = text.find("\n", match.start() + 1)
        line = text[match.start() : line_end if line_end >= 0 else len(text)]
        near_top = text.count("\n", 0, match.start()) < 6
        if label == "name" and not near_top and not re.search(r"\b(?:DOB|MRN|D\.O\.B)\b", line, re.IGNORECASE):
            continue  # a bare "Name:" is the patient only in the page header or beside DOB/MRN
        raw = NAME_STOP.split(match.group("name"))[0].strip(" ,.-")
        if label in ("name", "resident", "client") and CLINICIAN.search(raw):
            continue  # "Name: Dr. Amy Patel" on a referral names a clinician
        if _looks_like_name(raw):
            names.append(raw)
    for match in BANNER.finditer(text):
        names.append(match.group("name").strip())
    return names


def _looks_like_name(raw: str) -> bool:
    words = [w for w in re.split(r"[\s,]+", raw) if w]
    return 1 <= len(words) <= 5 and all(w[:1].isupper() for w in words if w.isalpha() and len(w) > 1)


@lru_cache(maxsize=4096)
def _parts(name: str) -> tuple[str, tuple[str, ...], str]:
    parsed = HumanName(name)
    clean = lambda s: re.sub(r"[^a-z]", "", _plain(s).lower())  # noqa: E731
    first, last = clean(parsed.first), clean(parsed.last)
    middle = tuple(t for t in (clean(p) for p in parsed.middle.split()) if t)
    if not last and first:
        return "", (), first  # a single word: could be either name
    return first, middle, last


def _plain(text: str) -> str:
    """'José Peña' -> 'Jose Pena': printouts often drop accents."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _close(a: str, b: str) -> bool:
    return a == b or (min(len(a), len(b)) >= 4 and ratio(a, b) >= 80)


@lru_cache(maxsize=4096)
def _nickname_of(a: str, b: str) -> bool:
    return b in _NICKNAMES.nicknames_of(a) or b in _NICKNAMES.canonicals_of(a) or a in _NICKNAMES.nicknames_of(b)


def _first_matches(want: str, got: str) -> bool:
    if not want or not got:
        return True
    if len(got) == 1 or len(want) == 1:
        return want[0] == got[0]
    return _close(want, got) or _nickname_of(want, got)


def same_person(case_name: str, page_name: str) -> bool:
    """Lenient to OCR slips, initials, nicknames, 'LAST, FIRST' and double surnames; strict on a
    different first or last name."""
    w_first, w_middle, w_last = _parts(case_name)
    g_first, g_middle, g_last = _parts(page_name)
    want_all = [t for t in (w_first, *w_middle, w_last) if t]
    if not want_all or not (g_first or g_last):
        return True
    if not g_first:  # one word on the page: 'Gonzalez' or 'Maria'
        return any(_close(g_last, t) or _nickname_of(t, g_last) for t in want_all)
    last_ok = any(_close(g_last, t) for t in [w_last, *w_middle] if len(t) > 1) or _close(g_last, w_last)
    first_ok = _first_matches(w_first, g_first) or any(_first_matches(m, g_first) for m in w_middle if len(m) > 1)
    return last_ok and first_ok


def _plurality(counts: Counter) -> tuple[str | None, bool]:
    """The value on most pages, and whether another value ties it."""
    ranked = counts.most_common(2)
    if not ranked:
        return None, False
    if len(ranked) == 2 and ranked[0][1] == ranked[1][1]:
        return None, True
    return ranked[0][0], False


def chart_identity(case: CaseFields, pages: list[PageIdentity]) -> ChartIdentity:
    """The case's identity, completed by the MRN and DOB most of the chart's pages print."""
    ids = {norm_id(case.patient_id)} | ({norm_id(case.mrn)} if case.mrn else set())
    named_ours = [p for p in pages if not p.names or any(same_person(case.patient_name, n) for n in p.names)]
    mrn_counts = Counter(m for p in named_ours for m in p.mrns)
    mrn = norm_id(case.mrn) if case.mrn else next((m for m in mrn_counts if m in ids), None)
    conflicts = []
    if mrn is None:
        mrn, tied = _plurality(mrn_counts)
        if tied:
            conflicts.append("the pages show two MRNs equally often, so none was used to tell patients apart")
    dob = case.patient_dob
    if dob is None:
        dob, tied = _plurality(Counter(d for p in named_ours for d in p.dobs))
        if tied:
            conflicts.append("the pages show two dates of birth equally often, so neither was used to tell patients apart")
    if mrn:
        ids.add(mrn)
    return ChartIdentity(case.patient_name, ids, mrn, dob, conflicts)


def _id_close(a: str, b: str, ocr: bool) -> bool:
    return a == b or (ocr and len(a) >= 6 and Levenshtein.distance(a, b) <= 1)


def _dob_close(a: date, b: date, ocr: bool) -> bool:
    if a == b:
        return True
    if not ocr:
        return False
    da, db = a.strftime("%m%d%Y"), b.strftime("%m%d%Y")
    return sum(x != y for x, y in zip(da, db)) <= 1


def other_patient(page: PageIdentity, chart: ChartIdentity, ocr: bool = False) -> str | None:
    """Why this page is another patient's (`OTHER_MRN`, `OTHER_DOB`, `OTHER_NAME`), or None.

    A matching identifier settles it for us; a different MRN or DOB settles it against us even
    under the same name; a name alone decides only when the page prints no MRN or DOB."""
    if any(_id_close(i, known, ocr) for i in page.mrns | page.member_ids for known in chart.ids):
        return None
    if chart.mrn and page.mrns and not any(_id_close(m, chart.mrn, ocr) for m in page.mrns):
        return OTHER_MRN
    if chart.dob and page.dobs and not any(_dob_close(d, chart.dob, ocr) for d in page.dobs):
        return OTHER_DOB
    if page.names and not any(same_person(chart.name, n) for n in page.names):
        return OTHER_NAME
    return None
