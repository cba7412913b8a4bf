"""A database with tables but no Alembic version is refused by every command that upgrades."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import create_engine, inspect, make_url

from kiosk import create_app
from kiosk.cli.main import main
from kiosk.extensions import db
from tests.conftest import SECRET


def table_names(url: str) -> set[str]:
    """Return the tables the database holds now."""
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_upgrading_commands_refuse_tables_without_a_version_and_change_nothing(
    own_database: str, tmp_path: Path
) -> None:
    instance = tmp_path / "instance"
    app = create_app(
        {"TESTING": True, "DATABASE_URL": own_database, "SECRET_KEY": SECRET},
        instance_path=str(instance),
    )
    with app.app_context():
        db.create_all()  # the tables, as a script or an old test set-up made them: no version
        db.engine.dispose()
    tables = table_names(own_database)
    assert "category" in tables and "alembic_version" not in tables
    url = make_url(own_database)  # a SQLite file's path, or a PostgreSQL database's name
    env = {"PLUSKASSA_DATABASE_URL": own_database, "PLUSKASSA_SECRET_KEY": SECRET}
    runner = CliRunner()
    for command in (["db", "upgrade"], ["seed", "demo"], ["demo", "--port", "1"], ["serve"]):
        result = runner.invoke(main, ["--instance", str(instance), *command], env=env)
        assert result.exit_code == 1, (command, result.output)
        assert result.stdout == ""
        message = result.stderr.strip()
        assert "\n" not in message and "Error" not in message, (command, message)
        assert message.startswith("De database ") and f"{url.database} heeft tabellen" in message
        assert f":{url.password}@" not in message  # PostgreSQL: the URL without its password
        assert "geen schemaversie" in message and "pluskassa restore" in message
        assert table_names(own_database) == tables, command
