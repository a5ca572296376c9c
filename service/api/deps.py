"""What a route can ask for: the workspace, the jobs that read uploads, who is calling
(`PrincipalDep`: a portal's API key or a signed-in user) and their tenant, and roles it needs."""

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from service.casework.jobs import Jobs
from service.casework.state import Workspace
from service.errors import ForbiddenError, UnauthorizedError
from service.models import Principal, Role
from service.store.keys import principal_for_key

bearer = HTTPBearer(auto_error=False, description="An API key from `overturn keys create --tenant NAME`.")


def get_workspace(request: Request) -> Workspace:
    return request.app.state.workspace


def get_jobs(request: Request) -> Jobs:
    return request.app.state.jobs


WorkspaceDep = Annotated[Workspace, Depends(get_workspace)]
JobsDep = Annotated[Jobs, Depends(get_jobs)]


def client_address(request: Request) -> str:
    return request.client.host if request.client else ""


def get_principal(
    request: Request, ws: WorkspaceDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise UnauthorizedError("send 'Authorization: Bearer <API key>'")
    found = principal_for_key(ws.sessions, credentials.credentials, client_address(request))
    if found is None:
        raise UnauthorizedError("the API key is not valid or has been revoked")
    request.state.principal = found  # for the audit trail, which records after the answer
    return found


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def get_tenant(principal: PrincipalDep) -> str:
    return principal.tenant


TenantDep = Annotated[str, Depends(get_tenant)]


def require(*roles: Role):
    """A dependency that lets through only callers of these roles (403 `forbidden` otherwise)."""

    def check(principal: PrincipalDep) -> Principal:
        if not principal.may(*roles):
            raise ForbiddenError(f"this needs the role {' or '.join(roles)}")
        return principal

    return Depends(check)
