"""The `pluskassa` command: thin click wrappers around plain functions."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TypeVar

import click
from flask import Flask

from kiosk import create_app
from kiosk.catalog.product_file import EXPORT_NAME as PRODUCTS_EXPORT
from kiosk.catalog.product_file import export_products, import_products
from kiosk.cli.serving import add_history, load_demo_with_history, prepare_demo, serve_app
from kiosk.database import SchemaOutdated, check_schema_current, upgrade_database
from kiosk.demo.loader import is_empty
from kiosk.errors import OperationError
from kiosk.exports.accounting import (
    DAY_BOOK,
    Export,
    day_book_export,
    journal_export,
    sale_lines_export,
)
from kiosk.exports.files import ExportRefused, export_day_to_folder, write_export
from kiosk.exports.jobs import record_export
from kiosk.exports.spreadsheets import BELGIAN_CSV, PLAIN_CSV
from kiosk.extensions import db
from kiosk.models.types import Role, utcnow
from kiosk.money import format_euro
from kiosk.organisation.people import add_till, add_user
from kiosk.periods import business_day, parse_day
from kiosk.printing.queue import ROLES, add_printer
from kiosk.printing.worker import PrintWorker, describe_printers, print_test_page
from kiosk.reports.settlement import (
    export_settlement,
    find_producer,
    get_settlement,
    settlement_export_name,
)
from kiosk.stock.valuation import (
    VALUATION_EXPORT_NAMES,
    export_stock_valuation,
    get_stock_valuation,
)


class Context:
    """What every command needs: a way to build the app for the chosen instance folder."""

    def __init__(self, instance: str | None) -> None:
        self.instance = instance
        self._app: Flask | None = None

    @property
    def app(self) -> Flask:
        """Build the application once."""
        if self._app is None:
            self._app = create_app(instance_path=self.instance)
        return self._app

    def close(self) -> None:
        """Close the database connections the command opened."""
        if self._app is not None:
            with self._app.app_context():
                db.engine.dispose()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Run a command's work in one transaction: commit at the end, or change nothing."""
        with self.app.app_context():
            try:
                yield
                db.session.commit()
            except OperationError as error:
                db.session.rollback()
                raise click.ClickException(error.message) from error
            except BaseException:
                db.session.rollback()
                raise


pass_context = click.make_pass_decorator(Context)


def remember_instance(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    """Let `--instance DIR` also follow the command name (`pluskassa demo --instance DIR`)."""
    if value:
        ctx.ensure_object(Context).instance = value


#: a command function, before or after click's decorators
F = TypeVar("F", bound=Callable[..., Any])


def instance_option(command: F) -> F:
    """Add the `--instance` option to a command."""
    return click.option(
        "--instance",
        type=click.Path(file_okay=False),
        expose_value=False,
        callback=remember_instance,
        help="Map met de gegevens (standaard PLUSKASSA_INSTANCE of ~/.local/share/pluskassa).",
    )(command)


@click.group()
@click.option(
    "--instance",
    type=click.Path(file_okay=False),
    help="Map met de gegevens (standaard PLUSKASSA_INSTANCE of ~/.local/share/pluskassa).",
)
@click.version_option(package_name="pluskassa")
@click.pass_context
def main(ctx: click.Context, instance: str | None) -> None:
    """PlusKassa: kassa en kiosk voor plus-plekken."""
    ctx.obj = Context(instance)
    ctx.call_on_close(ctx.obj.close)


@main.command()
@instance_option
@click.option("--host", default=None, help="Adres om op te luisteren (standaard 127.0.0.1).")
@click.option("--port", default=None, type=int, help="Poort (standaard 8080).")
@pass_context
def demo(context: Context, host: str | None, port: int | None) -> None:
    """Maak of upgrade de database, laad de demo-plus-plek als ze leeg is en start de server."""
    with context.transaction():
        click.echo(prepare_demo(context.app, host, port))
    serve_or_explain(context.app, host, port)


@main.command()
@instance_option
@click.option("--host", default=None, help="Adres om op te luisteren (standaard 127.0.0.1).")
@click.option("--port", default=None, type=int, help="Poort (standaard 8080).")
@click.option("--threads", default=None, type=int, help="Aantal threads van waitress.")
@pass_context
def serve(context: Context, host: str | None, port: int | None, threads: int | None) -> None:
    """Start de server met waitress (voer eerst `pluskassa db upgrade` uit)."""
    with context.app.app_context():
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


@main.group(name="db")
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


@main.group(name="seed")
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


@main.group(name="user")
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


@main.group(name="till")
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


@main.group(name="printer")
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


@main.command(name="printer-worker")
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


@main.group(name="import")
def import_group() -> None:
    """Gegevens inlezen."""


@import_group.command(name="products")
@instance_option
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Alleen nakijken, niets bewaren.")
@pass_context
def import_products_command(context: Context, file: Path, dry_run: bool) -> None:
    """Lees producten uit een CSV- of XLSX-bestand (alles of niets)."""
    with context.transaction():
        report = import_products(file, dry_run=dry_run)
        for row, column, message in report.errors:
            click.echo(f"rij {row}, kolom {column}: {message}", err=True)
        if report.errors:
            raise click.ClickException(f"{len(report.errors)} fout(en); er is niets bewaard.")
        verb = "zou toevoegen" if dry_run else "toegevoegd"
        click.echo(f"{report.added} product(en) {verb}, {report.changed} gewijzigd.")


@main.group(name="export")
def export_group() -> None:
    """Gegevens uitvoeren."""


@export_group.command(name="products")
@instance_option
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Bestand .csv of .xlsx",
)
@pass_context
def export_products_command(context: Context, out: Path) -> None:
    """Schrijf alle producten naar CSV of XLSX, in de vorm die import leest."""
    with context.transaction():
        count = export_products(out)
        record_export(PRODUCTS_EXPORT, file_format=out.suffix.lstrip("."), where=str(out))
    click.echo(f"{count} producten geschreven naar {out}.")


def out_option(command: F) -> F:
    """Add the options of a spreadsheet export: --out, --format and --plain."""
    for option in (
        click.option("--plain", is_flag=True, help="CSV met ',' en '.' in plaats van ';' en ','."),
        click.option(
            "--format", "file_format", default=None, help="csv of xlsx (standaard: --out)."
        ),
        click.option(
            "--out",
            required=True,
            type=click.Path(dir_okay=False, path_type=Path),
            help="Bestand .csv of .xlsx",
        ),
    ):
        command = option(command)
    return command


def spreadsheet_format(file_format: str | None, out: Path) -> str:
    """Return csv or xlsx: as asked, or from the file's extension; refuse others in Dutch."""
    chosen = (file_format or out.suffix.lstrip(".")).lower()
    if chosen not in ("csv", "xlsx"):
        raise click.ClickException("Kies --format csv of --format xlsx.")
    return chosen


def written(out: Path, write: Callable[[], int]) -> int:
    """Write an export; explain in Dutch when the file cannot be written."""
    try:
        return write()
    except OSError as error:
        raise click.ClickException(
            f"Kan {out} niet schrijven: {error.strerror or error}."
        ) from error


@export_group.command(name="settlement")
@instance_option
@click.option("--producer", "producer_name", required=True, help="Naam of nummer van de producent.")
@click.option("--from", "first_text", required=True, help="Eerste dag, jjjj-mm-dd.")
@click.option("--to", "last_text", required=True, help="Laatste dag (telt mee), jjjj-mm-dd.")
@out_option
@pass_context
def export_settlement_command(
    context: Context,
    producer_name: str,
    first_text: str,
    last_text: str,
    out: Path,
    file_format: str | None,
    plain: bool,
) -> None:
    """Schrijf de afrekening van een producent over een periode naar CSV of XLSX."""
    chosen = spreadsheet_format(file_format, out)
    first, last = parse_day(first_text), parse_day(last_text)
    for text, day in ((first_text, first), (last_text, last)):
        if day is None:
            raise click.ClickException(f"{text} is geen geldige datum. Schrijf jjjj-mm-dd.")
    assert first is not None and last is not None
    if first > last:
        raise click.ClickException("De begindatum (--from) ligt na de einddatum (--to).")
    with context.transaction():
        producer = find_producer(producer_name)
        if producer is None:
            raise click.ClickException(f"Producent {producer_name} is niet gekend.")
        settlement = get_settlement(producer, first, last)
        style = PLAIN_CSV if plain else BELGIAN_CSV
        count = written(out, lambda: export_settlement(settlement, out, chosen, style))
        record_export(
            settlement_export_name(producer), first, last, file_format=chosen, where=str(out)
        )
        owed = settlement.owed_cents
        due = f", te betalen {format_euro(owed)} euro" if owed is not None else ""
        click.echo(
            f"Afrekening van {producer.name}: {count} product(en){due}. Geschreven naar {out}."
        )


@export_group.command(name="stock-valuation")
@instance_option
@click.option(
    "--per-category", is_flag=True, help="Eén rij per categorie in plaats van per product."
)
@out_option
@pass_context
def export_stock_valuation_command(
    context: Context, per_category: bool, out: Path, file_format: str | None, plain: bool
) -> None:
    """Schrijf de voorraadwaarde (aankoop, verkoop, marge) naar CSV of XLSX."""
    chosen = spreadsheet_format(file_format, out)
    per = "category" if per_category else "product"
    with context.transaction():
        valuation = get_stock_valuation()
        count = written(
            out,
            lambda: export_stock_valuation(
                valuation,
                out,
                chosen,
                per=per,
                style=PLAIN_CSV if plain else BELGIAN_CSV,
            ),
        )
        record_export(VALUATION_EXPORT_NAMES[per], file_format=chosen, where=str(out))
    click.echo(f"Voorraadwaarde: {count} rij(en) geschreven naar {out}.")


def day_option_value(text: str) -> date:
    """Read a business day: jjjj-mm-dd, `today` or `yesterday` (Brussels)."""
    today = business_day(utcnow())
    named = {"today": today, "vandaag": today, "yesterday": today - timedelta(days=1)}
    named["gisteren"] = named["yesterday"]
    day = named.get(text.strip().lower()) or parse_day(text)
    if day is None:
        raise click.ClickException(f"{text} is geen geldige datum. Schrijf jjjj-mm-dd.")
    return day


def period_options(command: F) -> F:
    """Add --from and --to (business days, both included)."""
    command = click.option("--to", "last_text", required=True, help="Laatste dag, jjjj-mm-dd.")(
        command
    )
    return click.option("--from", "first_text", required=True, help="Eerste dag, jjjj-mm-dd.")(
        command
    )


def write_period_export(
    context: Context,
    make: Callable[[date, date], Export],
    texts: tuple[str, str],
    out: Path,
    file_format: str | None,
    plain: bool,
) -> None:
    """Write an export of a run of business days to a file, and say how many rows."""
    chosen = spreadsheet_format(file_format, out)
    first, last = (day_option_value(text) for text in texts)
    if first > last:
        raise click.ClickException("De begindatum (--from) ligt na de einddatum (--to).")
    with context.transaction():
        export = make(first, last)
        try:
            count = written(
                out,
                lambda: write_export(export, out, chosen, PLAIN_CSV if plain else BELGIAN_CSV),
            )
        except ExportRefused as refusal:
            raise click.ClickException(refusal.message) from refusal
        record_export(export.name, first, last, file_format=chosen, where=str(out))
    click.echo(f"{count} rij(en) geschreven naar {out}.")


def period_export_command(name: str, make: Callable[[date, date], Export], help_text: str) -> Any:
    """Make `pluskassa export NAME --from --to --out`: an export of a run of business days."""

    @export_group.command(name=name, help=help_text)
    @instance_option
    @period_options
    @out_option
    @pass_context
    def command(
        context: Context,
        first_text: str,
        last_text: str,
        out: Path,
        file_format: str | None,
        plain: bool,
    ) -> None:
        write_period_export(context, make, (first_text, last_text), out, file_format, plain)

    return command


export_sales_command = period_export_command(
    "sales", sale_lines_export, "Schrijf de verkopen, één rij per verkochte lijn, naar CSV of XLSX."
)
export_journal_command = period_export_command(
    "journal",
    journal_export,
    "Schrijf het journaal voor de boekhouder (ontvangsten, omzet en btw per dag).",
)


@export_group.command(name="day")
@instance_option
@click.option("--date", "day_text", required=True, help="jjjj-mm-dd, today of yesterday.")
@click.option(
    "--out",
    required=True,
    type=click.Path(path_type=Path),
    help="Bestand .csv of .xlsx, of een map: dan één bestand per dag (voor cron).",
)
@click.option("--format", "file_format", default=None, help="csv of xlsx (standaard: --out).")
@click.option("--plain", is_flag=True, help="CSV met ',' en '.' in plaats van ';' en ','.")
@pass_context
def export_day_command(
    context: Context, day_text: str, out: Path, file_format: str | None, plain: bool
) -> None:
    """Schrijf het dagontvangstenboek van een dag (per kassa en btw-tarief)."""
    day = day_option_value(day_text)
    if not out.is_dir():
        texts = (day_text, day_text)
        write_period_export(context, day_book_export, texts, out, file_format, plain)
        return
    chosen = (file_format or "csv").lower()
    if chosen not in ("csv", "xlsx"):
        raise click.ClickException("Kies --format csv of --format xlsx.")
    with context.transaction():
        try:
            path, what = export_day_to_folder(day, out, chosen, PLAIN_CSV if plain else BELGIAN_CSV)
        except ExportRefused as refusal:
            raise click.ClickException(refusal.message) from refusal
        record_export(DAY_BOOK, day, day, file_format=chosen, where=str(path))
    messages = {
        "written": "geschreven",
        "unchanged": "ongewijzigd (dezelfde cijfers)",
        "rewritten": "opnieuw geschreven (de dag is nog niet afgesloten)",
    }
    click.echo(f"{path}: {messages[what]}.")


import kiosk.cli.backup  # noqa: E402, F401  (adds `backup` and `restore` to main)


def run() -> None:
    """Run the pluskassa command line."""
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    main()


if __name__ == "__main__":
    run()
