"""Liveness (no key needed, nothing about any tenant), each backend's state, and who a key acts for."""

from fastapi import APIRouter, Response
from pydantic import BaseModel

from service.api.deps import JobsDep, TenantDep, WorkspaceDep
from service.api.errors import RETRY, responses
from service.casework.health import health as backend_health
from service.casework.views import HealthView

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


@router.get("/v1/health", response_model=HealthView, responses=responses())
def health(response: Response, ws: WorkspaceDep, jobs: JobsDep, tenant: TenantDep) -> HealthView:
    """Each backend (database, vectors, jobs, files): its kind and whether it answers. 503 with
    `Retry-After` when one does not."""
    view = backend_health(ws, jobs.kind)
    if view.status != "ok":
        response.status_code = 503
        response.headers.update(RETRY)
    return view
