"""Contacts with someone outside the practice, by their shape: an act of communication and an
outside party. 'Spoke w/ Kelly RN at Valley Pulmonology (Dr. Soren Vik)' and 'Faxed notes to
Cascade Heart' read as little like 'care coordination with a specialist office' to a small
embedding model as 'Call to pt re inhaler' does; their shape tells them apart."""

import re

ACT = re.compile(
    r"\b(?:spoke|spoken|speak|talked|call(?:ed|s)?|phoned|tel(?:ephone)?|faxed|fax(?:ed)?|sent|e-?mailed|"
    r"messaged|message|left\s+(?:vm|voicemail|message)|lvm|discussed|contacted|coord(?:inated|ination)?|"
    r"conferred|consulted|notified|arranged|confirmed|requested|received|rec'?d|ordered\s+(?:from|through|via))\b",
    re.IGNORECASE,
)
PARTY = re.compile(
    r"\bDr\.?\s+[A-Z]|\b[A-Za-z]{3,}ology\b|\b(?:pulm|cardio|nephro|endo|onc|neuro|ortho|derm|GI|ENT|ID)\b(?!\s*\d)|"
    r"(?i:\b(?:pharmacy|pharmacist|clinic|office|agency|home\s+health|hospital|SNF|facility|specialist|DME|supplier|"
    r"vendor|rehab|hospice|case\s+manager|social\s+worker|care\s+manager|Meals\s+on\s+Wheels|insurer|"
    r"health\s+plan|dialysis|infusion|wound\s+care|food\s+bank|senior\s+center|Area\s+Agency)\b)|"
    r"\b[A-Z][A-Za-z]+\s+(?:Associates|Group|Center|Clinic|Pharmacy|Agency|Services|Health|Medical|Heart|Rehab|Equipment|Supply|Supplies)\b",
)
NAME_RUN = r"(?-i:(?:[A-Z][a-z][\w'.-]*|[A-Z]&[A-Z])(?:\s+(?:&|of|on|[A-Z][a-z][\w'.-]*|[A-Z]&[A-Z]))*\s+[A-Z][a-z][\w'.-]*(?![\w'.-]))"
"""Two or more capitalised words, '&' and 'of' between: 'Corner Drug & Compounding', 'Northgate
Kidney Care', 'Evergreen Visiting Nurses'. Outside parties are charted by name, and the names of
practices, pharmacies and agencies follow no list of words."""
CONTACTED = r"(?:called|phoned|spoke|spoken|talked|contacted|faxed|e-?mailed|messaged|notified|conferred|consulted|lvm|left\s+(?:vm|voicemail|message)(?:\s+for)?)"
NAMED = re.compile(
    rf"\b{CONTACTED}\s+(?:(?:to|with|w/|at|for)\s+)?{NAME_RUN}(?!\s+to\b)"
    rf"|\b(?:faxed|sent|e-?mailed|mailed|forwarded)\s+(?:[a-z][\w'/-]*\s+){{1,4}}?to\s+{NAME_RUN}"
    rf"|^\W*{NAME_RUN}\s+(?:\w+\s+){{0,2}}?(?:called|phoned|contacted|faxed|returned)\b",
    re.IGNORECASE,
)
"""A contact whose other end is named: 'Called Corner Drug & Compounding', 'Faxed recent labs to
Northgate Kidney Care', 'Evergreen Visiting Nurses nurse called back'. Not what was sent ('Faxed
Care Plan to pt') nor what a call was about ('Called pt re Chronic Care Management')."""
ARRANGED = re.compile(
    r"\b(?:set\s+up|arranged|scheduled|synced|ordered|delivered|dispensed|approved|authorized|accepted|started|faxed|sent|received)\b",
    re.IGNORECASE,
)
LABELLED_PARTY = re.compile(r"^\W*(?P<party>[A-Z][\w'&.-]*(?:\s+[\w'&.-]+){0,4})\s*:\s*(?P<rest>\S.*)$")
"""'Main Street Pharmacy: refill sync set up, blister packaging confirmed': the outside party as
the line's label, and what was arranged with it after."""
CHECKED = re.compile(r"\s(?:confirmed|verified)\W*$", re.IGNORECASE)
"""'Pharmacy + phone confirmed': a word that closes the line says those details were checked,
not that anyone was contacted ('referral confirmed w/ Rio Grande Heart' says more after it)."""
PATIENT_ONLY = re.compile(
    r"^\W*(?:call|tel(?:ephone)?\s+call|spoke|phoned)\s+(?:to|with|w/)\s+(?:pt|patient)\b", re.IGNORECASE
)


def is_outside_contact(text: str) -> bool:
    """True for a line recording a communication with an outside party about the patient."""
    flat = " ".join(text.split())
    with_patient = PATIENT_ONLY.match(flat)
    if with_patient and not PARTY.search(flat, with_patient.end()):
        return False  # 'Call to pt re inhaler': unless someone else is named after the patient
    return (_acts(flat) and bool(PARTY.search(flat) or NAMED.search(flat))) or _labelled_contact(flat)


def names_other_end(text: str) -> bool:
    """A contact whose other end is named ('Evergreen Visiting Nurses nurse called back', 'Main
    Street Pharmacy: refill sync set up'): no ordinary chart content, however close its subject
    reads to some (home visits, refills)."""
    flat = " ".join(text.split())
    return bool(NAMED.search(flat)) or _labelled_contact(flat)


def _labelled_contact(flat: str) -> bool:
    """'Preferred pharmacy: Main Street Pharmacy' names a party and arranges nothing."""
    m = LABELLED_PARTY.match(flat)
    return bool(m and PARTY.search(m.group("party")) and ARRANGED.search(CHECKED.sub("", m.group("rest"))))


def is_check(text: str) -> bool:
    """True for a line that only records details checked ('Pharmacy + phone confirmed', 'Address
    verified'): it names a party but no one was contacted, so it is no coordination contact."""
    flat = " ".join(text.split())
    return bool(CHECKED.search(flat)) and not _acts(flat)


def _acts(flat: str) -> bool:
    """An act of communication, leaving out a closing 'confirmed' or 'verified'."""
    return bool(ACT.search(CHECKED.sub("", flat)))
