"""The validator decides whether a model's letter ships. Pure, deterministic and fast.

A letter passes only when the case identifiers are exact, every `[n]` resolves to a passage,
every quotation is verbatim on its page, every number and date comes from the case fields, the
cited passages or the code's knowledge file, no excluded page is cited, nothing is reproduced
from text that gives instructions, and the letter has the sections a payer expects. Each
failure carries a stable name so a repair prompt, a warning and a test can all refer to it.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from service.models import CaseFields, CodeEntry
from service.retrieval.dates import DATE, MONTH_YEAR, long_date, parse_date, parse_month

MARKER = re.compile(r"\[(\d+)\]")
QUOTED = re.compile(r"[\"“]([^\"”]{12,}?)[\"”]")
NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*%?")
LABELLED_ID = re.compile(
    r"\b(claim(?:\s+(?:number|no\.?|#|id))?|patient\s+id|member\s+id|mrn)\s*[:#]?\s*((?=[A-Z-]*\d)[A-Z0-9][A-Z0-9-]{3,})", re.I
)
SHINGLE = 5

@dataclass(frozen=True)
class Passage:
    """One numbered piece of evidence the model may cite as [number]."""

    number: int
    document: str
    page: int
    text: str


@dataclass(frozen=True)
class Failure:
    name: str
    detail: str

    def __str__(self) -> str:
        return f"{self.name}: {self.detail}"


@dataclass
class Sources:
    """What a letter may draw on, beyond its own passages."""

    case: CaseFields
    entry: CodeEntry
    passages: dict[int, Passage]
    page_text: dict[tuple[str, int], str]
    excluded: set[tuple[str, int]] = field(default_factory=set)
    instructions: list[str] = field(default_factory=list)
    letter_date: date | None = None
    deadline: date | None = None


def flat(text: str) -> str:
    return " ".join(text.replace("“", '"').replace("”", '"').replace("’", "'").split())


def numbers_in(text: str) -> set[str]:
    return {_norm_number(n) for n in NUMBER.findall(text)}


def _norm_number(token: str) -> str:
    token = token.rstrip("%").replace(",", "")
    if "." in token:
        whole, _, frac = token.partition(".")
        return f"{int(whole or 0)}.{frac.rstrip('0')}".rstrip(".")
    return str(int(token))


def _dates(text: str) -> tuple[set[date], set[tuple[int, int]]]:
    days = {d for d in (parse_date(m) for m in re.findall(DATE, text)) if d}
    months = {(b[0].year, b[0].month) for b in (parse_month(m) for m in re.findall(MONTH_YEAR, text)) if b}
    return days, months | {(d.year, d.month) for d in days}


def _case_text(sources: Sources) -> str:
    case = sources.case
    values = [str(v) for v in case.model_dump(mode="json").values() if v is not None]
    extra = [d for d in (case.date_of_service, case.denial_date, sources.letter_date, sources.deadline) if d]
    values += [long_date(d) for d in extra] + [d.strftime("%m/%d/%Y") for d in extra] + [f"{d:%B %Y}" for d in extra]
    return "\n".join(values)


def _knowledge_text(entry: CodeEntry) -> str:
    parts = [entry.code, entry.title, entry.explanation, entry.appeal_argument, *entry.common_causes,
             *entry.prevention, *entry.attachments, *entry.services]
    parts += [f"{r.label} {r.need}" for r in entry.evidence]
    return "\n".join(parts)


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9']+", text.lower())
    return {tuple(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def validate(letter: str, sources: Sources) -> list[Failure]:
    """Every reason the letter must not ship; an empty list means it may."""
    failures: list[Failure] = []
    text = flat(letter)
    case = sources.case
    failures += _identifiers(text, case)
    markers = [int(m) for m in MARKER.findall(text)]
    cited = {n: sources.passages[n] for n in markers if n in sources.passages}
    dangling = sorted({n for n in markers if n not in sources.passages})
    if dangling:
        failures.append(Failure("dangling_marker", f"markers {', '.join(f'[{n}]' for n in dangling)} match no passage"))
    if not markers:
        failures.append(Failure("no_citations", "the letter cites no passage"))
    for n, passage in sorted(cited.items()):
        if (passage.document, passage.page) in sources.excluded:
            failures.append(Failure("excluded_page_cited", f"[{n}] cites {passage.document} page {passage.page}, which must not be used"))
    own = _case_text(sources) + "\n" + _knowledge_text(sources.entry)
    failures += _quotes(text, cited, sources, flat(own))
    failures += _numbers_and_dates(text, cited, own)
    failures += repeats_instructions(text, sources.instructions)
    failures += _sections(text, case)
    return failures


def _identifiers(text: str, case: CaseFields) -> list[Failure]:
    out = []
    if case.claim_number not in text:
        out.append(Failure("claim_number", "the claim number is missing or altered"))
    if flat(case.patient_name).lower() not in text.lower():
        out.append(Failure("patient_name", "the patient's name is missing or altered"))
    if case.patient_id not in text:
        out.append(Failure("patient_id", "the patient ID is missing or altered"))
    for label, value in LABELLED_ID.findall(text):
        kind = "claim_number" if label.lower().startswith("claim") else "patient_id"
        expected = case.claim_number if kind == "claim_number" else case.patient_id
        if value.rstrip(".,;") != expected and not expected.startswith(value.rstrip(".,;")):
            out.append(Failure(kind, f"a {label.lower()} other than the case's appears"))
    dos = case.date_of_service
    if not any(form in text for form in (dos.isoformat(), dos.strftime("%m/%d/%Y"), long_date(dos), f"{dos:%B %Y}")):
        out.append(Failure("date_of_service", "the date of service is missing"))
    return _unique(out)


def _quotes(text: str, cited: dict[int, Passage], sources: Sources, own: str) -> list[Failure]:
    """A quotation must be verbatim on a page it cites (or be `own`: the case's or code's words)."""
    out = []
    for match in QUOTED.finditer(text):
        quote = flat(match.group(1)).rstrip(".,;: ")
        after = MARKER.findall(text[match.end() : match.end() + 12])
        pages = [flat(sources.page_text.get((p.document, p.page), p.text)) for n, p in cited.items() if not after or str(n) in after]
        if not any(quote in page for page in pages) and quote not in own:
            out.append(Failure("quote_not_verbatim", f'"{quote[:60]}" is not on the page it cites'))
    return out


def _numbers_and_dates(text: str, cited: dict[int, Passage], own: str) -> list[Failure]:
    """Numbers and dates must come from `own` (case fields and code file) or a cited passage."""
    body = MARKER.sub(" ", text)
    where = [f"{p.document} page {p.page}" for p in cited.values()]
    allowed_text = "\n".join([own, *where, *(p.text for p in cited.values())])
    allowed_days, allowed_months = _dates(allowed_text)
    out = []
    days, months = _dates(body)
    for day in sorted(days - allowed_days):
        out.append(Failure("unsupported_date", f"{day.isoformat()} is in no cited passage, case field or code file"))
    for year, month in sorted(months - allowed_months):
        if not any(d.year == year and d.month == month for d in days - allowed_days):
            out.append(Failure("unsupported_date", f"{year}-{month:02d} is in no cited passage, case field or code file"))
    stripped = re.sub(DATE, " ", body)
    stripped = re.sub(MONTH_YEAR, " ", stripped)
    allowed_numbers = numbers_in(allowed_text) | {_norm_number(str(n)) for n in range(1, 11)}
    for number in sorted(numbers_in(stripped) - allowed_numbers):
        out.append(Failure("unsupported_number", f"{number} is in no cited passage, case field or code file"))
    return out


def repeats_instructions(text: str, instructions: list[str]) -> list[Failure]:
    letter = _shingles(text)
    for sentence in instructions:
        if _shingles(sentence) & letter:
            return [Failure("instruction_text", "the letter repeats text from a passage that gives instructions")]
    return []


SECTIONS = {
    "salutation": re.compile(r"\bDear\b", re.I),
    "request": re.compile(r"\b(revers|reprocess|reconsider|redetermin|overturn)", re.I),
    "closing": re.compile(r"\b(Sincerely|Respectfully|Regards)\b", re.I),
}


def _sections(text: str, case: CaseFields) -> list[Failure]:
    out = [Failure("missing_section", f"no {name}") for name, pattern in SECTIONS.items() if not pattern.search(text)]
    if case.provider_name and case.provider_name not in text and case.practice_name and case.practice_name not in text:
        out.append(Failure("missing_section", "no signature (provider or practice name)"))
    return out


def _unique(failures: list[Failure]) -> list[Failure]:
    seen, out = set(), []
    for f in failures:
        if (f.name, f.detail) not in seen:
            seen.add((f.name, f.detail))
            out.append(f)
    return out
