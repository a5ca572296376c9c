"""Staff sign-in: `POST /v1/session` sets the session cookie and answers the CSRF token once;
`GET` says who is signed in; `DELETE` signs out. A signed-in browser then calls the same /v1
routes a portal does, with the cookie instead of a key."""

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import sessionmaker

from service.api.deps import SESSION_COOKIE, PrincipalDep, WorkspaceDep, client_address
from service.api.errors import responses
from service.audit.trail import record
from service.errors import NoSessionError
from service.models import Principal
from service.store.db import UserRow
from service.store.users import Attempted, authenticate, get_user
from service.store.web_sessions import end_session, principal_for, start_session

router = APIRouter(prefix="/v1/session", tags=["session"])


class SignIn(BaseModel):
    email: str = Field(min_length=1, max_length=254, examples=["billing@northside.example"])
    password: str = Field(min_length=1, max_length=1024)


class UserView(BaseModel):
    id: str = Field(examples=["usr_3f9a0c1d2e4b5a6978877665"])
    email: str = Field(examples=["billing@northside.example"])
    role: str = Field(description="biller, reviewer or admin", examples=["biller"])
    tenant: str = Field(examples=["northside"])

    @classmethod
    def of(cls, row: UserRow) -> "UserView":
        return cls(id=row.id, email=row.email, role=row.role, tenant=row.tenant)


class SessionStarted(BaseModel):
    user: UserView
    csrf_token: str = Field(
        description="send it as `X-CSRF-Token` with every POST, PUT, PATCH and DELETE of this session; "
        "answered only here, at sign-in"
    )


class SessionView(BaseModel):
    user: UserView


def audit_attempts(sessions: sessionmaker) -> Attempted:
    """Each sign-in attempt as an audit event `session.start` (outcome ok, denied or locked): by
    and about `user:<id>` when the email is known, by `anonymous` when not; never the email."""

    def attempted(user: UserRow | None, outcome: str, client: str) -> None:
        if user is None:
            record(sessions, Principal("", "biller", "anonymous", client=client), "session.start", outcome=outcome)
        else:
            record(sessions, principal_for(user, client), "session.start", f"user:{user.id}", outcome=outcome)

    return attempted


def _cookie(response: Response, request: Request, value: str | None) -> None:
    secure = request.app.state.workspace.settings.cookie_secure
    if value is None:
        response.delete_cookie(SESSION_COOKIE, path="/", secure=secure, httponly=True, samesite="strict")
    else:
        response.set_cookie(SESSION_COOKIE, value, path="/", secure=secure, httponly=True, samesite="strict")


@router.post("", response_model=SessionStarted, responses=responses(423))
def sign_in(body: SignIn, request: Request, response: Response, ws: WorkspaceDep) -> SessionStarted:
    """Signs a staff member in: the session cookie (HttpOnly, SameSite=Strict) and the CSRF token.
    401 `invalid_credentials` for an unknown email, a wrong password or a disabled account alike;
    423 `account_locked` after `OVERTURN_LOCKOUT_ATTEMPTS` wrong passwords in a row, even for the
    right one, until `OVERTURN_LOCKOUT_MINUTES` have passed."""
    client = client_address(request)
    user = authenticate(
        ws.sessions,
        body.email,
        body.password,
        client,
        lockout_attempts=ws.settings.lockout_attempts,
        lockout_minutes=ws.settings.lockout_minutes,
        attempted=audit_attempts(ws.sessions),
    )
    previous = request.cookies.get(SESSION_COOKIE)
    if previous:
        end_session(ws.sessions, previous)  # signing in again replaces the browser's session
    token, csrf = start_session(ws.sessions, user, client, ws.settings.session_hours)
    _cookie(response, request, token)
    return SessionStarted(user=UserView.of(user), csrf_token=csrf)


@router.get("", response_model=SessionView, responses=responses(404))
def who_am_i(principal: PrincipalDep, ws: WorkspaceDep) -> SessionView:
    """The signed-in user (the CSRF token is not answered again: the page keeps it from sign-in).
    404 `no_session` for an API key, which is no user's."""
    user = get_user(ws.sessions, principal.user_id) if principal.user_id else None
    if user is None:
        raise NoSessionError("an API key has no session; GET /v1/me names its tenant")
    return SessionView(user=UserView.of(user))


@router.delete("", status_code=204, response_class=Response, responses=responses())
def sign_out(request: Request, principal: PrincipalDep, ws: WorkspaceDep) -> Response:
    """Ends the browser's session and clears its cookie (with an API key: nothing to end, 204)."""
    token = request.cookies.get(SESSION_COOKIE)
    if principal.user_id and token and end_session(ws.sessions, token):
        record(ws.sessions, principal, "session.end", f"user:{principal.user_id}")
    answer = Response(status_code=204)
    _cookie(answer, request, None)
    return answer
