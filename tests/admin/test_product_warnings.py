"""The product form helps (#16 point 5): unusual prices need "Toch opslaan".

The chosen pictogram survives a failed save, and a pre-packed product keeps its net quantity.
"""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from kiosk.extensions import db
from kiosk.models import Product
from tests.admin.catalog_forms import existing_product, product_fields, stored_product, submit
from tests.admin.test_audit import category_id, entries

NEW = "/admin/products/new"
ZERO_WARNING = "De prijs is 0,00 €: het product wordt gratis meegegeven. Is dat de bedoeling?"
CONFIRM_BUTTON = '<button type="submit" name="confirm_price" value="y">Toch opslaan</button>'


def edit_url(product_id: int) -> str:
    """Return a product's edit page."""
    return f"/admin/products/{product_id}"


def test_a_price_of_zero_is_saved_only_with_toch_opslaan(
    app: Flask, staff: FlaskClient, farm_shop: dict[str, Any]
) -> None:
    held = submit(staff, NEW, product_fields(app, price="0,00"))
    assert held.status_code == 200
    assert ZERO_WARNING in held.text and CONFIRM_BUTTON in held.text
    assert 'value="0,00"' in held.text  # what was typed stays
    assert stored_product(app, "Spelt-desem") is None
    saved = submit(staff, NEW, product_fields(app, price="0,00", confirm_price="y"))
    assert saved.status_code == 302
    assert existing_product(app, "Spelt-desem").price_cents == 0


def test_more_than_three_times_the_price_is_saved_only_with_toch_opslaan(
    app: Flask, staff: FlaskClient, farm_shop: dict[str, Any]
) -> None:
    url = edit_url(farm_shop["bread"])  # Boerenbrood, € 3,80
    held = submit(staff, url, product_fields(app, "Boerenbrood", price="38,00", version="1"))
    assert held.status_code == 200
    assert (
        "De prijs gaat van 3,80 € naar 38,00 €, meer dan drie keer zoveel. "
        "Staat de komma juist?" in held.text
    )
    assert CONFIRM_BUTTON in held.text
    assert existing_product(app, "Boerenbrood").price_cents == 380
    fields = product_fields(app, "Boerenbrood", price="38,00", version="1", confirm_price="y")
    assert submit(staff, url, fields).status_code == 302
    assert existing_product(app, "Boerenbrood").price_cents == 3800


@pytest.mark.parametrize(("typed", "cents"), [("11,40", 1140), ("4,20", 420), ("0,50", 50)])
def test_up_to_three_times_or_any_lower_price_needs_no_confirmation(
    app: Flask, staff: FlaskClient, farm_shop: dict[str, Any], typed: str, cents: int
) -> None:
    fields = product_fields(app, "Boerenbrood", price=typed, version="1")
    assert submit(staff, edit_url(farm_shop["bread"]), fields).status_code == 302
    assert existing_product(app, "Boerenbrood").price_cents == cents


def test_a_new_product_at_any_price_but_zero_needs_no_confirmation(
    app: Flask, staff: FlaskClient, farm_shop: dict[str, Any]
) -> None:
    assert submit(staff, NEW, product_fields(app, price="999,00")).status_code == 302


def test_an_unusual_price_with_another_error_shows_both_and_saves_nothing(
    app: Flask, staff: FlaskClient, farm_shop: dict[str, Any]
) -> None:
    response = submit(staff, NEW, product_fields(app, price="0", barcode="123"))
    assert response.status_code == 200
    assert "123 heeft 3 cijfers, een EAN-13 heeft er 13." in response.text
    assert stored_product(app, "Spelt-desem") is None


def chosen_pictogram(html: str) -> str | None:
    """Return the pictogram the page shows as chosen."""
    found = re.search(r'name="pictogram" value="([0-9A-F-]*)" checked', html)
    return found.group(1) if found else None


@pytest.mark.parametrize(
    "failure",
    [
        {"price": "abc"},
        {"name": ""},
        {"barcode": "123"},
        {"price": "0"},  # held back for "Toch opslaan"
        {"name": "Boerenbrood"},  # refused by the operation: the name is taken
        {"photo": (io.BytesIO(b"geen foto"), "brood.jpg")},
        {"net_quantity": "350"},  # without its unit
    ],
)
def test_the_chosen_pictogram_survives_a_failed_save(
    app: Flask, staff: FlaskClient, farm_shop: dict[str, Any], failure: dict[str, Any]
) -> None:
    # a basket, chosen from a search: not among the pictures the name "Spelt-desem" finds
    fields = product_fields(app, pictogram="1F9FA", pictogram_query="mand", **failure)
    response = submit(staff, NEW, fields)
    assert response.status_code == 200
    assert chosen_pictogram(response.text) == "1F9FA"
    assert '<img src="/pictograms/1F9FA.svg"' in response.text


def test_the_chosen_pictogram_survives_a_failed_save_of_a_change(
    app: Flask, staff: FlaskClient, farm_shop: dict[str, Any]
) -> None:
    fields = product_fields(app, "Boerenbrood", pictogram="1F9FA", price="abc", version="1")
    response = submit(staff, edit_url(farm_shop["bread"]), fields)
    assert chosen_pictogram(response.text) == "1F9FA"
    with app.app_context():
        assert db.session.get_one(Product, farm_shop["bread"]).pictogram == "1F35E"


def test_a_net_quantity_is_saved_and_shown_again(
    app: Flask, staff: FlaskClient, farm_shop: dict[str, Any]
) -> None:
    fields = product_fields(app, "Confituur", price="4,50", net_quantity="350", net_unit="g")
    assert submit(staff, NEW, fields).status_code == 302
    product = existing_product(app, "Confituur")
    assert (product.net_quantity, product.net_unit) == (350, "g")
    page = staff.get(edit_url(product.id))
    assert 'name="net_quantity" type="text" value="350"' in page.text
    assert '<option selected value="g">g</option>' in page.text


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"net_quantity": "350"}, "Geef de netto-inhoud met zijn eenheid, bv. 350 en g."),
        ({"net_unit": "cl"}, "Geef de netto-inhoud met zijn eenheid, bv. 350 en g."),
        ({"net_quantity": "0", "net_unit": "g"}, "Geef een netto-inhoud van 1 tot 100000."),
        ({"net_quantity": "3,5", "net_unit": "l"}, "Typ een geheel getal, bv. 350."),
        ({"net_quantity": "350", "net_unit": "pond"}, "Ongeldige keuze."),
    ],
)
def test_a_wrong_net_quantity_is_explained(
    app: Flask, staff: FlaskClient, farm_shop: dict[str, Any], fields: dict[str, str], message: str
) -> None:
    response = submit(staff, NEW, product_fields(app, **fields))
    assert response.status_code == 200
    assert message in response.text
    assert stored_product(app, "Spelt-desem") is None


def test_a_change_of_the_net_quantity_alone_is_audited(
    app: Flask, staff: FlaskClient, farm_shop: dict[str, Any]
) -> None:
    fields = product_fields(app, "Boerenbrood", price="3,80", version="1", pictogram="1F35E")
    fields.update(category=str(category_id(app, "Brood")), net_quantity="800", net_unit="g")
    assert submit(staff, edit_url(farm_shop["bread"]), fields).status_code == 302
    (entry,) = entries(app, "product_changed")
    assert (entry["before"], entry["after"]) == ({"net_quantity": None}, {"net_quantity": "800 g"})
