"""The store: SQLModel tables, the engine and unit of work, Alembic migrations and the
backend-specific atomic claims (SQLite and PostgreSQL).

- engine: one engine per process and the unit of work; dialect: what differs between
  the backends in SQLAlchemy statements; types: UTC timestamp columns
- tables/: the tables, one module per area; migrations/: the schema
- queue_store, appointment_store, staff_store (staff, desk sessions), drafts, audit,
  device_health, outbox (and visitors' contacts): SQL by concern, inside the caller's
  unit of work
- sql/: the hand-written SQL of the hot paths (calls, steps at a desk)
- catalogue: the reference data read once per process; loaders/: a centres file loaded
  into the store; changes: the change feed for live screens; migrate: applying the
  migrations
"""
