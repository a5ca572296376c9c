"""Sending an appeal with proof: the packet as sent is hashed, the channel, date and the payer's
confirmation or tracking number are kept, the case is marked sent, and its deadline says whether
it was filed on time.

With review required, only an approved letter can be sent. A fax goes out through the configured
fax service when there is one (its id is the confirmation); otherwise staff send it themselves
and record what they were given.
"""

import hashlib
import io
from datetime import date, datetime

from pypdf import PdfReader
from sqlalchemy import select

from service.casework.appeals import export_appeal, load_appeal, newest_appeal_id
from service.casework.cases import case_fields, find_case, get_case
from service.casework.review import review_required
from service.casework.state import Workspace, new_id
from service.casework.views import SendingView, SendRequest
from service.delivery.fax import FaxSender
from service.drafting.deadline import payer_type
from service.drafting.send_packet import build_send_packet
from service.errors import AppealNotFoundError, ApprovalRequiredError, FaxNotConfiguredError, MissingConfirmationError
from service.knowledge.payers import SendTo, directory_paths, find_payer, load_directory
from service.models import CaseFields, Principal
from service.store.db import SendingRow, now


def filed(sent_on: date, deadline: date | None) -> str:
    """'on_time' when sent on or before the deadline day, 'late' after it."""
    if deadline is None:
        return "no_deadline"
    return "on_time" if sent_on <= deadline else "late"


def send_to(ws: Workspace, tenant: str, fields: CaseFields) -> SendTo | None:
    """Where this case's appeal goes, from the payer directory (the tenant's own entries first)."""
    settings = ws.settings
    entries = load_directory(directory_paths(settings.knowledge_dirs, settings.home, tenant))
    return find_payer(entries, fields.payer, payer_type(fields))


def payer_packet(ws: Workspace, tenant: str, appeal_id: str) -> bytes:
    """Cover sheet to the payer, the letter, the evidence packet; claim number on every page."""
    row, _ = load_appeal(ws, tenant, appeal_id)
    with ws.session() as session:
        fields = case_fields(ws, find_case(session, tenant, row.case_id))
    title = ws.components.knowledge.for_case(fields.denial_code).title
    return build_send_packet(
        fields,
        title,
        send_to(ws, tenant, fields),
        export_appeal(ws, tenant, appeal_id, "pdf"),
        lambda first_page: export_appeal(ws, tenant, appeal_id, "packet", first_page),
    )


def send_appeal(
    ws: Workspace,
    principal: Principal,
    appeal_id: str,
    request: SendRequest,
    fax: FaxSender | None = None,
    today: date | None = None,
) -> SendingView:
    tenant = principal.tenant
    row, _ = load_appeal(ws, tenant, appeal_id)
    if review_required(ws, tenant) and row.approved_at is None:
        raise ApprovalRequiredError("this practice requires a reviewer's approval before a letter is sent")
    confirmation = request.confirmation.strip()
    packet = payer_packet(ws, tenant, appeal_id)
    if request.channel == "fax" and fax is not None and not confirmation:
        if not request.fax_number:
            raise MissingConfirmationError("give the payer's appeals fax number (fax_number) to fax the packet")
        confirmation = fax.send(request.fax_number, packet, reference=appeal_id)
    elif request.channel == "fax" and not confirmation and request.fax_number:
        raise FaxNotConfiguredError(
            "no fax service is configured (OVERTURN_FAX): fax the packet yourself and record its confirmation"
        )
    if not confirmation:
        raise MissingConfirmationError(
            "record the fax confirmation, mail tracking number or portal reference as proof of filing"
        )
    sent_on = request.sent_on or today or date.today()
    deadline = get_case(ws, tenant, row.case_id).deadline
    sending = SendingRow(
        id=new_id("snd"),
        tenant=tenant,
        case_id=row.case_id,
        appeal_id=appeal_id,
        channel=request.channel,
        sent_on=sent_on,
        confirmation=confirmation,
        packet_sha256=hashlib.sha256(packet).hexdigest(),
        packet_pages=_pages(packet),
        filed_on_time=None if deadline is None else sent_on <= deadline,
        recorded_by=principal.actor,
    )
    with ws.sessions.begin() as session:
        case = find_case(session, tenant, row.case_id)
        session.add(sending)
        case.status = "sent"
        stamp = now()
        case.sent_at = stamp if sent_on >= stamp.date() else datetime.combine(sent_on, datetime.min.time())
        case.decided_at = None
        case.updated_at = stamp
    return _view(sending, deadline)


def latest_appeal_id(ws: Workspace, tenant: str, case_id: str) -> str:
    """The case's newest letter, the one `overturn cases send` sends."""
    with ws.session() as session:
        find_case(session, tenant, case_id)
    found = newest_appeal_id(ws, tenant, case_id)
    if found is None:
        raise AppealNotFoundError("the case has no letter yet: draft it first")
    return found


def sendings(ws: Workspace, tenant: str, case_id: str) -> list[SendingView]:
    deadline = get_case(ws, tenant, case_id).deadline
    with ws.session() as session:
        rows = session.scalars(
            select(SendingRow)
            .where(SendingRow.tenant == tenant, SendingRow.case_id == case_id)
            .order_by(SendingRow.created_at)
        )
        return [_view(r, deadline) for r in rows]


def _pages(packet: bytes) -> int:
    return len(PdfReader(io.BytesIO(packet)).pages)


def _view(row: SendingRow, deadline: date | None) -> SendingView:
    return SendingView(
        id=row.id,
        case_id=row.case_id,
        appeal_id=row.appeal_id,
        channel=row.channel,
        sent_on=row.sent_on,
        confirmation=row.confirmation,
        packet_sha256=row.packet_sha256,
        packet_pages=row.packet_pages,
        deadline=deadline,
        filed=filed(row.sent_on, deadline),
        recorded_by=row.recorded_by,
        created_at=row.created_at or now(),
    )
