"""What each backend is and whether it answers: for operators and load balancers
(`GET /v1/health`). Nothing in it is about a tenant's data."""

import logging

from service.casework.state import Workspace
from service.casework.views import BackendState, HealthView
from service.store.schema import current, head

log = logging.getLogger(__name__)


def health(ws: Workspace, jobs: str) -> HealthView:
    database = BackendState(kind=ws.engine.dialect.name, ok=False)
    try:
        revision = current(ws.engine)
        database.ok, database.detail = revision == head(), f"schema revision {revision}"
    except Exception as exc:
        log.warning("database health check failed: %s", exc.__class__.__name__)
        database.detail = "not reachable"
    from service.index.vectors import store_kind  # the store itself may not be built yet

    vectors = BackendState(kind=store_kind(ws.settings.chroma_url), ok=False)
    try:
        ws.components.vectors.heartbeat()
        vectors.ok = True
    except Exception as exc:
        log.warning("vector store health check failed: %s", exc.__class__.__name__)
        vectors.detail = "not reachable"
    files = BackendState(kind="local", ok=ws.settings.files_dir.parent.is_dir())
    backends = {"database": database, "vectors": vectors, "jobs": BackendState(kind=jobs, ok=True), "files": files}
    return HealthView(status="ok" if all(b.ok for b in backends.values()) else "degraded", **backends)
