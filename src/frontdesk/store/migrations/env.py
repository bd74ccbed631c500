"""Alembic environment: the schema of both backends comes from these migrations."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import frontdesk.store.tables  # noqa: F401  (every table, in SQLModel.metadata)

config = context.config
target_metadata = SQLModel.metadata


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("frontdesk migrations run through frontdesk.store.migrate")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        compare_type=True,
        # SQLite cannot ALTER most things in place; batch mode copies the table.
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
