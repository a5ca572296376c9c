"""How well the notice reader fills claim fields on denial letters written by someone else (the
foreign letter corpus: `<dir>/L*/letter.pdf` with a `gold.json`), scored as the corpus README
says: a list in a scalar field accepts any of its values, names ignore case, order and
punctuation (and a middle initial the product's 'First Last' leaves out), IDs ignore spaces
and hyphens, code lists are sets, and a value in a field the
letter does not give (`absent`) is a wrong guess. Figures are per field and per letter (each
letter is one layout), text letters and scans apart, with the calibration that matters: how
many fields read at or above the bar are wrong."""

import json
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from eval.harness.pages import read_record
from service.config import Settings
from service.knowledge import KnowledgeBase
from service.models import NoticeReading
from service.records.pdf import read_pdf_bytes
from service.remittance.notice import read_notice, recognised_codes

CORE = ["claim_number", "patient_name", "patient_id", "date_of_service", "denial_code", "payer", "amount"]
FIELDS = CORE + ["denial_date", "billed_cpt", "remark_codes"]
READER_NAME = {"amount": "amount_denied", "remark_codes": "rarcs"}
"""Gold keys the reader names otherwise."""


@dataclass
class ForeignLetter:
    id: str
    pdf: Path
    gold: dict

    @property
    def scanned(self) -> bool:
        return bool(self.gold.get("scanned"))


def load_letters(folder: Path) -> list[ForeignLetter]:
    """Every `L*` folder holding both a letter and its gold, in name order."""
    letters = []
    for sub in sorted(p for p in Path(folder).iterdir() if p.is_dir()):
        pdf, gold = sub / "letter.pdf", sub / "gold.json"
        if pdf.is_file() and gold.is_file():
            letters.append(ForeignLetter(sub.name, pdf, json.loads(gold.read_text(encoding="utf-8"))))
    return letters


def _words(text: str) -> list[str]:
    return sorted(re.sub(r"[^a-z0-9 ]", " ", text.lower()).split())


def _without_initials(name: str) -> list[str]:
    """The product fills a patient's name as 'First Last' (a case's convention): a gold middle
    initial it leaves out is not counted as wrong, a wrong or extra word is."""
    words = re.sub(r"[^a-z0-9 ]", " ", name.lower()).split()
    return sorted([words[0], *[w for w in words[1:-1] if len(w) > 1], words[-1]]) if len(words) > 2 else sorted(words)


def _plain_id(text: str) -> str:
    return re.sub(r"[\s-]", "", text).upper()


def _as_text(value) -> str:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def same(name: str, expected: str, got) -> bool:
    """One gold value against one read value, compared the way the corpus README says."""
    text = _as_text(got)
    if name == "patient_name":
        return _words(text) in (_words(expected), _without_initials(expected))
    if name == "payer":
        return _words(text) == _words(expected)
    if name in ("claim_number", "patient_id"):
        return _plain_id(text) == _plain_id(expected)
    if name == "amount":
        try:
            return abs(float(text.replace("$", "").replace(",", "")) - float(expected)) < 0.005
        except ValueError:
            return False
    if name == "denial_code":
        return text.strip().upper() == expected.strip().upper()
    return text.strip() == expected.strip()


def score(name: str, gold: dict, reading: NoticeReading) -> str:
    """'right', 'wrong', 'missed' (gold has a value, nothing read) or 'absent-filled'."""
    got = reading.fields.get(READER_NAME.get(name, name))
    value = got.value if got is not None else None
    filled = value not in (None, "", [])
    if name in gold.get("absent", []):
        return "absent-filled" if filled else "right"
    expected = gold.get(name)
    if expected is None:
        return "right" if not filled else "wrong"
    if not filled:
        return "missed"
    if name in ("billed_cpt", "remark_codes"):
        read = {str(v).upper() for v in value}
        want = {str(v).upper() for v in expected}
        allowed = want | {str(v).upper() for v in gold.get("optional", {}).get(name, [])}
        return "right" if want <= read <= allowed else "wrong"
    options = expected if isinstance(expected, list) else [expected]
    return "right" if any(same(name, str(option), value) for option in options) else "wrong"


def read_letter(
    letter: ForeignLetter, settings: Settings, payer_codes: set[str], remarks: set[str], cache: bool = True
) -> NoticeReading:
    """The product's path (the PDF's pages, then read_notice); `cache` keeps OCR'd pages by hash."""
    data = letter.pdf.read_bytes()
    document = read_record(data, "letter.pdf", settings) if cache else read_pdf_bytes(data, "letter.pdf", settings)
    return read_notice(document.pages, payer_codes, remarks)


def run_foreign_letters(
    folder: Path,
    settings: Settings,
    knowledge: KnowledgeBase,
    progress: Callable[[str], None] = lambda line: None,
    only_scanned: bool | None = None,
) -> dict:
    """`only_scanned`: True for the scans alone, False for the text letters alone."""
    payer_codes, remarks = recognised_codes(knowledge)
    report: dict = {"letters": {}}
    for letter in load_letters(folder):
        if only_scanned is not None and letter.scanned != only_scanned:
            continue
        reading = read_letter(letter, settings, payer_codes, remarks)
        marks = {}
        for name in FIELDS:
            outcome = score(name, letter.gold, reading)
            got = reading.fields.get(READER_NAME.get(name, name))
            marks[name] = {
                "outcome": outcome,
                "confident": bool(got is not None and not got.review),
                "filled": got is not None and got.value not in (None, "", []),
            }
        report["letters"][letter.id] = {"scanned": letter.scanned, "fields": marks}
        progress(f"foreign letter {letter.id}: {sum(m['outcome'] == 'right' for m in marks.values())}/{len(FIELDS)}")
    for kind, scanned in (("text", False), ("scanned", True)):
        chosen = {k: v for k, v in report["letters"].items() if v["scanned"] == scanned}
        if chosen:
            report[kind] = summarise(chosen)
    return report


def summarise(letters: dict) -> dict:
    """Per-field share right, core fields right, and the calibration counts."""
    right: dict[str, int] = defaultdict(int)
    unsure: dict[str, int] = defaultdict(int)
    confident_wrong, absent_filled = 0, 0
    for entry in letters.values():
        for name, mark in entry["fields"].items():
            right[name] += mark["outcome"] == "right"
            unsure[name] += mark["outcome"] == "right" and mark.get("filled", True) and not mark["confident"]
            bad = mark["outcome"] in ("wrong", "absent-filled")
            confident_wrong += bad and mark["confident"]
            absent_filled += mark["outcome"] == "absent-filled"
    count = len(letters)
    return {
        "letters": count,
        "per_field": {name: round(right[name] / count, 3) for name in FIELDS},
        "right_but_marked_for_review": {name: unsure[name] for name in FIELDS},
        "core_right": sum(right[name] for name in CORE),
        "core_total": count * len(CORE),
        "wrong_at_or_above_bar": confident_wrong,
        "absent_filled": absent_filled,
    }


SHORT = {"right": "ok", "wrong": "X", "missed": "-", "absent-filled": "A"}


def render_foreign_letters(report: dict, source: str) -> str:
    lines = [
        f"auto-fill on foreign letters ({source}; written by others, not our generator)",
        "per letter: ok right, X wrong (X! at or above the bar), - missed, A filled a field the letter does not give",
    ]
    header = f"{'letter':<34}" + "".join(f"{name[:10]:>11}" for name in FIELDS)
    for kind in ("text", "scanned"):
        if kind not in report:
            continue
        part = report[kind]
        lines += ["", f"{kind} letters: {part['letters']}", header]
        for letter_id, entry in report["letters"].items():
            if entry["scanned"] != (kind == "scanned"):
                continue
            marks = [
                SHORT[m["outcome"]]
                + ("!" if m["outcome"] != "right" and m["confident"] and m["outcome"] != "missed" else "")
                for m in entry["fields"].values()
            ]
            lines.append(f"{letter_id[:33]:<34}" + "".join(f"{m:>11}" for m in marks))
        lines.append(f"{'share right':<34}" + "".join(f"{part['per_field'][name]:>11.2f}" for name in FIELDS))
        lines.append(
            f"{'right but under the bar':<34}"
            + "".join(f"{part['right_but_marked_for_review'][name]:>11}" for name in FIELDS)
        )
        lines.append(
            f"core fields right {part['core_right']}/{part['core_total']}; wrong at or above the bar: "
            f"{part['wrong_at_or_above_bar']}; absent fields filled: {part['absent_filled']}"
        )
    return "\n".join(lines)
