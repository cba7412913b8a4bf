"""Stock valuation at purchase price, and margin per product and category."""

from __future__ import annotations

from decimal import Decimal

from flask import render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l

from admin.blueprint import bp, manager_required
from admin.downloads import file_stem, spreadsheet_download
from kiosk.decimal_text import local_quantity_text
from kiosk.exports.jobs import record_export
from kiosk.extensions import db
from kiosk.stock.valuation import (
    NEGATIVE_STOCK,
    NO_PURCHASE_PRICE,
    NO_VAT_RATE,
    VALUATION_EXPORT_NAMES,
    get_stock_valuation,
    valuation_table,
)

FLAG_LABELS = {
    NO_PURCHASE_PRICE: _l("geen aankoopprijs"),
    NEGATIVE_STOCK: _l("negatieve voorraad"),
    NO_VAT_RATE: _l("geen btw-tarief"),
}


def percent_text(percent: Decimal | None) -> str:
    """Write a percentage in the reader's language, or a dash when there is none."""
    return "–" if percent is None else f"{format_decimal(percent, format='#,##0.0')} %"


@bp.get("/valuation")
@manager_required
def valuation_show() -> ResponseReturnValue:
    """Show the stock's value per product and per category, with the margin."""
    return render_template(
        "admin/valuation.html",
        valuation=get_stock_valuation(),
        flag_labels=FLAG_LABELS,
        quantity=local_quantity_text,
        percent=percent_text,
    )


@bp.get("/valuation/<any(products, categories):table>.<any(csv, xlsx):file_format>")
@manager_required
def valuation_export(table: str, file_format: str) -> ResponseReturnValue:
    """Download the valuation per product or per category as CSV (?plain=1) or XLSX."""
    per = "category" if table == "categories" else "product"
    record_export(VALUATION_EXPORT_NAMES[per], file_format=file_format)
    db.session.commit()  # before reading: the rows are written out after this
    valuation = get_stock_valuation()
    columns, rows, title = valuation_table(valuation, per)
    return spreadsheet_download(
        columns,
        rows,
        file_format,
        file_stem("voorraadwaarde", table, valuation.day.isoformat()),
        plain=request.args.get("plain") == "1",
        sheet_title=title,
    )
