"""What a route can ask for: the workspace, the jobs that read uploads and the caller's tenant."""

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from service.casework.jobs import Jobs
from service.casework.state import Workspace
from service.errors import UnauthorizedError
from service.store.keys import tenant_for

bearer = HTTPBearer(auto_error=False, description="An API key from `overturn keys create --tenant NAME`.")


def get_workspace(request: Request) -> Workspace:
    return request.app.state.workspace


def get_jobs(request: Request) -> Jobs:
    return request.app.state.jobs


WorkspaceDep = Annotated[Workspace, Depends(get_workspace)]
JobsDep = Annotated[Jobs, Depends(get_jobs)]


def get_tenant(ws: WorkspaceDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> str:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise UnauthorizedError("send 'Authorization: Bearer <API key>'")
    tenant = tenant_for(ws.sessions, credentials.credentials)
    if tenant is None:
        raise UnauthorizedError("the API key is not valid or has been revoked")
    return tenant


TenantDep = Annotated[str, Depends(get_tenant)]
