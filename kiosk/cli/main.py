"""The `pluskassa` command: one group, its commands added from one module per command group."""

from __future__ import annotations

import logging

import click

from kiosk.cli import backup, database, orders, people, printers, serving, spreadsheets
from kiosk.cli.base import INSTANCE_HELP, Context


@click.group()
@click.option(
    "--instance",
    type=click.Path(file_okay=False),
    help=INSTANCE_HELP,
)
@click.version_option(package_name="pluskassa")
@click.pass_context
def main(ctx: click.Context, instance: str | None) -> None:
    """PlusKassa: kassa en kiosk voor plus-plekken."""
    ctx.obj = Context(instance)
    ctx.call_on_close(ctx.obj.close)


COMMANDS = (
    serving.demo,
    serving.serve,
    database.db_group,
    database.seed_group,
    people.user_group,
    people.till_group,
    printers.printer_group,
    printers.printer_worker,
    spreadsheets.import_group,
    spreadsheets.export_group,
    backup.backup,
    backup.restore,
    orders.orders_group,
)
for command in COMMANDS:
    main.add_command(command)


def run() -> None:
    """Run the pluskassa command line."""
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    main()


if __name__ == "__main__":
    run()
