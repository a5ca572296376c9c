"""Denial codes in the knowledge base (the same files `overturn codes` reads)."""

from fastapi import APIRouter

from service.api.deps import PortalDep, TenantDep
from service.api.errors import responses
from service.models import CodeEntry
from service.portal.views import CodeSummary

router = APIRouter(prefix="/v1/codes", tags=["codes"])


@router.get("", response_model=list[CodeSummary], responses=responses())
def list_codes(portal: PortalDep, _: TenantDep) -> list[CodeSummary]:
    """Every code with its title, for a searchable picker."""
    return [CodeSummary(**e.model_dump(include={"code", "title", "kind", "group", "services"})) for e in portal.components.knowledge.all()]


@router.get("/{code}", response_model=CodeEntry, responses=responses(404))
def get_code(code: str, portal: PortalDep, _: TenantDep) -> CodeEntry:
    """Explanation, causes, prevention, evidence requirements, appeal argument and attachments."""
    return portal.components.knowledge.get(code)
