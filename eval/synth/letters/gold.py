"""The gold: the claim fields a reader should return, and the self-check that every gold
value is printed on the pages (so a template change can never leave it pointing at nothing).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..compose import Page, page_text


@dataclass
class LetterFields:
    """The gold values, exactly as a reader should return them."""

    claim_number: str
    patient_name: str  # "First Last", no middle initial
    patient_id: str  # as printed (an MBI keeps its dashes when printed with them)
    date_of_service: date  # of the denied service lines
    payer: str  # as printed in the letterhead
    denial_code: str  # "CO-50" style, the payer's own code (e.g. "CCM39"), or "" if none printed
    denial_date: date  # the date of the letter / notice
    billed_cpt: list[str]  # codes of the denied lines only
    amount_denied: float | None  # total billed charge of the denied lines, when printed
    rarcs: list[str] = field(default_factory=list)  # remark codes printed on the letter


def _check(pages: list[Page], gold: LetterFields, shows: list[str]) -> None:
    """The gold must be printed: a template change can never leave it pointing at nothing."""
    text = " ".join(page_text(pg) for pg in pages)
    low = text.lower()
    first, last = gold.patient_name.split(" ", 1)
    must = [gold.claim_number, gold.patient_id, gold.payer, *gold.billed_cpt, *gold.rarcs, *[s for s in shows if s]]
    if gold.denial_code and "-" not in gold.denial_code:
        must.append(gold.denial_code)
    missing = [m for m in must if " ".join(m.split()) not in text]
    if first.lower() not in low or last.lower() not in low:
        missing.append(gold.patient_name)
    if missing:
        raise AssertionError(f"gold not printed: {missing}")
    if not gold.date_of_service <= gold.denial_date:
        raise AssertionError("date of service after the letter")
