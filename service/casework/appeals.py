"""Appeals: draft from a case's read documents, keep the result sealed, export it.

A draft needs every upload settled (ready or failed) and at least one ready: drafting while a
document is still being read would silently leave its evidence out.
"""

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from service.casework.cases import case_fields, document_name, find_case, touch_case
from service.casework.state import Workspace, new_id
from service.casework.views import AppealView, Finding
from service.drafting.packet import build_packet
from service.drafting.render import to_docx, to_pdf
from service.drafting.template import split_letter
from service.drafting.validator import Passage, Sources, validate
from service.errors import AppealNotFoundError, CaseNotFoundError, DocumentsNotReadyError, NoDocumentsError
from service.models import DraftResult, Evidence
from service.pipeline import CaseAnalysis, analyse_documents, write_appeal
from service.store.db import AppealRow, CaseRow, DocumentRow


class StoredAppeal(BaseModel):
    """What is sealed in an appeal row: the result, and what `POST /v1/chat` needs of the case."""

    result: DraftResult
    evidence: list[Evidence]
    instructions: list[str]
    documents: dict[str, str] = {}
    """Each cited document name -> the id of the upload it was read from (for the packet)."""
    edited: bool = False
    findings: list[Finding] = []
    drafted_sources: str = ""
    """The Sources list as drafted: an edit may not change what a marker resolves to."""


def draftable(ws: Workspace, tenant: str, case_id: str) -> tuple[CaseRow, list[DocumentRow]]:
    """The case and its documents, when it can be drafted now; the error that says why not."""
    with ws.session() as session:
        case_row = find_case(session, tenant, case_id)
        rows = list(
            session.scalars(select(DocumentRow).where(DocumentRow.case_id == case_id).order_by(DocumentRow.created_at))
        )
    if not rows:
        raise NoDocumentsError("upload the record PDFs first (POST /v1/cases/{id}/documents)")
    busy = [r for r in rows if r.status in ("queued", "processing")]
    if busy:
        raise DocumentsNotReadyError(
            f"{len(busy)} document(s) are still being read; draft when every document is ready"
        )
    if not any(r.status == "ready" for r in rows):
        raise NoDocumentsError("no document of this case could be read; upload a readable PDF")
    return case_row, rows


def draft_case_appeal(ws: Workspace, tenant: str, case_id: str) -> AppealView:
    """Draft now, in this thread; the API reaches it through a draft job (`casework.drafts`)."""
    return draft_case(ws, tenant, case_id)[0]


def draft_case(ws: Workspace, tenant: str, case_id: str) -> tuple[AppealView, CaseAnalysis]:
    """The appeal drafted and stored, and the analysis it was written from (the CLI's caller may
    look at what was ranked and chosen; the eval scores it)."""
    case_row, rows = draftable(ws, tenant, case_id)
    ready = [r for r in rows if r.status == "ready"]
    fields = case_fields(ws, case_row)
    names = {r.id: document_name(ws, r) for r in rows}
    notes = [f"{names[r.id]} was not used ({r.error_message or r.error_code})." for r in rows if r.status == "failed"]
    files = ws.files(tenant, case_id)
    try:
        try:
            documents = [files.pages(r.id) for r in ready]
        except FileNotFoundError:
            raise DocumentsNotReadyError("a document was removed while drafting; draft again") from None
        with ws.case_components(tenant, case_id) as components:
            analysis = analyse_documents(fields, documents, notes, components, tenant, case_id)
            result = write_appeal(fields, analysis, components.chat_models, components.embedder.embed)
        appeal_id = new_id("apl")
        stored = StoredAppeal(
            result=result,
            evidence=analysis.selection.evidence,
            instructions=analysis.instructions,
            documents={names[r.id]: r.id for r in ready},
            drafted_sources=split_letter(result.letter)[1],
        )
        try:
            with ws.sessions.begin() as session:
                case = find_case(session, tenant, case_id)
                if case.status == "new":
                    case.status = "drafted"
                row = AppealRow(
                    id=appeal_id,
                    tenant=tenant,
                    case_id=case_id,
                    method=result.method,
                    result=ws.cipher.seal(stored.model_dump_json().encode(), f"appeal:{appeal_id}"),
                )
                session.add(row)
                touch_case(session, case_id)
        except IntegrityError:  # deleted between the check and the insert
            raise CaseNotFoundError("no such case") from None
    finally:
        _forget_removed(ws, tenant, case_id, ready)
    return _view(row, result), analysis


def _forget_removed(ws: Workspace, tenant: str, case_id: str, drafted_from: list[DocumentRow]) -> None:
    """Drafting re-indexes what it reads; if the case or one of its documents was deleted
    meanwhile, take those vectors (and the case's files) away again."""
    with ws.session() as session:
        if session.get(CaseRow, case_id) is None:
            ws.erase_case(tenant, case_id)
            return
        left = set(session.scalars(select(DocumentRow.id).where(DocumentRow.case_id == case_id)))
    for r in drafted_from:
        if r.id not in left:
            ws.erase_document(tenant, case_id, r.id, r.sha256)


def load_appeal(ws: Workspace, tenant: str, appeal_id: str) -> tuple[AppealRow, StoredAppeal]:
    with ws.session() as session:
        row = session.get(AppealRow, appeal_id)
    if row is None or row.tenant != tenant:
        raise AppealNotFoundError("no such appeal")
    return row, StoredAppeal.model_validate_json(ws.cipher.open(row.result, f"appeal:{row.id}"))


def newest_appeal_id(ws: Workspace, tenant: str, case_id: str) -> str | None:
    with ws.session() as session:
        return session.scalar(
            select(AppealRow.id)
            .where(AppealRow.tenant == tenant, AppealRow.case_id == case_id)
            .order_by(AppealRow.created_at.desc())
            .limit(1)
        )


def latest_appeal(ws: Workspace, tenant: str, case_id: str) -> StoredAppeal | None:
    appeal_id = newest_appeal_id(ws, tenant, case_id)
    return None if appeal_id is None else load_appeal(ws, tenant, appeal_id)[1]


def get_appeal(ws: Workspace, tenant: str, appeal_id: str) -> AppealView:
    row, stored = load_appeal(ws, tenant, appeal_id)
    return _view(row, stored)


def export_appeal(ws: Workspace, tenant: str, appeal_id: str, kind: str, first_page: int = 1) -> bytes:
    """`docx`, `pdf` (the letter with its Sources) or `packet` (cover sheet and cited pages,
    numbered from `first_page` when it goes inside a larger packet)."""
    row, stored = load_appeal(ws, tenant, appeal_id)
    if kind == "docx":
        return to_docx(stored.result)
    if kind == "pdf":
        return to_pdf(stored.result)
    with ws.session() as session:
        case_row = find_case(session, tenant, row.case_id)
        kept = set(session.scalars(select(DocumentRow.id).where(DocumentRow.case_id == row.case_id)))
    fields = case_fields(ws, case_row)
    files = ws.files(tenant, row.case_id)
    cited = {c.document for c in stored.result.citations}
    originals, rotations = {}, {}
    for name, doc_id in stored.documents.items():
        if name in cited and doc_id in kept:  # a removed upload is named on the cover instead
            try:
                originals[name] = files.upload(doc_id)
            except FileNotFoundError:
                continue
            rotations.update(stored_rotations(files, doc_id, name))
    title = ws.components.knowledge.for_case(fields.denial_code).title
    return build_packet(fields, title, stored.result.citations, originals, rotations, first_page)


def stored_rotations(files, doc_id: str, name: str) -> dict[tuple[str, int], int]:
    """The turn reading found for each page of a stored document, so the packet shows a scan
    sent sideways upright; none when its pages are not stored."""
    try:
        pages = files.pages(doc_id).pages
    except FileNotFoundError:
        return {}
    return {(name, page.number): page.rotation for page in pages if page.rotation}


def check_letter(ws: Workspace, tenant: str, appeal_id: str, letter: str) -> list[Finding]:
    """What in an edited letter no longer holds: the validator the model's letters face, with
    the appeal's own citations as the passages (a new number, date or quote must resolve)."""
    row, stored = load_appeal(ws, tenant, appeal_id)
    return _findings(ws, tenant, row, stored, letter)


def save_letter(ws: Workspace, tenant: str, appeal_id: str, letter: str) -> AppealView:
    """Staff's edit replaces the letter (exports use it); what does not resolve is kept beside it."""
    row, stored = load_appeal(ws, tenant, appeal_id)
    findings = _findings(ws, tenant, row, stored, letter)
    stored = stored.model_copy(
        update={
            "result": stored.result.model_copy(update={"letter": letter}),
            "edited": True,
            "findings": findings,
        }
    )
    with ws.sessions.begin() as session:
        live = session.get(AppealRow, appeal_id)
        if live is None:
            raise AppealNotFoundError("no such appeal")
        live.result = ws.cipher.seal(stored.model_dump_json().encode(), f"appeal:{appeal_id}")
        live.approved_at, live.approved_by = None, None  # what was approved is no longer the letter
        touch_case(session, row.case_id)
    return _view(row, stored)


def _findings(ws: Workspace, tenant: str, row: AppealRow, stored: StoredAppeal, letter: str) -> list[Finding]:
    with ws.session() as session:
        fields = case_fields(ws, find_case(session, tenant, row.case_id))
    result = stored.result
    files = ws.files(tenant, row.case_id)
    page_text = {}
    for name, doc_id in stored.documents.items():
        try:
            page_text.update({(name, p.number): p.text for p in files.pages(doc_id).pages})
        except FileNotFoundError:
            continue
    passages = {
        int(c.marker.strip("[]")): Passage(int(c.marker.strip("[]")), c.document, c.page, c.quote)
        for c in result.citations
    }
    sources = Sources(
        case=fields,
        entry=ws.components.knowledge.argument_for(fields),
        passages=passages,
        page_text=page_text,
        excluded={(e.document, e.page) for e in result.excluded_pages},
        instructions=stored.instructions,
        letter_date=fields.letter_date or row.created_at.date(),
        deadline=result.deadline,
        embed=ws.components.embedder.embed,
    )
    body, listed = split_letter(letter)
    findings = [Finding(name=f.name, detail=str(f).partition(": ")[2]) for f in validate(body, sources)]
    drafted = stored.drafted_sources or split_letter(stored.result.letter)[1]
    if listed.split() != drafted.split():
        findings.append(
            Finding(
                name="sources_changed",
                detail="the Sources list differs from the drafted one; each [n] must keep its document, page and quote",
            )
        )
    return findings


def _view(row: AppealRow, stored: StoredAppeal | DraftResult) -> AppealView:
    result = stored.result if isinstance(stored, StoredAppeal) else stored
    extra = {"edited": stored.edited, "findings": stored.findings} if isinstance(stored, StoredAppeal) else {}
    return AppealView(
        id=row.id,
        case_id=row.case_id,
        created_at=row.created_at,
        **extra,
        **result.model_dump(
            include={"letter", "method", "citations", "excluded_pages", "warnings", "deadline", "attempts"}
        ),
    )
