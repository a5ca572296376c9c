"""The notice reader on the foreign letter corpus (denial letters written by an outside author,
outside the repository), scored as its README says; and the scoring itself on hand-made
readings, so a reader that fills a field the letter does not give, or a wrong one with
confidence, is counted against it."""

from datetime import date
from pathlib import Path

import pytest

from eval.harness.foreign_letters import CORE, run_foreign_letters, score, summarise
from service.models import FieldReading, NoticeReading

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "foreign" / "letters"
if not CORPUS.is_dir():
    CORPUS = Path("/work/shared/foreign/letters")
needs_corpus = pytest.mark.skipif(
    not CORPUS.is_dir(), reason="the foreign letter corpus (../shared/foreign/letters) is not on this machine"
)


def reading(**values) -> NoticeReading:
    return NoticeReading(
        fields={k: FieldReading(value=v, confidence=0.95, review=False) for k, v in values.items()}, bar=0.75
    )


def test_scoring_follows_the_corpus_rules():
    gold = {
        "patient_name": "Ada K Brill",
        "patient_id": ["QX-11 22", "QX1122-01"],
        "amount": "1234.50",
        "date_of_service": "2026-03-05",
        "billed_cpt": ["99457"],
        "optional": {"remark_codes": ["MA01"]},
        "remark_codes": ["N10"],
        "absent": ["denial_code"],
    }
    assert score("patient_name", gold, reading(patient_name="BRILL, ADA K")) == "right"
    assert (
        score("patient_name", gold, reading(patient_name="Ada Brill")) == "right"
    )  # the initial the product leaves out
    assert score("patient_name", gold, reading(patient_name="Ada Brell")) == "wrong"
    assert score("patient_id", gold, reading(patient_id="QX 1122")) == "right"
    assert score("amount", gold, reading(amount_denied=1234.5)) == "right"
    assert score("amount", gold, reading(amount_denied=234.5)) == "wrong"
    assert score("date_of_service", gold, reading(date_of_service=date(2026, 3, 5))) == "right"
    assert score("billed_cpt", gold, reading(billed_cpt=["99457", "99214"])) == "wrong"
    assert score("remark_codes", gold, reading(rarcs=["N10", "MA01"])) == "right"
    assert score("denial_code", gold, reading(denial_code="CO-50")) == "absent-filled"
    assert score("denial_code", gold, reading()) == "right"
    assert score("claim_number", {"claim_number": "A1"}, reading()) == "missed"


def test_calibration_counts_confident_mistakes():
    marks = {
        "L": {
            "scanned": False,
            "fields": {
                "claim_number": {"outcome": "wrong", "confident": True},
                "payer": {"outcome": "wrong", "confident": False},
                "denial_code": {"outcome": "absent-filled", "confident": False},
                **{
                    name: {"outcome": "right", "confident": True}
                    for name in CORE
                    if name not in ("claim_number", "payer", "denial_code")
                },
            },
        }
    }
    part = summarise(marks)
    assert part["wrong_at_or_above_bar"] == 1 and part["absent_filled"] == 1 and part["core_right"] == len(CORE) - 3


@needs_corpus
def test_foreign_text_letters(settings, components):
    """Reached on this corpus: every core field right on the 10 text letters, none wrong at or
    above the bar, no absent field filled."""
    report = run_foreign_letters(CORPUS, settings, components.knowledge, only_scanned=False)
    text = report["text"]
    assert text["letters"] == 10
    low = {name: share for name, share in text["per_field"].items() if share < 0.95}
    assert not low, low
    assert text["wrong_at_or_above_bar"] == 0 and text["absent_filled"] == 0


@needs_corpus
@pytest.mark.integration
def test_foreign_scanned_letters(settings, components):
    """OCR of the 6 scans takes a minute or two."""
    report = run_foreign_letters(CORPUS, settings, components.knowledge, only_scanned=True)
    scans = report["scanned"]
    low = {name: share for name in CORE if (share := scans["per_field"][name]) < 0.90}
    assert not low, low
    assert scans["wrong_at_or_above_bar"] == 0 and scans["absent_filled"] == 0
