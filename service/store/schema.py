"""The database schema's version: made and moved forward by Alembic migrations
(`service/store/migrations/`), checked whenever the database is opened.

`overturn db upgrade` applies what is missing. A SQLite database that was never migrated (a new
one, or one made before migrations existed, whose tables are those of revision 0001) is brought
up to date on open; any other database at another revision than this code's is refused with a
message saying what to run, so a server never starts on a schema it does not know.
"""

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect

from service.errors import OverturnError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
FIRST_TABLES = {"api_keys", "cases", "documents", "appeals", "chats"}


class SchemaError(OverturnError):
    code = "database_schema"


def migration_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head() -> str:
    found = ScriptDirectory.from_config(migration_config()).get_current_head()
    if found is None:  # the package ships its migrations: there is always a head
        raise RuntimeError(f"no migrations in {MIGRATIONS}")
    return found


def current(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """(revision before, revision after). Tables made before migrations are stamped, not remade."""
    with engine.begin() as connection:
        config = migration_config(connection)
        before = MigrationContext.configure(connection).get_current_revision()
        if before is None and set(inspect(connection).get_table_names()) >= FIRST_TABLES:
            command.stamp(config, "0001")
        command.upgrade(config, "head")
    return before, head()


def ensure_current(engine: Engine) -> None:
    """Raise `SchemaError` unless the database is at this code's revision."""
    found, wanted = current(engine), head()
    if found is None and engine.dialect.name == "sqlite":
        upgrade(engine)
        return
    if found == wanted:
        return
    if found is None:
        raise SchemaError("the database has no Overturn tables yet: run `overturn db upgrade` first")
    known = {script.revision for script in ScriptDirectory.from_config(migration_config()).walk_revisions()}
    if found not in known:
        raise SchemaError(
            f"the database is at revision {found}, which this version of Overturn does not know (newest here: {wanted}); run a newer version"
        )
    raise SchemaError(f"the database is at revision {found}, this version needs {wanted}: run `overturn db upgrade`")
