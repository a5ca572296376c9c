"""A language model's claim fields held to the letter it read: a value is kept only where the
letter prints it (an identifier ignoring case and punctuation, a date as a date, money as an
amount, a name in any order), with the page and the line it is on as its quote; any other value
is dropped, so a model can point at what the letter says but never add to it."""

import re
from collections.abc import Callable

from service.models import FieldReading, Page
from service.remittance.letter_values import (
    amounts_in,
    chunks,
    compact,
    dates_in,
    has_code,
    has_name,
    has_phrase,
    parse_amount,
    parse_date,
    same_name,
)
from service.remittance.notice_claim import NoticeClaim

KINDS = {
    "claim_number": "id",
    "patient_id": "id",
    "denial_code": "code",
    "billed_cpt": "codes",
    "rarcs": "codes",
    "patient_name": "name",
    "payer": "phrase",
    "date_of_service": "date",
    "denial_date": "date",
    "amount_denied": "money",
}
SHAPES = {"billed_cpt": re.compile(r"\d{4}[0-9FTU]|[A-Z]\d{4}"), "rarcs": re.compile(r"(?:MA|M|N)\d{1,3}")}
GROUP_CODE = re.compile(r"(CO|PR|OA|PI|CR)[\s-]*([A-Z]?\d{1,3})")

Lines = list[tuple[int, str]]


def grounded(claim: NoticeClaim, pages: list[Page], confidence: float, bar: float) -> dict[str, FieldReading]:
    """The claim's fields the letter prints, each read at `confidence` from its first line there."""
    lines = [(page.number, text) for page in pages for text in page.text.splitlines() if text.strip()]
    out: dict[str, FieldReading] = {}
    for name, raw in claim.model_dump().items():
        if name not in KINDS or raw in (None, "", []):
            continue
        found = _codes(name, raw, lines) if KINDS[name] == "codes" else _one(name, raw, lines)
        if found is not None:
            value, (page, text) = found
            out[name] = FieldReading(
                value=value, confidence=confidence, page=page, quote=text.strip(), review=confidence < bar
            )
    return out


def agree(name: str, a, b) -> bool:
    """Two readings of one field say the same thing, compared the way `grounded` finds values."""
    kind = KINDS.get(name)
    if kind == "codes":
        return {compact(str(x)) for x in a or []} == {compact(str(x)) for x in b or []}
    if kind in ("id", "code"):
        return compact(str(a)) == compact(str(b))
    if kind == "name":
        return same_name(str(a), str(b))
    if kind == "phrase":
        return chunks(str(a)) == chunks(str(b))
    if kind == "date":
        return parse_date(a) is not None and parse_date(a) == parse_date(b)
    if kind == "money":
        x, y = parse_amount(a), parse_amount(b)
        return x is not None and y is not None and abs(x - y) < 0.005
    return a == b


def _one(name: str, raw: str, lines: Lines):
    """(the value as this service writes it, the first line that prints it) or None."""
    test = _test(name, raw)
    if test is None:
        return None
    value, printed = test
    line = next((line for line in lines if printed(line[1])), None)
    return (value, line) if line is not None else None


def _test(name: str, raw: str) -> tuple[object, Callable[[str], bool]] | None:
    kind = KINDS[name]
    if kind in ("id", "code"):
        value = _code(raw) if kind == "code" else raw.strip()
        least = 3 if kind == "code" else 5
        if len(compact(value)) < least or not re.search(r"\d", value):
            return None
        return value, lambda text: has_code(text, value)
    if kind == "name":
        return _display_name(raw), lambda text: has_name(text, raw)
    if kind == "phrase":
        if len(re.findall(r"[A-Za-z]", raw)) < 3:
            return None
        return " ".join(raw.split()), lambda text: has_phrase(text, raw)
    if kind == "date":
        day = parse_date(raw)
        return (day, lambda text: day in dates_in(text)) if day is not None else None
    amount = parse_amount(raw)
    return (amount, lambda text: amount in amounts_in(text)) if amount is not None else None


def _codes(name: str, raw: list[str], lines: Lines):
    """Each code of the shape the field holds that the letter prints; the line of the first."""
    kept, first = [], None
    for code in dict.fromkeys(compact(c) for c in raw):
        if not SHAPES[name].fullmatch(code):
            continue
        line = next((line for line in lines if has_code(line[1], code)), None)
        if line is not None:
            kept.append(code)
            first = first or line
    return (kept, first) if kept else None


def _code(raw: str) -> str:
    """'co 50', 'CO50' -> 'CO-50', as the layout reader writes a group and reason code."""
    plain = raw.strip().upper()
    match = GROUP_CODE.fullmatch(plain)
    return f"{match.group(1)}-{match.group(2)}" if match else plain


def _display_name(raw: str) -> str:
    """'PATEL, ANJALI K' -> 'Anjali K Patel': first name first, capitals only where names take them."""
    last, comma, rest = raw.partition(",")
    ordered = f"{rest} {last}" if comma and rest.strip() else raw
    return " ".join("-".join(_capital(part) for part in word.split("-")) for word in ordered.split())


def _capital(word: str) -> str:
    return word[:1].upper() + word[1:].lower() if word.isupper() or word.islower() else word
