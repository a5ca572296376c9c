"""Whose page is this? Names, MRNs and dates of birth as charts print them.

A page is the patient's only when the identifiers it carries agree with the chart (the case's
name, MRN and DOB, completed by what most of its pages print); any identifier that disagrees
(another DOB, another MRN of the same numbering, another first name or generational suffix)
makes it someone else's, whatever else matches. A member ID proves nothing: a family plan
prints one ID on the pages of a spouse and children. A different last name is forgiven only
beside the same DOB or MRN (a married, maiden or hyphenated surname). Names are lenient to
initials, nicknames and OCR slips, strict on a name that is another name ('Roberta' for 'Robert').
"""

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from nameparser import HumanName
from nicknames import NickNamer
from rapidfuzz.distance import Hamming, Levenshtein
from rapidfuzz.fuzz import ratio

from service.models import CaseFields
from service.screening.dates import DATE, parse_date

_NAME = r"[A-Za-z][A-Za-z.,'\- ]{1,60}"
_LABEL = (
    r"patient(?:'s)?(?:\s+name)?|pt\.?(?:\s+name)?|member(?:\s+name)?|beneficiary(?:\s+name)?|resident|client|name|re"
)
NAME_LABEL = re.compile(
    rf"(?:^|\s{{2,}}|\|\s*|\t)(?P<label>{_LABEL})\s*[:#]\s*(?P<name>{_NAME})", re.IGNORECASE | re.MULTILINE
)
_BANNER_NAME = r"[A-Z][A-Za-z'\-]+(?: [A-Z][A-Za-z'\-]+){0,2}, *[A-Z][A-Za-z'\-]+(?: [A-Z][A-Za-z'\-]*\.?){0,2}"
BANNER = re.compile(
    rf"(?:^|(?<=\s\s))(?P<name>{_BANNER_NAME})(?P<gap>\s{{2,}}|\s*\||\s+(?=\((?:[MF]|male|female)\)))"
    r"(?P<rest>[^\n]*)",
    re.MULTILINE,
)
BANNER_MARK = re.compile(
    r"^\s*(?:\((?:[MF]|male|female)\)|(?:MRN|DOB|D\.O\.B|Sex|Age)\b|(?:(?:[MF]|male|female)[\s,/]+)?\d{1,3}\s*"
    r"(?:y\.?\s?o\.?|yrs?|years?|y)\b|\d{1,3}\s?[MF]\b)",
    re.IGNORECASE,
)
MRN = re.compile(
    r"(?P<q>\b(?:hosp(?:ital)?|outside|external|facility|referring)\.?\s+)?"
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
_FIELD = {
    "name": r"(?:patient|pt\.?)(?:\s+name)?|name",
    "dob": r"DOB|D\.O\.B\.?|date\s+of\s+birth|birth\s*date",
    "mrn": r"MRN|chart\s*(?:no\.?|#)",
}
_ANY_FIELD = "|".join(_FIELD.values())
COMBINED = re.compile(
    rf"(?P<labels>\b(?:{_ANY_FIELD})(?:\s*/\s*(?:{_ANY_FIELD}))+)\s*[:#]\s*(?P<values>[^\n]+)", re.IGNORECASE
)
"""'Name/DOB: GARCIA, ELENA / 09/30/1951': several fields under one label, in the label's order."""
_VALUE = {"name": r"[A-Za-z][A-Za-z.,'\- ]*[A-Za-z.]", "dob": DATE, "mrn": r"[A-Z0-9][A-Z0-9\-]{3,}"}
FIELD_SLASH = re.compile(r"\s+/\s+|(?<=[A-Za-z.])\s*/\s*|\s*/\s*(?=[A-Za-z])")
"""A slash between fields, not inside a date: spaced, or beside a letter."""
LABEL_ALONE = re.compile(rf"(?im)^(?P<line>.*\b(?:{_LABEL}|{_ANY_FIELD})\s*[:#])[ \t]*\n\s*(?=\S)")
"""A label ending its line, its value on the next (text extraction often splits them)."""
RELATION = re.compile(r"\b(?:relation(?:ship)?|rel\.?|contact|caregiver|guarantor|subscriber|insured)\b", re.IGNORECASE)
CELL = re.compile(r"\s{2,}|\s*\|\s*|\t")
NAME_STOP = re.compile(
    r"\s{2,}|\t|\||/|\(|\b(?:MRN|DOB|D\.O\.B|ID|Sex|Age|Date|Member|Phone|Payer|Acct|Account|Encounter|Visit|"
    r"Chart|Med|Gender|Room|Provider|PCP|Ins)\b",
    re.IGNORECASE,
)
CLINICIAN = re.compile(r"^(?:dr|mr|mrs|ms|miss)\.?\s|\b(?:MD|DO|RN|NP|PA-C|LPN|MA|PharmD)\b", re.IGNORECASE)
SUFFIX = {
    "jr": "jr",
    "junior": "jr",
    "sr": "sr",
    "senior": "sr",
    "ii": "ii",
    "2nd": "ii",
    "iii": "iii",
    "3rd": "iii",
    "iv": "iv",
    "4th": "iv",
}
_NICKNAMES = NickNamer()
BANNER_KEY = re.compile(r"\b(?:MRN|DOB|D\.O\.B|Sex|Age)\b", re.IGNORECASE)
HEADER_LINES = 8
BIRTH_GAP_YEARS = 5
"""An unlabelled date beside a banner name is a birth date when the page's care is years later."""

OTHER_NAME = "another name"
OTHER_MRN = "another MRN"
OTHER_DOB = "another date of birth"
OURS, OTHER, UNKNOWN = "ours", "other", "unknown"
"""What a page's own identifiers say: the patient's, someone else's, or nothing either way."""


def norm_id(value: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", value.upper())


@dataclass
class PageIdentity:
    names: list[str] = field(default_factory=list)
    mrns: set[str] = field(default_factory=set)
    member_ids: set[str] = field(default_factory=set)
    dobs: set[date] = field(default_factory=set)
    foreign_mrns: set[str] = field(default_factory=set)
    """Another facility's record numbers ('Hosp MRN'): they agree when equal, never conflict."""


@dataclass
class ChartIdentity:
    name: str
    ids: set[str]
    """Every identifier the case or chart knows: the patient ID (member ID) and the MRN."""
    mrn: str | None
    dob: date | None
    conflicts: list[str] = field(default_factory=list)
    """What could not be decided ('two MRNs on equal numbers of pages'): told to staff."""
    suffix: str | None = None
    member_ids: set[str] = field(default_factory=set)
    """Weak evidence only: shared by everyone on a family plan."""


def page_identity(text: str, order: str = "MDY") -> PageIdentity:
    text = LABEL_ALONE.sub(lambda m: m.group("line") + "  ", text)
    ident = PageIdentity()
    for m in MRN.finditer(text):
        if re.search(r"\d", m.group("id")):
            (ident.foreign_mrns if m.group("q") else ident.mrns).add(norm_id(m.group("id")))
    ident.member_ids = {norm_id(m.group("id")) for m in MEMBER_ID.finditer(text) if re.search(r"\d", m.group("id"))}
    ident.dobs = {d for m in DOB.finditer(text) if (d := parse_date(m.group("d"), order))}
    ident.names = _labelled_names(text)
    for fields in [*_combined(text), *_table_rows(text)]:
        ident.names += [fields["name"]] if "name" in fields and _looks_like_name(fields["name"]) else []
        ident.dobs |= {d for d in [parse_date(fields.get("dob", ""), order)] if d}
        target = ident.foreign_mrns if fields.get("mrn_foreign") else ident.mrns
        target |= {norm_id(fields["mrn"])} if re.search(r"\d", fields.get("mrn", "")) else set()
    for name, dob in _banners(text, order):
        ident.names.append(name)
        ident.dobs |= {dob} if dob else set()
    ident.names = list(dict.fromkeys(ident.names))
    return ident


def patient_names(text: str) -> list[str]:
    """Names printed as the patient's: after a patient label, under a 'Name/DOB' or table header,
    or leading an EHR banner line."""
    return page_identity(text).names


def _labelled_names(text: str) -> list[str]:
    names = []
    for match in NAME_LABEL.finditer(text):
        label = match.group("label").lower()
        line_end = text.find("\n", match.start() + 1)
        line = text[match.start() : line_end if line_end >= 0 else len(text)]
        beside_dob = re.search(r"\b(?:DOB|MRN|D\.O\.B)\b", line, re.IGNORECASE)
        if label == "re" and not beside_dob:
            continue  # 'RE: your referral'; a letter names its patient beside a DOB
        if label == "name" and text.count("\n", 0, match.start()) >= 6 and not beside_dob:
            continue  # a bare "Name:" is the patient only in the page header or beside DOB/MRN
        raw = NAME_STOP.split(match.group("name"))[0].strip(" ,.-")
        if label in ("name", "resident", "client", "re") and CLINICIAN.search(raw):
            continue  # "Name: Dr. Amy Patel" on a referral names a clinician
        if _looks_like_name(raw):
            names.append(raw)
    return names


def _combined(text: str) -> list[dict[str, str]]:
    out = []
    for m in COMBINED.finditer(text):
        kinds = [
            next(k for k, p in _FIELD.items() if re.fullmatch(p, lab.strip(), re.IGNORECASE))
            for lab in m.group("labels").split("/")
        ]
        if len(set(kinds)) != len(kinds):
            continue
        values = FIELD_SLASH.sub(" \x1f ", m.group("values").strip())
        pattern = r"\s*\x1f\s*".join(f"(?P<{k}>{_VALUE[k]})" for k in kinds)
        if found := re.match(pattern + r"(?=\s|$|[,;|])", values, re.IGNORECASE):
            fields = {k: v.strip(" ,.") for k, v in found.groupdict().items()}
            if "name" in fields:
                fields["name"] = NAME_STOP.split(fields["name"])[0].strip(" ,.")
            out.append(fields)
    return out


def _table_rows(text: str) -> list[dict[str, str]]:
    """A header row of column labels ('Patient   DOB   Hosp MRN   Admitted') and the row of
    values under it, cell for cell."""
    lines = [line for line in text.splitlines() if line.strip()]
    out = []
    for header, row in zip(lines, lines[1:]):
        heads = [c for c in CELL.split(header.strip()) if c]
        cells = [c for c in CELL.split(row.strip()) if c]
        if len(heads) < 2 or len(heads) != len(cells) or any(":" in h or RELATION.search(h) for h in heads):
            continue  # a household or contacts table ('Name  Relationship  DOB') lists relatives
        fields: dict[str, str] = {}
        for head, cell in zip(heads, cells):
            kind = next((k for k, p in _FIELD.items() if re.fullmatch(p, head, re.IGNORECASE)), None)
            if kind is None and re.fullmatch(rf"\w+\.?\s+(?:{_FIELD['mrn']})", head, re.IGNORECASE):
                kind = "mrn"  # 'Hosp MRN': another facility's numbering
            if kind and kind not in fields:
                fields[kind] = cell
                if kind == "mrn" and not re.fullmatch(_FIELD["mrn"], head, re.IGNORECASE):
                    fields["mrn_foreign"] = head
        if "name" in fields and ("dob" in fields or "mrn" in fields) and not CLINICIAN.search(fields["name"]):
            out.append(fields)
    return out


def _banners(text: str, order: str) -> list[tuple[str, date | None]]:
    """'LAST, FIRST M   DOB ..  MRN ..', 'LAST, FIRST (F) 74 y.o.', or 'LAST, FIRST  03/02/1941  ID'
    where the unlabelled date is years before the care on the page: at a line's start or as the
    right-hand cell of a page header, never as the value of another label ('Author:   Lee, Ann')."""
    out, dates = [], None
    for m in BANNER.finditer(text):
        before = text[text.rfind("\n", 0, m.start()) + 1 : m.start()]
        if before.strip().endswith(":") or CLINICIAN.search(m.group("name")):
            continue
        if before.strip() and text.count("\n", 0, m.start()) >= HEADER_LINES:
            continue  # a right-hand cell names the patient only in the page header
        rest, dob = m.group("rest"), None
        if not (BANNER_MARK.match(rest) or BANNER_KEY.search(rest)):
            first = re.match(rf"\s*({DATE})", rest, re.IGNORECASE)
            dob = parse_date(first.group(1), order) if first else None
            if dates is None:
                dates = [d for f in re.finditer(DATE, text, re.IGNORECASE) if (d := parse_date(f.group(), order))]
            if not dob or not any(d.year - dob.year >= BIRTH_GAP_YEARS for d in dates):
                continue
        out.append((m.group("name").strip(), dob))
    return out


def _looks_like_name(raw: str) -> bool:
    words = [w for w in re.split(r"[\s,]+", raw) if w]
    return 1 <= len(words) <= 5 and all(w[:1].isupper() for w in words if w.isalpha() and len(w) > 1)


@dataclass(frozen=True)
class _Name:
    first: str
    middle: tuple[str, ...]
    last: str
    suffix: str | None


@lru_cache(maxsize=4096)
def _parts(name: str) -> _Name:
    parsed = HumanName(name)
    clean = lambda s: re.sub(r"[^a-z]", "", _plain(s).lower())  # noqa: E731
    first, last = clean(parsed.first), clean(parsed.last)
    middle = tuple(t for t in (clean(p) for p in parsed.middle.split()) if t)
    suffixes = [SUFFIX[s] for s in (clean(p) for p in parsed.suffix.split(",")) if s in SUFFIX]
    suffix = suffixes[0] if suffixes else None
    if not last and first:
        return _Name("", (), first, suffix)  # a single word: could be either name
    return _Name(first, middle, last, suffix)


def _plain(text: str) -> str:
    """'José Peña' -> 'Jose Pena': printouts often drop accents."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _close(a: str, b: str) -> bool:
    return a == b or (min(len(a), len(b)) >= 4 and ratio(a, b) >= 80)


@lru_cache(maxsize=4096)
def _nickname_of(a: str, b: str) -> bool:
    return b in _NICKNAMES.nicknames_of(a) or b in _NICKNAMES.canonicals_of(a) or a in _NICKNAMES.nicknames_of(b)


def _first_matches(want: str, got: str, ocr: bool = False) -> bool:
    """Equal, an initial, a nickname ('Bob', 'Walt'), or on a scanned page one misread letter
    inside the word. Otherwise another name: 'Roberta' is not 'Robert', 'Maria' not 'Mario'."""
    if not want or not got:
        return True
    if len(got) == 1 or len(want) == 1:
        return want[0] == got[0]
    if want == got or _nickname_of(want, got):
        return True
    short, long_ = sorted((want, got), key=len)
    if 3 <= len(short) <= 5 and len(long_) - len(short) >= 2 and long_.startswith(short):
        return True  # a clipped form: 'Walt' for 'Walter', 'Chris' for 'Christopher'
    return ocr and len(want) == len(got) >= 4 and Hamming.distance(want, got) == 1 and want[-1] == got[-1]


def name_differences(case_name: str, page_name: str, ocr: bool = False, suffix: str | None = None) -> set[str]:
    """Which parts of a page's name disagree with the patient's: 'first', 'last', 'middle',
    'suffix'. Empty when the page may name the patient (initials, nicknames, 'LAST, FIRST',
    either half of a double surname, a missing middle or suffix)."""
    want, got = _parts(case_name), _parts(page_name)
    want_all = [t for t in (want.first, *want.middle, want.last) if t]
    diffs = set()
    if (want.suffix or suffix) and got.suffix and got.suffix != (want.suffix or suffix):
        diffs.add("suffix")
    if not want_all or not (got.first or got.last):
        return diffs
    if not got.first:  # one word on the page: 'Gonzalez' or 'Maria'
        if not any(_close(got.last, t) or _nickname_of(t, got.last) for t in want_all):
            diffs.add("last")
        return diffs
    lasts = [t for t in (*re.split(r"-", want.last), want.last, *want.middle) if len(t) > 1]
    got_lasts = [got.last, *(t for t in got.last.split("-") if len(t) > 1)]
    if not any(_close(g, t) for g in got_lasts for t in lasts):
        diffs.add("last")
    if not (
        _first_matches(want.first, got.first, ocr)
        or any(_first_matches(m, got.first, ocr) for m in want.middle if len(m) > 1)
    ):
        diffs.add("first")
    if (
        want.middle
        and got.middle
        and want.middle[0][0] != got.middle[0][0]
        and got.middle[0] not in (want.first, want.last)
    ):
        diffs.add("middle")
    return diffs


def same_person(case_name: str, page_name: str, ocr: bool = False) -> bool:
    """Lenient to OCR slips, initials, nicknames, 'LAST, FIRST' and double surnames; strict on a
    different first or last name or generational suffix."""
    return not name_differences(case_name, page_name, ocr) & {"first", "last", "suffix"}


def _plurality(counts: Counter[Any]) -> tuple[Any, bool]:
    """The value on most pages, and whether another value ties it."""
    ranked = counts.most_common(2)
    if not ranked:
        return None, False
    if len(ranked) == 2 and ranked[0][1] == ranked[1][1]:
        return None, True
    return ranked[0][0], False


def chart_identity(case: CaseFields, pages: list[PageIdentity]) -> ChartIdentity:
    """The case's identity, completed by the MRN, DOB and suffix most of the chart's pages print."""
    member = {norm_id(case.patient_id)}
    ids = member | ({norm_id(case.mrn)} if case.mrn else set())
    named_ours = [p for p in pages if not p.names or any(same_person(case.patient_name, n) for n in p.names)]
    mrn_counts: Counter[str] = Counter(m for p in named_ours for m in p.mrns)
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
            conflicts.append(
                "the pages show two dates of birth equally often, so neither was used to tell patients apart"
            )
    if mrn:
        ids.add(mrn)
    suffix = _parts(case.patient_name).suffix
    if suffix is None:  # the suffix our own pages print beside our DOB or MRN ('SR' on a father's chart)
        proven = [p for p in named_ours if (dob and dob in p.dobs) or (mrn and mrn in p.mrns)]
        suffix, _ = _plurality(Counter(s for p in proven for s in {_parts(n).suffix for n in p.names} if s))
    return ChartIdentity(case.patient_name, ids, mrn, dob, conflicts, suffix, member)


def _id_close(a: str, b: str, ocr: bool) -> bool:
    return a == b or (ocr and len(a) >= 6 and Levenshtein.distance(a, b) <= 1)


def _same_numbering(a: str, b: str) -> bool:
    """Two record numbers from one system: the same letters in front and the same length. A
    hospital's 'SB-7730021' says nothing against a practice's 'CH0048812'."""

    def prefix(s: str) -> str:
        return s[: len(s) - len(s.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))]

    return prefix(a) == prefix(b) and len(a) == len(b)


def _dob_close(a: date, b: date, ocr: bool) -> bool:
    if a == b:
        return True
    if not ocr:
        return False
    da, db = a.strftime("%m%d%Y"), b.strftime("%m%d%Y")
    return sum(x != y for x, y in zip(da, db)) <= 1


def assess(page: PageIdentity, chart: ChartIdentity, ocr: bool = False) -> tuple[str, str | None]:
    """(OURS | OTHER | UNKNOWN, why another patient's). Ours when what the page prints agrees
    and nothing disagrees; unknown when it prints nothing but (at most) a member ID."""
    strong = (chart.ids - chart.member_ids) | ({chart.mrn} if chart.mrn else set())
    mrn_ok = any(_id_close(m, s, ocr) for m in page.mrns | page.foreign_mrns for s in strong)
    comparable = [m for m in page.mrns if chart.mrn and (_same_numbering(m, chart.mrn) or _id_close(m, chart.mrn, ocr))]
    dob_ok = chart.dob is not None and any(_dob_close(d, chart.dob, ocr) for d in page.dobs)
    why = None
    if comparable and not mrn_ok:
        why = OTHER_MRN
    elif chart.dob and page.dobs and not dob_ok:
        why = OTHER_DOB
    forgiven = {"last", "middle"} if (mrn_ok or dob_ok) else set()
    verdicts = [
        name_differences(chart.name, n, ocr, chart.suffix)
        - forgiven
        - _unlisted_nickname(chart.name, n, mrn_ok and dob_ok)
        for n in page.names
    ]
    if why is None and any(v & {"first", "last", "suffix", "middle"} for v in verdicts):
        why = OTHER_NAME
    if why:
        return OTHER, why
    if mrn_ok or dob_ok or verdicts:
        return OURS, None
    return UNKNOWN, None


def _unlisted_nickname(case_name: str, page_name: str, both_agree: bool) -> set[str]:
    """With both MRN and DOB agreeing, a first name close in spelling ('Reenie' for 'Irene', a
    pet form no list holds) is not a conflict; with either missing it still is ('Roberta')."""
    if not both_agree:
        return set()
    want, got = _parts(case_name).first, _parts(page_name).first
    return {"first"} if want and got and ratio(want, got) >= 70 else set()


def other_patient(page: PageIdentity, chart: ChartIdentity, ocr: bool = False) -> str | None:
    """Why this page is another patient's (`OTHER_MRN`, `OTHER_DOB`, `OTHER_NAME`), or None."""
    return assess(page, chart, ocr)[1]
