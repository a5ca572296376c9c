"""What must hold before several processes share one home, and the job worker's main loop.

Embedded Chroma is one process's store: API workers beside each other, or beside `overturn
worker`, need a Chroma server. The parent checks the schema and makes the encryption key once,
so N workers starting together neither race to create it nor start on a schema they do not know.
"""

import signal
import threading

from service.casework.drafts import warm_up
from service.casework.jobs import Runner
from service.casework.state import open_workspace
from service.config import Settings
from service.errors import SettingsError
from service.store.crypto import load_key
from service.store.db import open_database


def _need_shared_vectors(settings: Settings, several: bool) -> None:
    if several and not settings.chroma_url:
        raise SettingsError(
            "several processes (serve --workers, OVERTURN_JOBS=queue, overturn worker) share vectors only "
            "through a Chroma server: start one (chroma run --path DIR --port 8001) and set OVERTURN_CHROMA_URL"
        )


def prepare(settings: Settings, api_workers: int = 1) -> None:
    """Before `serve` starts its workers: the layout is possible, the schema current, the key made."""
    _need_shared_vectors(settings, api_workers > 1 or settings.jobs == "queue")
    settings.home.mkdir(parents=True, exist_ok=True)
    open_database(settings.db_url)
    load_key(settings)


def run_worker(settings: Settings, concurrency: int, stop: threading.Event | None = None) -> None:
    """Read queued documents with `concurrency` threads, draft queued drafts with
    `draft_concurrency` others and check batches' cases with one more, until SIGTERM or SIGINT (or `stop`)."""
    _need_shared_vectors(settings, True)
    ws = open_workspace(settings)  # checks the schema and loads (or makes) the key
    _ = ws.components.vectors  # connects to the vector store now: an unreachable one stops the worker at start
    stop = stop or threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    warm_up()
    runner = Runner(ws, threads=concurrency, drafters=settings.draft_concurrency)
    runner.start()
    stop.wait()
    runner.stop(timeout=30)
