"""`pluskassa export product-sales`: sales per product to CSV or XLSX, by the file's extension."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from openpyxl import load_workbook

from kiosk.reports.day_figures import SalesScope, get_figures
from tests.conftest import Shop
from tests.kiosk.reports.rounding_support import farm_sale, rounding_world, split_tab

NOON = datetime(2026, 6, 10, 10, 0, tzinfo=UTC)
PERIOD = ("--from", "2026-06-01", "--to", "2026-06-30")


@pytest.fixture
def w(app: Flask, shop: Shop) -> dict[str, Any]:
    """Farm-shop sales by weight and piece and a bistro tab paid in two parts, in June."""
    w = rounding_world(app, shop)
    with app.app_context():
        farm_sale(w, [("cheese", "0.750"), ("eggs", "6"), ("wine", "1")], "card", NOON)
        split_tab(w, [("pasta", "1")], 2, NOON)
    return w


def test_product_sales_to_csv_with_totals_equal_to_the_turnover(
    app: Flask, cli: Any, w: dict[str, Any], tmp_path: Path
) -> None:
    out = tmp_path / "producten.csv"
    result = cli("export", "product-sales", *PERIOD, "--out", str(out))
    assert result.exit_code == 0, result.output
    lines = out.read_text("utf-8-sig").splitlines()
    assert lines[0] == (
        "van;tot_en_met;verkooppunt;product_id;product;categorie;producent;eenheid;hoeveelheid;"
        "omzet_incl_btw;btw;omzet_excl_btw;aankoopwaarde;marge;marge_pct"
    )
    rows = {line.split(";")[4]: line.split(";") for line in lines[1:]}
    assert rows["Kaas"][7:9] == ["kg", "0,75"]
    assert rows["Pasta"][7:10] == ["stuk", "1", "14,50"]
    with app.app_context():
        figures = get_figures(SalesScope(date(2026, 6, 1), date(2026, 6, 30)))

    def cents(column: int) -> int:
        return sum(int(row[column].replace(",", "")) for row in rows.values())

    assert (cents(9), cents(10), cents(11)) == (
        figures.turnover_cents,
        figures.vat_cents,
        figures.base_cents,
    )


def test_product_sales_of_one_point_of_sale_to_xlsx(
    cli: Any, w: dict[str, Any], tmp_path: Path
) -> None:
    out = tmp_path / "bistro.xlsx"
    result = cli("export", "product-sales", *PERIOD, "--point-of-sale", "bi", "--out", str(out))
    assert result.exit_code == 0, result.output
    sheet = load_workbook(out).active
    assert [cell.value for cell in sheet[2]][2:5] == ["BI", w["pasta"], "Pasta"]
    assert sheet.max_row == 3  # one product, then the XLSX's totals row
    totals = [cell.value for cell in sheet[3]]
    assert totals[0] == "TOTAAL"
    assert totals[9] == sheet.cell(2, 10).value  # turnover incl. VAT of the one product


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--point-of-sale", "XX"), "Verkooppunt XX bestaat niet."),
        (("--from", "2026-02-30"), "2026-02-30 is geen geldige datum."),
    ],
)
def test_bad_filters_get_a_dutch_message(
    cli: Any, w: dict[str, Any], tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    out = tmp_path / "producten.csv"
    result = cli("export", "product-sales", *PERIOD, *args, "--out", str(out))
    assert result.exit_code != 0
    assert message in result.output
    assert not out.exists()
