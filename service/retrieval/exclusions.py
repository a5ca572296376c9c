"""Pages that must never be cited: another patient's page, a page holding planted instructions,
and (reported after selection) pages dated outside the billing period that nothing could use.

Pure functions over page text. A page with no patient label or no dated label is kept: we only
exclude on positive evidence, and report every exclusion with its reason.
"""

from service.models import CaseFields, Exclusion, Page
from service.retrieval.dates import date_order
from service.retrieval.identity import chart_identity, other_patient, page_identity, patient_names, same_person
from service.retrieval.periods import Window, date_page, page_outside
from service.retrieval.dates import month_bounds

OTHER_PATIENT = "names another patient"
OUT_OF_PERIOD = "outside the billing period"
INSTRUCTIONS = "contains text addressed to a reader or an AI"

__all__ = ["OTHER_PATIENT", "OUT_OF_PERIOD", "INSTRUCTIONS", "other_patient_pages", "find_exclusions",
           "page_patient_names", "same_person", "document_orders"]

page_patient_names = patient_names


def document_orders(pages: list[Page]) -> dict[str, str]:
    """Each document's date order ('MDY' or 'DMY'), read from the whole document."""
    texts: dict[str, list[str]] = {}
    for page in pages:
        texts.setdefault(page.document, []).append(page.text)
    return {document: date_order(t) for document, t in texts.items()}


def other_patient_pages(pages: list[Page], case: CaseFields, orders: dict[str, str] | None = None) -> tuple[list[Exclusion], list[str]]:
    """Pages of another patient (by name, MRN or date of birth), and what could not be decided."""
    orders = orders or document_orders(pages)
    identities = [page_identity(p.text, orders.get(p.document, "MDY")) for p in pages]
    chart = chart_identity(case, identities)
    excluded = [
        Exclusion(document=p.document, page=p.number, reason=OTHER_PATIENT)
        for p, ident in zip(pages, identities)
        if other_patient(ident, chart, p.ocr)
    ]
    return excluded, chart.conflicts


def find_exclusions(
    pages: list[Page], case: CaseFields, billing_period: str, instruction_pages: set[tuple[str, int]] = frozenset()
) -> list[Exclusion]:
    """Page-level decisions alone: another patient, planted instructions, and a page whose own
    dates all lie outside the billing month. The pipeline decides the last one per requirement
    (a standing document from an earlier month still counts); this is the page-level view."""
    orders = document_orders(pages)
    others, _ = other_patient_pages(pages, case, orders)
    other = {(e.document, e.page) for e in others}
    window = Window(*month_bounds(case.date_of_service)) if billing_period == "calendar_month" else None
    excluded = []
    for page in pages:
        where = (page.document, page.number)
        reason = None
        if where in other:
            reason = OTHER_PATIENT
        elif where in instruction_pages:
            reason = INSTRUCTIONS
        elif window and page_outside(date_page(page, [], orders[page.document]), window):
            reason = OUT_OF_PERIOD
        if reason:
            excluded.append(Exclusion(document=page.document, page=page.number, reason=reason))
    return excluded
