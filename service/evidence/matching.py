"""The text we score a sentence by: chart shorthand spelled out, table rows framed by their
header. Never the text we quote.

'Spoke w/ pt re BP, f/u x2' and 'spoke with the patient about blood pressure, followed up
twice' are the same fact; the embedding model and BM25 only see the second as close to a
requirement. Quotes stay verbatim: only the text we *score* is expanded.
"""

import re

from service.models import Page, Span
from service.records.tables import current_rows, find_tables, row_context

SHORTHAND = {
    "pt": "patient",
    "pts": "patients",
    "pt's": "patient's",
    "w/": "with",
    "w/o": "without",
    "f/u": "follow up",
    "fu": "follow up",
    "h/o": "history of",
    "c/o": "complains of",
    "d/c": "discharge",
    "d/c'd": "discharged",
    "s/p": "status post",
    "hx": "history",
    "dx": "diagnosis",
    "rx": "prescription",
    "tx": "treatment",
    "sx": "symptoms",
    "vm": "voicemail",
    "lvm": "left voicemail",
    "min": "minutes",
    "mins": "minutes",
    "hr": "hour",
    "hrs": "hours",
    "wk": "week",
    "wks": "weeks",
    "mo": "month",
    "mos": "months",
    "med": "medication",
    "meds": "medications",
    "appt": "appointment",
    "appts": "appointments",
    "re": "regarding",
    "ph": "phone",
    "tel": "telephone",
    "edu": "education",
    "bp": "blood pressure",
    "wt": "weight",
    "bg": "blood glucose",
    "bs": "blood sugar",
    "rpm": "remote patient monitoring",
    "ccm": "chronic care management",
    "pcm": "principal care management",
    "tcm": "transitional care management",
    "cg": "caregiver",
    "dtr": "daughter",
    "sp": "spouse",
    "pcp": "primary care provider",
    "snf": "skilled nursing facility",
    "hh": "home health",
    "dme": "medical equipment",
    "adl": "activities of daily living",
    "adls": "activities of daily living",
    "iadl": "instrumental activities of daily living",
    "iadls": "instrumental activities of daily living",
    "ehr": "electronic health record",
    "emr": "electronic medical record",
    "hx.": "history",
    "rec'd": "received",
    "recd": "received",
    "req'd": "required",
    "mgmt": "management",
    "mgt": "management",
    "eval": "evaluation",
    "ref": "referral",
    "inst": "instructed",
    "hosp": "hospital",
    "htn": "hypertension",
    "dm": "diabetes",
    "dm2": "type 2 diabetes",
    "t2dm": "type 2 diabetes mellitus",
    "t1dm": "type 1 diabetes mellitus",
    "niddm": "type 2 diabetes",
    "chf": "heart failure",
    "hfref": "heart failure",
    "hfpef": "heart failure",
    "copd": "chronic obstructive pulmonary disease",
    "ckd": "chronic kidney disease",
    "cad": "coronary artery disease",
    "afib": "atrial fibrillation",
    "hld": "hyperlipidemia",
    "gerd": "reflux disease",
    "osa": "sleep apnea",
    "mdd": "major depression",
    "oa": "osteoarthritis",
    "adm": "admission",
    "sched": "scheduled",
    "cx": "cancelled",
    "cxl": "cancelled",
    "neg": "negative",
    "nka": "no known allergies",
    "vs": "vital signs",
    "qd": "daily",
    "bid": "twice daily",
    "tid": "three times daily",
    "prn": "as needed",
    "dc": "discharge",
    "obt": "obtained",
    "rcvd": "received",
}
CASED = {
    "ED": "emergency department",
    "ER": "emergency room",
    "PT": "physical therapy",
    "OT": "occupational therapy",
    "ed": "education",
}
"""Where case tells two meanings apart: ED the department, 'pt ed' the teaching; PT the therapy."""
_WORD = re.compile(r"(?<![\w/'.])[A-Za-z][A-Za-z0-9]*(?:/[A-Za-z]*)?(?:'[A-Za-z]+)?\.?(?![\w/.]|-[a-z])")
"""A word, not the prefix of a compound: 're-teach' is no 'regarding'."""
TIMES = re.compile(r"(?<!\w)x\s?(\d)(?!\w)", re.IGNORECASE)


def expand(text: str, codes: bool = True) -> str:
    """'Spoke w/ pt re BP x2' -> 'Spoke with patient regarding blood pressure 2 times'. With
    `codes`, a care-management billing code also carries what it pays for (`BILLING_CODES`)."""
    flat = " ".join(text.split())

    def swap(match: re.Match) -> str:
        word = match.group(0)
        if word.rstrip(".") in CASED:
            return CASED[word.rstrip(".")] + ("." if word.endswith(".") else "")
        key = word.lower()
        if key in SHORTHAND:
            return SHORTHAND[key]
        if key.endswith(".") and key[:-1] in SHORTHAND:
            return SHORTHAND[key[:-1]] + "."
        return word

    expanded = TIMES.sub(r"\1 times", _WORD.sub(swap, flat))
    expanded = INSTRUMENT.sub(lambda m: f"{m.group(0)} ({INSTRUMENTS[_instrument_key(m.group(0))]})", expanded)
    if not codes:
        return expanded
    return BILLING_CODE.sub(lambda m: f"{m.group(0)} ({BILLING_CODES[m.group(0).upper()]})", expanded)


INSTRUMENTS = {
    "phq2": "depression screening",
    "phq9": "depression screening",
    "gds": "depression screening",
    "gad7": "anxiety screening",
    "minicog": "cognitive screening",
    "moca": "cognitive screening",
    "mmse": "cognitive screening",
    "slums": "cognitive screening",
    "tug": "fall risk test",
    "auditc": "alcohol screening",
    "pam": "patient activation measure",
    "pam10": "patient activation measure",
    "pam13": "patient activation measure",
    "adl": "activities of daily living",
    "iadl": "instrumental activities of daily living",
    "adliadl": "activities of daily living",
    "indep": "independent",
}
"""Standard screening instruments and functional scales by name: 'Mini-Cog 5/5; PHQ-2 1' is a
cognitive and a depression screen, which the embedding model cannot know from the names. A bare
'PAM' counts only in capitals: 'Pam' is as often the nurse."""
INSTRUMENT = re.compile(
    r"(?<![\w-])(?:PHQ-?[29]|GDS(?:-15)?|GAD-?7|Mini-?Cog|MoCA|MMSE|SLUMS|TUG|AUDIT-?C|PAM-?1[03]|(?-i:PAM)|ADL/IADLs?|indep)(?![\w-])",
    re.IGNORECASE,
)

BILLING_CODES = {
    "99453": "initial set-up of the monitoring device and patient education on its use",
    "99454": "device supply for 16 or more days",
    "99445": "device supply for 2 to 15 days",
    "99457": "treatment management, first 20 minutes",
    "99458": "treatment management, additional 20 minutes",
    "99470": "treatment management, first 10 minutes",
    "99091": "physician review of transmitted physiologic data, 30 minutes",
    "99490": "chronic care management, first 20 minutes of clinical staff time",
    "99439": "chronic care management, each additional 20 minutes of clinical staff time",
    "99491": "chronic care management by the physician, first 30 minutes",
    "99437": "chronic care management by the physician, each additional 30 minutes",
    "99487": "complex chronic care management, first 60 minutes",
    "99489": "complex chronic care management, each additional 30 minutes",
    "99424": "principal care management by the physician, first 30 minutes",
    "99425": "principal care management by the physician, each additional 30 minutes",
    "99426": "principal care management, first 30 minutes of clinical staff time",
    "99427": "principal care management, each additional 30 minutes of clinical staff time",
    "99495": "transitional care management, contact within 2 business days, visit within 14 days",
    "99496": "transitional care management, contact within 2 business days, visit within 7 days",
    "G0506": "care planning at chronic care management initiation",
}
"""Care-management billing codes by what they pay for, in our own words: a line of codes submitted
under a time log that lists 99458 bills an added 20 minutes of treatment management, and '99453 -
kit paired' is the setup visit, which the embedding model cannot know from the numbers."""
BILLING_CODE = re.compile(rf"(?<![\w./-])(?:{'|'.join(BILLING_CODES)})(?![\w/-])", re.IGNORECASE)

SERVICES = ("rpm", "ccm", "pcm", "tcm")
"""Services named by an abbreviation that `SHORTHAND` spells out in the text we score."""
OTHER_NAMES = {"rpm": ("remote physiologic monitoring",)}


def service_words(services: list[str]) -> re.Pattern | None:
    """The names of a code's services, short and spelled out ('RPM', 'remote patient monitoring'):
    every requirement of the code shares them, so they cannot say which one a heading names."""
    keys = [s.lower() for s in services if s.lower() in SERVICES]
    names = [n for key in keys for n in (key, SHORTHAND[key], *OTHER_NAMES.get(key, ()))]
    if not names:
        return None
    return re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(names, key=len, reverse=True))) + r")\b", re.IGNORECASE)


def _instrument_key(name: str) -> str:
    key = re.sub(r"[^a-z0-9]", "", name.lower())
    key = {"gds15": "gds", "adliadls": "adliadl"}.get(key, key)
    return key


def match_texts(pages: list[Page], sentences: list[Span]) -> dict[tuple[str, int, int], str]:
    """Sentence key -> what to embed and search: 'Minutes: 12; Staff: J. Ellis, RN; ...' for a
    table row, the expanded sentence otherwise."""
    return _framed(pages, sentences, row_context, whole=True)


def current_texts(pages: list[Page], sentences: list[Span]) -> dict[tuple[str, int, int], str]:
    """Sentence key -> a table row as it stands now, for rows that also show an earlier state
    ('Status at run' beside 'Status 12/31'): what the row says against a requirement is read
    from its current cells, not from what it was before the work was done."""
    return _framed(pages, sentences, current_rows, whole=False)


def _framed(pages: list[Page], sentences: list[Span], frame, whole: bool) -> dict[tuple[str, int, int], str]:
    """Each sentence's row read by `frame` (expanded); with `whole`, every other sentence too."""
    by_page: dict[tuple[str, int], list[Span]] = {}
    for s in sentences:
        by_page.setdefault((s.document, s.page), []).append(s)
    out = {}
    for page in pages:
        spans = by_page.get((page.document, page.number), [])
        rows = frame(page.text, find_tables(page.text)) if spans else {}
        for s in spans:
            line_start = page.text.rfind("\n", 0, s.start) + 1
            framed = rows.get(s.start) or (rows.get(line_start) if line_start in rows else None)
            if framed or whole:
                out[(s.document, s.page, s.start)] = expand(framed or s.text)
    return out
