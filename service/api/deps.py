"""What a route can ask for: the workspace, the jobs that read uploads, who is calling
(`PrincipalDep`: a portal's API key or a signed-in user) and their tenant; which roles may
call a route is `roles.py`'s table."""

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer

from service.casework.jobs import Jobs
from service.casework.state import Workspace
from service.errors import CsrfError, UnauthorizedError
from service.models import Principal
from service.store.keys import principal_for_key
from service.store.web_sessions import active_session, check_csrf, principal_for

bearer = HTTPBearer(auto_error=False, description="An API key from `overturn keys create --tenant NAME`.")


def get_workspace(request: Request) -> Workspace:
    return request.app.state.workspace


def get_jobs(request: Request) -> Jobs:
    return request.app.state.jobs


WorkspaceDep = Annotated[Workspace, Depends(get_workspace)]
JobsDep = Annotated[Jobs, Depends(get_jobs)]


SESSION_COOKIE = "overturn_session"
CSRF_HEADER = "X-CSRF-Token"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
session_cookie = APIKeyCookie(
    name=SESSION_COOKIE,
    auto_error=False,
    description="A signed-in browser's session (`POST /v1/session`); changes also need `X-CSRF-Token`.",
)


def client_address(request: Request) -> str:
    return request.client.host if request.client else ""


def principal_of(request: Request) -> Principal:
    """Who is calling, found once per request: an API key in `Authorization: Bearer`, else the
    session cookie of a signed-in browser, whose POST, PUT, PATCH and DELETE must also carry the
    session's `X-CSRF-Token` (403 `csrf_failed`). 401 `session_expired` after idle logoff."""
    found: Principal | None = getattr(request.state, "principal", None)
    if found is not None:
        return found
    ws: Workspace = request.app.state.workspace
    header = request.headers.get("authorization")
    token = request.cookies.get(SESSION_COOKIE)
    if header is not None or not token:
        scheme, _, key = (header or "").partition(" ")
        if scheme.lower() != "bearer" or not key.strip():
            raise UnauthorizedError("sign in, or send 'Authorization: Bearer <API key>'")
        found = principal_for_key(ws.sessions, key.strip(), client_address(request))
        if found is None:
            raise UnauthorizedError("the API key is not valid or has been revoked")
    else:
        live = active_session(ws.sessions, token, ws.settings.idle_minutes, session_hours=ws.settings.session_hours)
        if live is None:
            raise UnauthorizedError("the session has ended; sign in again")
        row, user = live
        if request.method in UNSAFE and not check_csrf(row, request.headers.get(CSRF_HEADER)):
            raise CsrfError(f"a change from a signed-in browser needs the session's {CSRF_HEADER} header")
        found = principal_for(user, client_address(request))
    request.state.principal = found  # for the audit trail, which records after the answer
    return found


def get_principal(
    request: Request,
    _key: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    _session: Annotated[str | None, Depends(session_cookie)],
) -> Principal:
    """`principal_of`; the two parameters only tell the OpenAPI schema how a caller signs in."""
    return principal_of(request)


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def get_tenant(principal: PrincipalDep) -> str:
    return principal.tenant


TenantDep = Annotated[str, Depends(get_tenant)]
