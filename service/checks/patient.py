"""Whether the records are shown to be the patient's: at least one page names the patient or
prints an identifier of theirs (a page of another patient is already set aside by screening).
A month whose records never say whose they are is at risk, however complete they look."""

from service.models import CaseFields, Page
from service.screening.exclusions import document_orders
from service.screening.identity import OURS, assess, chart_identity, page_identity


def identity_confirmed(case: CaseFields, pages: list[Page], excluded: set[tuple[str, int]]) -> bool:
    orders = document_orders(pages)
    kept = [p for p in pages if (p.document, p.number) not in excluded]
    identities = [page_identity(p.text, orders.get(p.document, "MDY")) for p in kept]
    chart = chart_identity(case, identities)
    return any(assess(ident, chart, page.ocr)[0] == OURS for ident, page in zip(identities, kept))
