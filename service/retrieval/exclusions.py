"""Pages that must never be cited: another patient's page, or a note outside the billing period.

Pure functions over page text. A page with no patient label or no dated label is kept: we only
exclude on positive evidence, and report every exclusion with its reason.
"""

import re
from datetime import date
from difflib import SequenceMatcher

from service.models import CaseFields, Exclusion, Page
from service.retrieval.dates import DATE, MONTH_YEAR, month_bounds, parse_date, parse_month

OTHER_PATIENT = "names another patient"
OUT_OF_PERIOD = "outside the billing period"
INSTRUCTIONS = "contains text addressed to a reader or an AI"

NAME_LABEL = re.compile(
    r"(?:^|\s{2,}|\|\s*)(?:patient(?:'s)?(?:\s+name)?|pt\.?(?:\s+name)?|member(?:\s+name)?|beneficiary|name)"
    r"\s*[:#]\s*(?P<name>[A-Za-z][A-Za-z.,'\- ]{1,60})",
    re.IGNORECASE | re.MULTILINE,
)
ID_LABEL = re.compile(
    r"\b(?:MRN|MBI|patient\s+id|member\s+id|medicare\s+(?:id|number|no\.?)|id)\s*[:#]\s*(?P<id>[A-Z0-9][A-Z0-9\-]{3,})",
    re.IGNORECASE,
)
NAME_STOP = re.compile(r"\s{2,}|\b(?:MRN|DOB|D\.O\.B|ID|Sex|Age|Date|Member|Phone|Payer|Acct)\b", re.IGNORECASE)
PERIOD = re.compile(
    rf"(?:period|dates?\s+of\s+service|service\s+dates|monitoring\s+window|covering)\s*[:#]?\s*(?P<a>{DATE})\s*(?:-|\u2013|to|through|thru)\s*(?P<b>{DATE})",
    re.IGNORECASE,
)
MONTH_LABEL = re.compile(
    rf"(?:(?:billing|service|reporting|care|report|monitoring)\s+(?:month|period)|month\s+of(?:\s+service)?)"
    rf"\s*[:#]?\s*(?P<m>{MONTH_YEAR})(?!\s*[-/\d])",
    re.IGNORECASE,
)
NOTE_DATE = re.compile(
    rf"(?:date\s+of\s+service|service\s+date|DOS|visit\s+date|note\s+date|encounter\s+date|date\s+of\s+(?:visit|note|encounter|contact)|contact\s+date|(?:^|\n)\s*date)\s*[:#]\s*(?P<d>{DATE})",
    re.IGNORECASE,
)


def _name_tokens(name: str) -> list[str]:
    if "," in name:
        last, _, first = name.partition(",")
        name = f"{first} {last}"
    return [t for t in re.findall(r"[a-z]+", name.lower()) if len(t) > 1]


def _similar(a: str, b: str) -> bool:
    return a == b or (min(len(a), len(b)) >= 4 and SequenceMatcher(None, a, b).ratio() >= 0.8)


def same_person(case_name: str, page_name: str) -> bool:
    """Lenient to OCR slips, initials and double surnames; strict on a different first or last name."""
    want, got = _name_tokens(case_name), _name_tokens(page_name)
    if not want or not got:
        return True
    if len(got) == 1:
        return _similar(want[0], got[0]) or _similar(want[-1], got[0])
    last_ok = any(_similar(want[-1], t) for t in got)
    first_ok = any(_similar(want[0], t) for t in got)
    return last_ok and first_ok


def _norm_id(value: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", value.upper())


def page_patient_names(text: str) -> list[str]:
    names = []
    for match in NAME_LABEL.finditer(text):
        label = match.group(0).split(":")[0].split("#")[0].strip(" |").lower()
        line_end = text.find("\n", match.start() + 1)
        line = text[match.start() : line_end if line_end >= 0 else len(text)]
        near_top = text.count("\n", 0, match.start()) < 6
        if label == "name" and not near_top and not re.search(r"\b(?:DOB|MRN|D\.O\.B)\b", line, re.IGNORECASE):
            continue  # a bare "Name:" is the patient only in the page header or beside DOB/MRN
        raw = NAME_STOP.split(match.group("name"))[0].strip(" ,.-")
        if re.match(r"(?:dr|mr|mrs|ms)\.?\s", raw, re.IGNORECASE) and label == "name":
            continue  # "Name: Dr. Amy Patel" on a referral names a clinician
        words = raw.split()
        if 1 <= len(words) <= 5 and all(w[:1].isupper() for w in words if w.isalpha() and len(w) > 1):
            names.append(raw)
    return names


def names_other_patient(page: Page, case: CaseFields) -> bool:
    ids = {_norm_id(m.group("id")) for m in ID_LABEL.finditer(page.text)}
    if _norm_id(case.patient_id) in ids:
        return False
    return any(not same_person(case.patient_name, name) for name in page_patient_names(page.text))


def billing_window(case: CaseFields, period: str) -> tuple[date, date] | None:
    if period == "calendar_month":
        return month_bounds(case.date_of_service)
    return None


PLAUSIBLE_DAYS = 400


def outside_period(page: Page, window: tuple[date, date]) -> bool:
    """Dates far from the billing month (a birth date, an OCR slip turning 'DOB' into 'DOS')
    say nothing about when the note was written, so they cannot exclude a page."""
    start, end = window

    def plausible(day: date) -> bool:
        return (start - day).days <= PLAUSIBLE_DAYS and (day - end).days <= PLAUSIBLE_DAYS

    periods: list[tuple[date, date]] = []
    for m in PERIOD.finditer(page.text):
        a, b = parse_date(m.group("a")), parse_date(m.group("b"))
        if a and b and plausible(a) and plausible(b):
            periods.append((min(a, b), max(a, b)))
    for m in MONTH_LABEL.finditer(page.text):
        if (bounds := parse_month(m.group("m"))) and plausible(bounds[0]):
            periods.append(bounds)
    if periods:
        return not any(a <= end and b >= start for a, b in periods)
    dates = [d for m in NOTE_DATE.finditer(page.text) if (d := parse_date(m.group("d"))) and plausible(d)]
    return bool(dates) and not any(start <= d <= end for d in dates)


def find_exclusions(
    pages: list[Page], case: CaseFields, billing_period: str, instruction_pages: set[tuple[str, int]] = frozenset()
) -> list[Exclusion]:
    """A page with planted instructions is not cited at all: whatever else it says was written
    by someone trying to steer the letter."""
    window = billing_window(case, billing_period)
    excluded = []
    for page in pages:
        reason = None
        if names_other_patient(page, case):
            reason = OTHER_PATIENT
        elif window and outside_period(page, window):
            reason = OUT_OF_PERIOD
        elif (page.document, page.number) in instruction_pages:
            reason = INSTRUCTIONS
        if reason:
            excluded.append(Exclusion(document=page.document, page=page.number, reason=reason))
    return excluded
