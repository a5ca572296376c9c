import json
from pathlib import Path

import pytest

from service.components import Components
from service.config import Settings
from service.index.embeddings import Embedder

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


def shared_dir(name: str) -> Path:
    path = SHARED / name
    if not path.is_dir():
        pytest.skip(f"../shared/{name} is not beside this clone (it exists only in the developers' and CI's checkouts)")
    return path


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(home=tmp_path / "home")


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    return Embedder.from_settings(Settings())


@pytest.fixture
def components(settings, embedder) -> Components:
    return Components(settings, embedder=embedder)


@pytest.fixture
def case_fields() -> dict:
    return {
        "claim_number": "CLM-2026-0417",
        "patient_name": "Maria L. Gonzalez",
        "patient_id": "1EG4-TE5-MK72",
        "date_of_service": "2026-03-31",
        "payer": "Medicare Part B (Noridian JF)",
        "denial_code": "CCM39",
        "provider_name": "Dr. Anita Patel",
        "practice_name": "Northside Family Medicine",
        "denial_date": "2026-04-10",
        "billed_cpt": ["99490", "99439"],
        "letter_date": "2026-04-20",
    }


@pytest.fixture
def case_file(tmp_path, case_fields) -> Path:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case_fields))
    return path


@pytest.fixture(scope="session")
def postgres():
    """The local PostgreSQL cluster, for tests of the PostgreSQL backend (skips without one)."""
    from tests.postgres import Postgres

    server = Postgres()
    yield server
    server.drop_all()


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory):
    """A Chroma server on loopback, for tests of `OVERTURN_CHROMA_URL` (skips without `chroma`)."""
    from tests.chroma_server import ChromaServer

    server = ChromaServer(tmp_path_factory.mktemp("chroma-server"))
    yield server
    server.stop()


POSTGRES_MODULES = {
    "tests/test_api.py",
    "tests/test_audit_postgres.py",
    "tests/test_backends.py",
    "tests/test_deployment.py",
    "tests/test_schema.py",
}
"""The modules with tests on the machine's PostgreSQL cluster: under pytest-xdist they share one
worker, since the deployment tests stop and start the cluster and the test role's password is
set per session. Collection fails, naming the module, if a test elsewhere uses the cluster."""


SLOW_FIRST = [
    "tests/test_llm_llama.py",
    "tests/test_foreign_charts.py",
    "tests/test_api.py",
    "tests/test_remit_eval.py",
    "tests/test_notice.py",
    "tests/test_llm_drafting.py",
    "tests/test_foreign_letters.py",
    "tests/test_packaging.py",
    "tests/test_llm_server.py",
]
"""Modules of minutes (CI's durations), started first so the two workers finish together; the
rest follow in the order they are collected."""


def pytest_collection_modifyitems(config, items):
    rank = {module: n for n, module in enumerate(SLOW_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::", 1)[0], len(rank)))
    for item in items:
        module = item.nodeid.split("::", 1)[0]
        uses_postgres = "postgres" in getattr(item, "fixturenames", ()) or item.get_closest_marker("postgresql")
        if uses_postgres and module not in POSTGRES_MODULES:
            raise pytest.UsageError(f"{module} uses PostgreSQL: add it to POSTGRES_MODULES in tests/conftest.py")


def pytest_xdist_make_scheduler(config, log):
    """`make test` runs two workers with `--dist loadscope`: a module's tests share a worker, so its
    module fixtures (a case read and indexed, a server started) are built once, and the modules on
    PostgreSQL share one. (xdist's own `loadgroup` marks do not reach the scheduler on pytest 9.)"""
    if config.getvalue("dist") != "loadscope":
        return None
    config.option.loadscopereorder = False  # the collection's order (slow modules first), not test counts
    from xdist.scheduler import LoadScopeScheduling

    class ModuleScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            return "postgresql" if module in POSTGRES_MODULES else module

    return ModuleScheduling(config, log)
