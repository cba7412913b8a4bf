"""`pluskassa db upgrade` and `pluskassa seed demo|history`: the database and its demo data."""

from __future__ import annotations

import click

from kiosk.cli.base import Context, instance_option, pass_context
from kiosk.cli.serving import add_history, load_demo_with_history
from kiosk.database import upgrade_database
from kiosk.demo.loader import is_empty


@click.group(name="db")
def db_group() -> None:
    """Database."""


@db_group.command()
@instance_option
@pass_context
def upgrade(context: Context) -> None:
    """Breng de database naar het nieuwste schema (gegevens blijven bewaard)."""
    with context.transaction():
        upgrade_database()
    click.echo("De database is bijgewerkt.")


@click.group(name="seed")
def seed_group() -> None:
    """Voorbeeldgegevens."""


@seed_group.command(name="demo")
@instance_option
@pass_context
def seed_demo(context: Context) -> None:
    """Laad de demo-plus-plek in een lege database."""
    with context.transaction():
        upgrade_database()
        if not is_empty():
            raise click.ClickException("De database is niet leeg; de demo wordt niet geladen.")
        load_demo_with_history(context.app.config["SECRET_KEY"])
    click.echo("De demo-plus-plek is geladen, met de verkopen van de laatste 60 dagen.")


@seed_group.command(name="history")
@instance_option
@click.option(
    "--days", required=True, type=click.IntRange(1, 3660), help="Dagen tot en met gisteren."
)
@click.option(
    "--per-day",
    default=100,
    show_default=True,
    type=click.IntRange(1, 5000),
    help="Gemiddeld aantal verkopen per kassa per dag.",
)
@click.option(
    "--seed", default=1, show_default=True, type=int, help="Zelfde getal, zelfde verkopen."
)
@pass_context
def seed_history(context: Context, days: int, per_day: int, seed: int) -> None:
    """Maak een verkoopgeschiedenis tot en met gisteren op elke actieve kassa.

    Voor demo's en metingen: zonder voorraadbewegingen en zonder bonnen om te printen.
    """
    with context.transaction():
        summary = add_history(days, per_day, seed)
    click.echo(
        f"{summary.sales} verkopen ({summary.lines} lijnen) van {summary.first_day} tot en met "
        f"{summary.last_day} op {', '.join(summary.till_codes)}."
    )
