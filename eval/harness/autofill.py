"""How well denial letters fill claim fields: per layout and per field, on text and on scanned
letters the letter generator makes from seeds the reader was not developed on (2000 and up)."""

from collections import defaultdict
from collections.abc import Callable

from eval.synth.letters import LAYOUTS, LetterFields, make_letter
from service.config import Settings
from service.knowledge import KnowledgeBase
from service.records.pdf import read_pdf_bytes
from service.remittance.notice import read_notice, recognised_codes

FIELDS = [
    "claim_number",
    "patient_name",
    "patient_id",
    "date_of_service",
    "payer",
    "denial_code",
    "denial_date",
    "billed_cpt",
    "amount_denied",
    "rarcs",
]
HELD_OUT = 2000


def correct(name: str, gold: LetterFields, reading) -> bool:
    """A letter that prints no code (or no amount) is read right when nothing is read."""
    expected = getattr(gold, name)
    got = reading.fields.get(name)
    value = got.value if got else None
    if name == "denial_code" and expected == "":
        return value in (None, "")
    if name == "amount_denied" and expected is None:
        return value is None
    if name == "rarcs":
        return sorted(value or []) == sorted(expected)
    if name == "billed_cpt":
        return sorted(value or []) == sorted(expected)
    return value == expected


def run_autofill_eval(
    settings: Settings,
    knowledge: KnowledgeBase,
    text_letters: int,
    scanned_letters: int,
    progress: Callable[[str], None] = lambda line: None,
) -> dict:
    payer_codes, remarks = recognised_codes(knowledge)
    report: dict = {}
    for kind, count in (("text", text_letters), ("scanned", scanned_letters)):
        hits: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        review: dict[str, int] = defaultdict(int)
        for layout in LAYOUTS:
            for seed in range(HELD_OUT, HELD_OUT + count):
                pdf, gold = make_letter(layout, seed, scanned=kind == "scanned")
                reading = read_notice(read_pdf_bytes(pdf, "letter.pdf", settings).pages, payer_codes, remarks)
                for name in FIELDS:
                    hits[layout][name] += correct(name, gold, reading)
                    review[name] += bool(reading.fields.get(name) and reading.fields[name].review)
            if count:
                progress(f"autofill {kind} {layout}: {count} letters")
        if count:
            report[kind] = {
                "letters_per_layout": count,
                "per_layout": {
                    layout: {name: round(hits[layout][name] / count, 3) for name in FIELDS} for layout in LAYOUTS
                },
                "per_field": {
                    name: round(sum(hits[layout][name] for layout in LAYOUTS) / (count * len(LAYOUTS)), 3)
                    for name in FIELDS
                },
                "marked_for_review": {name: round(review[name] / (count * len(LAYOUTS)), 3) for name in FIELDS},
            }
    return report


def render_autofill_table(report: dict) -> str:
    lines = []
    for kind, bar in (("text", 0.95), ("scanned", 0.90)):
        if kind not in report:
            continue
        part = report[kind]
        lines.append(
            f"auto-fill from our generated {kind} letters ({part['letters_per_layout']} per layout, seeds from {HELD_OUT}; bar {bar:.0%} per field)"
        )
        layouts = list(part["per_layout"])
        lines.append(f"{'field':<16}" + "".join(f"{name[:15]:>16}" for name in layouts) + f"{'all':>8}{'review':>8}")
        for name in FIELDS:
            row = "".join(f"{part['per_layout'][layout][name]:>16.3f}" for layout in layouts)
            lines.append(f"{name:<16}{row}{part['per_field'][name]:>8.3f}{part['marked_for_review'][name]:>8.3f}")
        lines.append("")
    return "\n".join(lines).rstrip()
