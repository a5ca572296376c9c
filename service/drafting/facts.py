"""The checkable facts of a piece of text: numbers, dates, coded tokens and proper words.

A letter sentence's facts must each be found in the text it may draw on (its own quotes, the
case fields, the code's knowledge). Numbers written as words are read as digits first, by
text2num (a maintained parser): 'forty-five minutes' is the 45 of '45 min'.
"""

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from text_to_num import alpha2digit

from service.screening.dates import DATE, MONTH_YEAR, parse_date, parse_month

NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*%?")
CODED = re.compile(r"\b(?=[A-Za-z0-9.-]*\d)(?=[A-Za-z0-9.-]*[A-Za-z])[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?\b")
"""A token of letters and digits: a code or a model ('E11.22', 'G2058', 'TC-5', 'PHQ-9')."""
NOT_CODED = re.compile(r"^\d+(?:st|nd|rd|th|s|am|pm|mg|mcg|ml|kg|lbs?|min|mins|hrs?|x)$|^\d+-[a-z]+$", re.I)
"""'2nd', '10am', '500mg', '30-day': a number with its unit or suffix, checked as a number."""
PROPER = re.compile(r"(?<![\w'’-])(?:[A-Z][A-Za-z'’.-]*[A-Za-z]|[a-z]+[A-Z][A-Za-z]*)")
"""A capitalised word, or one with a capital inside ('eGFR' aside, 'brightPath' is a name)."""
PAGE_REFERENCE = re.compile(r"\b(?:pages?|pp?\.)\s*\d+(?:\s*(?:,|-|and)\s*\d+)*", re.IGNORECASE)
"""'on page 6', 'pages 2, 4 and 9': where a passage is, checked against the markers, not a fact."""
QUOTED = re.compile(r"[\"\u201c]([^\"\u201d]*)[\"\u201d]")
SHORTEST_QUOTE = 12
"""A shorter quotation ('"TeleCuff 5"') names a thing: it is checked as facts, not as a quote."""
CALENDAR = {
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
}

TITLES = {"dr", "mr", "mrs", "ms", "mx", "miss", "nurse", "prof"}
SMALL = {str(n) for n in range(11)}
"""Counts up to ten ('two goals', 'Goal 1'): too common to tell one fact from another."""


def unquoted(text: str) -> str:
    """`text` without its quotations (each is checked verbatim on its page instead)."""
    return QUOTED.sub(lambda m: " " if len(m.group(1).strip()) >= SHORTEST_QUOTE else m.group(1), text)


def words_as_digits(text: str) -> str:
    """'forty-five minutes over three calls' -> '45 minutes over 3 calls'; a lone 'one' stays."""
    return alpha2digit(text, "en")


def norm_number(token: str) -> str:
    token = token.rstrip("%").replace(",", "")
    if "." in token:
        whole, _, frac = token.partition(".")
        return f"{int(whole or 0)}.{frac.rstrip('0')}".rstrip(".")
    return str(int(token))


def numbers_in(text: str) -> set[str]:
    return {norm_number(n) for n in NUMBER.findall(text)}


def dates_in(text: str) -> tuple[set[date], set[tuple[int, int]]]:
    """Days written in full, and every month named (with or without a day)."""
    days = {d for d in (parse_date(m) for m in re.findall(DATE, text)) if d}
    months = {(b[0].year, b[0].month) for b in (parse_month(m) for m in re.findall(MONTH_YEAR, text)) if b}
    return days, months | {(d.year, d.month) for d in days}


def without_dates(text: str) -> str:
    return re.sub(MONTH_YEAR, " ", re.sub(DATE, " ", text))


def word_set(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", re.sub(r"['’]s\b", "", text.lower())))


@dataclass
class Facts:
    numbers: set[str] = field(default_factory=set)
    days: set[date] = field(default_factory=set)
    months: set[tuple[int, int]] = field(default_factory=set)
    codes: set[str] = field(default_factory=set)
    proper: set[str] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.numbers or self.days or self.months or self.codes or self.proper)


def facts_of(text: str) -> Facts:
    """The facts a sentence states, outside its quotations (a quotation is checked verbatim on
    its page instead). The sentence's first word is not a proper word for being capitalised."""
    text = PAGE_REFERENCE.sub(" ", words_as_digits(unquoted(text)))
    days, months = dates_in(text)
    rest = without_dates(text)
    codes = {t.lower() for t in CODED.findall(rest) if not NOT_CODED.match(t)}
    numbers = numbers_in(CODED.sub(lambda m: m.group(0) if NOT_CODED.match(m.group(0)) else " ", rest))
    first = re.match(r"\W*[A-Za-z'’.-]+", rest)
    body = CODED.sub(" ", rest[first.end() :] if first else rest)
    proper = {w for p in PROPER.findall(body) for w in word_set(p) if w not in CALENDAR | TITLES and not w.isdigit()}
    return Facts(numbers, days, months, codes, proper)


@dataclass
class Allowed:
    """What a sentence may state: the facts found anywhere in some texts."""

    numbers: set[str]
    days: set[date]
    months: set[tuple[int, int]]
    words: set[str]

    @classmethod
    def of(cls, *texts: str, parts: bool = True) -> "Allowed":
        """`parts`: a number written inside another ('130/80', '2-3') allows each part; not for
        identifiers ('N673741450-95' allows no 95)."""
        return _allowed("\n".join(texts), parts)

    def __or__(self, other: "Allowed") -> "Allowed":
        return Allowed(
            self.numbers | other.numbers, self.days | other.days, self.months | other.months, self.words | other.words
        )

    def unsupported(self, facts: Facts) -> list[str]:
        """The kinds of fact ('number', 'date', 'code', 'name') not found here."""
        out = []
        if facts.numbers - self.numbers:
            out.append("number")
        if facts.days - self.days or facts.months - self.months:
            out.append("date")
        if any(not (word_set(c) <= self.words) for c in facts.codes):
            out.append("code")
        if facts.proper - self.words:
            out.append("name")
        return out


@lru_cache(maxsize=512)
def _allowed(text: str, parts: bool) -> Allowed:
    text = words_as_digits(text)
    days, months = dates_in(text)
    rest = without_dates(text)  # '05/31/2025' allows that day, not the number 31
    if not parts:  # an identifier is matched whole, as a code: 'S1765-68' allows no 68
        rest = CODED.sub(lambda m: m.group(0) if NOT_CODED.match(m.group(0)) else " ", rest)
    numbers = numbers_in(rest) | (numbers_in(re.sub(r"[/-]", " ", rest)) if parts else set())
    return Allowed(numbers, days, months, word_set(text))


def shares_a_fact(sentence: str, texts: list[str], names: bool = True) -> bool:
    """'Her care manager logged forty minutes in May' and 'TOTAL 40 min': a specific (a number
    above ten, a day, a code, or with `names` a name) that the sentence and the texts both hold."""
    facts, held = facts_of(sentence), Allowed.of(*texts)
    return bool(
        (facts.numbers & held.numbers) - SMALL
        or facts.days & held.days
        or (names and facts.proper & held.words)
        or any(word_set(c) <= held.words for c in facts.codes)
    )
