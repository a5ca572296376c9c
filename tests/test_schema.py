"""The database schema comes from migrations, is checked on open, and matches the tables the
code declares, on SQLite and on PostgreSQL."""

import os
import subprocess
import sys

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, text

from service.casework.cases import create_case, list_cases
from service.casework.state import open_workspace
from service.models import CaseFields
from service.store.db import Base, open_database
from service.store.schema import SchemaError, current, head, migration_config, upgrade
from tests.cli_runner import run_cli


def differences(engine) -> list:
    with engine.connect() as connection:
        return compare_metadata(MigrationContext.configure(connection), Base.metadata)


def cli(args, home, **env):
    return run_cli(args, {"OVERTURN_HOME": str(home), **env})


def spawn(args, home):
    """In its own process: `serve` would listen here if it did not refuse."""
    return subprocess.run(
        [sys.executable, "-m", "service.cli", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "OVERTURN_HOME": str(home)},
    )


def test_a_new_sqlite_database_is_made_by_the_migrations(tmp_path):
    sessions = open_database(f"sqlite:///{tmp_path / 'new.db'}")
    engine = sessions.kw["bind"]
    assert current(engine) == head()
    assert differences(engine) == []


def test_a_database_made_before_migrations_is_stamped_and_keeps_its_rows(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = create_engine(url)
    with engine.begin() as connection:  # the tables of the first release, as create_all made them
        command.upgrade(migration_config(connection), "0001")
        connection.execute(text("DROP TABLE alembic_version"))
        connection.execute(
            text(
                "INSERT INTO api_keys (id, tenant, secret_hash, label, created_at) VALUES "
                "('key_1', 'clinic', 'x', '', '2026-01-01 00:00:00')"
            )
        )
    assert current(engine) is None
    sessions = open_database(url)
    assert current(engine) == head() and differences(engine) == []
    with sessions() as session:
        assert session.execute(text("SELECT tenant FROM api_keys")).scalar_one() == "clinic"


def test_a_server_refuses_a_schema_it_does_not_know(tmp_path):
    home = tmp_path / "home"
    assert cli(["db", "upgrade"], home).returncode == 0
    engine = create_engine(f"sqlite:///{home / 'overturn.db'}")
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(SchemaError, match="does not know"):
        open_database(f"sqlite:///{home / 'overturn.db'}")
    done = spawn(["serve", "--port", "1"], home)
    assert done.returncode == 2 and "error: the database is at revision 9999" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.integration
def test_postgresql_is_refused_until_upgraded_then_serves_cases(postgres, tmp_path, settings, components, case_fields):
    url = postgres.database()
    with pytest.raises(SchemaError, match="overturn db upgrade"):
        open_database(url)
    done = cli(["db", "upgrade"], tmp_path / "home", OVERTURN_DATABASE_URL=url)
    assert done.returncode == 0, done.stderr[-1000:]
    assert f"revision {head()}" in done.stdout
    engine = open_database(url).kw["bind"]
    assert current(engine) == head() and differences(engine) == []
    assert upgrade(engine) == (head(), head())

    ws = open_workspace(settings.model_copy(update={"database_url": url}), components)
    made = create_case(ws, "clinic-a", CaseFields.model_validate(case_fields))
    assert [c.id for c in list_cases(ws, "clinic-a")] == [made.id] and list_cases(ws, "clinic-b") == []
