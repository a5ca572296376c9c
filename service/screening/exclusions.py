"""Pages that must never be cited: another patient's page, a page holding planted instructions,
and (reported after selection) pages dated outside the billing period that nothing could use.

Pure functions over page text. A page with no dated label is kept, and so is a page with no
patient label unless an earlier page of its document names someone else: then whose it is cannot
be told ("identity not confirmed"). Every exclusion is reported with its reason.
"""

from collections.abc import Set as AbstractSet

from service.models import CaseFields, Exclusion, Page
from service.screening.dates import date_order, month_bounds
from service.screening.identity import OTHER, OURS, assess, chart_identity, page_identity, patient_names, same_person
from service.screening.periods import Window, date_page, page_outside

OTHER_PATIENT = "names another patient"
IDENTITY_UNCONFIRMED = "identity not confirmed"
OUT_OF_PERIOD = "outside the billing period"
INSTRUCTIONS = "contains text addressed to a reader or an AI"

__all__ = [
    "OTHER_PATIENT",
    "IDENTITY_UNCONFIRMED",
    "OUT_OF_PERIOD",
    "INSTRUCTIONS",
    "other_patient_pages",
    "find_exclusions",
    "page_patient_names",
    "same_person",
    "document_orders",
]

page_patient_names = patient_names


def document_orders(pages: list[Page]) -> dict[str, str]:
    """Each document's date order ('MDY' or 'DMY'), read from the whole document."""
    texts: dict[str, list[str]] = {}
    for page in pages:
        texts.setdefault(page.document, []).append(page.text)
    return {document: date_order(t) for document, t in texts.items()}


def other_patient_pages(
    pages: list[Page], case: CaseFields, orders: dict[str, str] | None = None
) -> tuple[list[Exclusion], list[str]]:
    """Pages of another patient (a name, MRN, DOB or suffix that disagrees), pages without an
    identity of their own that follow another patient's page in their document, and what could
    not be decided."""
    orders = orders or document_orders(pages)
    identities = [page_identity(p.text, orders.get(p.document, "MDY")) for p in pages]
    chart = chart_identity(case, identities)
    last_seen: dict[str, str] = {}
    excluded = []
    for p, ident in sorted(zip(pages, identities), key=lambda pair: (pair[0].document, pair[0].number)):
        status, _ = assess(ident, chart, p.ocr)
        if status == OTHER:
            excluded.append(Exclusion(document=p.document, page=p.number, reason=OTHER_PATIENT))
        elif status != OURS and last_seen.get(p.document) == OTHER:
            excluded.append(Exclusion(document=p.document, page=p.number, reason=IDENTITY_UNCONFIRMED))
        if status in (OURS, OTHER):
            last_seen[p.document] = status
    order = {(p.document, p.number): i for i, p in enumerate(pages)}
    excluded.sort(key=lambda e: order[(e.document, e.page)])
    return excluded, chart.conflicts


def find_exclusions(
    pages: list[Page],
    case: CaseFields,
    billing_period: str,
    instruction_pages: AbstractSet[tuple[str, int]] = frozenset(),
) -> list[Exclusion]:
    """Page-level decisions alone: another patient, planted instructions, and a page whose own
    dates all lie outside the billing month. The pipeline decides the last one per requirement
    (a standing document from an earlier month still counts); this is the page-level view."""
    orders = document_orders(pages)
    others, _ = other_patient_pages(pages, case, orders)
    other = {(e.document, e.page): e.reason for e in others}
    window = Window(*month_bounds(case.date_of_service)) if billing_period == "calendar_month" else None
    excluded = []
    for page in pages:
        where = (page.document, page.number)
        reason = None
        if where in other:
            reason = other[where]
        elif where in instruction_pages:
            reason = INSTRUCTIONS
        elif window and page_outside(date_page(page, [], orders[page.document]), window):
            reason = OUT_OF_PERIOD
        if reason:
            excluded.append(Exclusion(document=page.document, page=page.number, reason=reason))
    return excluded
