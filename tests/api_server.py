"""A real `overturn serve` on a free loopback port, its own OVERTURN_HOME and log file; and the
same app in this process behind the same interface, for the tests not about HTTP itself."""

import io
import logging
import os
import socket
import subprocess
import sys
import threading
import time
import traceback
from pathlib import Path

import httpx

OVERTURN = Path(sys.executable).parent / "overturn"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, home: Path, *serve_args: str, **settings: str):
        self.home = home
        self.serve_args = list(serve_args)
        self.env = {**os.environ, "OVERTURN_HOME": str(home), **settings}
        self.env.pop("OVERTURN_LLM", None)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = home.parent / f"{home.name}-server.log"
        self.process: subprocess.Popen | None = None

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(OVERTURN), *args], env=self.env, capture_output=True, text=True, timeout=120)

    def key(self, tenant: str, role: str = "biller") -> str:
        done = self.cli("keys", "create", "--tenant", tenant, "--role", role)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    def start(self) -> "Server":
        self.home.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [str(OVERTURN), "serve", "--port", str(self.port), *self.serve_args],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"overturn serve exited with {self.process.returncode}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError("overturn serve did not answer within 60 s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def log(self) -> str:
        """The server's log, and its job workers' when it has any."""
        paths = [self.log_path, self.log_path.with_name(self.log_path.stem + "-workers.log")]
        return "".join(p.read_text(encoding="utf-8", errors="replace") for p in paths if p.exists())

    def client(self, key: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=120)


class InProcessServer:
    """The app `overturn serve` runs, driven through Starlette's TestClient: no uvicorn process,
    no second load of the embedding model (the session's `embedder` is shared). Keys are made with
    the service function; `cli` runs `overturn` in process on the same home. The log is what the
    app and its job threads log (with tracebacks), plus any exception a thread let escape."""

    url = "http://testserver"

    def __init__(self, home: Path, embedder=None, **settings: str):
        from service.components import Components
        from service.config import Settings

        self.home = home
        self.env = {"OVERTURN_HOME": str(home), **settings}
        self.settings = Settings.from_env(self.env)
        self.components = Components(self.settings, embedder=embedder) if embedder is not None else None
        self.app = None
        self._main = None
        self._log = io.StringIO()
        self._handler = logging.StreamHandler(self._log)
        self._handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        self._excepthook = None

    def start(self) -> "InProcessServer":
        from fastapi.testclient import TestClient

        from service.api.app import create_app
        from service.casework.processes import prepare

        logging.getLogger().addHandler(self._handler)
        self._excepthook = threading.excepthook
        threading.excepthook = self._thread_died
        prepare(self.settings)
        self.app = create_app(self.settings, self.components)
        self._main = TestClient(self.app, base_url=self.url)
        self._main.__enter__()  # the lifespan: partial uploads swept, job threads started
        assert self._main.get("/healthz").status_code == 200
        return self

    def _thread_died(self, args) -> None:
        self._log.write("".join(traceback.format_exception(args.exc_type, args.exc_value, args.exc_traceback)))
        self._excepthook(args)

    def stop(self) -> None:
        """Like the process ending: job threads stopped, database connections closed."""
        if self._main is not None:
            self._main.__exit__(None, None, None)
            self._main = None
            self.app.state.workspace.engine.dispose()
        if self._excepthook is not None:
            threading.excepthook, self._excepthook = self._excepthook, None
        logging.getLogger().removeHandler(self._handler)

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        from tests.cli_runner import run_cli

        return run_cli(args, self.env)

    def key(self, tenant: str, role: str = "biller") -> str:
        from service.store.keys import create_key

        return create_key(self.app.state.workspace.sessions, tenant, "", role).key  # type: ignore[arg-type]

    def log(self) -> str:
        return self._log.getvalue()

    def client(self, key: str | None = None) -> httpx.Client:
        """A client of its own (headers apart) on the same app; the lifespan ran once, in start."""
        from fastapi.testclient import TestClient

        headers = {"Authorization": f"Bearer {key}"} if key else {}
        return TestClient(self.app, base_url=self.url, headers=headers)


class JobWorker:
    """`overturn worker` with the server's settings."""

    def __init__(self, server: Server, concurrency: int = 1):
        self.server = server
        self.concurrency = concurrency
        self.process: subprocess.Popen | None = None

    def start(self) -> "JobWorker":
        log = self.server.log_path.with_name(self.server.log_path.stem + "-workers.log").open("ab")
        self.process = subprocess.Popen(
            [str(OVERTURN), "worker", "--concurrency", str(self.concurrency)],
            env=self.server.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        return self

    def kill(self) -> None:
        """kill -9: no chance to finish or clean up."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(20)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(40)
            except subprocess.TimeoutExpired:
                self.process.kill()


def wait_ready(client: httpx.Client, case_id: str, timeout: float = 300) -> dict:
    """The case once no document is queued or processing."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        case = client.get(f"/v1/cases/{case_id}").json()
        if case["documents"] and all(d["status"] in ("ready", "failed") for d in case["documents"]):
            return case
        time.sleep(0.3)
    raise AssertionError("documents were not read in time")
