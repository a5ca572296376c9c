"""A scripted careful model: fluent prose from the case's gold facts and its numbered passages.

It writes the way a good model does when it follows the prompt: a letterhead and RE block, an
opening in its own words, the code's argument (some sentences as the knowledge file words them,
one restated as a rule), then one sentence per passage that states the gold fact the passage
holds, in varied forms: quoted, restated with the date written out, or with a small number in
words. Every record fact carries its passage's marker. The validator must accept these letters;
the share it rejects is the eval's false-rejection rate.
"""

import random
import re
from datetime import date

from service.drafting.deadline import payer_type
from service.drafting.validator import Passage
from service.models import CaseFields, CodeEntry
from service.screening.dates import DATE, long_date, parse_date

WORDS = "zero one two three four five six seven eight nine ten eleven twelve".split()


def careful_letter(
    case: CaseFields,
    entry: CodeEntry,
    passages: dict[int, Passage],
    key_facts: list[dict],
    letter_date: date,
    rng: random.Random,
) -> str:
    ask = "redetermination" if payer_type(case) == "medicare" else "reconsideration"
    lines = [case.practice_name or case.provider_name or "", long_date(letter_date), "", case.payer, "Appeals Unit", ""]
    lines += [
        f"RE: Claim {case.claim_number}",
        f"Patient: {case.patient_name} (ID {case.patient_id})",
        f"Date of service: {long_date(case.date_of_service)}",
        f"Denial code: {entry.code}",
    ]
    if case.billed_cpt:
        lines.append(f"Billed: CPT {', '.join(case.billed_cpt)}")
    lines += ["", "Dear Appeals Reviewer,", ""]
    denied = f" on {long_date(case.denial_date)}" if case.denial_date else ""
    lines.append(
        rng.choice(
            [
                f"We are writing on behalf of our patient, {case.patient_name}, to request {ask} of claim {case.claim_number}, "
                f"which was denied{denied} with code {entry.code}.",
                f"Please accept this letter as our request for {ask} of claim {case.claim_number} for {case.patient_name}, "
                f"denied{denied} under code {entry.code}.",
            ]
        )
    )
    lines += ["", *_argument(entry, rng), ""]
    lines += _evidence(entry, passages, key_facts, rng)
    lines += [
        "",
        rng.choice(
            [
                f"For these reasons, we respectfully ask that you reverse the denial and reprocess claim {case.claim_number} for payment.",
                f"Because the enclosed record supports the services as billed, we ask that the denial of claim {case.claim_number} be overturned.",
            ]
        ),
        "Please contact our office if you need any additional information.",
        "",
    ]
    lines += ["Enclosures: the denial notice and the cited pages of the medical record.", "", "Sincerely,", ""]
    lines += [line for line in (case.provider_name, case.practice_name) if line]
    return "\n".join(lines) + "\n"


def _argument(entry: CodeEntry, rng: random.Random) -> list[str]:
    """Two sentences of the knowledge file's argument as written, and one requirement as a rule."""
    sentences = [s for s in re.split(r"(?<=[.])\s+(?=[A-Z])", " ".join(entry.appeal_argument.split())) if s]
    req = rng.choice(entry.evidence)
    need = req.need.rstrip(".")
    rule = (
        f"The record must show that {need[0].lower()}{need[1:]}."
        if " was " in need or " were " in need
        else (f"The rules require {need[0].lower()}{need[1:]}.")
    )
    return [" ".join(sentences[:2] + [rule])]


def _evidence(entry: CodeEntry, passages: dict[int, Passage], key_facts: list[dict], rng: random.Random) -> list[str]:
    labels = {req.id: req.label.lower() for req in entry.evidence}
    out = ["The enclosed record documents each of these points."]
    for n, passage in passages.items():
        flat = " ".join(passage.text.split())
        fact = next((m.group(0) for k in key_facts if (m := re.search(k["pattern"], flat, re.I))), None)
        out.append(_sentence(n, passage, flat, fact, labels, rng))
    return [" ".join(out)]


def _sentence(n: int, passage: Passage, flat: str, fact: str | None, labels: dict, rng: random.Random) -> str:
    """A text holding a quotation mark is restated, never quoted (its marks would not pair). A
    clause ends at a full stop or semicolon, never inside a number ('219.2' is not '219')."""
    if fact is None:
        clause = next(
            (c.strip(" .;:,") for c in re.split(r"[.;](?!\d)", flat) if len(c.strip()) >= 20), flat[:80].strip()
        )
        if '"' in clause:
            return f"The record also notes {clause.replace(chr(34), '')} [{n}]."
        return f'The record also notes "{clause}" [{n}].'
    form = rng.randrange(4) if '"' not in fact else 2 + rng.randrange(2)
    if form == 0:
        return f'The chart records "{fact}" [{n}].'
    if form == 1:
        return f'On page {passage.page} of {passage.document}, the note reads "{fact}" [{n}].'
    restated = _restate(fact)
    if form == 2:
        return f"As documented, {restated} [{n}]."
    return f"The record shows {restated} [{n}]."


def _restate(fact: str) -> str:
    """The fact in prose: dates written out, one small number in words."""

    def day(match: re.Match) -> str:
        parsed = parse_date(match.group(0))
        return long_date(parsed) if parsed else match.group(0)

    text = re.sub(DATE, day, fact.replace('"', ""))
    small = re.search(r"(?<![\w.,/-])([2-9]|1[0-2])(?![\w.,/%-])", text)
    if small:
        text = text[: small.start()] + WORDS[int(small.group(1))] + text[small.end() :]
    return text
