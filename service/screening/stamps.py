"""Stamps and signatures by their shape: where the paper went ('Faxed 06/03/2026 09:12 from
(555) 201-3300', 'RECEIVED JUN 03 2026') and who signed ('-- A. Ortega RN Jun 2, 2025 13:02').
A stamp is the mark and a date with nothing after it but more of the stamp (a time, a page
counter, 'by JELLIS', a fax number); a line that goes on to say to whom or what was done is care:
'Rx faxed 6/3 to CVS', 'Pt received influenza vaccine 10/01/2025'."""

import re

MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
DATE = (
    rf"(?:\d{{1,2}}[/.-]\d{{1,2}}(?:[/.-]\d{{2,4}})?|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}-{MONTH}-\d{{2,4}}|{MONTH}-\d{{1,2}}-\d{{2,4}}|"
    rf"{MONTH}\s+\d{{1,2}}(?!\d)(?:st|nd|rd|th)?,?(?:\s+\d{{4}})?|\d{{1,2}}\s+{MONTH}\s+\d{{4}})"
)
TIME = r"(?:\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?(?:\s*(?-i:[A-Z]{2,3}T))?|\d{4}h?)"
STAMP_MARK = re.compile(
    rf"(?:^|[-|\u2022]\s)\W*(?:printed|reprinted|faxed|fax\s+received|received|rec'?d)\s*:?\s*(?:on\s+)?(?={DATE})",
    re.IGNORECASE,
)
PAGE_COUNTER = r"page\s+\d+\s+of\s+\d+|p(?:g|age)?\.?\s*\d+\s*/\s*\d+"
"""'Page 3 of 12', 'P. 4/17', 'PAGE 004/014': where a sheet sits in its stack, not when care happened."""
TAIL_PART = re.compile(
    rf"\s*(?:{DATE}|{TIME}|,|-|/|\||at|on|{PAGE_COUNTER}|"
    r"by\s+[\w.]+(?:\s+(?-i:[A-Z][\w.]*))?|(?:from|to)\s*:?\s*[(+\d][\d() +.-]{6,}|via\s+(?:fax|efax|portal|mail))",
    re.IGNORECASE,
)
BARE_MARK = re.compile(r"^\W*(?:RECEIVED|FAXED|SCANNED)\W*$")
TRANSMISSION = re.compile(
    rf"^\W*{DATE}[,\s]+{TIME}\b.*\b(?:p(?:g|age)?\.?\s*\d{{1,3}}(?:\s*(?:/|of)\s*\d{{1,3}})?)\W*$",
    re.IGNORECASE,
)
"""A fax machine's header line: when it was sent, then the sender and its number, then the
sheet ('Apr 18 2025 09:20  HARBORVIEW FAMILY PRACTICE  9065557491  p.3'). A log row opens with a
date and a time too, but never ends on a sheet number."""


def _all_tail(text: str) -> bool:
    """Is `text` (what follows a stamp's date) nothing but more of the stamp?"""
    at = 0
    while at < len(text):
        match = TAIL_PART.match(text, at)
        if not match or match.end() == at:
            return not text[at:].strip(" .;:")
        at = match.end()
    return True


def is_stamp(flat: str) -> bool:
    """A print, fax or receipt stamp, at the line's start or after a separator."""
    if BARE_MARK.match(flat) or TRANSMISSION.match(flat):
        return True
    return any(_all_tail(flat[mark.end() :]) for mark in STAMP_MARK.finditer(flat))


CREDENTIAL = re.compile(r"\b(?:MD|DO|RN|NP|PA-C|PA|MA|LPN|CMA|PharmD|CDCES|CNA|APRN|FNP|MSW|LCSW)\b")
NAME_WORD = r"(?:[A-Z][a-z'-]+|[A-Z]\.|[A-Z][a-z]+-[A-Z][a-z]+)"
NAME_THEN_CREDENTIAL = re.compile(
    rf"^(?:/s/|[-\u2013\u2014~=*\s])*(?:Dr\.?\s+)?{NAME_WORD}(?:\s+{NAME_WORD}){{0,3}},?\s+"
    rf"(?:{CREDENTIAL.pattern})(?:[,/ ]+(?:{CREDENTIAL.pattern}))*\s*,?\s*"
)


def is_name_and_stamp(flat: str) -> bool:
    """'-- A. Ortega RN Jun 2, 2025 13:02', '/s/ Kim Ho, RN 6/2/25': a name with credentials and
    when it was signed, nothing else on the line."""
    match = NAME_THEN_CREDENTIAL.match(flat)
    if not match:
        return False
    tail = flat[match.end() :]
    return bool(re.search(r"\d", tail)) and _all_tail(tail)


def without_stamp(text: str) -> str:
    """`text` with a trailing date/time stamp removed: 'G. Lindahl, MD 05/31' -> 'G. Lindahl, MD'."""
    for start in range(len(text)):
        opens = (start == 0 or text[start - 1] in " ,") and re.match(r"\s*\d|\s*" + MONTH, text[start:], re.IGNORECASE)
        if opens and _all_tail(text[start:]):
            return text[:start].rstrip(" ,")
    return text
