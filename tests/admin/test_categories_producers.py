"""Category and producer pages: list, add, change; unique names and Dutch messages."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from kiosk.extensions import db
from kiosk.models import Category, Producer, Product
from tests.admin.catalog_forms import submit


def stored(app: Flask, model: type[Category] | type[Producer], name: str) -> Any:
    """Return the row of `model` with this name, detached."""
    with app.app_context():
        row = db.session.scalar(select(model).where(model.name == name))
        if row is not None:
            db.session.expunge(row)
        return row


def count(app: Flask, model: type[Category] | type[Producer]) -> int:
    """Return how many rows of `model` there are."""
    with app.app_context():
        return db.session.scalar(select(func.count(model.id))) or 0


# --- categories ----------------------------------------------------------------------------------


def category_fields(name: str = "Confituur", **overrides: Any) -> dict[str, Any]:
    """Return a filled-in category form."""
    return {"name": name, "position": "6", "pictogram": "1FAD9", "action": "save", **overrides}


def test_the_categories_are_listed_in_till_order_with_their_products(
    app: Flask, staff: FlaskClient, farm_shop: dict[str, Any]
) -> None:
    with app.app_context():
        db.session.scalars(select(Category).where(Category.name == "Kaas")).one().position = -1
        db.session.commit()
    page = staff.get("/admin/categories").text
    assert page.index("Kaas") < page.index("Brood")
    assert 'src="/pictograms/1F35E.svg"' in page
    assert "/admin/products?category=" in page


def test_add_a_category(app: Flask, staff: FlaskClient) -> None:
    response = submit(staff, "/admin/categories/new", category_fields())
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/categories"
    category = stored(app, Category, "Confituur")
    assert (category.pictogram, category.position) == ("1FAD9", 6)
    assert "Categorie Confituur is toegevoegd." in staff.get("/admin/categories").text


def test_change_a_category(app: Flask, staff: FlaskClient, farm_shop: dict[str, Any]) -> None:
    with app.app_context():
        category_id = db.session.scalar(select(Category.id).where(Category.name == "Kaas"))
    url = f"/admin/categories/{category_id}"
    page = staff.get(url)
    assert 'value="Kaas"' in page.text and 'name="pictogram" value="1F35E" checked' in page.text
    fields = category_fields("Kaas en boter", position="2", pictogram="1F9C0")
    assert submit(staff, url, fields).status_code == 302
    category = stored(app, Category, "Kaas en boter")
    assert (category.id, category.pictogram, category.position) == (category_id, "1F9C0", 2)


@pytest.mark.parametrize("name", ["Brood", "brood", " BROOD "])
def test_a_category_name_is_unique_whatever_its_case(
    app: Flask, staff: FlaskClient, farm_shop: dict[str, Any], name: str
) -> None:
    before = count(app, Category)
    response = submit(staff, "/admin/categories/new", category_fields(name))
    assert response.status_code == 200
    assert f"Er is al een categorie {name.strip()}." in response.text
    assert count(app, Category) == before


def test_renaming_a_category_to_another_ones_name_is_refused(
    app: Flask, staff: FlaskClient, farm_shop: dict[str, Any]
) -> None:
    with app.app_context():
        category_id = db.session.scalar(select(Category.id).where(Category.name == "Kaas"))
    response = submit(staff, f"/admin/categories/{category_id}", category_fields("Eieren"))
    assert response.status_code == 200
    assert "Er is al een categorie Eieren." in response.text
    assert stored(app, Category, "Kaas") is not None


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": ""}, "Dit veld is vereist."),
        ({"position": "derde"}, "Schrijf een geheel getal, bv. 3."),
        ({"position": "-1"}, "Geef een plaats van 0 tot 9999."),
        ({"position": ""}, "Geef een plaats, bv. 3."),
        ({"pictogram": "XYZ"}, "Kies een pictogram uit de lijst."),
    ],
)
def test_a_wrong_category_is_refused_in_dutch(
    app: Flask, staff: FlaskClient, fields: dict[str, str], message: str
) -> None:
    response = submit(staff, "/admin/categories/new", category_fields(**fields))
    assert response.status_code == 200
    assert message in response.text
    assert count(app, Category) == 0


def test_the_category_pictogram_search_keeps_name_and_choice(
    app: Flask, staff: FlaskClient
) -> None:
    fields = category_fields(pictogram="1F36F", pictogram_query="honey", action="search")
    response = submit(staff, "/admin/categories/new", fields)
    assert response.status_code == 200
    assert count(app, Category) == 0
    assert 'value="Confituur"' in response.text
    assert 'name="pictogram" value="1F36F" checked' in response.text
    assert 'name="pictogram" value="1F41D">' in response.text  # the bee, found by "honey"


# --- producers -----------------------------------------------------------------------------------


def producer_fields(name: str = "Imkerij Verbeeck", **overrides: Any) -> dict[str, Any]:
    """Return a filled-in producer form."""
    return {
        "name": name,
        "farm": "Bijenstand Kesselberg",
        "town": "Lubbeek",
        "contact": "Luc Verbeeck",
        "phone": "+32 472 68 93 21",
        "email": "imkerij@example.be",
        "distance_km": "8",
        "consignment": "consignment",
        "commission_percent": "20",
        **overrides,
    }


def test_add_a_producer(app: Flask, staff: FlaskClient) -> None:
    response = submit(staff, "/admin/producers/new", producer_fields())
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/producers"
    producer = stored(app, Producer, "Imkerij Verbeeck")
    assert (producer.farm, producer.town, producer.contact) == (
        "Bijenstand Kesselberg",
        "Lubbeek",
        "Luc Verbeeck",
    )
    assert (producer.phone, producer.email) == ("+32 472 68 93 21", "imkerij@example.be")
    assert (producer.distance_km, producer.consignment, producer.commission_percent) == (
        8,
        True,
        20,
    )
    page = staff.get("/admin/producers").text
    assert "Imkerij Verbeeck is toegevoegd." in page
    assert "consignatie, 20 % commissie" in page


def test_a_producer_with_only_a_name(app: Flask, staff: FlaskClient) -> None:
    fields = {"name": "Tuinderij Claes", "consignment": "purchase", "commission_percent": "0"}
    assert submit(staff, "/admin/producers/new", fields).status_code == 302
    producer = stored(app, Producer, "Tuinderij Claes")
    assert (producer.email, producer.distance_km, producer.consignment) == (None, None, False)


def test_change_a_producer_and_see_its_products(
    app: Flask, staff: FlaskClient, farm_shop: dict[str, Any]
) -> None:
    with app.app_context():
        producer = Producer(name="Kaashoeve", consignment=False)
        db.session.get_one(Product, farm_shop["cheese"]).producer = producer
        db.session.commit()
        producer_id = producer.id
    url = f"/admin/producers/{producer_id}"
    page = staff.get(url)
    assert 'value="Kaashoeve"' in page.text
    assert 'checked id="consignment-0" name="consignment" type="radio" value="purchase"' in (
        page.text
    )
    fields = producer_fields("Hoevezuivel Vleminckx", consignment="purchase", distance_km="")
    assert submit(staff, url, fields).status_code == 302
    producer = stored(app, Producer, "Hoevezuivel Vleminckx")
    assert (producer.id, producer.consignment, producer.distance_km) == (producer_id, False, None)
    listing = staff.get("/admin/producers").text
    assert "Hoevezuivel Vleminckx" in listing and "aankoop" in listing


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": ""}, "Dit veld is vereist."),
        ({"email": "imkerij.example.be"}, "Schrijf een e-mailadres, bv. naam@hoeve.be."),
        ({"email": "luc@"}, "Schrijf een e-mailadres, bv. naam@hoeve.be."),
        ({"phone": "bel maar"}, "Schrijf een telefoonnummer, bv. +32 16 12 34 56."),
        ({"distance_km": "-3"}, "Geef een afstand van 0 km of meer, in hele km."),
        ({"distance_km": "8,5"}, "Schrijf een geheel getal, bv. 3."),
        ({"commission_percent": "101"}, "De commissie ligt tussen 0 en 100 procent."),
        ({"commission_percent": "-1"}, "De commissie ligt tussen 0 en 100 procent."),
        ({"commission_percent": "twintig"}, "Schrijf een geheel getal, bv. 3."),
        ({"consignment": "gratis"}, "Ongeldige keuze."),
    ],
)
def test_a_wrong_producer_is_refused_in_dutch_and_keeps_what_was_typed(
    app: Flask, staff: FlaskClient, fields: dict[str, str], message: str
) -> None:
    response = submit(staff, "/admin/producers/new", producer_fields(**fields))
    assert response.status_code == 200
    assert message in response.text
    assert count(app, Producer) == 0
    if "name" not in fields:
        assert 'value="Imkerij Verbeeck"' in response.text
    assert 'value="Bijenstand Kesselberg"' in response.text


def test_a_producer_name_is_unique_whatever_its_case(app: Flask, staff: FlaskClient) -> None:
    assert submit(staff, "/admin/producers/new", producer_fields()).status_code == 302
    response = submit(staff, "/admin/producers/new", producer_fields("IMKERIJ verbeeck"))
    assert response.status_code == 200
    assert "Er is al een producent IMKERIJ verbeeck." in response.text
    assert count(app, Producer) == 1


def test_an_unknown_category_or_producer_is_404(staff: FlaskClient) -> None:
    assert staff.get("/admin/categories/12345").status_code == 404
    assert staff.get("/admin/producers/12345").status_code == 404
