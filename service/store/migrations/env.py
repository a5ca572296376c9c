"""Alembic's environment: run by `service.store.schema` with the connection already open."""

from alembic import context

from service.store.db import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
