"""The FastAPI app: routers, error handlers, offline docs, and the document jobs' lifetime."""

import threading
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.staticfiles import StaticFiles

from service import web
from service.api import errors
from service.api.audit_log import AuditLog
from service.api.roles import enforce_roles
from service.api.routes import (
    appeals,
    assignment,
    audit,
    cases,
    chat,
    checks,
    codes,
    health,
    notices,
    remittances,
    sending,
    session,
)
from service.casework.documents import sweep_partial_uploads
from service.casework.drafts import warm_up
from service.casework.jobs import make_jobs
from service.casework.state import open_workspace
from service.components import Components
from service.config import Settings

DESCRIPTION = """\
Cited appeal letters for denied medical claims, for portals and practice-management systems.

Every request (but `/healthz` and signing in) needs `Authorization: Bearer <API key>`; keys are
made with `overturn keys create --tenant NAME`. Staff in a browser sign in instead
(`POST /v1/session`) and send the session cookie, plus `X-CSRF-Token` with every change. Each
route lists the roles (biller, reviewer, admin) that may call it: any other answers 403. Every
case, document, appeal and chat belongs to the caller's tenant: another tenant's id answers 404.
Errors are `{"error": {"code", "message"}}`.

The flow: `POST /v1/cases` (claim fields) -> `POST /v1/cases/{id}/documents` (each record PDF)
-> poll `GET /v1/cases/{id}` until every document is `ready` -> `POST /v1/cases/{id}/appeals`
-> `GET /v1/appeals/{id}.docx`, `.pdf`, `/packet.pdf`.
"""


def create_app(settings: Settings | None = None, components: Components | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    ws = open_workspace(settings, components)
    _ = ws.components.vectors  # a server connects to its vector store at start: an unreachable one stops it there
    jobs = make_jobs(ws, settings.jobs or "thread")

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        sweep_partial_uploads(ws)
        warm_up()
        jobs.start()
        yield
        jobs.stop()

    app = FastAPI(
        title="Overturn",
        version="1",
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        dependencies=[Depends(enforce_roles)],
    )
    app.state.workspace, app.state.jobs = ws, jobs
    # checks asked for in a request run at most `draft_concurrency` at once, as drafts do
    app.state.checking = threading.BoundedSemaphore(ws.settings.draft_concurrency)
    errors.install(app)
    app.add_middleware(AuditLog)  # outside the error handling: it sees every answer's final status
    for module in (
        health,
        session,
        codes,
        assignment,
        cases,
        appeals,
        checks,
        chat,
        remittances,
        notices,
        audit,
        sending,
    ):
        app.include_router(module.router)
    _offline_docs(app)
    web.install(app)
    return app


def _offline_docs(app: FastAPI) -> None:
    """Swagger UI from the `swagger-ui-bundle` package's own files: no CDN, works offline."""
    from swagger_ui_bundle import swagger_ui_path

    app.mount("/docs-assets", StaticFiles(directory=str(swagger_ui_path)), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def docs():
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="Overturn API",
            swagger_js_url="/docs-assets/swagger-ui-bundle.js",
            swagger_css_url="/docs-assets/swagger-ui.css",
            swagger_favicon_url="/docs-assets/favicon-32x32.png",
        )
