"""Values compared the way a person reading a letter compares them: an identifier ignoring case,
spaces and dashes; a date as a date whatever its format; money as an amount; a name ignoring
order, case and punctuation. Used to hold a language model's answer to the letter's own text."""

import re
from datetime import date

MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        1,
    )
    for name in names
}
MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
DATE_FORMS = [
    re.compile(r"(?<![\d/.])(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?!\d)"),
    re.compile(r"(?<![\d/.])(?P<m>\d{1,2})[-/.](?P<d>\d{1,2})[-/.](?P<y>\d{4}|\d{2})(?!\d)"),
    re.compile(rf"\b{MONTH}[ -](?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?[ -](?P<y>\d{{4}})\b"),
    re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?[ -]{MONTH}[ ,-]+(?P<y>\d{{4}}|\d{{2}})\b"),
    re.compile(r"(?<![\d.])(?P<y>(?:19|20)\d{2})(?P<m>\d{2})(?P<d>\d{2})(?![\d.])"),
    re.compile(r"(?<![\d.])(?P<m>\d{2})(?P<d>\d{2})(?P<y>\d{2})(?![\d.])"),
]
"""ISO, US numeric (month first, as US payers print), 'March 5, 2026', '05-MAR-2026', and the
compact CCYYMMDD and MMDDYY of remittance printouts."""
TITLES = {"mr", "mrs", "ms", "miss", "dr", "jr", "sr"}
"""Words a model may add to a name that the letter need not print."""
MONEY = re.compile(
    r"(?:USD|US\$|\$)\s*(?P<a>\d[\d,]*(?:\.\d{1,2})?)|(?P<b>\d{1,3}(?:,\d{3})+(?:\.\d{2})?|\d+\.\d{2})\b(?!\.\d)"
)


def chunks(text: str) -> list[str]:
    """The letters-and-digits runs of a text, upper case: 'ID# 1EG4-TE5' -> ['ID', '1EG4', 'TE5']."""
    return re.findall(r"[A-Z0-9]+", text.upper())


def compact(text: str) -> str:
    return "".join(chunks(text))


def has_code(text: str, value: str) -> bool:
    """The value, ignoring case, spaces and punctuation, as whole runs of the text: '1EG4-TE5-MK72'
    is in 'ID 1EG4 TE5 MK72', '2026031' is not in 'claim 2026031400123'."""
    target = compact(value)
    if not target:
        return False
    parts = chunks(text)
    for start in range(len(parts)):
        joined = ""
        for part in parts[start:]:
            joined += part
            if len(joined) >= len(target):
                break
        if joined == target:
            return True
    return False


def dates_in(text: str) -> list[date]:
    found = []
    for form in DATE_FORMS:
        for match in form.finditer(text):
            day = _date(match)
            if day is not None:
                found.append(day)
    return found


def _date(match: re.Match) -> date | None:
    parts = match.groupdict()
    month = MONTHS.get(parts["month"].lower()) if "month" in parts else int(parts["m"])
    year = int(parts["y"])
    if year < 100:
        year += 2000 if year < 70 else 1900
    try:
        day = date(year, month, int(parts["d"])) if month else None
    except ValueError:
        return None
    return day if day is not None and 1990 <= day.year <= 2100 else None


def parse_date(value) -> date | None:
    """A model's date in any format: the first date the text holds."""
    if isinstance(value, date):
        return value
    found = dates_in(str(value))
    return found[0] if found else None


def amounts_in(text: str) -> list[float]:
    """Amounts marked as money ('$85', 'USD 62.00') or written with cents ('1,234.50')."""
    return [round(float((m.group("a") or m.group("b")).replace(",", "")), 2) for m in MONEY.finditer(text)]


def parse_amount(value) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return round(float(value), 2)
    match = re.search(r"\d[\d,]*(?:\.\d+)?", str(value))
    return round(float(match.group(0).replace(",", "")), 2) if match else None


def name_words(text: str) -> list[str]:
    return re.findall(r"[a-z]+", text.lower())


def has_name(text: str, name: str) -> bool:
    """Every word of the name, in any order, within a stretch of the text hardly longer than the
    name: 'Anjali Patel' is in 'Patient Name: PATEL, ANJALI K'."""
    wanted = [w for w in name_words(name) if w not in TITLES]
    if len(wanted) < 2 or not any(len(w) > 1 for w in wanted):
        return False
    words = name_words(text)
    span = len(wanted) + 1
    return any(_holds(words[start : start + span], wanted) for start in range(len(words)))


def _holds(window: list[str], wanted: list[str]) -> bool:
    left = list(window)
    for word in wanted:
        if word not in left:
            return False
        left.remove(word)
    return True


def same_name(a: str, b: str) -> bool:
    """The same person: the same words of two letters or more, initials and titles aside."""
    return _surnames_and_given(a) == _surnames_and_given(b)


def _surnames_and_given(name: str) -> set[str]:
    return {w for w in name_words(name) if len(w) > 1 and w not in TITLES}


def has_phrase(text: str, phrase: str) -> bool:
    """The phrase's words, in order, as consecutive words of the text (case and punctuation aside)."""
    wanted, words = chunks(phrase), chunks(text)
    size = len(wanted)
    return bool(wanted) and any(words[i : i + size] == wanted for i in range(len(words) - size + 1))
