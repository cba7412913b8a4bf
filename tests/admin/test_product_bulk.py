"""Bulk edits of products: choose by tick or filter, preview before → after, apply as one entry."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from kiosk.audit.sentences import describe
from kiosk.extensions import db
from kiosk.models import AuditEntry, Category, Product
from tests.conftest import csrf_token

pytestmark = pytest.mark.usefixtures("team")

BULK = "/admin/products/bulk"
BULK_ACTION = "products_bulk_changed"
#: what a browser sends of the form when nothing is chosen: every select on its first choice
BLANK_FORM = {
    "price_mode": "",
    "price_value": "",
    "rounding": "1",
    "category": "",
    "producer": "",
    "vat_class": "",
    "active": "",
    "minimum_stock": "",
}


def ticked(*product_ids: int) -> str:
    """Return the bulk page's address for ticked products, as the list's checkboxes send it."""
    return BULK + "?" + "&".join(f"product={ident}" for ident in product_ids)


def post_bulk(
    client: FlaskClient, page: str, fields: dict[str, str], *, apply: bool = False
) -> TestResponse:
    """Open the bulk page, then post the chosen products (its hidden ids) with `fields`."""
    form = client.get(page)
    assert form.status_code == 200
    ids = re.search(r'<input type="hidden" name="products" value="([\d,]*)">', form.text)
    assert ids is not None
    data: dict[str, Any] = {
        "csrf_token": csrf_token(form.text),
        "products": ids.group(1),
        **BLANK_FORM,
        **fields,
    }
    data["apply" if apply else "preview"] = "1"
    return client.post(BULK, data=data)


def prices(app: Flask) -> dict[str, int]:
    """Return every product's price by name."""
    with app.app_context():
        return {
            name: price
            for name, price in db.session.execute(select(Product.name, Product.price_cents))
        }


def audit_count(app: Flask) -> int:
    """Return how many bulk changes the audit log holds."""
    with app.app_context():
        query = select(func.count(AuditEntry.id)).where(AuditEntry.action == BULK_ACTION)
        return int(db.session.scalar(query) or 0)


RAISE_5_PERCENT = {"price_mode": "percent_up", "price_value": "5", "rounding": "5"}


def test_the_preview_shows_before_and_after_and_changes_nothing(
    app: Flask, staff: FlaskClient, farm_shop: dict[str, Any]
) -> None:
    before = prices(app)
    page = post_bulk(staff, ticked(farm_shop["bread"], farm_shop["eggs"]), RAISE_5_PERCENT)
    assert page.status_code == 200
    preview = page.text[page.text.index("Voorbeeld: voor → na") :]
    # 3,80 € + 5 % = 3,99 € → 4,00 €; 2,95 € + 5 % = 3,0975 € → 3,10 €
    assert re.search(
        r"Boerenbrood</td>\s*<td>Prijs</td>\s*"
        r"<td class=\"before\">3,80 €</td>\s*<td class=\"after\">4,00 €",
        preview,
    )
    assert re.search(r"<td class=\"before\">2,95 €</td>\s*<td class=\"after\">3,10 €", preview)
    assert "Hoevekaas" not in preview
    assert "Wijzigingen toepassen" in page.text
    assert prices(app) == before
    assert audit_count(app) == 0


def test_applying_changes_every_product_in_one_audit_entry(
    app: Flask, staff: FlaskClient, farm_shop: dict[str, Any]
) -> None:
    chosen = ticked(farm_shop["bread"], farm_shop["eggs"], farm_shop["candle"])
    fields = {"price_mode": "percent_down", "price_value": "10", "rounding": "10", "active": "no"}
    answer = post_bulk(staff, chosen, fields, apply=True)
    assert answer.status_code == 302
    after = prices(app)
    # 3,80 − 10 % = 3,42 → 3,40; 2,95 − 10 % = 2,655 → 2,70 (half up); 12,50 → 11,25 → 11,30
    assert (after["Boerenbrood"], after["Eieren (6)"], after["Kaars"]) == (340, 270, 1130)
    assert after["Hoevekaas"] == 2490
    with app.app_context():
        entries = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == BULK_ACTION)
        ).all()
        assert len(entries) == 1
        assert not db.session.get_one(Product, farm_shop["bread"]).active
        dutch = describe(entries[0])
        with force_locale("en"):
            english = describe(entries[0])
    assert dutch.startswith("3 producten tegelijk gewijzigd: ")
    assert "Boerenbrood (Actief: ja → nee; Prijs: 3,80 € → 3,40 €)" in dutch
    assert english.startswith("3 products changed together: ")
    assert "Boerenbrood (Active: yes → no; Price: " in english


def test_the_list_filter_chooses_the_products_and_sets_category_and_minimum_stock(
    app: Flask, staff: FlaskClient, farm_shop: dict[str, Any]
) -> None:
    with app.app_context():
        bread_category = db.session.scalar(select(Category.id).where(Category.name == "Brood"))
        gifts = Category(name="Geschenken")
        db.session.add(gifts)
        db.session.commit()
        gifts_id = gifts.id
    by_filter = f"{BULK}?by=filter&category={bread_category}"
    assert "Gekozen: 1 producten." in staff.get(by_filter).text
    fields = {"category": str(gifts_id), "minimum_stock": "12"}
    assert post_bulk(staff, by_filter, fields, apply=True).status_code == 302
    with app.app_context():
        bread = db.session.get_one(Product, farm_shop["bread"])
        assert (bread.category_id, bread.minimum_stock_milli) == (gifts_id, 12_000)
        assert db.session.get_one(Product, farm_shop["eggs"]).minimum_stock_milli is None


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"price_mode": "percent_down", "price_value": "100"}, "zou 0 of minder zijn"),
        ({"price_mode": "amount_down", "price_value": "3,80"}, "zou 0 of minder zijn"),
        ({"price_mode": "amount_up", "price_value": "drie"}, "Schrijf een bedrag zoals 0,50."),
        ({"price_mode": "percent_up", "price_value": ""}, "Vul het percentage of het bedrag in."),
        ({"category": "99999"}, "Kies uit de lijst."),
        ({"producer": "abc"}, "Kies uit de lijst."),
        ({"vat_class": "luxury"}, "Kies uit de lijst."),
        ({"minimum_stock": "1,5"}, "Geef een geheel aantal stuks."),
        ({"rounding": "7", "price_mode": "percent_up", "price_value": "1"}, "Ongeldige keuze."),
        ({}, "Kies wat er moet veranderen."),
    ],
)
def test_bad_input_is_refused_in_dutch_and_changes_nothing(
    app: Flask, staff: FlaskClient, farm_shop: dict[str, Any], fields: dict[str, str], message: str
) -> None:
    before = prices(app)
    answer = post_bulk(staff, ticked(farm_shop["bread"], farm_shop["eggs"]), fields, apply=True)
    assert answer.status_code == 200
    assert message in answer.text
    assert prices(app) == before
    assert audit_count(app) == 0


def test_no_products_chosen_is_said_and_nothing_changes(
    app: Flask, staff: FlaskClient, farm_shop: dict[str, Any]
) -> None:
    assert "Kies minstens één product" in staff.get(BULK).text
    form = staff.get(ticked(farm_shop["bread"]))
    data = {"csrf_token": csrf_token(form.text), "apply": "1", **BLANK_FORM, **RAISE_5_PERCENT}
    answer = staff.post(BULK, data=data)  # the ids left out
    assert answer.status_code == 200
    assert "Kies minstens één product" in answer.text
    assert audit_count(app) == 0
