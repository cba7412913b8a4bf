"""`pluskassa printer add|list|test` and `pluskassa printer-worker`: receipt printers."""

from __future__ import annotations

import click

from kiosk.cli.base import Context, instance_option, pass_context
from kiosk.printing.queue import ROLES, add_printer
from kiosk.printing.worker import PrintWorker, describe_printers, print_test_page


@click.group(name="printer")
def printer_group() -> None:
    """Printers."""


@printer_group.command(name="add")
@instance_option
@click.argument("name")
@click.option(
    "--url",
    required=True,
    help="tcp://host:9100, usb://VID:PID, serial:///dev/ttyUSB0, file:///dev/usb/lp0",
)
@click.option("--profile", default="TM-T20II", show_default=True, help="Profiel van python-escpos.")
@click.option("--point-of-sale", "point_of_sale", required=True, help="Code van het verkooppunt.")
@click.option("--role", type=click.Choice(ROLES), default="receipt", show_default=True)
@click.option(
    "--width",
    "width_mm",
    type=click.Choice(["58", "80"]),
    default="80",
    show_default=True,
    help="Papierbreedte in mm.",
)
@pass_context
def printer_add(
    context: Context,
    name: str,
    url: str,
    profile: str,
    point_of_sale: str,
    role: str,
    width_mm: str,
) -> None:
    """Voeg een printer toe."""
    with context.transaction():
        printer = add_printer(
            name,
            url,
            profile=profile,
            point_of_sale_code=point_of_sale,
            role=role,
            paper_width_mm=int(width_mm),
        )
        click.echo(f"Printer {printer.name} ({printer.role}) op {printer.url} toegevoegd.")


@printer_group.command(name="list")
@instance_option
@pass_context
def printer_list(context: Context) -> None:
    """Toon de printers."""
    with context.transaction():
        for line in describe_printers():
            click.echo(line)


@printer_group.command(name="test")
@instance_option
@click.argument("name")
@pass_context
def printer_test(context: Context, name: str) -> None:
    """Print een testpagina en toon of de printer antwoordt."""
    with context.transaction():
        ok, message = print_test_page(name)
    click.echo(message)
    if not ok:
        raise SystemExit(1)


@click.command(name="printer-worker")
@instance_option
@pass_context
def printer_worker(context: Context) -> None:
    """Print de wachtrij af tot je stopt (Ctrl+C), naast een server zonder printthread."""
    worker = PrintWorker(context.app)
    click.echo("De printwachtrij wordt afgewerkt. Stop met Ctrl+C.")
    try:
        worker.run()
    except KeyboardInterrupt:
        worker.stopping.set()
