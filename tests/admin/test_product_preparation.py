"""A product's preparation: where its bistro order is made (kitchen, bar or nowhere)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from kiosk.catalog.operations import CatalogError, ProductDetails, add_product
from kiosk.extensions import db
from kiosk.models import Product
from tests.admin.catalog_forms import existing_product, product_fields, stored_product, submit
from tests.conftest import found

NEW = "/admin/products/new"


def selected_preparation(html: str) -> str | None:
    """Return the value of the chosen option of the preparation select."""
    select_html = found(r'<select id="preparation"[^>]*>(.*?)</select>', html, re.S).group(1)
    chosen = re.search(r'<option selected value="([^"]*)"', select_html)
    return chosen.group(1) if chosen else None


def test_the_form_offers_none_kitchen_and_bar(
    staff: FlaskClient, farm_shop: dict[str, Any]
) -> None:
    page = staff.get(NEW).text
    assert '<label for="preparation">Bereiding (bistro: bon naar keuken of bar)</label>' in page
    options = re.findall(
        r'<option[^>]*value="([^"]*)">([^<]*)</option>',
        found(r'<select id="preparation"[^>]*>(.*?)</select>', page, re.S).group(1),
    )
    assert options == [("", "Geen"), ("kitchen", "Keuken"), ("bar", "Bar")]
    assert selected_preparation(page) == ""


def test_a_product_is_made_in_the_kitchen_then_at_the_bar_then_nowhere(
    app: Flask, staff: FlaskClient, farm_shop: dict[str, Any]
) -> None:
    assert submit(staff, NEW, product_fields(app, preparation="kitchen")).status_code == 302
    product = stored_product(app, "Spelt-desem")
    assert product is not None
    assert product.preparation == "kitchen"
    url = f"/admin/products/{product.id}"
    assert selected_preparation(staff.get(url).text) == "kitchen"
    fields = product_fields(app, preparation="bar", version=str(product.version))
    assert submit(staff, url, fields).status_code == 302
    assert existing_product(app, "Spelt-desem").preparation == "bar"
    fields = product_fields(app, preparation="", version=str(product.version + 1))
    assert submit(staff, url, fields).status_code == 302
    assert existing_product(app, "Spelt-desem").preparation is None


def test_a_form_without_the_field_makes_no_preparation(
    app: Flask, staff: FlaskClient, farm_shop: dict[str, Any]
) -> None:
    assert submit(staff, NEW, product_fields(app)).status_code == 302
    assert existing_product(app, "Spelt-desem").preparation is None


def test_an_unknown_preparation_is_refused(
    app: Flask, staff: FlaskClient, farm_shop: dict[str, Any]
) -> None:
    response = submit(staff, NEW, product_fields(app, preparation="oven"))
    assert response.status_code == 200
    errors = re.findall(r'<p class="field-error">([^<]*)</p>', response.text)
    assert errors and "choice" not in " ".join(errors).lower()  # Dutch, not wtforms' English
    assert stored_product(app, "Spelt-desem") is None


def test_the_operation_refuses_an_unknown_preparation(
    app: Flask, farm_shop: dict[str, Any]
) -> None:
    with app.app_context():
        with pytest.raises(CatalogError) as refused:
            add_product(ProductDetails(name="Soep", price_cents=400, preparation="oven"))
        assert (refused.value.code, refused.value.field) == ("invalid_preparation", "preparation")
        assert refused.value.message == "Kies keuken, bar of geen bereiding."
        db.session.rollback()
        assert db.session.scalar(select(Product.id).where(Product.name == "Soep")) is None
