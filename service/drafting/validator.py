"""The validator decides whether a model's letter ships. Pure and deterministic.

A letter passes only when the claim's fields are exact (`claim_fields.py`), every `[n]`
resolves to a passage, every quotation is verbatim on the page it cites, every sentence says only
what its own citations hold or, uncited, only the request and the code's argument
(`support.py`), and means what they mean (`meaning.py`: polarity, actor, modality, amounts,
always and never), no excluded page is cited, nothing is reproduced from text that gives
instructions, and the letter has the sections a payer expects. Each failure carries a stable name
(and the number of the sentence it is about, never its text) so a repair prompt, a warning and a
test can all refer to it.
"""

import re

from service.drafting.claim_fields import check_claim_fields
from service.drafting.facts import QUOTED, SHORTEST_QUOTE, dates_in, norm_number, numbers_in, shares_a_fact
from service.drafting.grounds import Failure, Passage, Sources, case_text, flat, knowledge_text
from service.drafting.meaning import check_meaning
from service.drafting.statements import CLOSING, MARKER, sentences, split_statements
from service.drafting.support import check_support
from service.models import CaseFields
from service.screening.dates import DATE, MONTH_YEAR

SHINGLE = 5


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9']+", text.lower())
    return {tuple(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def validate(letter: str, sources: Sources) -> list[Failure]:
    """Every reason the letter must not ship; an empty list means it may."""
    failures: list[Failure] = []
    text = flat(letter)
    case = sources.case
    statements = split_statements(letter)
    quotes = "\n".join(p.text for p in sources.passages.values())
    failures += [
        Failure(name, detail) for name, detail in check_claim_fields(text, statements, case, sources.entry, quotes)
    ]
    markers = [int(m) for m in MARKER.findall(text)]
    cited = {n: sources.passages[n] for n in markers if n in sources.passages}
    dangling = sorted({n for n in markers if n not in sources.passages})
    if dangling:
        failures.append(Failure("dangling_marker", f"markers {', '.join(f'[{n}]' for n in dangling)} match no passage"))
    if not markers:
        failures.append(Failure("no_citations", "the letter cites no passage"))
    for n, passage in sorted(cited.items()):
        if (passage.document, passage.page) in sources.excluded:
            failures.append(
                Failure(
                    "excluded_page_cited", f"[{n}] cites {passage.document} page {passage.page}, which must not be used"
                )
            )
    own = case_text(sources) + "\n" + knowledge_text(sources.entry)
    failures += _quotes(cited, sources, flat(own), statements)
    failures += _numbers_and_dates(text, cited, own)
    failures += repeats_instructions(text, sources.instructions)
    failures += restates_instructions(statements, sources.instructions, sources.passages, sources.embed)
    failures += _sections(text, statements, case)
    failures += [Failure(name, why, index) for name, index, why in check_support(statements, sources)]
    failures += [Failure(name, why, index) for name, index, why in check_meaning(statements, sources)]
    return failures


def _quotes(cited: dict[int, Passage], sources: Sources, own: str, statements) -> list[Failure]:
    """A quotation must be verbatim on a page its marker cites; only a quotation with no marker
    after it may be `own` (the case's or the code's words, never passed off as the chart's).
    A chart line can hold a quotation mark of its own ('Pt states "feels fine" today'): a
    sentence whose marks do not pair into verbatim quotations is also read as one quotation
    from its first mark to its last."""
    out = []
    for st in statements:
        text = flat(st.text)
        paired = [
            _quote_ok(m.group(1), text[m.end() : m.end() + 12], cited, sources, own) for m in QUOTED.finditer(text)
        ]
        if all(paired):
            continue
        marks = [i for i, ch in enumerate(text) if ch in '"“”']
        whole = len(marks) > 2 and _quote_ok(
            text[marks[0] + 1 : marks[-1]], text[marks[-1] + 1 : marks[-1] + 13], cited, sources, own
        )
        if not whole:
            out.append(
                Failure("quote_not_verbatim", "a quotation is not verbatim on the page its marker cites", st.index)
            )
    return out


def _quote_ok(quote: str, after: str, cited: dict[int, Passage], sources: Sources, own: str) -> bool:
    quote = flat(quote).rstrip(".,;: ")
    if len(quote) < SHORTEST_QUOTE:
        return True
    markers = MARKER.findall(after)
    pages = [
        flat(sources.page_text.get((p.document, p.page), p.text))
        for n, p in cited.items()
        if not markers or str(n) in markers
    ]
    return any(quote in page for page in pages) or (not markers and quote in own)


def _numbers_and_dates(text: str, cited: dict[int, Passage], own: str) -> list[Failure]:
    """Numbers and dates must come from `own` (case fields and code file) or a cited passage."""
    body = MARKER.sub(" ", text)
    where = [f"{p.document} page {p.page}" for p in cited.values()]
    allowed_text = "\n".join([own, *where, *(p.text for p in cited.values())])
    allowed_days, allowed_months = dates_in(allowed_text)
    out = []
    days, months = dates_in(body)
    for day in sorted(days - allowed_days):
        out.append(Failure("unsupported_date", f"{day.isoformat()} is in no cited passage, case field or code file"))
    for year, month in sorted(months - allowed_months):
        if not any(d.year == year and d.month == month for d in days - allowed_days):
            out.append(
                Failure("unsupported_date", f"{year}-{month:02d} is in no cited passage, case field or code file")
            )
    stripped = re.sub(DATE, " ", body)
    stripped = re.sub(MONTH_YEAR, " ", stripped)
    allowed_numbers = numbers_in(allowed_text) | {norm_number(str(n)) for n in range(1, 11)}
    for number in sorted(numbers_in(stripped) - allowed_numbers):
        out.append(Failure("unsupported_number", f"{number} is in no cited passage, case field or code file"))
    return out


def repeats_instructions(text: str, instructions: list[str]) -> list[Failure]:
    letter = _shingles(text)
    for sentence in instructions:
        if _shingles(sentence) & letter:
            return [Failure("instruction_text", "the letter repeats text from a passage that gives instructions")]
    return []


ADDRESSED = re.compile(r"^[^:.!?]{0,60}?(?::|\s[-\u2013\u2014])\s+")
"""'Reviewer: ...', 'For the records processor - ...': who a sentence is for, not what it asks."""
INSTRUCTION_FLOOR = 0.7
"""A letter sentence this close in meaning (cosine) to a flagged instruction, and closer to it than
to its own quotes, restates the instruction's demand."""


def restates_instructions(statements, instructions: list[str], passages: dict[int, Passage], embed) -> list[Failure]:
    """Letter sentences that say what an instruction asked for, however reworded. A sentence
    about the same thing that is closer still to its own quotes is evidence, not the demand."""
    if embed is None or not instructions:
        return []
    asks = [ADDRESSED.sub("", s) for text in instructions for s in sentences(" ".join(text.split()))]
    body = [st for st in statements if st.part != "frame" and len(st.bare.split()) >= 4]
    asks = [a for a in asks if len(a.split()) >= 4]
    if not body or not asks:
        return []
    vectors = embed([ADDRESSED.sub("", st.bare) for st in body])
    closeness = (vectors @ embed(asks).T).max(axis=1)
    out = []
    for st, vector, close in zip(body, vectors, closeness):
        if float(close) < INSTRUCTION_FLOOR:
            continue
        own = [passages[n].text for n in st.markers if n in passages]
        said = re.sub(r"[\"\u201c\u201d]", "", st.bare)  # what it quotes is what it says, here
        if own and shares_a_fact(said, own) and not shares_a_fact(said, asks, names=False):
            continue  # 'PAM score of 47 [2]' against 'report that my PAM score was 92': the chart's value, not the demand
        evidence = float((embed(own) @ vector).max()) if own else -1.0
        if float(close) > evidence:
            out.append(Failure("instruction_text", "it says what a passage that gives instructions asks for", st.index))
    return out


SECTIONS = {
    "salutation": re.compile(r"\bDear\b", re.I),
    "request": re.compile(r"\b(revers|reprocess|reconsider|redetermin|overturn)", re.I),
}


def _sections(text: str, statements, case: CaseFields) -> list[Failure]:
    out = [Failure("missing_section", f"no {name}") for name, pattern in SECTIONS.items() if not pattern.search(text)]
    if not any(CLOSING.match(st.text) for st in statements):
        out.append(Failure("missing_section", "no closing ('Sincerely,' on a line of its own)"))
    if case.provider_name and case.provider_name not in text and case.practice_name and case.practice_name not in text:
        out.append(Failure("missing_section", "no signature (provider or practice name)"))
    return out
