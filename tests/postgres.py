"""A throwaway PostgreSQL database per test, on the machine's own cluster (Debian's
`pg_ctlcluster`), started if it is down. Tests skip, saying why, where there is no cluster or
no way to administer it (not root)."""

import os
import secrets
import shutil
import subprocess
import time

import pytest

ROLE = "overturn_test"


def _admin(sql: str) -> str:
    """`sql` as the cluster's superuser; a cluster still starting up (just started here, or by
    another run on this machine after a stop) is waited for, up to two minutes."""
    deadline = time.monotonic() + 120
    while True:
        done = subprocess.run(
            ["runuser", "-u", "postgres", "--", "psql", "-qAt", "-v", "ON_ERROR_STOP=1", "-c", sql],
            capture_output=True,
            text=True,
            timeout=60,
        )
        if done.returncode == 0:
            return done.stdout
        if "starting up" not in done.stderr or time.monotonic() > deadline:
            raise RuntimeError(f"psql failed: {done.stderr.strip()[:300]}")
        time.sleep(1)


def cluster() -> tuple[str, str, int]:
    """(version, name, port) of the first cluster, started if it is down; skips when there is none."""
    if not shutil.which("pg_lsclusters") or not shutil.which("runuser"):
        pytest.skip("PostgreSQL is not installed (Debian postgresql, pg_ctlcluster)")
    if os.geteuid() != 0:
        pytest.skip("the PostgreSQL tests administer the local cluster through runuser, which needs root")
    rows = [
        line.split()
        for line in subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True).stdout.splitlines()
    ]
    if not rows:
        pytest.skip("no PostgreSQL cluster on this machine (pg_createcluster)")
    version, name, port, status = rows[0][:4]
    if status != "online":
        subprocess.run(["pg_ctlcluster", version, name, "start"], check=True, capture_output=True, timeout=120)
    return version, name, int(port)


class Postgres:
    def __init__(self) -> None:
        self.version, self.name, self.port = cluster()
        self.password = secrets.token_hex(16)
        _admin(
            f"DO $$BEGIN IF EXISTS (SELECT FROM pg_roles WHERE rolname = '{ROLE}') THEN "
            f"ALTER ROLE {ROLE} LOGIN CREATEDB PASSWORD '{self.password}'; ELSE "
            f"CREATE ROLE {ROLE} LOGIN CREATEDB PASSWORD '{self.password}'; END IF; END$$;"
        )
        self.made: list[str] = []

    def database(self) -> str:
        """A new empty database owned by the test role, as a SQLAlchemy URL."""
        name = f"overturn_test_{secrets.token_hex(6)}"
        _admin(f"CREATE DATABASE {name} OWNER {ROLE}")
        self.made.append(name)
        return f"postgresql+psycopg://{ROLE}:{self.password}@127.0.0.1:{self.port}/{name}"

    def control(self, action: str) -> None:
        """`stop` or `start` the whole cluster (every database of these tests is on it)."""
        subprocess.run(["pg_ctlcluster", self.version, self.name, action], check=True, capture_output=True, timeout=120)

    def drop_all(self) -> None:
        for name in self.made:
            _admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
