"""The migrations build exactly the schema the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from kiosk.commands import check_schema_current
from kiosk.extensions import db


def test_migrations_match_the_models(ctx):
    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert differences == []


def test_schema_is_current(ctx):
    check_schema_current()  # raises SchemaOutdated otherwise
