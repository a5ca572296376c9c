"""The claim as the payer knows it, exactly: identifiers, payer, denial code, billed codes, and
the people a letter may name.

A model that writes 'Ms. Hollway' after 'Dorothy T. Holloway', another CPT code from the code's
services list, another payer or another denial code has written a different claim. A person the
letter names must be the patient, the provider, or someone in a quote the letter cites.
"""

import re

from rapidfuzz.distance import DamerauLevenshtein

from service.drafting.facts import TITLES, unquoted, word_set
from service.drafting.statements import Statement
from service.models import CaseFields, CodeEntry
from service.screening.dates import long_date

Failure = tuple[str, str]

LABELLED_ID = re.compile(
    r"\b(claim(?:\s+(?:number|no\.?|#|id))?|patient\s+id|member\s+id|mrn)\s*[:#]?\s*((?=[A-Z-]*\d)[A-Z0-9][A-Z0-9-]{3,})",
    re.I,
)
SERVICE_CODE = re.compile(r"(?<![\w.-])(?:\d{5}|[A-Z]\d{4}|\d{4}[A-Z])(?![\w-])")
"""A CPT or HCPCS code ('99490', 'G0511', '0591T')."""
CODE_CUE = re.compile(r"\b(?:CPT|HCPCS|codes?|billed|billing|services?)\b[\s:#,]*(?:\w+\s+){0,3}$", re.I)
NAME_CUE = re.compile(
    r"\b(?:Dr|Mr|Mrs|Ms|Mx|Miss|Nurse|Prof)\.?\s+((?:[A-Z][a-z'’-]+\.?\s*){1,3})|"
    r"((?:[A-Z][a-z'’-]+\.?\s+){1,2}[A-Z][a-z'’-]+),?\s+(?:RN|LPN|MD|DO|NP|PA|PA-C|MA|CMA|PharmD|APRN|FNP|LCSW|CNA)\b"
)
"""A person by a title before the name or a credential after it."""


def _typo(word: str, part: str) -> bool:
    """One slip of the keyboard (two in a long name): 'Oudya' for 'Oduya', 'Hollway' for 'Holloway'."""
    return len(part) >= 4 and 0 < DamerauLevenshtein.distance(word, part) <= (1 if len(part) < 8 else 2)


def check_claim_fields(
    text: str, statements: list[Statement], case: CaseFields, entry: CodeEntry, quotes: str
) -> list[Failure]:
    """`text`: the whole letter body, flattened; `quotes`: the cited passages' text."""
    out: list[Failure] = []
    if case.claim_number not in text:
        out.append(("claim_number", "the claim number is missing or altered"))
    if case.patient_id not in text:
        out.append(("patient_id", "the patient ID is missing or altered"))
    for label, value in LABELLED_ID.findall(text):
        kind = "claim_number" if label.lower().startswith("claim") else "patient_id"
        expected = case.claim_number if kind == "claim_number" else case.patient_id
        if value.rstrip(".,;") != expected and not expected.startswith(value.rstrip(".,;")):
            out.append((kind, f"a {label.lower()} other than the case's appears"))
    dos = case.date_of_service
    if not any(form in text for form in (dos.isoformat(), dos.strftime("%m/%d/%Y"), long_date(dos), f"{dos:%B %Y}")):
        out.append(("date_of_service", "the date of service is missing"))
    if " ".join(case.payer.split()).lower() not in text.lower():
        out.append(("payer", "the payer is missing or named differently from the case"))
    out += _denial_code(text, case)
    out += _billed_codes(text, case, entry)
    out += _people(text, statements, case, quotes)
    return list(dict.fromkeys(out))


def _denial_code(text: str, case: CaseFields) -> list[Failure]:
    code = case.denial_code.upper()
    if not re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", text, re.I):
        return [("denial_code", "the denial code is missing or altered")]
    prefix = re.match(r"[A-Z]+", code)
    like = (
        rf"(?<![\w-])(?:{prefix.group(0)}[- ]?\d{{1,3}}|(?:CO|PR|OA|PI|CR)-\d{{1,3}})(?![\w-])"
        if prefix
        else r"(?<![\w-])(?:CO|PR|OA|PI|CR)-\d{1,3}(?![\w-])"
    )
    others = {m.upper().replace(" ", "") for m in re.findall(like, unquoted(text), re.I)} - {
        code,
        code.replace("-", ""),
    }
    return [("denial_code", "a denial code other than the case's appears")] if others else []


def _billed_codes(text: str, case: CaseFields, entry: CodeEntry) -> list[Failure]:
    """A service code outside a quotation must be one the claim billed, when it is named as a
    code or is one the code's knowledge lists."""
    billed = {c.upper() for c in case.billed_cpt}
    known = {c.upper() for c in SERVICE_CODE.findall(" ".join(entry.services))}
    outside = unquoted(text)
    for match in SERVICE_CODE.finditer(outside):
        code = match.group(0).upper()
        if code in billed or code in case.claim_number or code in case.patient_id:
            continue
        if code in known or CODE_CUE.search(outside[max(0, match.start() - 40) : match.start()]):
            return [("billed_cpt", "a service code the claim did not bill appears")]
    return []


def _people(text: str, statements: list[Statement], case: CaseFields, quotes: str) -> list[Failure]:
    patient = [w for w in word_set(case.patient_name) if len(w) > 2]
    known = word_set(
        " ".join(filter(None, [case.patient_name, case.provider_name, case.practice_name, case.payer, quotes]))
    )
    out = []
    for st in statements:
        for match in re.finditer(r"(?<![\w'’-])[A-Z][a-z'’-]+", unquoted(st.text)):
            word = re.sub(r"['’]s?$", "", match.group(0).lower())
            if word in known or word in TITLES:
                continue
            if any(_typo(word, part) for part in patient):
                out.append(("patient_name", "the patient's name is misspelled or altered"))
    outside = unquoted(text)
    if " ".join(case.patient_name.split()).lower() not in text.lower():
        out.append(("patient_name", "the patient's name is missing or altered"))
    for match in NAME_CUE.finditer(outside):
        name = match.group(1) or match.group(2)
        if not word_set(name) <= known | TITLES:
            out.append(("person_name", "a person is named who is not the patient, the provider or in a cited quote"))
    return out
