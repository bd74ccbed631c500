"""The store: SQLModel tables, the engine and unit of work, Alembic migrations and the
backend-specific atomic claims (SQLite and PostgreSQL)."""
