"""Liveness (no key needed, nothing about any tenant) and who a key acts for."""

from fastapi import APIRouter
from pydantic import BaseModel

from service.api.deps import TenantDep
from service.api.errors import responses

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str = "ok"


@router.get("/healthz", response_model=Health)
def healthz() -> Health:
    return Health()


class Me(BaseModel):
    tenant: str


@router.get("/v1/me", response_model=Me, responses=responses())
def me(tenant: TenantDep) -> Me:
    """The tenant the key acts for: the page shows it so staff know which practice they are in."""
    return Me(tenant=tenant)
