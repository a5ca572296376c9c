"""Denial codes in the knowledge base (the same files `overturn codes` reads)."""

from fastapi import APIRouter

from service.api.deps import TenantDep, WorkspaceDep
from service.api.errors import responses
from service.casework.views import CodeSummary
from service.models import CodeEntry

router = APIRouter(prefix="/v1/codes", tags=["codes"])


@router.get("", response_model=list[CodeSummary], responses=responses())
def list_codes(ws: WorkspaceDep, _: TenantDep) -> list[CodeSummary]:
    """Every code with its title, for a searchable picker."""
    return [
        CodeSummary(**e.model_dump(include={"code", "title", "kind", "group", "services"}))
        for e in ws.components.knowledge.all()
    ]


@router.get("/{code}", response_model=CodeEntry, responses=responses(404))
def get_code(code: str, ws: WorkspaceDep, _: TenantDep) -> CodeEntry:
    """Explanation, causes, prevention, evidence requirements, appeal argument and attachments."""
    return ws.components.knowledge.get(code)
