"""Helpers for the catalogue page tests: post real forms, read rows back, make images."""

from __future__ import annotations

import io
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import TestResponse, encode_multipart

from kiosk.extensions import db
from kiosk.models import PointOfSale, Product
from tests.conftest import csrf_token


def submit(
    client: FlaskClient, url: str, data: dict[str, Any], *, page: str | None = None
) -> TestResponse:
    """Open the form at `page` (default `url`) and post `data` with its CSRF token, as multipart."""
    form = client.get(page or url)
    assert form.status_code == 200
    fields = {**data, "csrf_token": csrf_token(form.text)}
    return post_multipart(client, url, fields)


def post_multipart(client: FlaskClient, url: str, fields: dict[str, Any]) -> TestResponse:
    """Post fields as multipart/form-data; (stream, name) tuples are files, lists repeat a field."""
    # encode in memory: the test client spools big bodies to a file it never closes
    encoded = {
        key: FileStorage(value[0], filename=value[1]) if isinstance(value, tuple) else value
        for key, value in fields.items()
    }
    boundary, body = encode_multipart(encoded)
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def point_of_sale_ids(app: Flask, *codes: str) -> list[str]:
    """Return the ids of these points of sale as a form sends them."""
    with app.app_context():
        query = select(PointOfSale.id).where(PointOfSale.code.in_(codes))
        return [str(pos_id) for pos_id in db.session.scalars(query)]


def product_fields(app: Flask, name: str = "Spelt-desem", **overrides: Any) -> dict[str, Any]:
    """Return a filled-in product form: sold in the farm shop, stock tracked."""
    fields: dict[str, Any] = {
        "name": name,
        "price": "4,60",
        "unit": "piece",
        "vat_class": "food",
        "barcode": "",
        "category": "",
        "producer": "",
        "points_of_sale": point_of_sale_ids(app, "HW"),
        "purchase_price": "",
        "stock_tracked": "y",
        "minimum_stock": "",
        "description": "",
        "pictogram": "1F35E",
        "pictogram_query": "",
        "action": "save",
    }
    fields.update(overrides)
    return {key: value for key, value in fields.items() if value is not None}


def stored_product(app: Flask, name: str) -> Product | None:
    """Return the product with this name with its relations loaded, detached from the session."""
    with app.app_context():
        product = db.session.scalar(select(Product).where(Product.name == name))
        if product is None:
            return None
        _ = (product.category, product.producer, list(product.points_of_sale))
        db.session.expunge_all()
        return product


def existing_product(app: Flask, name: str) -> Product:
    """Return the product with this name like ``stored_product``, failing when there is none."""
    product = stored_product(app, name)
    assert product is not None, f"no product named {name!r}"
    return product


def image_file(fmt: str, size: tuple[int, int] = (40, 30), mode: str = "RGB") -> io.BytesIO:
    """Make a small image in memory."""
    data = io.BytesIO()
    Image.new(mode, size, (200, 120, 40, 255)[: len(mode)]).save(data, format=fmt)
    data.seek(0)
    return data
