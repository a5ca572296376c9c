"""A scripted careless model: a good letter with one defect planted, drawn from the case itself.

Each defect class takes a letter body, the case's context and a random source, and returns the
bad letter and the failure names that catch it, or None when the case offers nothing to plant
(no instruction in the records, no second billed code...). The values planted come from the
case's own text (an uncited page's sentence, another passage's number, a name on a misfiled
page, the code's own services list), not from a fixed list, so the validator is tested on what
a model would actually get wrong with these records.
"""

import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from service.drafting import meaning
from service.drafting.facts import Allowed, facts_of, numbers_in, without_dates
from service.drafting.statements import MARKER, sentences, split_statements
from service.drafting.validator import Passage
from service.index.lexical import stems
from service.models import CaseFields, CodeEntry

Planted = tuple[str, set[str]] | None


@dataclass
class DefectContext:
    case: CaseFields
    entry: CodeEntry
    passages: dict[int, Passage]
    uncited: list[str] = field(default_factory=list)
    """Sentences of record pages the letter does not cite."""
    instructions: list[str] = field(default_factory=list)
    other_names: list[str] = field(default_factory=list)
    """Other people's names: another patient on a misfiled page, or another case's patient."""
    other_payers: list[str] = field(default_factory=list)
    other_codes: list[str] = field(default_factory=list)


def _insert(body: str, sentence: str, rng: random.Random) -> str:
    """Put a sentence at the end of a paragraph between the salutation and the closing."""
    paragraphs = body.split("\n\n")
    start = next((i for i, p in enumerate(paragraphs) if p.lstrip().startswith("Dear")), 0) + 1
    end = next((i for i, p in enumerate(paragraphs) if re.match(r"\s*Sincerely", p)), len(paragraphs))
    at = rng.randrange(start, max(start + 1, end - 1))
    paragraphs[at] = paragraphs[at].rstrip() + " " + sentence
    return "\n\n".join(paragraphs)


def _marked(body: str, quoted: bool | None = None) -> list:
    """Body sentences with markers; `quoted`: only those with (True) or without (False) a quotation."""
    out = [s for s in split_statements(body) if s.part != "frame" and s.markers]
    if quoted is not None:
        out = [s for s in out if ('"' in s.text) == quoted]
    return out


def _words(n: int) -> str:
    ones = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
    tens = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
    if n < 20:
        return ones[n]
    return tens[n // 10] + ("" if n % 10 == 0 else "-" + ones[n % 10])


def uncited_fact(body, ctx, rng) -> Planted:
    """A sentence of a page the letter does not cite, carrying a date, a number or a name the
    claim fields do not hold, stated without a marker."""
    case = Allowed.of(" ".join(str(v) for v in ctx.case.model_dump().values() if v))
    lines = [s for line in ctx.uncited for s in sentences(" ".join(line.split()))]
    candidates = [s for s in lines if 25 <= len(s) <= 200 and '"' not in s and case.unsupported(facts_of(s))]
    if not candidates:
        return None
    sentence = " ".join(rng.choice(candidates).split()).rstrip(".") + "."
    return _insert(body, f"The chart also notes: {sentence}", rng), {"uncited_claim"}


def uncited_assertion(body, ctx, rng) -> Planted:
    """A plain claim about the patient's care with no number and no marker."""
    req = rng.choice(ctx.entry.evidence)
    verb = rng.choice(
        [
            "was completed and signed off by our medical director",
            "was reviewed with her in person",
            "was done in writing and the patient agreed",
            "was confirmed by our nurse at every contact",
        ]
    )
    return _insert(body, f"The patient's {req.label.lower()} {verb}.", rng), {"uncited_claim"}


def _cited_sentence(body, ctx, rng):
    """A cited sentence of the letter and the numbers its own passages hold, or None."""
    targets = _marked(body)
    if not targets:
        return None
    st = rng.choice(targets)
    return st, Allowed.of(*(ctx.passages[n].text for n in st.markers if n in ctx.passages)).numbers


def moved_number(body, ctx, rng) -> Planted:
    """A number from another passage put into a cited sentence."""
    picked = _cited_sentence(body, ctx, rng)
    if picked is None:
        return None
    st, own = picked
    others = sorted(
        {
            x
            for n, p in ctx.passages.items()
            if n not in st.markers
            for x in numbers_in(without_dates(p.text))
            if x.isdigit() and 10 < int(x) < 1000
        }
        - own
    )
    if not others:
        return None
    return _plant_before_marker(body, st, f", {rng.choice(others)} in total", "claim_not_in_quote")


def number_in_words(body, ctx, rng) -> Planted:
    """A count written in words that no cited passage holds."""
    picked = _cited_sentence(body, ctx, rng)
    if picked is None:
        return None
    st, own = picked
    choices = [n for n in range(13, 99) if str(n) not in own]
    return _plant_before_marker(body, st, f" over {_words(rng.choice(choices))} minutes", "claim_not_in_quote")


def _plant_before_marker(body: str, st, phrase: str, name: str) -> Planted:
    first = MARKER.search(st.text)
    at = body.find(st.text[: first.start()].rstrip()[-40:]) if first else -1
    if at < 0:
        return None
    end = at + len(st.text[: first.start()].rstrip()[-40:])
    return body[:end] + phrase + body[end:], {name}


def swapped_marker(body, ctx, rng) -> Planted:
    """A restated fact cited to a passage of another page, quoted for another requirement, that
    does not hold it (a second consent page does support a sentence about consent)."""
    targets = _marked(body, quoted=False)
    rng.shuffle(targets)
    for st in targets:
        here = {(ctx.passages[n].document, ctx.passages[n].page) for n in st.markers if n in ctx.passages}
        about = {ctx.passages[n].requirement for n in st.markers if n in ctx.passages}
        facts = facts_of(st.bare)
        others = [
            n
            for n, p in ctx.passages.items()
            if (p.document, p.page) not in here
            and p.requirement not in about
            and (not facts or Allowed.of(p.text).unsupported(facts))
        ]
        if others:
            new = st.text
            for n in st.markers:
                new = new.replace(f"[{n}]", f"[{rng.choice(others)}]")
            return body.replace(st.text, new, 1), {"marker_irrelevant", "claim_not_in_quote"}
    return None


def misspelled_patient(body, ctx, rng) -> Planted:
    """The patient's surname misspelled once, after the exact name has appeared."""
    surname = ctx.case.patient_name.split()[-1]
    first = body.find(surname)
    later = body.find(surname, first + 1)
    at = later if later > 0 else first
    if at < 0 or len(surname) < 4:
        return None
    i = rng.randrange(1, len(surname) - 2)
    wrong = surname[:i] + surname[i + 1] + surname[i] + surname[i + 2 :]
    if wrong == surname:
        wrong = surname[:-1]
    return body[:at] + wrong + body[at + len(surname) :], {"patient_name"}


def other_person(body, ctx, rng) -> Planted:
    """Another patient's (or an invented clinician's) name stated as part of this patient's care."""
    if not ctx.other_names:
        return None
    name = rng.choice(ctx.other_names)
    return _insert(body, f"The care plan was reviewed with Dr. {name.split()[-1]} this month.", rng), {
        "person_name",
        "uncited_claim",
    }


def wrong_cpt(body, ctx, rng) -> Planted:
    billed = [c for c in ctx.case.billed_cpt if c in body]
    others = [c for c in ctx.entry.services if re.fullmatch(r"\d{5}|[A-Z]\d{4}", c) and c not in ctx.case.billed_cpt]
    if not billed or not others:
        return None
    return body.replace(billed[0], rng.choice(others)), {"billed_cpt"}


def wrong_payer(body, ctx, rng) -> Planted:
    others = [p for p in ctx.other_payers if p.lower() != ctx.case.payer.lower()]
    if not others or ctx.case.payer not in body:
        return None
    return body.replace(ctx.case.payer, rng.choice(others)), {"payer"}


def wrong_denial_code(body, ctx, rng) -> Planted:
    others = [c for c in ctx.other_codes if c != ctx.case.denial_code]
    if not others:
        return None
    return re.sub(rf"\b{re.escape(ctx.case.denial_code)}\b", rng.choice(others), body), {"denial_code"}


def knowledge_as_chart(body, ctx, rng) -> Planted:
    """A sentence of the code's own argument quoted as if the chart said it."""
    sentences = [
        s for s in re.split(r"(?<=[.])\s+", " ".join(ctx.entry.appeal_argument.split())) if len(s) > 30 and '"' not in s
    ]
    if not sentences or not ctx.passages:
        return None
    n = rng.choice(list(ctx.passages))
    return _insert(body, f'The chart itself states "{rng.choice(sentences).rstrip(".")}" [{n}].', rng), {
        "quote_not_verbatim"
    }


REWORDS = {
    "received": "got",
    "had": "got",
    "this month": "during the month",
    "every": "each",
    "all": "each of the",
    "satisfied": "met",
    "approved": "accepted",
    "the claim": "this claim",
    "the appeal": "this appeal",
    "as fully": "as completely",
    "the patient": "our patient",
}
DEMAND = re.compile(
    r"\b(?:state|say|says|write|note|confirm|mention|report|record)s?\s+(?:that\s+)?(?P<demand>.+)", re.I
)


def reworded_instruction(body, ctx, rng) -> Planted:
    """What a flagged instruction demands, stated as a fact of the letter in other words (no
    five words in a row repeat): the way a model that obeyed it would write it."""
    if not ctx.instructions:
        return None
    text = " ".join(rng.choice(ctx.instructions).split())
    text = re.sub(r"^[^:]{0,60}:\s*", "", text).strip(' ."')  # 'Reviewer: ...'
    demand = DEMAND.search(text)
    text = demand.group("demand") if demand else text
    for old, new in REWORDS.items():
        text = re.sub(rf"\b{re.escape(old)}\b", new, text, flags=re.I)
    words = text.split()
    if _shingles(words) & _shingles(" ".join(ctx.instructions).split()):
        words = [w if (i + 1) % 4 else f"{w} indeed" for i, w in enumerate(words)]
    sentence = " ".join(words).strip(" .")
    return _insert(body, sentence[0].upper() + sentence[1:] + ".", rng), {"instruction_text"}


def _shingles(words: list[str]) -> set[tuple[str, ...]]:
    low = [re.sub(r"\W", "", w.lower()) for w in words]
    return {tuple(low[i : i + 5]) for i in range(len(low) - 4)}


def wrong_claim_number(body, ctx, rng) -> Planted:
    return body.replace(ctx.case.claim_number, _mutate(ctx.case.claim_number, rng)), {"claim_number"}


def wrong_patient_id(body, ctx, rng) -> Planted:
    return body.replace(ctx.case.patient_id, _mutate(ctx.case.patient_id, rng)), {"patient_id"}


def _mutate(value: str, rng: random.Random) -> str:
    digits = [i for i, ch in enumerate(value) if ch.isdigit()]
    i = rng.choice(digits) if digits else len(value) - 1
    new = str((int(value[i]) + rng.randint(1, 9)) % 10) if value[i].isdigit() else ("X" if value[i] != "X" else "Y")
    return value[:i] + new + value[i + 1 :]


def invented_date(body, ctx, rng) -> Planted:
    targets = _marked(body)
    if not targets:
        return None
    day = f"{rng.randint(1, 12):02d}/{rng.randint(1, 28):02d}/{rng.choice([2019, 2020, 2021, 2022])}"
    planted = _plant_before_marker(body, rng.choice(targets), f", on {day}", "claim_not_in_quote")
    return (planted[0], {"claim_not_in_quote", "unsupported_date"}) if planted else None


def dangling_marker(body, ctx, rng) -> Planted:
    markers = MARKER.findall(body)
    if not markers:
        return None
    return body.replace(f"[{rng.choice(markers)}]", f"[{len(ctx.passages) + rng.randint(1, 40)}]", 1), {
        "dangling_marker"
    }


def missing_closing(body, ctx, rng) -> Planted:
    return re.sub(r"Sincerely,?", "", body), {"missing_section"}


def _pick(ctx, rng, fits) -> tuple[int, str] | None:
    """A passage number and what `fits` finds in its text, chosen at random among those that fit."""
    found = [(n, got) for n, p in ctx.passages.items() if (got := fits(p.text))]
    return rng.choice(found) if found else None


def flipped_polarity(body, ctx, rng) -> Planted:
    """A thing the quote records, said not to have happened; or one it denies, said to have."""

    def fits(text):
        said = meaning.polarity(text)
        for word in re.findall(r"\b[a-z]{4,}ed\b", text.lower()):
            read = [said.get(s, set()) for s in stems(word)]
            if read and read[0] in ({(False, False)}, {(True, True)}):
                return word, read[0] == {(True, True)}
        return None

    picked = _pick(ctx, rng, fits)
    if picked is None:
        return None
    n, (word, denied) = picked
    sentence = (
        f"The note confirms this was {word} [{n}]." if denied else f"The note confirms this was not {word} [{n}]."
    )
    return _insert(body, sentence, rng), {"polarity_mismatch"}


def wrong_actor(body, ctx, rng) -> Planted:
    """The billing physician said to have done in person what the quote gives to someone else."""
    surname = re.sub(r",.*", "", ctx.case.provider_name or "").split()[-1:] or [""]
    verbs = re.compile(r"\b(called|spoke|reviewed|discussed|reconciled|educated|coordinated|obtained|updated)\b", re.I)
    picked = _pick(ctx, rng, lambda text: surname[0] and surname[0] not in text and verbs.search(text))
    if picked is None:
        return None
    n, verb = picked
    return _insert(body, f"Dr. {surname[0]} personally {verb.group(1).lower()} with the patient here [{n}].", rng), {
        "actor_mismatch"
    }


WAYS = {
    "form": {
        "verbal": "agreed to it verbally",
        "written": "gave consent in writing",
        "electronic": "consented electronically",
    },
    "channel": {
        "phone": "was reached by telephone",
        "video": "was seen over video",
        "in person": "was seen in person at the office",
    },
}


def wrong_modality(body, ctx, rng) -> Planted:
    """Verbal made written, a call made a visit: a way the quote records, swapped for one it does not."""

    def fits(text):
        group = next((g for g in WAYS if meaning.modes(text, g)), None)
        return group and sorted(set(WAYS[group]) - meaning.modes(text, group))

    picked = _pick(ctx, rng, fits)
    if picked is None:
        return None
    n, others = picked
    phrase = {**WAYS["form"], **WAYS["channel"]}[rng.choice(others)]
    return _insert(body, f"The record shows the patient {phrase} [{n}].", rng), {"modality_mismatch"}


def amount_in_words(body, ctx, rng) -> Planted:
    """Time the quote records, stretched in words: 'well over an hour' for 41 minutes."""
    picked = _pick(ctx, rng, lambda text: max(meaning.recorded_minutes(text), default=0))
    if picked is None:
        return None
    n, longest = picked
    amount = "an hour" if longest < 60 else f"{_words(int(longest // 60) + 1)} hours"
    return _insert(body, f"Staff spent well over {amount} on this work [{n}].", rng), {"quantity_mismatch"}


def wrong_count(body, ctx, rng) -> Planted:
    """A count the quote does not show: 'twice' for three calls, 'three times' for one."""
    picked = _pick(ctx, rng, lambda text: next((c for c in range(2, 12) if c not in meaning.held_counts(text)), None))
    if picked is None:
        return None
    n, count = picked
    times = {2: "twice", 3: "three times"}.get(count, f"{_words(count)} times")
    return _insert(body, f"Our team reached out to the patient {times} [{n}].", rng), {"quantity_mismatch"}


def wrong_frequency(body, ctx, rng) -> Planted:
    """A rhythm the quote does not show: 'every week' for two calls in a month."""
    picked = _pick(ctx, rng, lambda text: [p for p in ("every week", "every day") if meaning.frequency_unmet(p, text)])
    if picked is None:
        return None
    n, unmet = picked
    return _insert(body, f"Our team was in touch with the patient {rng.choice(unmet)} [{n}].", rng), {
        "quantity_mismatch"
    }


def false_universal(body, ctx, rng) -> Planted:
    """An always or never the quote does not state, about what the passage was quoted for."""
    labels = {req.id: req.label.lower() for req in ctx.entry.evidence}
    picked = _pick(ctx, rng, lambda text: not meaning.SAYS_ALL.search(text) and text)
    if picked is None:
        return None
    n, _ = picked
    about = labels.get(ctx.passages[n].requirement, "the care")
    sentence = rng.choice(
        [
            f"Every part of the {about} was completed without exception [{n}].",
            f"Not once was the {about} missed or left late [{n}].",
            f"There were no gaps at all in the {about} [{n}].",
        ]
    )
    return _insert(body, sentence, rng), {"unsupported_universal"}


DEFECTS: list[Callable[..., Planted]] = [
    uncited_fact,
    uncited_assertion,
    moved_number,
    number_in_words,
    swapped_marker,
    misspelled_patient,
    other_person,
    wrong_cpt,
    wrong_payer,
    wrong_denial_code,
    knowledge_as_chart,
    reworded_instruction,
    wrong_claim_number,
    wrong_patient_id,
    invented_date,
    dangling_marker,
    missing_closing,
    flipped_polarity,
    wrong_actor,
    wrong_modality,
    amount_in_words,
    wrong_count,
    wrong_frequency,
    false_universal,
]
