"""Text that is on the page but proves nothing: running headers and footers, confidentiality
legends, sign-off lines, headings, bare labels, cut-off fragments.

Running headers and footers are found by repetition: a line (digits ignored, so page numbers and
dates do not hide it) that recurs on several pages of one document is letterhead, not evidence.
Legends and sign-offs are found by what they say, so a one-page fax carries them too. None of
them is ever read as an instruction: a legend telling the reader not to re-disclose the record
addresses the reader, but it is the form's wording, not someone steering the letter.
"""

import re
from collections import Counter

from rapidfuzz.fuzz import partial_ratio

from service.index.lexical import tokens
from service.models import Page, Span
from service.records.tables import CELL_GAP, is_header, is_total
from service.screening.identity import patient_names
from service.screening.stamps import CREDENTIAL, DATE, MONTH, is_name_and_stamp, is_stamp, without_stamp

LABEL_ONLY = re.compile(
    r"\b(?:DOB|D\.O\.B|MRN)\b|^\W*(?:patient(?:\s+name)?|name|page|date(?:\s+of\s+service)?|"
    r"reporting\s+period|provider|clinic|fax|phone)\s*[:#]\s*[\w/ ,.\-]{0,40}$|^page\s+\d+(?:\s+of\s+\d+)?$",
    re.IGNORECASE,
)
DIGITS = re.compile(r"\d+")
FORM_NUMBER = re.compile(
    r"^(?:(?:rev(?:ised|ision)?\.?|form|ver(?:sion)?\.?|effective|\d{1,2}/\d{2,4}|\d{4}-\d{2}|[A-Z]{1,5}-?\d{1,4}[A-Z]?|no\.|#)[\s:]*)+$",
    re.IGNORECASE,
)
"""'Rev. 03/2025   Form RPM-07': a printed form's number and revision, on every copy of it."""
BARE_STAMP = re.compile(r"[\d\s/.:,|-]+(?:\s*(?:am|pm|[AP]M))?")
"""'03/13/2025 07:37': a date and a time alone on a line, when a note was printed or signed."""
LETTERHEAD = 90
"""Similarity (rapidfuzz partial ratio) at which a line is the practice's name."""
FIELD_ROW = re.compile(r"^\W*[A-Z][\w ]{0,20}:\s*\S.*\s[A-Z][\w]{1,20}:(?:\s|$)")
"""'Date: 7-Dec-2024    Author: T. Quintero RN': a row of fields, never a document's title."""
LEGEND_STRONG = re.compile(
    r"\b(?:42\s*C\.?F\.?R|(?:protected|covered)\s+(?:by|under)\s+HIPAA|HIPAA[-\s]protected|re-?disclos\w*|further\s+disclosure|intended\s+(?:only\s+)?(?:for\s+the\s+)?(?:use|recipient)|"
    r"received\s+(?:this\s+\w+\s+)?in\s+error|destroy\s+(?:all\s+)?(?:copies|this|the\s+original)|notify\s+(?:the\s+)?sender|"
    r"confidential\s+(?:patient|health|medical)\s+information|protected\s+health\s+information|privileged\s+and\s+confidential)",
    re.IGNORECASE,
)
LEGEND_WEAK = re.compile(
    r"\b(?:confidential\w*|privileged|HIPAA|disclos\w*|releas\w*|authori[sz]\w*|prohibit\w*|unauthori[sz]ed|"
    r"copies|dissemination|distribution|recipient|law)\b",
    re.IGNORECASE,
)
SIGN_OFF = re.compile(
    r"^\W*(?:(?:electronically|digitally)\s+)?(?:signed|e-?signed|co-?signed|attested|authenticated|verified|"
    r"(?:provider\s+|staff\s+|clinician\s+)?signature)"
    r"(?:\s+(?:electronically|digitally))?(?:\s+and\s+\w+)?(?:\s+(?:by|on|at)\b|\s*:|\s*$)|"
    r"^\W*I\s+(?:attest|certify|have\s+(?:personally\s+)?(?:reviewed|seen|examined|performed))\b|"
    r"\b(?:electronically|digitally)\s+(?:signed|attested|authenticated)\b",
    re.IGNORECASE,
)
SIGNATURE_NEED = re.compile(r"\b(?:sign\w*|attest\w*|authenticat\w*)\b", re.IGNORECASE)
TERSE = re.compile(
    r"(?:^|\s)(?:pt|pts|w/o?|f/u|h/o|c/o|d/c|s/p|hx|dx|rx|tx|sx|x\d|re|vm|lvm|yes|no|none|n/a|done|ok|"
    r"on\s+file|in\s+chart|per\s+\w+|up\s+to\s+date|due|overdue|current|agrees|lives|uses|reports|denies|"
    r"states|takes|needs|wants|has|is|are|was|were|walks|drives|declines|understands|prefers|attends|verbalizes)"
    r"(?=$|[\s,;.])",
    re.IGNORECASE,
)
PREDICATE_NEXT = frozenset(
    "by on with to at in for via per and or from after before today yesterday verbally again x2 x3 "
    "over during as within without w/ into up out back off".split()
)
IRREGULAR_PARTICIPLES = frozenset(
    "given done sent seen made taken set told met held left got put kept brought taught paid shown "
    "written spoken drawn run begun".split()
)


LABEL_PAIR = re.compile(r"(?:^|\s)[A-Z][A-Za-z.#/ ]{1,24}:\s*(?=\S)")
DATED_TITLE = re.compile(
    r"^[A-Z][\w /&-]{2,60}?\s*[-\u2013:|,]?\s*(?:\(?(?:\d{1,2}/\d{1,2}/\d{2,4}|\d{4}-\d{2}-\d{2}|[A-Z][a-z]{2,8}\.?\s+(?:\d{1,2},?\s+)?\d{4}|\d{1,2}/\d{4})\)?)$"
)
META_LABEL = re.compile(
    r"\b(?:date|dos|type|dept|department|location|clinic|facility|provider|staff|author|encounter|visit|"
    r"period|printed|page|signed|by|time|room|status|mrn|dob|sex|age|acct|account|pcp|attending|"
    r"ordering|referring|rendering|user|entered|fax|phone|from|to|re|pages|csn|fin)\b"
)
DATE_LIKE = re.compile(
    r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2}|[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|"
    r"\b(?:thru|through|to)\b|\d{1,2}:\d{2}"
)
STAMP = re.compile(r"\bpage\s+\d+\s+of\s+\d+\b|\bP\.\s*\d+\s*/\s*\d+\b", re.IGNORECASE)
"""Page counters; print, fax and receipt stamps are read by shape in `stamps.py`."""
PRINT_NOTICE = re.compile(
    r"^\W*(?:this\s+(?:document|record|report|copy|page|note|chart)|these\s+(?:records|pages|documents))\s+"
    r"(?:(?:was|were|has\s+been|have\s+been|is|are)\s+)?(?:printed|generated|produced|prepared|exported|released|copied|compiled|extracted)\b",
    re.IGNORECASE,
)
"""'This document was printed from the electronic health record for release to the payer': how the
copy was made, said by the form. 'Lab results printed from EHR and mailed to pt' is care."""
LIST_ITEM = re.compile(r"^\s*(?:\d+[.)]|[-*\u2022>]|\[[ xX]?\])\s")
"""A bulleted or numbered line is content of its note even when three monthly reports print the
same item ('- Days w/ automatic transmissions: 16 of 30 days'); a running header never is one."""
COPIED = re.compile(
    r"\b(?:copied|carried|pulled|brought)\s+(?:fwd|forward|over|from)\b|\bcopy\s+forward\b", re.IGNORECASE
)


def is_header_line(flat: str) -> bool:
    """'Encounter Date: 05/14/2026   Type: Telephone   Department: Care Management': two or more
    short label-value pairs describe the note, they do not document care."""
    labels = [p.strip(" :").lower() for p in LABEL_PAIR.findall(flat)]
    values = re.split(LABEL_PAIR, flat)[1:]
    about_note = [_about_note(label) for label in labels]
    if not labels:
        return False
    if len(labels) == 1:
        return about_note[0] and not re.sub(DATE_LIKE, "", values[0]).strip(" -\u2013.,")
    return sum(about_note) * 2 >= len(labels) and all(len(v.split()) <= 6 for v in values)


LABEL_FILLER = {"of", "the", "name", "no", "number", "id", "#", "service", "note", "reporting", "print", "report", "s"}


def _about_note(label: str) -> bool:
    """'Encounter date', 'Signed by': every word describes the note. 'Consent date', 'Obtained
    by', 'Date reviewed/revised' name an act of care and when it was done: evidence."""
    words = [w for w in re.split(r"[\s/.#]+", label) if w]
    return bool(words) and all(w in LABEL_FILLER or META_LABEL.fullmatch(w) for w in words)


def is_copied_forward(flat: str) -> bool:
    """'Copied fwd from 4/14/2025: ...': text carried from an older note says what was true then."""
    return bool(COPIED.search(flat))


def is_boilerplate(text: str) -> bool:
    """Headings, bare labels, legends, sign-offs and fragments: true of every chart, evidence of nothing."""
    flat = " ".join(text.split())
    if is_total(flat):
        return False  # 'Total | | 33 |': two words, and the strongest statement of time in a log
    if not flat or flat.endswith(":") or is_fragment(flat) or is_legend(flat) or is_header_line(flat):
        return True
    if is_dated_title(flat) or is_column_header(text) or FORM_NUMBER.match(flat) or BARE_STAMP.fullmatch(flat):
        return True
    if (
        is_copied_forward(flat)
        or PRINT_NOTICE.search(flat)
        or STAMP.search(flat)
        or is_stamp(flat)
        or patient_names(text)
    ):
        return True  # a banner naming the patient ('CCM Note - April 2026   Pt: NAKAMURA, GERALD F')
    if is_heading(flat) or (is_section_heading(flat) and not DIGITS.search(flat)):
        return True
    return bool(LABEL_ONLY.search(flat)) or len(tokens(flat)) < 3


def is_column_header(text: str) -> bool:
    """'Problem / Dx    Goal    Target date    Status': a table's column labels, set apart as
    cells, say what the rows below mean and nothing of this patient."""
    cells = [c for c in CELL_GAP.split(text.strip().strip("|")) if c.strip()]
    return len(cells) >= 2 and is_header(text)


TITLE_DATES = re.compile(
    DATE + r"|\b\d{4}\b|\b\d{1,2}/\d{4}\b|\b" + MONTH + r"\s+\d{4}\b|[-\u2013|:,()]", re.IGNORECASE
)


def is_dated_title(flat: str) -> bool:
    """'CCM Monthly Note - January 2025', 'Period: Mar 1, 2025 - Mar 31, 2025', 'RPM Data Summary -
    Service period 05/01/2026 - 05/31/2026': a title and its dates; its words are counted, not
    its dates and dashes."""
    title = TITLE_DATES.sub(" ", flat)
    return (
        bool(DATED_TITLE.match(flat))
        and not DIGITS.search(title)
        and not states_something(flat)
        and len(title.split()) <= 8
    )


def is_legend(flat: str) -> bool:
    """Confidentiality and re-disclosure wording printed by the EHR or the fax cover."""
    return bool(LEGEND_STRONG.search(flat)) or len({m.lower() for m in LEGEND_WEAK.findall(flat)}) >= 3


BY_LINE = re.compile(
    r"^\W*(?:reviewed|approved|entered|documented|dictated|transcribed|authored|completed|seen)\b[^.;]{0,30}?\bby\s+(?P<who>.+)$",
    re.IGNORECASE,
)


def _by_line(flat: str) -> bool:
    """'Reviewed: 05/21/2026 by Howard Lin, MD and Kim Ho, RN': who signed off, nothing more."""
    match = BY_LINE.match(flat)
    if not match:
        return False
    who = without_stamp(match.group("who")).rstrip(" .")
    words = [w for w in re.split(r"[\s,]+", who) if w and w.lower() not in ("and", "&", "dr", "dr.")]
    return bool(CREDENTIAL.search(who)) and len(words) <= 10 and all(w[:1].isupper() for w in words)


def is_sign_off(flat: str) -> bool:
    """'Electronically signed by ...', 'I attest that ...', a bare name and date: proof of a
    signature, nothing else."""
    return bool(SIGN_OFF.search(flat)) or _by_line(flat) or is_name_and_stamp(flat)


def wants_signatures(need: str) -> bool:
    """Only a requirement about signatures or attestation may quote a sign-off line."""
    return bool(SIGNATURE_NEED.search(need))


def _title_cased(flat: str) -> bool:
    words = [w for w in re.split(r"[\s-]+", flat) if re.search(r"[A-Za-z]", w)]
    if len(words) < 3 or DIGITS.search(flat) or ":" in flat or flat.isupper():
        return False  # 'NO CHANGES TO MEDICATIONS' is a statement in capitals
    return all(w[0].isupper() for w in words)


FRAGMENT_END = re.compile(
    r"\b(?:was|were|is|are|the|of|and|or|to|with|for|a|an|in|on|by|at|from|that|who)$", re.IGNORECASE
)


def is_fragment(flat: str) -> bool:
    """A sentence cut by a page break ('The registry query was'): it proves nothing alone."""
    return bool(FRAGMENT_END.search(flat))


SUBJECTS = {
    "patient",
    "pt",
    "he",
    "she",
    "they",
    "caregiver",
    "wife",
    "husband",
    "daughter",
    "son",
    "family",
    "provider",
    "we",
}


def states_something(flat: str) -> bool:
    """A terse charting line ('Med list reconciled', 'Consent given verbally by pt, documented',
    'CCM consent on file') states a fact even without a verb in full or a final period: it has a
    chart abbreviation or status word, or a participle used as a predicate, not as an adjective.
    In a title set in capitals word by word ('Post D/C Call', 'F/U Phone Note') an abbreviation
    names the note."""
    if TERSE.search(flat) and not _title_cased(flat):
        return True
    words = [w.strip(",;:.()") for w in re.sub(r"\([^)]*\)", " ", flat).split()]
    words = [w for w in words if w]
    for i, word in enumerate(words):
        lower = word.lower()
        participle = lower.isalpha() and ((lower.endswith("ed") and len(lower) > 4) or lower in IRREGULAR_PARTICIPLES)
        if participle and i > 0 and words[i - 1].lower() in SUBJECTS:
            return True  # 'Patient declined CCM services', 'Pt and wife agreed'
        if participle and i > 0:
            following = words[i + 1].lower() if i + 1 < len(words) else None
            dated = following is not None and (following[:1].isdigit() or re.fullmatch(MONTH, following, re.IGNORECASE))
            if following is None or following in PREDICATE_NEXT or following.endswith("ly") or dated:
                return True  # 'list reconciled', 'consent given verbally', 'reconciled 4/2/26', 'set up Jun 2'
    return False


def is_heading(flat: str) -> bool:
    """'Chronic Care Management Enrollment and Consent': short, capitalised, no digits, no end."""
    words = flat.split()
    if not words or len(words) > 8 or DIGITS.search(flat) or flat[-1] in ".!?;," or states_something(flat):
        return False
    capitalised = sum(w[:1].isupper() for w in words if len(w) > 3)
    return capitalised >= max(1, len([w for w in words if len(w) > 3]) - 1)


FRAMED = re.compile(r"^\s*([-=*_~#]{2,})\s*(?P<title>[^-=*_~#\s].*?)\s*[-=*_~#]{2,}\s*$")
"""A heading set between runs of dashes or equals signs, as plain-text EHR notes print them."""


def is_section_heading(flat: str) -> bool:
    """A line that names the section below it ('Treatment goals and expected outcomes',
    'Problem list (conditions expected to last 12 months)'): never quoted, but it lends its
    relevance to the lines under it. A terse line that states something is not one; a remark in
    brackets ('Goals (set with pt 01/14, updated 5/19):') does not make a heading a statement."""
    framed = FRAMED.match(flat)
    if framed:  # '-- Procedure note: RPM device setup / patient education --'
        inner = framed.group("title")
        return not DIGITS.search(inner) and len(inner.split()) <= 12 and not states_something(inner)
    words = flat.split()
    bare = re.sub(r"\([^)]*\)", "", flat)
    if not words or len(words) > 12 or DIGITS.search(bare) or flat[-1] in ".!?;," or not flat[0].isalpha():
        return False
    if re.match(r"^(?:[-*\u2022]|\d+[.)])\s", flat) or re.search(r"\w:\s+\w", bare) or states_something(bare):
        return False
    if "," in bare and not (flat.isupper() or is_heading(flat)):
        return len(words) <= 10 and not re.search(r"\b(?:pt|patient|he|she|they)\b", bare, re.IGNORECASE)
    return True


def _shape(text: str) -> str:
    return DIGITS.sub("#", " ".join(text.split()).lower())


def repeated_lines(pages: list[Page], min_pages: int = 3, exact: bool = False) -> set[str]:
    """Shapes of lines (digits ignored) printed on at least `min_pages` pages of the same
    document; with `exact`, the lines themselves (a print stamp, not 'Date of service: ...')."""
    counts: Counter[tuple[str, str]] = Counter()
    key = (lambda line: " ".join(line.split()).lower()) if exact else _shape
    for page in pages:
        for shape in {key(line) for line in page.text.splitlines() if line.strip() and not LIST_ITEM.match(line)}:
            counts[(page.document, shape)] += 1
    return {shape for (_, shape), n in counts.items() if n >= min_pages}


EQUIPMENT = re.compile(
    r"\b(?:S/?N|serial(?:\s+(?:no|number|#))?|IMEI|UDI)\b\W{0,3}[A-Z0-9][A-Z0-9-]{3,}", re.IGNORECASE
)
"""'(S/N TC7-55120)', 'IMEI 35-...': a piece of equipment named down to its own unit."""


def names_equipment(flat: str) -> bool:
    """A labelled field naming a device by its serial number ('Monitor: TeleCuff BP-7 cuff, serial
    TC7-55120'): a flowsheet export prints it on every page because every page records that
    device, so it is the record's fact, not letterhead."""
    return bool(LABEL_PAIR.match(flat)) and bool(EQUIPMENT.search(flat))


def running_text_spans(sentences: list[Span], repeated: set[str]) -> set[tuple[str, int, int]]:
    """Keys of sentences that sit inside a repeated header or footer line, or that are a
    confidentiality legend wherever they are printed; never a field naming the device."""
    flagged = set()
    for s in sentences:
        shape = _shape(s.text)
        if LIST_ITEM.match(s.text) and not is_legend(" ".join(s.text.split())):
            continue
        if names_equipment(" ".join(s.text.split())):
            continue
        if (
            shape in repeated
            or any(shape in line for line in repeated if len(shape) >= 12)
            or is_legend(" ".join(s.text.split()))
        ):
            flagged.add((s.document, s.page, s.start))
    return flagged


def page_title(page: Page, repeated: set[str], letterhead: str | None = None) -> str | None:
    """The first heading-like line that is not running text: 'Comprehensive Care Plan'. A
    receipt or fax stamp ('RECEIVED MAY 15 2025') says when paper arrived and names no document,
    and neither does the practice's letterhead (`letterhead`: its name), which a short packet
    prints on too few pages for it to count as running text."""
    head = letterhead.lower() if letterhead else None
    for line in page.text.splitlines()[:12]:
        flat = " ".join(line.split())
        if (
            not flat
            or _shape(flat) in repeated
            or LABEL_ONLY.search(flat)
            or is_legend(flat)
            or is_stamp(flat)
            or FIELD_ROW.match(flat)
        ):
            continue
        if head and (
            flat.lower().startswith(head)
            or partial_ratio(head, flat.lower()) >= LETTERHEAD
            and len(flat) <= 2 * len(head)
        ):
            continue
        bare = DIGITS.sub("", flat).strip(" -:|/")
        if bare and (is_heading(bare) or is_section_heading(bare) or (bare.isupper() and len(bare.split()) <= 8)):
            return bare.lower()
    return None


COVER = re.compile(
    r"\b(?:fax|facsimile)\s+(?:cover|transmittal)\b|\bcover\s+sheet\b|\btransmittal\s+sheet\b", re.IGNORECASE
)


def is_cover_page(text: str) -> bool:
    """A fax cover or transmittal sheet ('F A X  C O V E R  S H E E T'): it says what was sent
    and why ('Care plan + med mgmt for April as requested'), never what was done."""
    top = "\n".join(text.splitlines()[:12])
    squeezed = re.sub(r"(?<=\b\w) (?=\w\b)", "", top)  # letter-spaced titles
    return bool(COVER.search(top) or COVER.search(squeezed))
