"""The packet that goes to the payer: a cover sheet addressed to the payer's appeals unit, the
letter, then the evidence packet (its exhibit list and the cited pages), every page after the
cover carrying the claim number and its page number, so a page that comes loose finds its claim.
"""

import io
from collections.abc import Callable
from xml.sax.saxutils import escape

from pypdf import PdfReader, PdfWriter

from service.drafting.packet import shown_placement, stamp
from service.drafting.render import font_name
from service.knowledge.payers import SendTo
from service.models import CaseFields

NOT_IN_DIRECTORY = (
    "The payer's appeal address is not in the payer directory: address this packet as the denial notice "
    "directs, and add the payer to the directory with its source."
)


def _cover(case: CaseFields, code_title: str, send_to: SendTo | None, letter_pages: int, packet_pages: int) -> bytes:
    from reportlab.lib.pagesizes import letter
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import inch
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    font = font_name()
    body = ParagraphStyle("body", fontName=font, fontSize=11, leading=14)
    title = ParagraphStyle("title", parent=body, fontSize=18, leading=22, spaceAfter=12)
    head = ParagraphStyle("head", parent=body, fontSize=12, leading=16, spaceBefore=10, spaceAfter=4)
    story = [Paragraph("Appeal of a claim determination", title), Paragraph("To", head)]
    if send_to is None:
        story.append(Paragraph(escape(NOT_IN_DIRECTORY), body))
    else:
        lines = [send_to.payer_name, *send_to.address.mail]
        story += [Paragraph(escape(line), body) for line in lines]
        if send_to.address.fax:
            story.append(Paragraph(f"Fax: {escape(send_to.address.fax)}", body))
        if send_to.address.portal_url:
            story.append(Paragraph(f"Portal: {escape(send_to.address.portal_url)}", body))
        story.append(
            Paragraph(
                f"<font size=8>Payer directory: {escape(send_to.source)}, checked {send_to.checked.isoformat()}</font>",
                body,
            )
        )
    sender = case.practice_name or case.provider_name
    if sender:
        story += [Paragraph("From", head), Paragraph(escape(sender), body)]
        if case.provider_name and case.provider_name != sender:
            story.append(Paragraph(escape(case.provider_name), body))
    facts = [
        ("Claim number", case.claim_number),
        ("Patient", case.patient_name),
        ("Member ID", case.patient_id),
        ("Date of service", case.date_of_service.isoformat()),
        ("Denial", f"{case.denial_code}: {code_title}"),
    ]
    story.append(Paragraph("Regarding", head))
    story += [Paragraph(f"<b>{escape(k)}:</b> {escape(v)}", body) for k, v in facts]
    story += [
        Paragraph("Enclosed", head),
        Paragraph(f"Appeal letter: {letter_pages} page(s)", body),
        Paragraph(f"Evidence packet (exhibit list and cited record pages): {packet_pages} page(s)", body),
        Spacer(1, 10),
        Paragraph(
            f"Every following page carries the claim number {escape(case.claim_number)} and its page number.", body
        ),
    ]
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer, pagesize=letter, title="Appeal", author="Overturn", invariant=1, leftMargin=inch, rightMargin=inch
    ).build(story)
    return buffer.getvalue()


def build_send_packet(
    case: CaseFields,
    code_title: str,
    send_to: SendTo | None,
    letter_pdf: bytes,
    evidence_pdf: Callable[[int], bytes],
) -> bytes:
    """`evidence_pdf(first_page)`: the evidence packet whose exhibit list numbers its pages from
    `first_page`, the number its own cover has here, after this cover and the letter."""
    letter = PdfReader(io.BytesIO(letter_pdf))
    cover_pages = 1
    for _ in range(3):  # the cover's length decides where the evidence starts; it rarely runs over
        evidence = PdfReader(io.BytesIO(evidence_pdf(cover_pages + len(letter.pages) + 1)))
        cover = PdfReader(io.BytesIO(_cover(case, code_title, send_to, len(letter.pages), len(evidence.pages))))
        if len(cover.pages) == cover_pages:
            break
        cover_pages = len(cover.pages)
    writer = PdfWriter()
    for page in cover.pages:
        writer.add_page(page)
    total = len(cover.pages) + len(letter.pages) + len(evidence.pages)
    for at, page in enumerate([*letter.pages, *evidence.pages], len(cover.pages) + 1):
        added = writer.add_page(page)
        placed, width, height = shown_placement(added)
        added.merge_transformed_page(
            stamp(width, height, f"Claim {case.claim_number} \u00b7 page {at} of {total}", footer=True), placed
        )
    writer.add_metadata({"/Title": "Appeal", "/Producer": "Overturn"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
