"""`pluskassa orders forget`: erase customers' personal data from orders done with."""

from __future__ import annotations

import click

from kiosk.cli.base import Context, instance_option, pass_context
from kiosk.customer_orders.privacy import forget_customers, privacy_days
from kiosk.models.types import utcnow


@click.group(name="orders")
def orders_group() -> None:
    """Klantenbestellingen."""


@orders_group.command(name="forget")
@instance_option
@click.option(
    "--days",
    type=click.IntRange(min=0),
    default=None,
    help="Na hoeveel dagen (standaard PLUSKASSA_ORDER_PRIVACY_DAYS, 30).",
)
@pass_context
def orders_forget(context: Context, days: int | None) -> None:
    """Wis naam, telefoon, adres en opmerking van afgehandelde bestellingen."""
    with context.transaction():
        kept_days = privacy_days() if days is None else days
        count = forget_customers(utcnow(), kept_days)
        click.echo(
            f"Klantgegevens gewist van {count} bestelling(en) die meer dan "
            f"{kept_days} dagen afgehandeld zijn."
        )
