"""Products in and out of spreadsheets: CSV (UTF-8 with BOM, `;`) and XLSX, one layout for both.

Import checks the whole file first and lists every error by row (the header is row 1) and
column, in Dutch; it writes nothing unless every row is valid. Export writes the same layout,
so exporting and importing again changes nothing.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy import select

from kiosk.catalog.audit_entries import product_fields, record_product_added, record_product_change
from kiosk.catalog.pictograms import pictogram_exists
from kiosk.catalog.product_changes import ProductChange, product_change
from kiosk.catalog.vat_classes import read_vat_class, vat_class_choices_text
from kiosk.decimal_text import milli_text, unit_word
from kiosk.exports.spreadsheets import Column, Kind, unguarded, write_spreadsheet
from kiosk.extensions import db
from kiosk.identifiers import ean13_problem
from kiosk.models import Category, PointOfSale, Producer, Product
from kiosk.models.types import PREPARATIONS, Unit

COLUMNS = [
    "naam",
    "categorie",
    "producent",
    "verkooppunten",
    "prijs",
    "eenheid",
    "btw_klasse",
    "barcode",
    "pictogram",
    "aankoopprijs",
    "voorraad_bijhouden",
    "minimum",
    "actief",
    "bereiding",
]
#: the columns the export writes as numbers: '3,80' in CSV, a number cell in XLSX
NUMBER_KINDS = {
    "prijs": Kind.MONEY_CENTS,
    "aankoopprijs": Kind.MONEY_CENTS,
    "minimum": Kind.QUANTITY_MILLI,
}
FILE_COLUMNS = [Column(name, NUMBER_KINDS.get(name, Kind.TEXT)) for name in COLUMNS]
#: columns a file may leave out: older files (before the bistro) have no `bereiding`
OPTIONAL_COLUMNS = ("bereiding",)
YES, NO = "ja", "nee"
#: the export's name in the audit log, from the CLI and the back office
EXPORT_NAME = "producten"
#: how the audit log says a change came from the products file
VIA_IMPORT = " via het productbestand"
#: a product's preparation as the file writes it, and the words the import reads
PREPARATION_READ = {word: key for key, word in PREPARATIONS.items()}
PREPARATION_READ.update({key: key for key in PREPARATIONS})


@dataclass
class ImportReport:
    """What an import found: errors by row and column, and what it would add or change."""

    errors: list[tuple[int, str, str]] = field(default_factory=list)
    added: int = 0
    #: every product the file changes, with its changes field by field
    changes: list[ProductChange] = field(default_factory=list)

    @property
    def changed(self) -> int:
        """Return how many products the file changes."""
        return len(self.changes)

    def error(self, row: int, column: str, message: str) -> None:
        """Note an error in a cell."""
        self.errors.append((row, column, message))


def cents(text: str) -> int:
    """Read a euro amount written '3,80' or '3.80' as exact cents."""
    value = Decimal(text.strip().replace("€", "").replace(" ", "").replace(",", "."))
    if value != value.quantize(Decimal("0.01")) or value < 0:
        raise InvalidOperation
    return int(value * 100)


def euro_text(amount_cents: int | None) -> str:
    """Write cents as '3,80' (Belgian spreadsheets)."""
    if amount_cents is None:
        return ""
    return f"{amount_cents // 100},{amount_cents % 100:02d}"


def quantity_text(milli: int | None) -> str:
    """Write thousandths as a decimal with a comma, without needless zeros."""
    return milli_text(milli)


#: a tab, newline, bell, escape…: no field of a product holds one
CONTROL_CHARACTER = re.compile("[\x00-\x1f\x7f]")
#: a products file holds at most this many rows (a shop has hundreds of products, not millions)
MAX_ROWS = 20_000
#: an XLSX is a zip: refuse one that unpacks to more than this before reading it (a zip bomb)
MAX_UNPACKED_BYTES = 64 * 1024 * 1024


class FileTooLarge(ValueError):
    """The file holds far more than a products file can: refused before it fills the memory."""


def check_unpacked_size(path: Path) -> None:
    """Refuse an XLSX whose parts unpack to more than MAX_UNPACKED_BYTES."""
    with zipfile.ZipFile(path) as archive:
        unpacked = sum(part.file_size for part in archive.infolist())
    if unpacked > MAX_UNPACKED_BYTES:
        raise FileTooLarge("Het bestand is uitgepakt te groot voor een productenlijst.")


def read_rows(path: Path) -> list[dict[str, str]]:
    """Read a CSV or XLSX file as rows of text keyed by the header."""
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        check_unpacked_size(path)
        workbook = load_workbook(path, read_only=True, data_only=True)
        try:
            rows = workbook.active.iter_rows(values_only=True)
            values: list[list[str]] = []
            for row in rows:
                if len(values) > MAX_ROWS:
                    raise FileTooLarge(f"Het bestand heeft meer dan {MAX_ROWS} rijen.")
                values.append([cell_text(cell) for cell in row])
        finally:
            workbook.close()  # read-only workbooks keep the file open until closed
    else:
        text = path.read_bytes().decode("utf-8-sig")
        dialect = (
            ";" if text.split("\n", 1)[0].count(";") >= text.split("\n", 1)[0].count(",") else ","
        )
        values = list(csv.reader(io.StringIO(text), delimiter=dialect))
    if not values:
        return []
    header = [name.strip().lower() for name in values[0]]
    # a short row (a CSV line without its last empty cells) has those cells empty
    return [
        dict(zip(header, [*row, *[""] * (len(header) - len(row))], strict=False))
        for row in values[1:]
    ]


def cell_text(value: Any) -> str:
    """Turn a spreadsheet cell into the text the import reads."""
    if value is None:
        return ""
    if isinstance(value, float | int) and not isinstance(value, bool):
        return format(Decimal(str(value)).normalize(), "f").replace(".", ",")
    return str(value)


def import_products(path: Path, *, dry_run: bool = False) -> ImportReport:
    """Check every row; when all are valid (and not a dry run) add or update the products."""
    report = ImportReport()
    try:
        rows = read_rows(path)
    except FileTooLarge as error:
        report.error(1, "bestand", str(error))
        return report
    missing = [
        name for name in COLUMNS if rows and name not in rows[0] and name not in OPTIONAL_COLUMNS
    ]
    for name in missing:
        report.error(1, name, "Deze kolom ontbreekt.")
    if missing or not rows:
        if not rows:
            report.error(1, "naam", "Het bestand heeft geen producten.")
        return report
    context = ImportContext(has_preparation="bereiding" in rows[0])
    planned = [context.check(number, row, report) for number, row in enumerate(rows, start=2)]
    if report.errors:
        db.session.rollback()
        return report
    for values in planned:
        if values is not None:
            context.apply(values, report)
    db.session.flush()
    if dry_run:
        db.session.rollback()
    return report


def control_character_message(character: str) -> str:
    """Say in Dutch which invisible character a cell holds (a cell can show none of them)."""
    return f"Deze cel bevat een onzichtbaar stuurteken (U+{ord(character):04X}); haal het weg."


class ImportContext:
    """Look-ups shared by every row: points of sale, producers, categories and products."""

    def __init__(self, *, has_preparation: bool = True) -> None:
        self.has_preparation = has_preparation
        self.points_of_sale = {p.code: p for p in db.session.scalars(select(PointOfSale))}
        self.producers = {p.name.lower(): p for p in db.session.scalars(select(Producer))}
        self.categories = {c.name.lower(): c for c in db.session.scalars(select(Category))}
        self.products = {p.name.lower(): p for p in db.session.scalars(select(Product))}
        self.names_seen: set[str] = set()
        self.barcodes_seen: dict[str, str] = {
            p.barcode: p.name.lower() for p in self.products.values() if p.barcode
        }

    def check(
        self, row_number: int, row: dict[str, str], report: ImportReport
    ) -> dict[str, Any] | None:
        """Check one row; return the values to store, or None when it has errors."""
        before = len(report.errors)
        text = {name: unguarded((row.get(name) or "").strip()) for name in COLUMNS}
        for column, value in text.items():
            found = CONTROL_CHARACTER.search(value)
            if found:
                report.error(row_number, column, control_character_message(found.group()))
        values: dict[str, Any] = {"name": self.check_name(row_number, text, report)}
        values.update(self.check_links(row_number, text, report))
        values.update(self.check_prices(row_number, text, report))
        values.update(self.check_kind(row_number, text, report))
        values.update(self.check_codes(row_number, text, report))
        values["stock_tracked"] = self.yes_no(row_number, "voorraad_bijhouden", text, report)
        values["active"] = self.yes_no(row_number, "actief", text, report)
        values.update(self.check_stock_and_preparation(row_number, text, report))
        return values if len(report.errors) == before else None

    def check_name(self, row_number: int, text: dict[str, str], report: ImportReport) -> str:
        """Check the name: present, not too long, once in the file; return it."""
        name = text["naam"]
        if not name or len(name) > 80:
            report.error(row_number, "naam", "Geef een naam van 1 tot 80 tekens.")
        elif name.lower() in self.names_seen:
            report.error(row_number, "naam", f"{name} staat twee keer in het bestand.")
        self.names_seen.add(name.lower())
        return name

    def check_links(
        self, row_number: int, text: dict[str, str], report: ImportReport
    ) -> dict[str, Any]:
        """Check the points of sale and the producer; return them and the category's name."""
        values: dict[str, Any] = {"points_of_sale": []}
        for code in filter(None, (c.strip().upper() for c in text["verkooppunten"].split("|"))):
            if code not in self.points_of_sale:
                report.error(row_number, "verkooppunten", f"Verkooppunt {code} bestaat niet.")
            else:
                values["points_of_sale"].append(self.points_of_sale[code])
        if not text["verkooppunten"]:
            report.error(row_number, "verkooppunten", "Geef minstens één verkooppunt, bv. HW.")
        values["producer"] = None
        if text["producent"]:
            values["producer"] = self.producers.get(text["producent"].lower())
            if values["producer"] is None:
                report.error(
                    row_number, "producent", f"Producent {text['producent']} is niet gekend."
                )
        values["category"] = text["categorie"] or None
        return values

    def check_prices(
        self, row_number: int, text: dict[str, str], report: ImportReport
    ) -> dict[str, Any]:
        """Check the price (required) and the purchase price; return them in cents."""
        values: dict[str, Any] = {}
        for column, key, required in (
            ("prijs", "price_cents", True),
            ("aankoopprijs", "purchase_price_cents", False),
        ):
            if not text[column]:
                values[key] = None
                if required:
                    report.error(row_number, column, "Geef een prijs, bv. 3,80.")
                continue
            try:
                values[key] = cents(text[column])
            except InvalidOperation:
                report.error(row_number, column, f"{text[column]} is geen bedrag (bv. 3,80).")
        return values

    def check_kind(
        self, row_number: int, text: dict[str, str], report: ImportReport
    ) -> dict[str, Any]:
        """Check the unit and the VAT class; return them."""
        values: dict[str, Any] = {}
        values["unit"] = {"stuk": Unit.PIECE, "piece": Unit.PIECE, "kg": Unit.KG}.get(
            text["eenheid"].lower()
        )
        if values["unit"] is None:
            report.error(row_number, "eenheid", "Kies stuk of kg.")
        values["vat_class"] = read_vat_class(text["btw_klasse"])
        if values["vat_class"] is None:
            report.error(
                row_number,
                "btw_klasse",
                f"{text['btw_klasse'] or 'Een lege cel'} is geen btw-klasse: schrijf "
                f"{vat_class_choices_text()} (of food, takeaway_meal, soft_drink, alcohol, "
                "non_food).",
            )
        return values

    def check_codes(
        self, row_number: int, text: dict[str, str], report: ImportReport
    ) -> dict[str, Any]:
        """Check the barcode (valid, not another product's); return it and the pictogram."""
        name = text["naam"]
        barcode = text["barcode"]
        problem = ean13_problem(barcode) if barcode else None
        if problem is not None:
            report.error(row_number, "barcode", str(problem))
        elif barcode and self.barcodes_seen.get(barcode, name.lower()) != name.lower():
            report.error(
                row_number, "barcode", f"Barcode {barcode} hoort al bij een ander product."
            )
        if barcode:
            self.barcodes_seen[barcode] = name.lower()
        pictogram = text["pictogram"].upper()
        if pictogram and not pictogram_exists(pictogram):
            report.error(
                row_number,
                "pictogram",
                f"Pictogram {pictogram} bestaat niet in OpenMoji: zoek de code op in de "
                "pictogramzoeker van de productfiche (bv. 1F35E voor brood).",
            )
        return {"barcode": barcode or None, "pictogram": pictogram or None}

    def check_stock_and_preparation(
        self, row_number: int, text: dict[str, str], report: ImportReport
    ) -> dict[str, Any]:
        """Check the minimum stock and, when the file has the column, the preparation."""
        values: dict[str, Any] = {"minimum_stock_milli": None}
        if text["minimum"]:
            try:
                values["minimum_stock_milli"] = int(
                    Decimal(text["minimum"].replace(",", ".")) * 1000
                )
            except InvalidOperation:
                report.error(row_number, "minimum", f"{text['minimum']} is geen getal.")
        if self.has_preparation:  # without the column, a product keeps its preparation
            word = text["bereiding"].lower()
            values["preparation"] = PREPARATION_READ.get(word)
            if word and values["preparation"] is None:
                report.error(row_number, "bereiding", "Schrijf keuken, bar of laat leeg.")
        return values

    def yes_no(
        self, row_number: int, column: str, text: dict[str, str], report: ImportReport
    ) -> bool:
        """Read ja/nee."""
        value = text[column].lower() or YES
        if value not in (YES, NO):
            report.error(row_number, column, "Schrijf ja of nee.")
        return value == YES

    def apply(self, values: dict[str, Any], report: ImportReport) -> None:
        """Add or update one checked product."""
        category_name = values.pop("category")
        if category_name:
            category = self.categories.get(category_name.lower())
            if category is None:
                category = self.categories[category_name.lower()] = Category(name=category_name)
                db.session.add(category)
            values["category"] = category
        else:
            values["category"] = None
        product = self.products.get(values["name"].lower())
        if product is None:
            product = Product(**values)
            db.session.add(product)
            db.session.flush()
            record_product_added(product, via=VIA_IMPORT)
            report.added += 1
            return
        change = product_change(product, values)
        before = product_fields(product)
        for key, value in values.items():
            setattr(product, key, value)
        if change is not None:
            record_product_change(product, before, via=VIA_IMPORT)
            report.changes.append(change)


def product_rows() -> Iterator[list[Any]]:
    """Yield every product as a row of the import layout."""
    for product in db.session.scalars(select(Product).order_by(Product.name)):
        yield [
            product.name,
            product.category.name if product.category else "",
            product.producer.name if product.producer else "",
            "|".join(sorted(pos.code for pos in product.points_of_sale)),
            product.price_cents,
            unit_word(product.unit),
            product.vat_class,
            product.barcode or "",
            product.pictogram or "",
            product.purchase_price_cents,
            YES if product.stock_tracked else NO,
            product.minimum_stock_milli,
            YES if product.active else NO,
            PREPARATIONS.get(product.preparation or "", ""),
        ]


def export_products(path: Path) -> int:
    """Write every product to a CSV or XLSX file in the import layout; return how many."""
    file_format = "xlsx" if path.suffix.lower() == ".xlsx" else "csv"
    # the file is read back by the import: a totals row would be a product there
    return write_spreadsheet(
        path,
        FILE_COLUMNS,
        product_rows(),
        file_format=file_format,
        sheet_title="Producten",
        totals=False,
    )
