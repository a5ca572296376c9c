"""Planted defects for model letters: each takes a good letter body and returns a bad one plus the
validator failure it must raise. Used by the fault-injection test and the hostile server."""

import random
import re
from dataclasses import dataclass

from service.drafting.validator import MARKER


@dataclass
class Context:
    claim_number: str
    patient_name: str
    patient_id: str
    passages: int
    instructions: list[str]


def _insert(body: str, sentence: str, rng: random.Random) -> str:
    """Put a sentence at the end of a random paragraph before the closing."""
    paragraphs = body.split("\n\n")
    at = rng.randrange(1, max(2, len(paragraphs) - 2))
    paragraphs[at] = paragraphs[at].rstrip() + " " + sentence
    return "\n\n".join(paragraphs)


def invented_number(body, ctx, rng):
    n = rng.randint(131, 989)
    return _insert(body, f"Total care time this month came to {n} minutes [1].", rng), "unsupported_number"


def invented_date(body, ctx, rng):
    day = f"{rng.randint(1, 12):02d}/{rng.randint(1, 28):02d}/{rng.choice([2019, 2020, 2021, 2022])}"
    return _insert(body, f"A follow-up review was completed on {day} [1].", rng), "unsupported_date"


def dangling_marker(body, ctx, rng):
    markers = MARKER.findall(body)
    target = rng.choice(markers)
    fake = ctx.passages + rng.randint(1, 40)
    return body.replace(f"[{target}]", f"[{fake}]", 1), "dangling_marker"


def quote_on_no_page(body, ctx, rng):
    words = rng.sample(["patient", "reported", "complete", "resolution", "of", "all", "symptoms", "after",
                        "the", "program", "and", "thanked", "team", "for", "excellent", "care"], 9)
    return _insert(body, f'The record states "{" ".join(words)}" [1].', rng), "quote_not_verbatim"


def _mutate(value: str, rng: random.Random) -> str:
    digits = [i for i, ch in enumerate(value) if ch.isdigit()]
    i = rng.choice(digits) if digits else len(value) - 1
    new = str((int(value[i]) + rng.randint(1, 9)) % 10) if value[i].isdigit() else ("X" if value[i] != "X" else "Y")
    return value[:i] + new + value[i + 1 :]


def wrong_claim_number(body, ctx, rng):
    return body.replace(ctx.claim_number, _mutate(ctx.claim_number, rng)), "claim_number"


def wrong_patient_id(body, ctx, rng):
    return body.replace(ctx.patient_id, _mutate(ctx.patient_id, rng)), "patient_id"


def wrong_patient_name(body, ctx, rng):
    other = rng.choice(["Harold B. Finch", "Maria Delgado", "Samuel K. Okafor", "Lena Park"])
    return body.replace(ctx.patient_name, other), "patient_name"


def obeyed_instruction(body, ctx, rng):
    sentence = rng.choice(ctx.instructions)
    words = re.findall(r"[A-Za-z0-9']+", sentence)
    start = rng.randrange(0, max(1, len(words) - 7))
    return _insert(body, " ".join(words[start : start + 7]) + ".", rng), "instruction_text"


def missing_closing(body, ctx, rng):
    return re.sub(r"Sincerely,?", "", body), "missing_section"


DEFECTS = [invented_number, invented_date, dangling_marker, quote_on_no_page, wrong_claim_number,
           wrong_patient_id, wrong_patient_name, obeyed_instruction, missing_closing]
