"""Appeals: draft from a case's read documents, keep the result sealed, export it.

A draft needs every upload settled (ready or failed) and at least one ready: drafting while a
document is still being read would silently leave its evidence out.
"""

from pydantic import BaseModel
from sqlalchemy import select

from service.drafting.packet import build_packet
from service.drafting.render import to_docx, to_pdf
from service.errors import AppealNotFoundError, NoDocumentsError, DocumentsNotReadyError
from service.models import DraftResult, Evidence
from service.pipeline import analyse_documents, write_appeal
from service.portal.cases import case_fields, document_name, find_case, touch_case
from service.portal.state import Portal, new_id
from service.portal.views import AppealView
from service.store.db import AppealRow, CaseRow, DocumentRow


class StoredAppeal(BaseModel):
    """What is sealed in an appeal row: the result, and what `POST /v1/chat` needs of the case."""

    result: DraftResult
    evidence: list[Evidence]
    instructions: list[str]


def draft_case_appeal(portal: Portal, tenant: str, case_id: str) -> AppealView:
    with portal.session() as session:
        case_row = find_case(session, tenant, case_id)
        rows = list(session.scalars(select(DocumentRow).where(DocumentRow.case_id == case_id).order_by(DocumentRow.created_at)))
    if not rows:
        raise NoDocumentsError("upload the record PDFs first (POST /v1/cases/{id}/documents)")
    busy = [r for r in rows if r.status in ("queued", "processing")]
    if busy:
        raise DocumentsNotReadyError(f"{len(busy)} document(s) are still being read; draft when every document is ready")
    ready = [r for r in rows if r.status == "ready"]
    if not ready:
        raise NoDocumentsError("no document of this case could be read; upload a readable PDF")
    fields = case_fields(portal, case_row)
    files = portal.files(tenant, case_id)
    documents = [files.pages(r.id) for r in ready]
    notes = [f"{document_name(portal, r)} was not used ({r.error_message or r.error_code})." for r in rows if r.status == "failed"]
    with portal.case_components(tenant, case_id) as components:
        analysis = analyse_documents(fields, documents, notes, components, tenant, case_id)
        result = write_appeal(fields, analysis, components.chat_models)
    appeal_id = new_id("apl")
    stored = StoredAppeal(result=result, evidence=analysis.selection.evidence, instructions=analysis.instructions)
    with portal.write_lock, portal.sessions.begin() as session:
        if session.get(CaseRow, case_id) is None:  # deleted while drafting: leave nothing behind
            portal.files(tenant, case_id).purge()
            portal.components.vectors.delete_case(tenant, case_id)
        find_case(session, tenant, case_id)
        row = AppealRow(
            id=appeal_id, tenant=tenant, case_id=case_id, method=result.method,
            result=portal.cipher.seal(stored.model_dump_json().encode(), f"appeal:{appeal_id}"),
        )
        session.add(row)
        touch_case(session, case_id)
    return _view(row, result)


def load_appeal(portal: Portal, tenant: str, appeal_id: str) -> tuple[AppealRow, StoredAppeal]:
    with portal.session() as session:
        row = session.get(AppealRow, appeal_id)
    if row is None or row.tenant != tenant:
        raise AppealNotFoundError("no such appeal")
    return row, StoredAppeal.model_validate_json(portal.cipher.open(row.result, f"appeal:{row.id}"))


def latest_appeal(portal: Portal, tenant: str, case_id: str) -> StoredAppeal | None:
    with portal.session() as session:
        appeal_id = session.scalar(
            select(AppealRow.id).where(AppealRow.tenant == tenant, AppealRow.case_id == case_id).order_by(AppealRow.created_at.desc()).limit(1)
        )
    return None if appeal_id is None else load_appeal(portal, tenant, appeal_id)[1]


def get_appeal(portal: Portal, tenant: str, appeal_id: str) -> AppealView:
    row, stored = load_appeal(portal, tenant, appeal_id)
    return _view(row, stored.result)


def export_appeal(portal: Portal, tenant: str, appeal_id: str, kind: str) -> bytes:
    """`docx`, `pdf` (the letter with its Sources) or `packet` (cover sheet and cited pages)."""
    row, stored = load_appeal(portal, tenant, appeal_id)
    if kind == "docx":
        return to_docx(stored.result)
    if kind == "pdf":
        return to_pdf(stored.result)
    with portal.session() as session:
        case_row = find_case(session, tenant, row.case_id)
        documents = list(session.scalars(select(DocumentRow).where(DocumentRow.case_id == row.case_id, DocumentRow.status == "ready")))
    fields = case_fields(portal, case_row)
    files = portal.files(tenant, row.case_id)
    cited = {c.document for c in stored.result.citations}
    originals = {}
    for d in documents:
        name = document_name(portal, d)
        if name in cited:
            originals[name] = files.upload(d.id)
    title = portal.components.knowledge.get(fields.denial_code).title
    return build_packet(fields, title, stored.result.citations, originals)


def _view(row: AppealRow, result: DraftResult) -> AppealView:
    return AppealView(
        id=row.id, case_id=row.case_id, created_at=row.created_at,
        **result.model_dump(include={"letter", "method", "citations", "excluded_pages", "warnings", "deadline", "attempts"}),
    )
