"""A real Chroma server (`chroma run`, installed with the chromadb package) on a free loopback
port, for tests of the vector backend several workers share."""

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.api_server import free_port


class ChromaServer:
    def __init__(self, path: Path):
        found = Path(sys.executable).parent / "chroma"
        self.binary = str(found) if found.exists() else shutil.which("chroma")
        if not self.binary:
            pytest.skip("the chroma command (from the chromadb package) is not installed")
        self.path = path
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.start()

    def start(self) -> None:
        """On the same port and data folder each time, so a restart is seen as the same server."""
        self.log = (self.path / "chroma.log").open("a")
        self.process = subprocess.Popen(
            [self.binary, "run", "--path", str(self.path / "data"), "--host", "127.0.0.1", "--port", str(self.port)],
            stdout=self.log,
            stderr=subprocess.STDOUT,
            # as deploy/stack.sh runs it: freed memory scrubbed (service/index/memory.py)
            env={**os.environ, "GLIBC_TUNABLES": "glibc.malloc.perturb=90"},
        )
        self.wait()

    def wait(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"chroma run exited with {self.process.returncode}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("chroma run did not start listening")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()
