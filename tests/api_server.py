"""A real `overturn serve` on a free loopback port, its own OVERTURN_HOME and log file."""

import os
import socket
import subprocess
import sys
import time
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

    def key(self, tenant: str) -> str:
        done = self.cli("keys", "create", "--tenant", tenant)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    def start(self) -> "Server":
        self.home.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [str(OVERTURN), "serve", "--port", str(self.port), *self.serve_args], env=self.env, stdout=log,
            stderr=subprocess.STDOUT
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


class JobWorker:
    """`overturn worker` with the server's settings."""

    def __init__(self, server: Server, concurrency: int = 1):
        self.server = server
        self.concurrency = concurrency
        self.process: subprocess.Popen | None = None

    def start(self) -> "JobWorker":
        log = self.server.log_path.with_name(self.server.log_path.stem + "-workers.log").open("ab")
        self.process = subprocess.Popen(
            [str(OVERTURN), "worker", "--concurrency", str(self.concurrency)], env=self.server.env,
            stdout=log, stderr=subprocess.STDOUT,
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
