"""`pluskassa import products` and `pluskassa export …`: the products file and the exports."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import click

from kiosk.catalog.product_file import EXPORT_NAME as PRODUCTS_EXPORT
from kiosk.catalog.product_file import export_products, import_products
from kiosk.cli.base import Context, F, instance_option, pass_context
from kiosk.errors import OperationError
from kiosk.exports.accounting import (
    DAY_BOOK,
    Export,
    day_book_export,
    sale_lines_export,
)
from kiosk.exports.files import ExportRefused, export_day_to_folder, write_export
from kiosk.exports.jobs import record_export
from kiosk.exports.journal import journal_export
from kiosk.exports.spreadsheets import BELGIAN_CSV, PLAIN_CSV
from kiosk.models.types import utcnow
from kiosk.money import format_euro
from kiosk.organisation.places import point_of_sale_by_code
from kiosk.periods import business_day, parse_day
from kiosk.reports.product_sales import ProductFilter, product_sales_export
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


@click.group(name="import")
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
        for change in report.changes:
            click.echo(f"  {change}")


@click.group(name="export")
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


@export_group.command(name="product-sales")
@instance_option
@period_options
@click.option("--point-of-sale", "point_code", default=None, help="Code van het verkooppunt.")
@out_option
@pass_context
def export_product_sales_command(
    context: Context,
    first_text: str,
    last_text: str,
    point_code: str | None,
    out: Path,
    file_format: str | None,
    plain: bool,
) -> None:
    """Schrijf de verkopen per product (aantal, omzet, btw, marge) naar CSV of XLSX."""

    def make(first: date, last: date) -> Export:
        if point_code is None:
            return product_sales_export(ProductFilter(first, last))
        try:
            point = point_of_sale_by_code(point_code)
        except OperationError as refusal:
            raise click.ClickException(str(refusal.message)) from refusal
        return product_sales_export(ProductFilter(first, last, point.id), point.code)

    write_period_export(context, make, (first_text, last_text), out, file_format, plain)


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
