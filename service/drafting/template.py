"""The deterministic drafter: same case and evidence in, same letter out, no model involved.

Every specific in the letter is a verbatim quote with a `[n]` marker that resolves in the
Sources list; a requirement without evidence is left out of the letter and named in warnings.
"""

from dataclasses import dataclass, field
from datetime import date

from service.drafting.deadline import appeal_level, payer_type
from service.models import CaseFields, Citation, CodeEntry, Evidence, EvidenceRequirement
from service.screening.dates import long_date

RULE = "-" * 72
SOURCES_HEADING = f"\n{RULE}\nSources\n"


def split_letter(letter: str) -> tuple[str, str]:
    """The letter's body and the Sources list under the rule ('' when there is none)."""
    body, _, sources = letter.partition(SOURCES_HEADING)
    return body, sources


@dataclass
class Letter:
    text: str
    citations: list[Citation]
    warnings: list[str] = field(default_factory=list)


def flat(text: str) -> str:
    return " ".join(text.split())


def _page_list(pages: list[int]) -> str:
    label = "page" if len(pages) == 1 else "pages"
    return f"{label} {', '.join(str(p) for p in sorted(set(pages)))}"


def _re_block(case: CaseFields, entry: CodeEntry) -> list[str]:
    lines = [
        f"RE: Request for {appeal_level(case)} of a denied claim",
        f"Claim number: {case.claim_number}",
        f"Patient: {case.patient_name}",
        f"Patient ID: {case.patient_id}",
        f"Date of service: {case.date_of_service.isoformat()}",
    ]
    if case.billed_cpt:
        lines.append(f"Services billed: {', '.join(case.billed_cpt)}")
    lines.append(f"Denial code: {entry.code} - {entry.title}")
    if case.denial_date:
        lines.append(f"Denial date: {case.denial_date.isoformat()}")
    if case.provider_name:
        lines.append(f"Rendering provider: {case.provider_name}")
    return lines


def _opening(case: CaseFields, entry: CodeEntry) -> str:
    when = f" on {long_date(case.denial_date)}" if case.denial_date else ""
    period = ""
    if entry.billing_period == "calendar_month":
        period = f" for the billing month of {case.date_of_service:%B %Y}"
    ask = "redetermination" if payer_type(case) == "medicare" else "reconsideration"
    return (
        f"On behalf of {case.patient_name}, we request {ask} of claim {case.claim_number} for services "
        f"provided on {long_date(case.date_of_service)}{period}. {case.payer} denied the claim{when} "
        f'with code {entry.code} ("{entry.title}"). The medical record supports the services as '
        "billed, and we ask that the denial be reversed."
    )


def adjustments_paragraph(case: CaseFields, entry: CodeEntry) -> str | None:
    """What the remittance adjusted, and which of it this letter contests: the adjustment named
    by the denial code is appealed; the others (the patient's share, contractual write-offs, other
    lines' reasons) are said not to be contested, so the reviewer does not read a wider claim."""
    if not case.adjustments:
        return None
    contested = [a for a in case.adjustments if a.code == entry.code]
    others = [a for a in case.adjustments if a.code != entry.code]
    parts = []
    if contested:
        parts.append("This appeal concerns the " + "; ".join(_adjustment(a) for a in contested) + ".")
    if others:
        parts.append(
            "We do not contest the other adjustments on the remittance: "
            + "; ".join(_adjustment(a) for a in others)
            + "."
        )
    return " ".join(parts)


def _adjustment(a) -> str:
    remarks = f", remark {', '.join(a.rarcs)}" if a.rarcs else ""
    line = f" on {a.cpt}" if a.cpt else " at claim level"
    return f"{a.code} adjustment of ${a.amount:,.2f}{line}{remarks}"


def ordered_evidence(entry: CodeEntry, evidence: list[Evidence]) -> list[Evidence]:
    """Requirement order, then document, page and position: the order markers are numbered in."""
    order = {req.id: i for i, req in enumerate(entry.evidence)}
    return sorted(evidence, key=lambda e: (order.get(e.requirement, 99), e.document, e.page, e.start))


def _bullets(entry: CodeEntry, evidence: list[Evidence]) -> tuple[list[str], list[Citation]]:
    labels = {req.id: req.label for req in entry.evidence}
    lines, citations = [], []
    for n, item in enumerate(ordered_evidence(entry, evidence), 1):
        marker = f"[{n}]"
        lines.append(f'- {labels.get(item.requirement, "Documentation")}: "{flat(item.text)}" {marker}')
        citations.append(Citation(marker=marker, document=item.document, page=item.page, quote=item.text))
    return lines, citations


def _attachments(case: CaseFields, citations: list[Citation]) -> list[str]:
    items = [f"A copy of the denial notice or remittance advice for claim {case.claim_number}."]
    by_doc: dict[str, list[int]] = {}
    for c in citations:
        by_doc.setdefault(c.document, []).append(c.page)
    for document, pages in by_doc.items():
        items.append(f"Medical record {document}, {_page_list(pages)}.")
    return [f"{i}. {item}" for i, item in enumerate(items, 1)]


def sources_lines(citations: list[Citation], ocr: set[tuple[str, int]]) -> list[str]:
    """The Sources list under the rule: marker, document, page, OCR note and the quote."""
    lines = []
    for c in citations:
        scanned = " (scanned page, text read by OCR)" if (c.document, c.page) in ocr else ""
        lines.append(f'{c.marker} {c.document}, page {c.page}{scanned}: "{flat(c.quote)}"')
    return lines


def missing_warning(req: EvidenceRequirement) -> str:
    return (
        f"No evidence found for '{req.label}' ({req.id}): {req.need} "
        "The letter says nothing about it; find it in the chart before sending."
    )


def draft_letter(
    case: CaseFields,
    entry: CodeEntry,
    evidence: list[Evidence],
    missing: list[EvidenceRequirement],
    letter_date: date,
) -> Letter:
    bullets, citations = _bullets(entry, evidence)
    header = [line for line in (case.practice_name, case.provider_name if not case.practice_name else None) if line]
    parts: list[str] = [*header, long_date(letter_date), "", case.payer, "Attn: Appeals Department", ""]
    parts += _re_block(case, entry) + ["", "Dear Appeals Reviewer,", "", _opening(case, entry), ""]
    adjusted = adjustments_paragraph(case, entry)
    if adjusted:
        parts += [adjusted, ""]
    parts += [entry.appeal_argument.strip(), ""]
    if bullets:
        parts += ["The enclosed medical record documents the following:", "", *bullets, ""]
    else:
        parts += ["Please review the claim together with the enclosed medical record.", ""]
    parts += [
        "Because the record documents the services as billed, we ask that you reverse the denial and "
        f"reprocess claim {case.claim_number} for payment. Please contact our office with any questions.",
        "",
        "Attached please find:",
        *_attachments(case, citations),
        "",
        "Sincerely,",
        "",
        "",
        case.provider_name or "____________________________",
    ]
    if case.practice_name:
        parts.append(case.practice_name)
    if citations:
        ocr = {(e.document, e.page) for e in evidence if e.ocr}
        parts += ["", RULE, "Sources", *sources_lines(citations, ocr)]
    warnings = [missing_warning(req) for req in missing]
    if not header:
        warnings.append("No practice or provider name in the case: add your letterhead before sending.")
    return Letter(text="\n".join(parts).rstrip() + "\n", citations=citations, warnings=warnings)
