"""Every error as `{"error": {"code", "message"}}`, with the status that fits.

Validation messages name the field and the rule, never the value sent (it may be PHI); an
unexpected exception is logged by class only and answered with a bare 500.
"""

import logging
import re

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from service.casework.views import ErrorBody
from service.errors import BackendUnavailableError, OverturnError, backend_unavailable

log = logging.getLogger("service.api")

RETRY = {"Retry-After": "5"}
HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "too_large",
    415: "unsupported_media_type",
}


def error_response(status: int, code: str, message: str, headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status, headers=headers)


def responses(*statuses: int) -> dict:
    """OpenAPI entries for the error statuses a route can answer."""
    described = {
        400: "Bad request",
        401: "Missing, unknown or revoked API key, or no live session",
        403: "The caller's role may not do this, or a signed-in browser's change lacks its X-CSRF-Token",
        404: "Not found (or another tenant's)",
        409: "Conflict with the case's state",
        502: "A service Overturn relies on (the fax service) failed",
        413: "Too large",
        415: "Not a PDF",
        422: "Invalid input",
        423: "Account locked after repeated wrong passwords",
    }
    return {s: {"model": ErrorBody, "description": described[s]} for s in (400, 401, 403, 422, *statuses)}


def allowed_methods(app: FastAPI, request: Request) -> list[str]:
    """Every method the schema offers at this path (each method is its own route here, so
    Starlette's own Allow header would name only one route's). A concrete path is matched before
    templated ones, as OpenAPI says: `/v1/cases/assign` is not also `/v1/cases/{case_id}`."""
    path = request.url.path
    paths = app.openapi()["paths"]
    if path in paths:
        return sorted(m.upper() for m in paths[path])
    methods: set[str] = set()
    for template, operations in paths.items():
        pattern = "".join(
            "[^/]+" if part.startswith("{") else re.escape(part) for part in re.split(r"(\{[^}]+\})", template)
        )
        if re.fullmatch(pattern, path):
            methods |= {m.upper() for m in operations}
    return sorted(methods)


def install(app: FastAPI) -> None:
    @app.exception_handler(OverturnError)
    async def overturn_error(_: Request, exc: OverturnError):
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else RETRY if exc.status == 503 else None
        return error_response(exc.status, exc.code, exc.message, headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError):
        first = exc.errors()[0] if exc.errors() else {}
        if first.get("type") == "json_invalid":
            return error_response(400, "invalid_json", "the body is not valid JSON")
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "body") or "request"
        return error_response(422, "invalid_request", f"field '{where}': {first.get('msg', 'invalid')}")

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):
        code = HTTP_CODES.get(exc.status_code, "error")
        message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
        headers = getattr(exc, "headers", None)
        if exc.status_code == 405:
            headers = {"Allow": ", ".join(allowed_methods(app, request))}
        return error_response(exc.status_code, code, message, headers)

    app.add_middleware(ContainErrors)


class ContainErrors:
    """The last line: an unexpected exception becomes a bare JSON 500 and one log line naming
    its class. (An `Exception` handler would not do: Starlette re-raises after calling it, and
    the server then logs the traceback and message, which may quote record text.)"""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = False

        async def tracked(message):
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        except Exception as exc:
            if backend_unavailable(exc):
                log.warning("a backend did not answer: %s", exc.__class__.__name__)
                down = BackendUnavailableError()
                answer = error_response(down.status, down.code, down.message, RETRY)
            else:
                log.error("unexpected error: %s", exc.__class__.__name__)
                answer = error_response(500, "internal", "something went wrong on our side; nothing you sent was lost")
            if not started:
                await answer(scope, receive, send)
