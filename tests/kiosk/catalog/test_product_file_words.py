"""The products file in the shop's words (#16 point 6): Dutch VAT classes, refused pictograms.

EAN errors say what is wrong, and the preview lists every change field by field.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from kiosk.catalog.product_file import import_products
from kiosk.extensions import db
from kiosk.models import Category, Product
from tests.conftest import Shop
from tests.kiosk.catalog.test_product_file import count, write


@pytest.mark.parametrize(
    ("word", "stored"),
    [
        ("voeding", "food"),
        ("Voeding", "food"),
        ("frisdrank", "soft_drink"),
        ("Drank zonder alcohol", "soft_drink"),  # as the product form shows it
        ("afhaalmaaltijd", "takeaway_meal"),
        ("Maaltijd om mee te nemen", "takeaway_meal"),
        ("alcohol", "alcohol"),
        ("geen voeding", "non_food"),
        ("Geen voeding (ambacht, cadeaus)", "non_food"),
        ("food", "food"),  # the English codes keep working
        ("soft_drink", "soft_drink"),
        ("non_food", "non_food"),
    ],
)
def test_a_vat_class_may_be_a_dutch_word_or_its_code(
    ctx: None, shop: Shop, tmp_path: Path, word: str, stored: str
) -> None:
    shop.point_of_sale("HW")
    path = write(tmp_path, f"Appelsap;Sappen;;HW;3,50;stuk;{word};;;;ja;;ja;")
    report = import_products(path)
    assert (report.errors, report.added) == ([], 1)
    db.session.commit()
    assert db.session.scalars(select(Product.vat_class)).one() == stored


def test_an_unknown_vat_word_lists_the_dutch_words(ctx: None, shop: Shop, tmp_path: Path) -> None:
    shop.point_of_sale("HW")
    report = import_products(write(tmp_path, "Wijn;Wijn;;HW;9,50;stuk;drank;;;;ja;;ja;"))
    assert report.errors == [
        (
            2,
            "btw_klasse",
            "drank is geen btw-klasse: schrijf voeding, afhaalmaaltijd, frisdrank, alcohol, "
            "geen voeding (of food, takeaway_meal, soft_drink, alcohol, non_food).",
        )
    ]


def test_an_unknown_pictogram_code_is_refused_and_nothing_is_imported(
    ctx: None, shop: Shop, tmp_path: Path
) -> None:
    shop.point_of_sale("HW")
    path = write(
        tmp_path,
        "Brood;Brood;;HW;3,80;stuk;voeding;;1F35E;;ja;;ja;",
        "Vogelhuisje;Hout;;HW;18,00;stuk;geen voeding;;1F9999;;ja;;ja;",
    )
    report = import_products(path)
    assert report.errors == [
        (
            3,
            "pictogram",
            "Pictogram 1F9999 bestaat niet in OpenMoji: zoek de code op in de pictogramzoeker "
            "van de productfiche (bv. 1F35E voor brood).",
        )
    ]
    assert count() == 0


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("123", "123 heeft 3 cijfers, een EAN-13 heeft er 13."),
        ("54127181003711", "54127181003711 heeft 14 cijfers, een EAN-13 heeft er 13."),
        (
            "541271810037A",
            "541271810037A bevat andere tekens dan cijfers: een EAN-13 heeft alleen cijfers.",
        ),
        (
            "5412718100372",
            "Het controlecijfer van 5412718100372 klopt niet: het laatste cijfer moet 1 zijn, "
            "niet 2.",
        ),
    ],
)
def test_an_ean_error_says_what_is_wrong(
    ctx: None, shop: Shop, tmp_path: Path, code: str, message: str
) -> None:
    shop.point_of_sale("HW")
    report = import_products(write(tmp_path, f"Brood;Brood;;HW;3,80;stuk;voeding;{code};;;ja;;ja;"))
    assert report.errors == [(2, "barcode", message)]
    assert count() == 0


def test_the_preview_lists_every_change_field_by_field(
    ctx: None, shop: Shop, tmp_path: Path
) -> None:
    shop.point_of_sale("HW")
    shop.product("Boerenbrood", price_cents=380, category="Brood")
    shop.product("Eieren (6)", price_cents=295, category="Eieren")
    path = write(
        tmp_path,
        "Boerenbrood;Bakkerij;;HW;3,95;stuk;voeding;;1F35E;;ja;;ja;",
        "Eieren (6);Eieren;;HW;2,95;stuk;voeding;;1F35E;;ja;;ja;",
        "Spelt-desem;Bakkerij;;HW;4,60;stuk;voeding;;1F35E;;ja;;ja;",
    )
    report = import_products(path, dry_run=True)
    assert (report.errors, report.added, report.changed) == ([], 1, 1)
    assert [str(change) for change in report.changes] == [
        "Boerenbrood: prijs 3,80 € → 3,95 €; categorie Brood → Bakkerij"
    ]
    # a dry run saves nothing
    assert (
        db.session.scalars(select(Product.price_cents).where(Product.name == "Boerenbrood")).one()
        == 380
    )
    assert db.session.scalar(select(Category).where(Category.name == "Bakkerij")) is None


def test_the_preview_words_each_kind_of_field(ctx: None, shop: Shop, tmp_path: Path) -> None:
    shop.point_of_sale("HW")
    shop.point_of_sale("BI")
    shop.product("Appelsap", price_cents=350, category="Sappen")
    path = write(tmp_path, "Appelsap;Sappen;;HW|BI;3,50;stuk;frisdrank;;1F9C3;2,20;nee;6;nee;bar")
    report = import_products(path, dry_run=True)
    assert report.errors == []
    assert [str(change) for change in report.changes] == [
        "Appelsap: verkooppunten HW → BI, HW; btw-klasse Voeding → Drank zonder alcohol; "
        "pictogram 1F35E → 1F9C3; aankoopprijs — → 2,20 €; voorraad bijhouden ja → nee; "
        "minimum — → 6; actief ja → nee; bereiding — → bar"
    ]
