"""Typed values as payers print them: dates in every form (and ranges), money in every form,
identifiers (with dashes or spaces), people's names. A label only says where to look; the value
must also have the shape of what the label names, or it is not taken."""

import re
from datetime import date

from nameparser import HumanName

from service.remittance.notice_labels import labels_in, vocabulary

MONTHS = {
    m: i for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)
}
MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
DATE = re.compile(
    r"(?<![\d/-])(?:(?P<iso>\d{4}-\d{2}-\d{2})|(?P<us>\d{1,2}[/-]\d{1,2}[/-](?:\d{4}|\d{2}))"
    rf"|(?P<mdy>{MONTH}\s+\d{{1,2}},?\s+\d{{4}})|(?P<dmy>\d{{1,2}}[\s-]{MONTH}[\s,-]+\d{{4}}))(?![\d/])",
    re.I,
)
RANGE_JOIN = re.compile(r"\s*(?:-|–|to|thru|through)\s*", re.I)
MONEY = re.compile(
    r"(?P<cur>USD\s?|US\$\s?|\$\s?)?(?<![\d.,])(?P<num>\d{1,3}(?:,\d{3})+|\d+)(?:(?P<cents>\.\d{2})|[.,]\s(?P<split>\d{2}))?(?!\d|,\d{3}|\.\d)"
)
IDENT = re.compile(r"(?<![A-Za-z0-9-])[A-Za-z0-9][A-Za-z0-9-]{3,}[A-Za-z0-9](?![A-Za-z0-9-])")
SPACED_ID = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2,4}(?:\s{1,3}\d{2,6}){2,}(?![A-Za-z0-9])")
MBI = re.compile(
    r"[1-9][AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\d[AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\d[AC-HJKMNP-RT-Y]{2}\d{2}"
)
"""A Medicare Beneficiary Identifier: 11 characters in a fixed pattern of digits and letters
(never S, L, O, I, B or Z), printed with or without dashes after the 4th and 7th."""
HICN = re.compile(r"\d{9}[A-Z]\d?|[A-Z]{1,3}\d{6}(?:\d{3})?")
"""The older Medicare number: a 9-digit account and a letter, or a railroad board number."""
LEAD = " \t:#.=;_,()'\"‘’“”|°+*~-"


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


def parse_date(match: re.Match) -> date | None:
    try:
        if match.group("iso"):
            return date.fromisoformat(match.group("iso"))
        if match.group("us"):
            month, day, year = re.split(r"[/-]", match.group("us"))
            return date(_year(year), int(month), int(day))
        words = re.findall(r"[A-Za-z]+|\d+", match.group(0))
        month = next(MONTHS[w[:3].lower()] for w in words if w[:3].lower() in MONTHS)
        numbers = [int(w) for w in words if w.isdigit()]
        return date(numbers[-1], month, numbers[0])
    except (ValueError, StopIteration, IndexError):
        return None


def first_date(text: str) -> tuple[date, bool] | None:
    """The first date in the text, and whether it opens a range to a different later date
    ('03/02/2026 - 03/09/2026'): a range's from-date is only a guess at the day."""
    for match in DATE.finditer(text):
        day = parse_date(match)
        if day is None or not 1990 <= day.year <= 2100:
            continue
        rest = text[match.end() :]
        join = RANGE_JOIN.match(rest)
        other = DATE.match(rest[join.end() :]) if join else None
        until = parse_date(other) if other else None
        return day, bool(until and until != day)
    return None


def money(text: str, bare: bool = True) -> float | None:
    """The first amount: '$85', '1,234.50', 'USD 62.00', OCR's '$58. 00'; a bare number without a
    currency sign or cents is no amount. `bare`: whether '231.00' without a sign counts."""
    for match in MONEY.finditer(text):
        sign, cents, split = match.group("cur"), match.group("cents"), match.group("split")
        if cents and (sign or bare):
            return float(match.group("num").replace(",", "") + cents)
        if sign and split:
            return float(f"{match.group('num').replace(',', '')}.{split}")
        if sign and not cents and not split:
            return float(match.group("num").replace(",", ""))
    return None


def identifier(text: str) -> str | None:
    """The identifier the text starts with: letters and digits with at least three digits
    ('N26067A04415300', 'NWA-553-018-442'), or one printed in spaced groups ('CHP 6620 1874')."""
    text = re.sub(r"^\$(?=[A-Z]{1,3}\d)", "S", text.lstrip(LEAD))  # OCR reads an S that opens an ID as '$'
    spaced = SPACED_ID.match(text)
    if spaced:
        return " ".join(spaced.group(0).split())
    match = IDENT.match(text)
    if not match or DATE.match(text) or sum(c.isdigit() for c in match.group(0)) < 3:
        return None
    return match.group(0)


def medicare_shaped(value: str) -> bool:
    """Whether an ID read beside a Medicare label has a Medicare number's shape (an OCR slip
    such as an extra letter breaks it)."""
    plain = re.sub(r"[\s-]", "", value).upper()
    return bool(MBI.fullmatch(plain) or HICN.fullmatch(plain))


def person(text: str) -> str | None:
    """A person's name at the start of the text ('HARRIS, LEONA M', 'Priya Raman (self)') as
    'First Last'; a relationship word or a bracket after it is not part of it."""
    text = re.sub(r"(?<=[A-Za-z]) 1[,.]? (?=[A-Z])", " I ", text.lstrip(LEAD))
    size = name_span(text)
    if not size or labels_in(text[:size]):
        return None
    words = text[:size].strip(" ,.-").split()
    relations = vocabulary().relationships
    while words and words[-1].lower().strip(".,") in relations:
        words.pop()
    if not 2 <= len(words) <= 5 or any(len(w.strip(".,")) > 20 or not w[0].isupper() for w in words):
        return None
    found = HumanName(" ".join(words))
    first, last = found.first.strip(" .,"), found.last.strip(" .,")
    if not first or not last or len(last.strip(".")) < 2:
        return None
    return f"{_title(first)} {_title(last)}"


def name_span(text: str) -> int:
    """How many characters a name at the start of the text takes: single-spaced words of
    letters, up to a wide gap, a digit, or the letters that open an identifier ('NWA-553')."""
    raw = re.match(r"[A-Za-z][A-Za-z.,'’-]*(?: [A-Za-z][A-Za-z.,'’-]*)*", text)
    if not raw:
        return 0
    end = raw.end()
    if end < len(text) and text[end].isdigit():
        end = text.rfind(" ", 0, end) if " " in text[:end] else 0
    return end


def _title(word: str) -> str:
    return "-".join(p[:1].upper() + p[1:].lower() if p.isupper() or p.islower() else p for p in word.split("-"))
