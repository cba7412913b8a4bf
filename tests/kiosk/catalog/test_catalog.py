"""GET /api/v1/catalog: what a till sells and who may run it, and the pictograms it links to."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from kiosk.extensions import db
from kiosk.models import Category, Product, Till, User
from kiosk.organisation.people import renew_till_token
from tests.conftest import Shop

ONE_YEAR = 365 * 24 * 3600


@pytest.fixture
def catalog_shop(app: Flask, shop: Shop, farm_shop: dict[str, Any]) -> dict[str, Any]:
    """The farm shop plus a bistro, products that must and must not show, and more people."""
    shop.point_of_sale("BI", name="Bistro", consumption="eat_in", methods="card|cash")
    w = dict(farm_shop)
    w["bi_headers"] = {"Authorization": f"Bearer {shop.till('BI', name='Toog')[1]}"}
    w["spelt"] = shop.product(
        "Speltbrood", price_cents=450, category="Brood", barcode="5412345000013"
    )
    w["old"] = shop.product("Oude kaas", price_cents=900, active=False, category="Kaas")
    w["cake"] = shop.product("Taart", price_cents=2200, point_of_sale="BI", category="Gebak")
    w["beer"] = shop.product(
        "Hoevebier", price_cents=250, point_of_sale="HW|BI", vat_class="alcohol", pictogram="1F37A"
    )
    w["juice"] = shop.product(
        "Appelsap", price_cents=220, point_of_sale="HW|BI", vat_class="soft_drink", pictogram=None
    )
    w["bart"] = shop.user("Bart", pin="1234")
    w["mieke"] = shop.user("Mieke", role="staff")
    w["anna"] = shop.user("Anna", role="manager")
    w["piet"] = shop.user("Piet")
    with app.app_context():
        db.session.get_one(User, w["piet"]).active = False
        db.session.get_one(User, w["bart"]).pictogram = "1F600"
        db.session.scalars(select(Category).where(Category.name == "Eieren")).one().position = 1
        db.session.commit()
        w["category"] = {c.name: c.id for c in db.session.scalars(select(Category))}
        rows = db.session.execute(select(Product.id, Product.category_id))
        w["product_category"] = {product_id: category_id for product_id, category_id in rows}
    return w


def product(
    w: dict[str, Any], key: str, name: str, price: int, rate: str, **fields: Any
) -> dict[str, Any]:
    """Describe a product as the catalog should."""
    return {
        "id": w[key],
        "name": name,
        "price_cents": price,
        "unit": fields.get("unit", "piece"),
        "vat_rate": rate,
        "barcode": fields.get("barcode"),
        "category_id": w["product_category"][w[key]],
        "pictogram_url": fields.get("pictogram_url", "/pictograms/1F35E.svg"),
    }


def category(w: dict[str, Any], name: str) -> dict[str, Any]:
    """Describe a category tile as the catalog should."""
    return {"id": w["category"][name], "name": name, "pictogram_url": "/pictograms/1F35E.svg"}


def operator(
    w: dict[str, Any], key: str, name: str, role: str, photo: str | None = None, pin: bool = False
) -> dict[str, Any]:
    """Describe a person who may run the till as the catalog should."""
    return {"id": w[key], "name": name, "role": role, "photo_url": photo, "has_pin": pin}


def test_catalog_of_the_farm_shop(client: FlaskClient, catalog_shop: dict[str, Any]) -> None:
    w = catalog_shop
    response = client.get("/api/v1/catalog", headers=w["headers"])
    assert response.status_code == 200
    document = response.get_json()
    fields = ("id", "name", "role", "photo_url", "has_pin")  # the till's settings may come on top
    document["operators"] = [{k: person[k] for k in fields} for person in document["operators"]]
    assert document == {
        "point_of_sale": {"code": "HW", "name": "Hoevewinkel", "bistro": False},
        "till": {"code": "HW1", "name": "Kassa", "role": "till"},
        "consumption": "takeaway",
        "payment_methods": ["cash", "card"],
        "categories": [
            category(w, "Brood"),
            category(w, "Kaarsen"),
            category(w, "Kaas"),
            category(w, "Eieren"),  # position 1 comes after the zeros, whatever the name
        ],
        "products": [
            product(w, "bread", "Boerenbrood", 380, "6"),
            product(w, "spelt", "Speltbrood", 450, "6", barcode="5412345000013"),
            product(w, "eggs", "Eieren (6)", 295, "6"),
            product(w, "cheese", "Hoevekaas", 2490, "6", unit="kg"),
            product(w, "candle", "Kaars", 1250, "21"),
            product(w, "juice", "Appelsap", 220, "6", pictogram_url=None),
            product(w, "beer", "Hoevebier", 250, "21", pictogram_url="/pictograms/1F37A.svg"),
        ],
        "operators": [
            operator(w, "bart", "Bart", "care", "/pictograms/1F600.svg", pin=True),
            operator(w, "operator_id", "Jan", "care"),
            operator(w, "mieke", "Mieke", "staff"),
            operator(w, "anna", "Anna", "manager"),
        ],
    }


def test_catalog_of_the_bistro_uses_eat_in_rates(
    client: FlaskClient, catalog_shop: dict[str, Any]
) -> None:
    w = catalog_shop
    document = client.get("/api/v1/catalog", headers=w["bi_headers"]).get_json()
    assert document["point_of_sale"] == {
        "code": "BI",
        "name": "Bistro",
        "bistro": False,
    }  # no tables
    assert document["till"] == {"code": "BI1", "name": "Toog", "role": "till"}
    assert (document["consumption"], document["payment_methods"]) == ("eat_in", ["card", "cash"])
    assert document["categories"] == [category(w, "Gebak")]
    assert [(p["name"], p["vat_rate"]) for p in document["products"]] == [
        ("Taart", "12"),
        ("Appelsap", "12"),
        ("Hoevebier", "21"),
    ]


def test_rates_and_money_have_their_types(
    client: FlaskClient, catalog_shop: dict[str, Any]
) -> None:
    document = client.get("/api/v1/catalog", headers=catalog_shop["headers"]).get_json()
    for item in document["products"]:
        assert type(item["price_cents"]) is int
        assert isinstance(item["vat_rate"], str)
        assert type(item["id"]) is int


def test_every_linked_pictogram_is_served(
    client: FlaskClient, catalog_shop: dict[str, Any]
) -> None:
    document = client.get("/api/v1/catalog", headers=catalog_shop["headers"]).get_json()
    urls = {item["pictogram_url"] for item in document["products"] + document["categories"]}
    urls |= {person["photo_url"] for person in document["operators"]}
    urls.discard(None)
    assert urls == {"/pictograms/1F35E.svg", "/pictograms/1F37A.svg", "/pictograms/1F600.svg"}
    for url in sorted(urls):
        with client.get(url) as response:  # public: the till's <img> tags send no token
            assert response.status_code == 200
            assert response.mimetype == "image/svg+xml"
            assert response.headers["Cache-Control"] == f"public, max-age={ONE_YEAR}, immutable"
            assert b"<svg" in response.data[:200]


@pytest.mark.parametrize("code", ["1F35E-ZZ", "..%2Fsecret", "FFFFFF"])
def test_unknown_pictograms_are_404(client: FlaskClient, code: str) -> None:
    assert client.get(f"/pictograms/{code}.svg").status_code == 404


@pytest.mark.parametrize(
    "authorization", [None, "Bearer pk_nope", "Bearer", "Token abc", "Basic dXNlcjpwYXNz"]
)
def test_catalog_needs_a_till_token(
    client: FlaskClient, catalog_shop: dict[str, Any], authorization: str | None
) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    response = client.get("/api/v1/catalog", headers=headers)
    assert response.status_code == 401
    assert response.get_json() == {
        "error": "unauthorized",
        "message": "Deze kassa is niet gekoppeld. Vraag een verantwoordelijke.",
    }
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="pluskassa"'


def test_a_renewed_token_replaces_the_old_one(
    app: Flask, client: FlaskClient, catalog_shop: dict[str, Any]
) -> None:
    with app.app_context():
        new_token = renew_till_token(db.session.get_one(Till, catalog_shop["till_id"]))
        db.session.commit()
    assert client.get("/api/v1/catalog", headers=catalog_shop["headers"]).status_code == 401
    fresh = client.get("/api/v1/catalog", headers={"Authorization": f"Bearer {new_token}"})
    assert fresh.status_code == 200
    assert fresh.get_json()["till"]["code"] == "HW1"
