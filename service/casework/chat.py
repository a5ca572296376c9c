"""Questions about a denial code, answered from the knowledge base and, given a case, from the
evidence of its latest appeal. Each exchange is kept sealed as the tenant's chat history.

Sentences are ranked with the workspace's embedder; a case's question uses the case's own one, so
no record sentence or its vector stays in the server's shared cache after the case is deleted."""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from service.casework.appeals import latest_appeal
from service.casework.cases import find_case
from service.casework.state import Workspace, new_id
from service.casework.views import ChatSource, ChatView
from service.chat.answer import Answer, answer_question
from service.errors import CaseNotFoundError
from service.store.db import ChatRow


def ask(ws: Workspace, tenant: str, question: str, case_id: str | None = None) -> ChatView:
    evidence, instructions, hint = None, None, ""
    if case_id is not None:
        with ws.session() as session:
            hint = find_case(session, tenant, case_id).denial_code
        stored = latest_appeal(ws, tenant, case_id)
        if stored is not None:
            evidence, instructions = stored.evidence, stored.instructions
    knowledge, models = ws.components.knowledge, ws.components.chat_models
    if case_id is None:
        answer = answer_question(question, knowledge, None, models, embed=ws.components.embedder.embed)
    else:  # the case's own embedder: vectors of its record sentences are cached with, and deleted with, the case
        with ws.case_components(tenant, case_id) as components:
            answer = answer_question(
                f"{question} {hint}", knowledge, evidence, models, instructions, components.embedder.embed
            )
    if case_id is not None and evidence is None:
        answer.warnings.append("This case has no appeal drafted yet, so the answer cites the knowledge base only.")
    chat_id = new_id("cht")
    view = _view(chat_id, case_id, question, answer)
    try:
        with ws.sessions.begin() as session:
            if case_id is not None:
                find_case(session, tenant, case_id)
            session.add(
                ChatRow(
                    id=chat_id,
                    tenant=tenant,
                    case_id=case_id,
                    content=ws.cipher.seal(view.model_dump_json().encode(), f"chat:{chat_id}"),
                )
            )
    except IntegrityError:  # the case was deleted while the answer was written
        raise CaseNotFoundError("no such case") from None
    return view


def history(ws: Workspace, tenant: str, case_id: str | None = None, limit: int = 50) -> list[ChatView]:
    """The tenant's exchanges, newest first; only one case's when `case_id` is given."""
    query = select(ChatRow).where(ChatRow.tenant == tenant)
    with ws.session() as session:
        if case_id is not None:
            find_case(session, tenant, case_id)
            query = query.where(ChatRow.case_id == case_id)
        rows = list(session.scalars(query.order_by(ChatRow.created_at.desc()).limit(limit)))
    return [ChatView.model_validate_json(ws.cipher.open(r.content, f"chat:{r.id}")) for r in rows]


def _view(chat_id: str, case_id: str | None, question: str, answer: Answer) -> ChatView:
    citations = [
        ChatSource(
            marker=f"[{s.number}]",
            label=s.label,
            kind=s.kind,
            text=s.text,
            code=s.code,
            section=s.section,
            document=s.document,
            page=s.page,
        )
        for s in answer.sources
    ]
    return ChatView(
        id=chat_id,
        case_id=case_id,
        question=question,
        answer=answer.text,
        method=answer.method,
        citations=citations,
        warnings=answer.warnings,
    )
