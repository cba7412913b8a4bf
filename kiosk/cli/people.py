"""`pluskassa user add|set|unlock` and `pluskassa till add`: the people who sell and their tills."""

from __future__ import annotations

from collections.abc import Callable

import click

from kiosk.cli.base import Context, F, instance_option, pass_context
from kiosk.models.types import DEVICE_ROLES, Role
from kiosk.organisation.people import add_till, add_user, change_till_settings
from kiosk.organisation.till_settings import TILE_SIZES, TillSettings
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


def read_switch(_ctx: click.Context, _param: click.Parameter, value: str | None) -> bool | None:
    """Read on|off as a setting (None when the option was not given); refuse anything else."""
    if value is None or value in ("on", "off"):
        return None if value is None else value == "on"
    raise click.BadParameter(f"kies on of off, niet {value!r}.")


def read_tile_size(_ctx: click.Context, _param: click.Parameter, value: str | None) -> int | None:
    """Read a tile size the till offers; refuse any other."""
    sizes = [str(size) for size in TILE_SIZES]
    if value is None or value in sizes:
        return None if value is None else int(value)
    raise click.BadParameter(
        f"kies {', '.join(sizes[:-1])} of {sizes[-1]} (pixels), niet {value!r}."
    )


def switch_option(flag: str, help_text: str) -> Callable[[F], F]:
    """Add an on|off option for one till setting."""
    return click.option(flag, metavar="on|off", callback=read_switch, help=help_text)


@user_group.command(name="set")
@instance_option
@click.argument("name")
@switch_option("--speech", "Spreken (een Nederlandse stem zegt producten en bedragen).")
@switch_option("--sound", "Geluid bij elke tik.")
@click.option(
    "--tile-size",
    metavar="120|160|200",
    callback=read_tile_size,
    help="Tegelgrootte aan de kassa in pixels.",
)
@switch_option("--large-digits", "Grote cijfers (bedragen en pincode), voor wie slecht ziet.")
@switch_option("--may-count-cash", "Mag de kassa tellen in de backoffice (een medewerker).")
@pass_context
def user_set(
    context: Context,
    name: str,
    speech: bool | None,
    sound: bool | None,
    tile_size: int | None,
    large_digits: bool | None,
    may_count_cash: bool | None,
) -> None:
    """Stel in hoe de kassa eruitziet en klinkt voor één persoon, en of die de kassa mag tellen."""
    if all(s is None for s in (speech, sound, tile_size, large_digits, may_count_cash)):
        raise click.UsageError(
            "Geef minstens één instelling: --speech, --sound, --tile-size, --large-digits "
            "of --may-count-cash."
        )
    settings = TillSettings(speech, sound, tile_size, large_digits)
    with context.transaction():
        user = change_till_settings(
            name, settings, may_count_cash=may_count_cash, by="pluskassa user set"
        )
        click.echo(
            f"{user.name}: spreken {'aan' if user.speech else 'uit'}, "
            f"geluid {'aan' if user.sound else 'uit'}, tegels {user.tile_size} px, "
            f"grote cijfers {'aan' if user.large_digits else 'uit'}."
        )
        if may_count_cash is not None:
            click.echo(
                f"{user.name} mag de kassa {'tellen' if user.can_count_cash else 'niet tellen'}."
            )


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
@click.option(
    "--role",
    type=click.Choice(DEVICE_ROLES),
    default="till",
    show_default=True,
    help="Een kassa, of het scherm van de keuken of de bar.",
)
@pass_context
def till_add(context: Context, name: str, point_of_sale: str, role: str) -> None:
    """Koppel een nieuwe kassa (of keuken- of barscherm) en toon het token (één keer)."""
    with context.transaction():
        till, token = add_till(name, point_of_sale, role=role)
        click.echo(f"Kassa {till.code} ({till.name}) bij {till.point_of_sale.name}.")
        click.echo(f"Token (wordt maar één keer getoond): {token}")
