"""Appending audit events from many threads and from other processes at once, for the tests of
the chain's lock on SQLite and on PostgreSQL."""

import os
import subprocess
import sys
import threading
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from service.audit.trail import record
from service.models import Principal
from service.store.db import AuditEventRow

REPO = Path(__file__).resolve().parent.parent

APPENDER = """
import sys
from sqlalchemy.orm import sessionmaker
from service.audit.trail import record
from service.models import Principal
from service.store.db import connect
url, name, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
sessions = sessionmaker(connect(url), expire_on_commit=False)
for n in range(count):
    record(sessions, Principal("clinic-a", "biller", f"key:{name}"), "case.view", f"case:{n}")
"""


def in_threads(sessions: sessionmaker, threads: int, each: int) -> None:
    failures: list[BaseException] = []

    def work(k: int) -> None:
        try:
            for n in range(each):
                record(
                    sessions,
                    Principal("clinic-a", "biller", f"key:thread{k}", client="10.0.0.1"),
                    "case.view",
                    f"n:{n}",
                )
        except BaseException as exc:  # reported below: a thread's exception would otherwise vanish
            failures.append(exc)

    workers = [threading.Thread(target=work, args=(k,)) for k in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert not failures, [type(f).__name__ for f in failures]


def in_processes(url: str, processes: int, each: int) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    running = [
        subprocess.Popen(
            [sys.executable, "-c", APPENDER, url, f"proc{k}", str(each)],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for k in range(processes)
    ]
    for process in running:
        _, err = process.communicate(timeout=300)
        assert process.returncode == 0, err[-2000:]


def numbers(sessions: sessionmaker) -> list[int]:
    with sessions() as session:
        return list(session.scalars(select(AuditEventRow.seq).order_by(AuditEventRow.seq)))


def links(sessions: sessionmaker) -> list[str]:
    with sessions() as session:
        return list(session.scalars(select(AuditEventRow.prev_hash)))
