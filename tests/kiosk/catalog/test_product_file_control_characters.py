"""The products file refuses an invisible control character in any cell, by row and column."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from kiosk.catalog.product_file import COLUMNS, import_products
from kiosk.extensions import db
from kiosk.models import Product
from tests.conftest import Shop

GOOD = "Brood;Brood;;HW;3,80;stuk;food;;;;ja;;ja"


def products_csv(tmp_path: Path, *rows: str) -> Path:
    """Write a products CSV as a Belgian spreadsheet does; return its path."""
    path = tmp_path / "producten.csv"
    path.write_text("\n".join([";".join(COLUMNS), *rows]) + "\n", encoding="utf-8-sig")
    return path


@pytest.mark.usefixtures("ctx")
@pytest.mark.parametrize(
    ("row", "column", "code"),
    [
        ("Kaas\x07;Kaas;;HW;3,80;stuk;food;;;;ja;;ja", "naam", "U+0007"),
        ("Kaas\x00;Kaas;;HW;3,80;stuk;food;;;;ja;;ja", "naam", "U+0000"),
        ("Kaas;Kaas;Hoeve\x1b;HW;3,80;stuk;food;;;;ja;;ja", "producent", "U+001B"),
        ("Kaas;Kaas;;HW;3,80;stuk;food;;1F9\x0bC0;;ja;;ja", "pictogram", "U+000B"),
        ('"Kaas\tjong";Kaas;;HW;3,80;stuk;food;;;;ja;;ja', "naam", "U+0009"),
    ],
)
def test_a_control_character_is_an_error_of_its_cell_and_nothing_is_added(
    shop: Shop, tmp_path: Path, row: str, column: str, code: str
) -> None:
    shop.point_of_sale("HW")
    report = import_products(products_csv(tmp_path, GOOD, row))
    message = f"Deze cel bevat een onzichtbaar stuurteken ({code}); haal het weg."
    assert (3, column, message) in report.errors
    assert db.session.scalar(select(func.count(Product.id))) == 0


def test_the_cli_import_names_the_row_and_column(cli: Any, shop: Shop, tmp_path: Path) -> None:
    shop.point_of_sale("HW")
    result = cli(
        "import",
        "products",
        str(products_csv(tmp_path, "Kaas\x07;Kaas;;HW;3,80;stuk;food;;;;ja;;ja")),
    )
    assert result.exit_code == 1
    assert "rij 2, kolom naam" in result.output and "U+0007" in result.output
