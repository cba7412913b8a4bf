"""`pluskassa demo` and `pluskassa serve`, and the plain functions behind them."""

from __future__ import annotations

import gc
import logging
from datetime import timedelta

import click
from flask import Flask

from kiosk.backup.schedule import start_backup_scheduler
from kiosk.cli.base import Context, instance_option, pass_context
from kiosk.database import SchemaOutdated, check_schema_current, upgrade_database
from kiosk.demo.history import HistorySummary, add_demo_history, generate_history
from kiosk.demo.loader import (
    get_demo_logins,
    get_demo_pins,
    get_demo_tills,
    is_empty,
    load_demo,
)
from kiosk.models.types import utcnow
from kiosk.periods import business_day
from kiosk.printing.worker import PrintWorker


def load_demo_with_history(secret_key: str) -> HistorySummary:
    """Load the demo plus-plek with the sales of its last 60 days; today starts without sales."""
    load_demo(secret_key)
    return add_demo_history(business_day(utcnow()))


def add_history(days: int, per_day: int, seed: int) -> HistorySummary:
    """Generate `days` days of sales, ending yesterday, on every active till."""
    yesterday = business_day(utcnow()) - timedelta(days=1)
    return generate_history(yesterday - timedelta(days=days - 1), yesterday, per_day, seed=seed)


def prepare_demo(app: Flask, host: str | None, port: int | None) -> str:
    """Upgrade the database, load the demo when empty, and describe how to use it."""
    upgrade_database()
    if is_empty():
        load_demo_with_history(app.config["SECRET_KEY"])
    base = f"http://{host or app.config['HOST']}:{port or app.config['PORT']}"
    lines = [
        "PlusKassa demo",
        f"  gegevens:     {app.instance_path}",
        f"  kassa:        {base}/till",
        f"  back office:  {base}/admin",
        f"  API:          {base}/api/v1/openapi.json",
        "  demo-kassa's (Authorization: Bearer <token>):",
    ]
    lines += [
        f"    {till.code:<5} {till.point_of_sale.name:<16} {token}"
        for till, token in get_demo_tills(app.config["SECRET_KEY"])
    ]
    pins = get_demo_pins()
    logins = get_demo_logins()
    lines.append("  zorggebruikers aan de kassa (naam / pincode):")
    staff = {name for name, _role, _password in logins}
    lines += [
        f"    {name:<10} {pin or 'geen pincode: tik op de foto'}"
        for name, pin in pins.items()
        if name not in staff
    ]
    lines.append("  demo-logins (naam / rol / wachtwoord / pincode aan de kassa):")
    lines += [
        f"    {name:<10} {role:<8} {password:<12} {pins.get(name) or '-'}"
        for name, role, password in logins
    ]
    return "\n".join(lines)


def set_aside_startup_objects() -> None:
    """Keep what starting made (modules, the app, its routes and mappers) out of the collector.

    About 200,000 objects live as long as the process. Python's full garbage collections would
    walk them all, a pause of tens of milliseconds in the middle of a sale; frozen, they are left
    alone, and collections walk only what requests make.
    """
    gc.collect()
    gc.freeze()


def serve_app(app: Flask, host: str | None, port: int | None, threads: int | None = None) -> None:
    """Serve the app with waitress until interrupted."""
    from waitress import serve

    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    set_aside_startup_objects()
    worker = None
    if app.config["PRINT_WORKER"]:
        worker = PrintWorker(app)
        worker.start()
    backups = start_backup_scheduler(app)
    try:
        serve(
            app,
            host=host or app.config["HOST"],
            port=port or app.config["PORT"],
            threads=threads or app.config["WAITRESS_THREADS"],
            ident="PlusKassa",
        )
    finally:
        if worker is not None:
            worker.stop()
        if backups is not None:
            backups.stop()


@click.command()
@instance_option
@click.option("--host", default=None, help="Adres om op te luisteren (standaard 127.0.0.1).")
@click.option("--port", default=None, type=int, help="Poort (standaard 8080).")
@pass_context
def demo(context: Context, host: str | None, port: int | None) -> None:
    """Maak of upgrade de database, laad de demo-plus-plek als ze leeg is en start de server."""
    with context.transaction():
        click.echo(prepare_demo(context.app, host, port))
    serve_or_explain(context.app, host, port)


@click.command()
@instance_option
@click.option("--host", default=None, help="Adres om op te luisteren (standaard 127.0.0.1).")
@click.option("--port", default=None, type=int, help="Poort (standaard 8080).")
@click.option("--threads", default=None, type=int, help="Aantal threads van waitress.")
@pass_context
def serve(context: Context, host: str | None, port: int | None, threads: int | None) -> None:
    """Start de server met waitress (voer eerst `pluskassa db upgrade` uit)."""
    with context.transaction():  # reads only; refuses a database without a schema version
        try:
            check_schema_current()
        except SchemaOutdated as error:
            raise click.ClickException(str(error)) from error
    serve_or_explain(context.app, host, port, threads)


def serve_or_explain(
    app: Flask, host: str | None, port: int | None, threads: int | None = None
) -> None:
    """Serve until stopped; explain in Dutch when the address cannot be used."""
    try:
        serve_app(app, host, port, threads)
    except OSError as error:
        raise click.ClickException(
            f"Kan niet luisteren op {host or app.config['HOST']}:{port or app.config['PORT']}: "
            f"{error.strerror or error}. Is PlusKassa al gestart? Kies een andere poort met --port."
        ) from error
