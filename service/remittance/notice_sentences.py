"""Claim fields a narrative letter gives only in its sentences ('we reviewed claim 20260314...
for services on March 5, 2026 ... our member Harold B. Mensah'). A page's lines are read as one
text, since a sentence wraps; each value found keeps the line it starts on."""

import re
from bisect import bisect_right

from service.remittance.notice_layout import GUESS, TABLE, Found, Line, found_at
from service.remittance.notice_values import DATE, MONEY, first_date, identifier, money, person

CLAIM = re.compile(
    r"\bclaims?(?:\s+(?:number|no\.?|#|id))?\s*:?\s+(?=[A-Z0-9-]*\d{4})(?P<v>[A-Z0-9][A-Z0-9-]{4,})", re.I
)
SERVICE = re.compile(
    r"\b(?:(?:services?|visits?|treatment|care)\s+(?:\w+\s+){0,2}?(?:on|dated|of)|(?:furnished|performed|provided|rendered)\s+on)\s+(?=\S)",
    re.I,
)
PERSON = re.compile(
    r"\b(?:our|the|your|for)\s+(?:member|patient|enrollee|beneficiary|insured|claimant|participant)\s*,?\s+(?=[A-Z])"
)
SUBJECT = re.compile(r"^\s*re\s*:\s*(?=[A-Z])", re.I)
CHARGE = re.compile(r"\b(?:charge|charged|billed amount|amount)\s+(?:of\s+)?(?=(?:USD|\$))", re.I)


def sentence_values(lines: list[Line]) -> list[Found]:
    out: list[Found] = []
    for page in dict.fromkeys(line.page for line in lines):
        indices = [i for i, line in enumerate(lines) if line.page == page]
        starts: list[int] = []
        text = ""
        for i in indices:
            starts.append(len(text))
            text += " ".join(lines[i].text.split()) + " "

        def at(offset: int, indices: list[int] = indices, starts: list[int] = starts) -> int:
            """The index of the line holding this offset of the page's text (this page's lines)."""
            return indices[bisect_right(starts, offset) - 1]

        for match in CLAIM.finditer(text):
            value = identifier(match.group("v"))
            if value and not DATE.match(match.group("v")):
                more = re.match(r" (\d{3,})\b", text[match.end() :])  # '202603 1400123': OCR split one number
                sure = GUESS if more else TABLE
                out.append(
                    found_at(
                        "claim_number",
                        value + (more.group(1) if more else ""),
                        sure,
                        at(match.start()),
                        lines[at(match.start())].text,
                    )
                )
        for match in SERVICE.finditer(text):
            rest = text[match.end() : match.end() + 40]
            if DATE.match(rest) and (day := first_date(rest)):
                out.append(found_at("date_of_service", day, TABLE, at(match.start()), lines[at(match.start())].text))
        for match in PERSON.finditer(text):
            index = at(match.start())
            if name := _lead_name(text[match.end() : match.end() + 60]):
                out.append(found_at("patient_name", name, GUESS, index, lines[index].text))
        for match in CHARGE.finditer(text):
            amount = money(text[match.end() : match.end() + 16], bare=False)
            if amount is not None:
                out.append(found_at("amount_denied", amount, GUESS, at(match.start()), lines[at(match.start())].text))
    for i, line in enumerate(lines):
        subject = SUBJECT.match(line.text)
        if subject and (name := _lead_name(line.text[subject.end() :])):
            out.append(found_at("patient_name", name, GUESS, i, line.text))
    names = [item for item in out if item.field == "patient_name"]
    for item in names:  # a name in a sentence is sure only when the letter says it twice, in two places
        if len({other.index for other in names if other.value == item.value}) > 1:
            item.confidence = TABLE
    return sorted(out, key=lambda item: -item.confidence)


def _lead_name(text: str) -> str | None:
    """The name a phrase starts with, up to the punctuation or word that ends it."""
    return person(re.split(r"[,;:(]|\s(?:to|on|for|and|is|was|who|dob|member|id)\b", text, flags=re.I)[0])


def only_amount(lines: list[Line]) -> Found | None:
    """A letter that names a single sum of money: it is the sum in question (marked for review)."""
    seen: dict[float, int] = {}
    for i, line in enumerate(lines):
        for match in MONEY.finditer(line.text):
            value = money(match.group(0), bare=True)
            if value is not None and (match.group("cents") or match.group("cur")):
                seen.setdefault(value, i)
    if len(seen) != 1:
        return None
    value, index = next(iter(seen.items()))
    return found_at("amount_denied", value, GUESS, index, lines[index].text)
