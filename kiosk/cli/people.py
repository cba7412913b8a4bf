"""`pluskassa user add|unlock` and `pluskassa till add`: the people who sell and their tills."""

from __future__ import annotations

import click

from kiosk.cli.base import Context, instance_option, pass_context
from kiosk.models.types import Role
from kiosk.organisation.people import add_till, add_user
from kiosk.organisation.unlocking import unlock_user


@click.group(name="user")
def user_group() -> None:
    """Gebruikers."""


@user_group.command(name="add")
@instance_option
@click.argument("name")
@click.option("--role", required=True, type=click.Choice([role.value for role in Role]))
@click.option(
    "--password", default=None, help="Wachtwoord (anders gevraagd voor staff en manager)."
)
@click.option("--pin", default=None, help="Optionele pincode van 4 tot 6 cijfers.")
@pass_context
def user_add(context: Context, name: str, role: str, password: str | None, pin: str | None) -> None:
    """Voeg een gebruiker toe."""
    if role != Role.CARE and password is None:
        password = click.prompt("Wachtwoord", hide_input=True, confirmation_prompt=True)
    with context.transaction():
        user = add_user(name, role, password=password, pin=pin)
        click.echo(f"Gebruiker {user.name} ({user.role}) toegevoegd.")


@user_group.command(name="unlock")
@instance_option
@click.argument("name")
@pass_context
def user_unlock(context: Context, name: str) -> None:
    """Hef elke vergrendeling van een gebruiker op (pincode en wachtwoord, overal)."""
    with context.transaction():
        user, was_locked = unlock_user(name, by="pluskassa user unlock")
        if was_locked:
            click.echo(f"Gebruiker {user.name} is ontgrendeld.")
        else:
            click.echo(f"Gebruiker {user.name} was niet vergrendeld.")


@click.group(name="till")
def till_group() -> None:
    """Kassa's."""


@till_group.command(name="add")
@instance_option
@click.argument("name")
@click.option(
    "--point-of-sale", "point_of_sale", required=True, help="Code van het verkooppunt, bv. HW."
)
@pass_context
def till_add(context: Context, name: str, point_of_sale: str) -> None:
    """Koppel een nieuwe kassa en toon haar token (één keer)."""
    with context.transaction():
        till, token = add_till(name, point_of_sale)
        click.echo(f"Kassa {till.code} ({till.name}) bij {till.point_of_sale.name}.")
        click.echo(f"Token (wordt maar één keer getoond): {token}")
