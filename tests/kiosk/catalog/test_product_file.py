"""Products to and from CSV and XLSX: every error by row and column, all or nothing, round trips."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from kiosk.catalog.product_file import COLUMNS, export_products, import_products
from kiosk.demo.loader import load_demo
from kiosk.extensions import db
from kiosk.models import Product
from tests.conftest import Shop

HEADER = ";".join(COLUMNS)


def write(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "producten.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8-sig")
    return path


def count() -> int:
    return db.session.scalars(select(func.count(Product.id))).one()


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_then_import_changes_nothing(
    app: Flask, ctx: None, tmp_path: Path, suffix: str
) -> None:
    load_demo(app.config["SECRET_KEY"])
    db.session.commit()
    before = {
        p.name: (p.price_cents, p.unit, p.vat_class, p.barcode, p.active, p.preparation)
        for p in db.session.scalars(select(Product))
    }
    assert {value[-1] for value in before.values()} == {"kitchen", "bar", None}
    path = tmp_path / f"producten{suffix}"
    assert export_products(path) == len(before)
    report = import_products(path)
    assert report.errors == []
    assert (report.added, report.changed) == (0, 0)
    after = {
        p.name: (p.price_cents, p.unit, p.vat_class, p.barcode, p.active, p.preparation)
        for p in db.session.scalars(select(Product))
    }
    assert after == before
    assert path.read_bytes()[:3] == b"\xef\xbb\xbf" if suffix == ".csv" else True


def test_every_error_is_listed_by_row_and_column_and_nothing_is_written(
    ctx: None, shop: Shop, tmp_path: Path
) -> None:
    shop.point_of_sale("HW")
    path = write(
        tmp_path,
        "Brood;Brood;;HW;3,80;stuk;food;5412718100371;1F35E;2,50;ja;4;ja",
        "Kaas;Kaas;;ZZ;abc;liter;wijn;5412718100372;;;misschien;;ja",
        "Brood;Brood;;HW;3,80;stuk;food;;;;ja;;ja",
        ";Brood;Onbekende boer;HW;;stuk;food;;;;ja;;ja",
    )
    report = import_products(path)
    assert report.errors == [
        (3, "verkooppunten", "Verkooppunt ZZ bestaat niet."),
        (3, "prijs", "abc is geen bedrag (bv. 3,80)."),
        (3, "eenheid", "Kies stuk of kg."),
        (
            3,
            "btw_klasse",
            "wijn is geen btw-klasse: schrijf voeding, afhaalmaaltijd, frisdrank, alcohol, "
            "geen voeding (of food, takeaway_meal, soft_drink, alcohol, non_food).",
        ),
        (
            3,
            "barcode",
            "Het controlecijfer van 5412718100372 klopt niet: het laatste cijfer moet 1 zijn, "
            "niet 2.",
        ),
        (3, "voorraad_bijhouden", "Schrijf ja of nee."),
        (4, "naam", "Brood staat twee keer in het bestand."),
        (5, "naam", "Geef een naam van 1 tot 80 tekens."),
        (5, "producent", "Producent Onbekende boer is niet gekend."),
        (5, "prijs", "Geef een prijs, bv. 3,80."),
    ]
    assert count() == 0


def test_missing_columns_and_dry_run(ctx: None, shop: Shop, tmp_path: Path) -> None:
    shop.point_of_sale("HW")
    bad = tmp_path / "kort.csv"
    bad.write_text("naam;prijs\nBrood;3,80\n", encoding="utf-8")
    report = import_products(bad)
    assert (1, "categorie", "Deze kolom ontbreekt.") in report.errors
    good = write(tmp_path, "Brood;Brood;;HW;3,80;stuk;food;;;;ja;;ja")
    assert import_products(good, dry_run=True).added == 1
    assert count() == 0
    assert import_products(good).added == 1
    db.session.commit()
    assert db.session.scalar(select(Product.price_cents)) == 380


def test_cli_import_and_export(cli: Any, shop: Shop, tmp_path: Path) -> None:
    shop.point_of_sale("HW")
    bad = write(tmp_path, "Brood;Brood;;HW;3,80;stuk;food;1234567890123;;;ja;;ja")
    result = cli("import", "products", str(bad))
    assert result.exit_code == 1
    assert "rij 2, kolom barcode" in result.output
    good = write(tmp_path, "Brood;Brood;;HW;3,80;stuk;food;;;;ja;;ja")
    assert "1 product(en) zou toevoegen" in cli("import", "products", str(good), "--dry-run").output
    assert cli("import", "products", str(good)).exit_code == 0
    out = tmp_path / "uit.xlsx"
    assert cli("export", "products", "--out", str(out)).exit_code == 0
    assert "0 product(en) toegevoegd, 0 gewijzigd" in cli("import", "products", str(out)).output


def test_bereiding_is_read_as_keuken_bar_or_empty(ctx: None, shop: Shop, tmp_path: Path) -> None:
    shop.point_of_sale("BI")
    path = write(
        tmp_path,
        "Soep;Soep;;BI;4,00;stuk;takeaway_meal;;;;nee;;ja;keuken",
        "Koffie;Warm;;BI;2,20;stuk;soft_drink;;;;nee;;ja;Bar",
        "Taart;Soep;;BI;3,80;stuk;food;;;;nee;;ja;kitchen",
        "Water;Sappen;;BI;2,00;stuk;soft_drink;;;;nee;;ja;",
        "Wijn;Bier;;BI;5,50;stuk;alcohol;;;;nee;;ja",
    )
    assert import_products(path).errors == []
    db.session.commit()
    stored = dict(db.session.execute(select(Product.name, Product.preparation)).all())
    assert stored == {
        "Soep": "kitchen",
        "Koffie": "bar",
        "Taart": "kitchen",
        "Water": None,
        "Wijn": None,
    }
    exported = tmp_path / "uit.csv"
    export_products(exported)
    lines = exported.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].endswith(";actief;bereiding")
    assert "Soep;Soep;;BI;4,00;stuk;takeaway_meal;;;;nee;;ja;keuken" in lines
    assert "Koffie;Warm;;BI;2,20;stuk;soft_drink;;;;nee;;ja;bar" in lines
    assert "Water;Sappen;;BI;2,00;stuk;soft_drink;;;;nee;;ja;" in lines


def test_an_unknown_bereiding_is_an_error_of_its_cell(
    ctx: None, shop: Shop, tmp_path: Path
) -> None:
    shop.point_of_sale("BI")
    path = write(tmp_path, "Soep;Soep;;BI;4,00;stuk;takeaway_meal;;;;nee;;ja;oven")
    assert import_products(path).errors == [(2, "bereiding", "Schrijf keuken, bar of laat leeg.")]
    assert count() == 0


def test_a_file_without_bereiding_keeps_each_products_preparation(
    ctx: None, shop: Shop, tmp_path: Path
) -> None:
    shop.point_of_sale("BI")
    soup = db.session.get_one(Product, shop.product("Soep", price_cents=400, point_of_sale="BI"))
    soup.preparation = "kitchen"
    db.session.commit()
    older = tmp_path / "ouder.csv"
    header = ";".join(column for column in COLUMNS if column != "bereiding")
    older.write_text(
        header + "\nSoep;Soep;;BI;4,50;stuk;food;;1F35E;;ja;;ja\n", encoding="utf-8-sig"
    )
    report = import_products(older)
    assert (report.errors, report.changed) == ([], 1)
    db.session.commit()
    db.session.refresh(soup)
    assert (soup.price_cents, soup.preparation) == (450, "kitchen")
