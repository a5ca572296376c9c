"""Questions about denial codes (and a case's evidence), answered with citations."""

import json
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from service.api.audit_log import note
from service.api.deps import TenantDep, WorkspaceDep
from service.api.errors import responses
from service.casework import chat as service
from service.casework.views import ChatView
from service.models import TEXT

router = APIRouter(prefix="/v1/chat", tags=["chat"])


class ChatRequest(BaseModel):
    question: str = Field(
        min_length=1, max_length=2000, pattern=TEXT, examples=["What does CCM20 mean? How do we prevent it?"]
    )
    case_id: str | None = Field(
        default=None, max_length=64, description="also cite this case's evidence (its latest appeal)"
    )


@router.post("", response_model=ChatView, responses=responses(404))
def ask(body: ChatRequest, request: Request, ws: WorkspaceDep, tenant: TenantDep) -> ChatView:
    """An answer whose every line carries a `[n]` marker resolving to a knowledge section or a
    record page. Without a model the answer is the sources' own words."""
    note(request, case_id=body.case_id)
    view = service.ask(ws, tenant, body.question, body.case_id)
    note(request, created=f"chat:{view.id}")
    return view


@router.post(
    "/stream",
    response_class=StreamingResponse,
    responses={
        200: {
            "content": {"application/x-ndjson": {"schema": {"type": "string"}}},
            "description": "One JSON event per line: `citations`, then `text` pieces, then `done`",
        },
        **responses(404),
    },
)
def ask_streaming(body: ChatRequest, request: Request, ws: WorkspaceDep, tenant: TenantDep) -> StreamingResponse:
    """The same answer as `POST /v1/chat`, sent as it is ready: the citations first, then the
    answer line by line. Only checked text is sent: a model's answer streams once it has passed
    the same checks (markers resolve, no invented number), never token by token before them."""
    note(request, case_id=body.case_id)
    view = service.ask(ws, tenant, body.question, body.case_id)
    note(request, created=f"chat:{view.id}")

    def events():
        yield (
            json.dumps({"type": "citations", "id": view.id, "citations": [c.model_dump() for c in view.citations]})
            + "\n"
        )
        for line in view.answer.splitlines(keepends=True):
            yield json.dumps({"type": "text", "text": line}) + "\n"
        yield json.dumps({"type": "done", "method": view.method, "warnings": view.warnings}) + "\n"

    return StreamingResponse(events(), media_type="application/x-ndjson")


@router.get("", response_model=list[ChatView], responses=responses(404))
def chat_history(
    ws: WorkspaceDep,
    tenant: TenantDep,
    case_id: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[ChatView]:
    """Earlier questions and answers of this tenant, newest first."""
    return service.history(ws, tenant, case_id, limit)
