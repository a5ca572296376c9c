"""Cases: create, read, list and delete, always within one tenant.

A case another tenant owns is answered exactly like one that does not exist.
"""

import json
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.casework.staff import emails
from service.casework.state import Workspace, new_id
from service.casework.views import (
    AppealSummary,
    CaseSummary,
    CaseView,
    DocumentView,
    ErrorDetail,
    PageInfo,
    RecordsStatus,
)
from service.drafting.deadline import appeal_deadline, appeal_level, deadline_basis, payer_type
from service.errors import CaseNotFoundError
from service.models import Adjustment, CaseFields
from service.store.db import AppealRow, CaseRow, DocumentRow, now


def find_case(session: Session, tenant: str, case_id: str) -> CaseRow:
    row = session.get(CaseRow, case_id)
    if row is None or row.tenant != tenant:
        raise CaseNotFoundError("no such case")
    return row


def case_fields(ws: Workspace, row: CaseRow) -> CaseFields:
    return CaseFields.model_validate_json(ws.cipher.open(row.fields, f"case:{row.id}"))


def document_name(ws: Workspace, row: DocumentRow) -> str:
    return ws.cipher.open(row.name, f"name:{row.id}").decode()


def create_case(ws: Workspace, tenant: str, fields: CaseFields) -> CaseView:
    case_id = new_id("cas")
    put_case(ws, tenant, case_id, fields)
    return get_case(ws, tenant, case_id)


def put_case(ws: Workspace, tenant: str, case_id: str, fields: CaseFields) -> bool:
    """Create the case under this id, or replace the fields of the tenant's case that has it;
    True when it was created. The CLI names its cases after their claim and files."""
    entry = ws.components.knowledge.get(fields.denial_code)
    fields = fields.model_copy(update={"denial_code": entry.code})
    sealed = ws.cipher.seal(fields.model_dump_json().encode(), f"case:{case_id}")
    with ws.sessions.begin() as session:
        row = session.get(CaseRow, case_id)
        if row is None:
            session.add(
                CaseRow(
                    id=case_id,
                    tenant=tenant,
                    denial_code=entry.code,
                    fields=sealed,
                    deadline=appeal_deadline(fields),
                    payer=fields.payer[:200],
                )
            )
            return True
        if row.tenant != tenant:
            raise CaseNotFoundError("no such case")
        row.denial_code, row.fields, row.updated_at = entry.code, sealed, now()
        row.deadline, row.payer = appeal_deadline(fields), fields.payer[:200]
        return False


def get_case(ws: Workspace, tenant: str, case_id: str) -> CaseView:
    with ws.session() as session:
        row = find_case(session, tenant, case_id)
        documents = list(
            session.scalars(select(DocumentRow).where(DocumentRow.case_id == row.id).order_by(DocumentRow.created_at))
        )
        appeals = list(
            session.scalars(select(AppealRow).where(AppealRow.case_id == row.id).order_by(AppealRow.created_at))
        )
        staff = emails(session, tenant) if row.assignee else {}
    fields = case_fields(ws, row)
    return CaseView(
        id=row.id,
        records=records_status(documents),
        fields=fields,
        denial_title=ws.components.knowledge.for_case(row.denial_code).title,
        payer_type=payer_type(fields),
        adjustments=[Adjustment(**a) for a in json.loads(row.adjustments or "[]")],
        documents=[document_view(ws, d) for d in documents],
        appeals=[AppealSummary(id=a.id, method=a.method, created_at=a.created_at) for a in appeals],
        **tracking(row, fields, staff=staff),
    )


def list_cases(ws: Workspace, tenant: str, ids: list[str] | None = None) -> list[CaseSummary]:
    """The tenant's cases, newest change first; with `ids`, only those."""
    case_query = select(CaseRow).where(CaseRow.tenant == tenant).order_by(CaseRow.updated_at.desc())
    doc_query = select(DocumentRow).where(DocumentRow.tenant == tenant)
    if ids is not None:
        case_query, doc_query = case_query.where(CaseRow.id.in_(ids)), doc_query.where(DocumentRow.case_id.in_(ids))
    with ws.session() as session:
        rows = list(session.scalars(case_query))
        documents = list(session.scalars(doc_query))
        staff = emails(session, tenant)
    by_case: dict[str, list[DocumentRow]] = {}
    for d in documents:
        by_case.setdefault(d.case_id, []).append(d)
    out = []
    for row in rows:
        fields = case_fields(ws, row)
        docs = by_case.get(row.id, [])
        out.append(
            CaseSummary(
                id=row.id,
                records=records_status(docs),
                claim_number=fields.claim_number,
                patient_name=fields.patient_name,
                denial_code=row.denial_code,
                documents=len(docs),
                **tracking(row, fields, staff=staff),
            )
        )
    return out


def tracking(row: CaseRow, fields: CaseFields, today: date | None = None, staff: dict[str, str] | None = None) -> dict:
    """The row's tracking columns as the views name them. A case typed in keeps the deadline its
    fields give (cases made before deadlines were stored have none in the row). `staff` maps
    user ids to emails, for the assignee's."""
    deadline = row.deadline if row.source == "835" else appeal_deadline(fields)
    today = today or date.today()
    return {
        "status": row.status,
        "action": row.action,
        "action_rule": row.action_rule,
        "deadline": deadline,
        "days_left": (deadline - today).days if deadline else None,
        "appeal_level": appeal_level(fields),
        "deadline_basis": deadline_basis(fields) if deadline else None,
        "payer": row.payer or fields.payer,
        "amount_denied": row.amount_denied,
        "amount_recovered": row.amount_recovered,
        "sent_at": row.sent_at,
        "decided_at": row.decided_at,
        "source": row.source,
        "assignee": row.assignee,
        "assignee_email": (staff or {}).get(row.assignee or ""),
        "created_at": row.created_at,
        "updated_at": row.updated_at,
    }


def delete_case(ws: Workspace, tenant: str, case_id: str) -> None:
    """Rows (documents, appeals and chats cascade), files and vectors: nothing of the case stays."""
    with ws.sessions.begin() as session:
        row = find_case(session, tenant, case_id)
        session.delete(row)
    ws.erase_case(tenant, case_id)
    ws.forget_deleted_rows()


def touch_case(session: Session, case_id: str) -> None:
    row = session.get(CaseRow, case_id)
    if row is not None:
        row.updated_at = now()


def records_status(documents: list[DocumentRow]) -> RecordsStatus:
    states = {d.status for d in documents}
    if not states:
        return "awaiting_documents"
    if states & {"queued", "processing"}:
        return "processing"
    return "ready" if "ready" in states else "failed"


def document_view(ws: Workspace, row: DocumentRow, duplicate: bool = False) -> DocumentView:
    error = ErrorDetail(code=row.error_code, message=row.error_message or "") if row.error_code else None
    return DocumentView(
        id=row.id,
        case_id=row.case_id,
        name=document_name(ws, row),
        sha256=row.sha256,
        size=row.size,
        status=row.status,
        pages_total=row.pages_total,
        pages_done=row.pages_done,
        pages_ocr=row.pages_ocr,
        pages=[PageInfo(**p) for p in json.loads(row.pages)],
        error=error,
        duplicate=duplicate,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )
