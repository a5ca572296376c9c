"""One audit event for each answered call to a route that reads or changes PHI, users or keys
(`audit.actions.ACTIONS`): who (the principal the route's key or session resolved), what (the
action), which (ids from the path), from where, and how it ended (`ok`, `denied`, `not_found`,
`error`).

The event is written when the answer's status is sent, before its body, so it is in the log by
the time a client has the answer. Calls without a principal (no or a bad key: noise) are not
recorded; sign-in is recorded by the session routes themselves. Nothing from a body or a query
string's free text goes in: ids are taken only when they have the form of our ids, so a name
typed into a URL stays out. Recording never changes an answer: a failure is logged by class.
"""

import logging
import re
from urllib.parse import parse_qs

import anyio
from fastapi import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.audit.actions import OBJECTS, action_for
from service.audit.subjects import case_of
from service.audit.trail import record
from service.models import Principal

log = logging.getLogger("service.api.audit")

OUR_ID = re.compile(r"[a-z]{3}_[0-9a-f]{24}")
"""`casework.state.new_id`'s form: case, document, appeal, draft job and chat ids."""
PARAM_FORM = {"number": re.compile(r"\d{1,6}"), "key_id": re.compile(r"[a-z0-9]{12}")}
UNREADABLE = "?"
"""Stands for a path parameter that is not one of our ids (it could be anything a client typed)."""


def note(request: Request, created: str | None = None, case_id: str | None = None) -> None:
    """What the path does not say, for the call's event: what the call made (`appeal:<id>`) and
    the case a body named. Ids only."""
    if created is not None:
        request.state.audit_created = created
    if case_id is not None:
        request.state.audit_case_id = case_id


def outcome(status: int) -> str:
    if status < 400:
        return "ok"
    return {403: "denied", 404: "not_found"}.get(status, "error")


class AuditLog:
    """ASGI middleware, outside the error handling, so it sees every final status (500s too)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        scope.setdefault("state", {})  # the routes' request.state: where the principal is left
        recorded = False

        async def answer(message: Message) -> None:
            nonlocal recorded
            if message["type"] == "http.response.start" and not recorded:
                recorded = True
                await _record(scope, message["status"])
            await send(message)

        try:
            await self.app(scope, receive, answer)
        except Exception:
            if not recorded:
                await _record(scope, 500)
            raise


async def _record(scope: Scope, status: int) -> None:
    try:
        principal = scope["state"].get("principal")
        route = scope.get("route")
        action = action_for(scope["method"], getattr(route, "path", "")) if route is not None else None
        if not isinstance(principal, Principal) or action is None:
            return
        await anyio.to_thread.run_sync(_write, scope, principal, action, outcome(status))
    except Exception as exc:
        log.warning("an audit event was not recorded: %s", exc.__class__.__name__)


def _write(scope: Scope, principal: Principal, action: str, result: str) -> None:
    sessions = scope["app"].state.workspace.sessions
    state = scope["state"]
    params = scope.get("path_params") or {}
    parts = [f"{OBJECTS[name]}:{_safe(name, str(value))}" for name, value in params.items() if name in OBJECTS]
    created = state.get("audit_created")
    if isinstance(created, str):
        parts.append(created)
    case_id = next(
        (
            found
            for found in (params.get("case_id"), state.get("audit_case_id"), _query_case(scope))
            if isinstance(found, str) and OUR_ID.fullmatch(found)
        ),
        None,
    )
    if case_id is None:
        for name, kind in (("appeal_id", "appeal"), ("job_id", "draft_job")):
            if isinstance(params.get(name), str) and OUR_ID.fullmatch(params[name]):
                case_id = case_of(sessions, principal.tenant, kind, params[name])
    record(sessions, principal, action, "/".join(parts), case_id, result)


def _safe(name: str, value: str) -> str:
    return value if PARAM_FORM.get(name, OUR_ID).fullmatch(value) else UNREADABLE


def _query_case(scope: Scope) -> str | None:
    values = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("case_id")
    return values[0] if values else None
