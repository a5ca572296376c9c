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
    return Embedder(Settings().embedding_model)


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


def pytest_collection_modifyitems(config, items):
    """Groups for pytest-xdist (`make test` runs `-n 2 --dist loadgroup`): a module's tests share
    one worker, so its module fixtures (a case read and indexed, a server started) are built once;
    every test on the PostgreSQL cluster shares one worker too, since the cluster is stopped and
    started by the deployment tests and the test role's password is set per session."""
    for item in items:
        uses_postgres = "postgres" in getattr(item, "fixturenames", ()) or item.get_closest_marker("postgresql")
        item.add_marker(pytest.mark.xdist_group("postgresql" if uses_postgres else item.module.__name__))
