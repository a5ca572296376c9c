"""Which roles may call each route: one table, checked for every request before the route runs.

A biller works cases, documents and drafts; a reviewer also approves letters; an admin also
manages users and keys and reads the audit trail. The table is keyed by method and the route's
path template, as the app declares it; a /v1 route with no row answers 403 to everyone (and
tests/test_roles.py fails), so a new route must say who may call it. `PUBLIC` routes need no
caller at all; routes outside /v1 (`/healthz`, the page, the docs) are not checked here.
"""

from fastapi import Request

from service.api.deps import principal_of
from service.errors import ForbiddenError
from service.models import Role

EVERYONE: tuple[Role, ...] = ("biller", "reviewer", "admin")
REVIEWERS: tuple[Role, ...] = ("reviewer", "admin")
ADMIN: tuple[Role, ...] = ("admin",)

PUBLIC: frozenset[tuple[str, str]] = frozenset({("POST", "/v1/session")})
"""Signing in; `/healthz` (liveness) is outside /v1 and needs no caller either."""

ROUTE_ROLES: dict[tuple[str, str], tuple[Role, ...]] = {
    # who is calling, the backends, the session
    ("GET", "/v1/me"): EVERYONE,
    ("GET", "/v1/health"): EVERYONE,
    ("GET", "/v1/session"): EVERYONE,
    ("DELETE", "/v1/session"): EVERYONE,
    # the knowledge base
    ("GET", "/v1/codes"): EVERYONE,
    ("GET", "/v1/codes/{code}"): EVERYONE,
    # cases and their documents
    ("POST", "/v1/cases"): EVERYONE,
    ("GET", "/v1/cases"): EVERYONE,
    ("GET", "/v1/cases/{case_id}"): EVERYONE,
    ("PATCH", "/v1/cases/{case_id}"): EVERYONE,
    ("DELETE", "/v1/cases/{case_id}"): EVERYONE,
    ("POST", "/v1/cases/assign"): EVERYONE,
    ("GET", "/v1/assignees"): EVERYONE,
    ("POST", "/v1/cases/{case_id}/documents"): EVERYONE,
    ("GET", "/v1/cases/{case_id}/documents/{doc_id}"): EVERYONE,
    ("GET", "/v1/cases/{case_id}/documents/{doc_id}/pages/{number}"): EVERYONE,
    ("DELETE", "/v1/cases/{case_id}/documents/{doc_id}"): EVERYONE,
    # drafts and letters
    ("POST", "/v1/cases/{case_id}/appeals"): EVERYONE,
    ("GET", "/v1/draft-jobs/{job_id}"): EVERYONE,
    ("GET", "/v1/appeals/{appeal_id}"): EVERYONE,
    ("GET", "/v1/appeals/{appeal_id}.docx"): EVERYONE,
    ("GET", "/v1/appeals/{appeal_id}.pdf"): EVERYONE,
    ("GET", "/v1/appeals/{appeal_id}/packet.pdf"): EVERYONE,
    ("POST", "/v1/appeals/{appeal_id}/check"): EVERYONE,
    ("PUT", "/v1/appeals/{appeal_id}/letter"): EVERYONE,
    # review and sending
    ("GET", "/v1/appeals/{appeal_id}/review"): EVERYONE,
    ("POST", "/v1/appeals/{appeal_id}/review-request"): EVERYONE,
    ("POST", "/v1/appeals/{appeal_id}/approve"): REVIEWERS,
    ("GET", "/v1/appeals/{appeal_id}/payer-packet.pdf"): EVERYONE,
    ("POST", "/v1/appeals/{appeal_id}/send"): EVERYONE,
    ("GET", "/v1/cases/{case_id}/sendings"): EVERYONE,
    ("GET", "/v1/tenant/settings"): EVERYONE,
    ("PUT", "/v1/tenant/settings"): ADMIN,
    # checks before billing
    ("POST", "/v1/checks"): EVERYONE,
    ("GET", "/v1/checks"): EVERYONE,
    ("GET", "/v1/checks.csv"): EVERYONE,
    ("POST", "/v1/checks/batch"): EVERYONE,
    ("GET", "/v1/checks/batch/{batch_id}"): EVERYONE,
    # chat
    ("POST", "/v1/chat"): EVERYONE,
    ("POST", "/v1/chat/stream"): EVERYONE,
    ("GET", "/v1/chat"): EVERYONE,
    # payers' files, the queue's figures, reminders
    ("POST", "/v1/remittances"): EVERYONE,
    ("POST", "/v1/notices"): EVERYONE,
    ("GET", "/v1/stats"): EVERYONE,
    ("GET", "/v1/reminders"): EVERYONE,
    # the audit trail
    ("GET", "/v1/audit"): ADMIN,
}


def route_key(request: Request) -> tuple[str, str] | None:
    """(method, path template) of the route this request matched; None outside /v1."""
    path = getattr(request.scope.get("route"), "path", "")
    if not path.startswith("/v1/"):
        return None
    return ("GET" if request.method == "HEAD" else request.method, path)


def enforce_roles(request: Request) -> None:
    """The app's dependency: every /v1 route not in `PUBLIC` needs a caller (401) whose role its
    row lists (403 `forbidden`)."""
    key = route_key(request)
    if key is None or key in PUBLIC:
        return
    principal = principal_of(request)
    allowed = ROUTE_ROLES.get(key, ())
    if principal.role not in allowed:
        needed = " or ".join(allowed) if allowed else "a role this route does not declare"
        raise ForbiddenError(f"this needs the role {needed}")
