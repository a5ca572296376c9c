"""The audit chain on PostgreSQL: API and job worker processes append to one chain through
`pg_advisory_xact_lock`, so threads and processes appending at once never fork it; a purge and
`verify` work there too. Skips, saying why, without the machine's cluster."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete

from service.audit.retention import purge_expired
from service.audit.verify import verify
from service.store.db import AuditEventRow, connect, open_database
from service.store.schema import upgrade
from tests.audit_appenders import in_processes, in_threads, links, numbers

pytestmark = pytest.mark.postgresql


@pytest.fixture
def database(postgres):
    url = postgres.database()
    migrate = connect(url)
    upgrade(migrate)
    migrate.dispose()
    sessions = open_database(url)
    yield url, sessions
    sessions.kw["bind"].dispose()


def test_threads_and_processes_append_one_chain(database):
    url, sessions = database
    here = threading.Thread(target=in_threads, args=(sessions, 8, 25))  # beside the two processes
    here.start()
    in_processes(url, processes=2, each=100)
    here.join()
    assert verify(sessions) is None
    assert numbers(sessions) == list(range(1, 401))
    assert len(set(links(sessions))) == 400, "two events follow the same one: the chain forked"


def test_a_deleted_row_and_a_purge(database):
    _, sessions = database
    in_threads(sessions, threads=1, each=6)
    with sessions.begin() as session:
        session.execute(delete(AuditEventRow).where(AuditEventRow.seq == 3))
    broken = verify(sessions)
    assert broken is not None and (broken.seq, broken.problem) == (4, "missing")
    done = purge_expired(sessions, datetime.now(UTC).date() + timedelta(days=2), 1)
    assert done.count == 5 and numbers(sessions) == [7]
    assert verify(sessions) is None
