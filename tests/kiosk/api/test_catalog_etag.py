"""The till's catalog over real HTTP (waitress): its ETag, and what it says about the bistro.

304 while the till's copy is current, the whole catalog with a new ETag after a price change.
"""

from __future__ import annotations

import http.client
import json
from email.message import Message
from typing import Any
from urllib.parse import urlsplit

from flask import Flask

from kiosk.extensions import db
from kiosk.models import DiningTable, PointOfSale, Product
from tests.conftest import LiveServer, Shop


def get_catalog(
    server: LiveServer, headers: dict[str, str], etag: str | None = None
) -> tuple[int, Message, bytes]:
    """GET the catalog over HTTP, optionally with If-None-Match; return status, headers, body."""
    address = urlsplit(server.url)
    connection = http.client.HTTPConnection(address.hostname or "", address.port, timeout=10)
    connection.request(
        "GET", "/api/v1/catalog", headers=headers | ({"If-None-Match": etag} if etag else {})
    )
    answer = connection.getresponse()
    data = answer.read()
    connection.close()
    return answer.status, answer.headers, data


def test_the_catalog_answers_304_until_a_price_changes(
    app: Flask, live_server: LiveServer, farm_shop: dict[str, Any]
) -> None:
    headers = farm_shop["headers"]
    status, first, data = get_catalog(live_server, headers)
    assert status == 200 and first["ETag"]
    assert first["Cache-Control"] == "no-cache"
    status, again, data_again = get_catalog(live_server, headers, first["ETag"])
    assert (status, data_again, again["ETag"]) == (304, b"", first["ETag"])

    with app.app_context():
        db.session.get_one(Product, farm_shop["bread"]).price_cents = 395
        db.session.commit()
    status, changed, data = get_catalog(live_server, headers, first["ETag"])
    assert status == 200 and changed["ETag"] != first["ETag"]
    [bread] = [p for p in json.loads(data)["products"] if p["id"] == farm_shop["bread"]]
    assert bread["price_cents"] == 395
    assert get_catalog(live_server, headers, changed["ETag"])[0] == 304


def test_an_etag_of_another_till_or_garbage_gets_the_whole_catalog(
    live_server: LiveServer, farm_shop: dict[str, Any], shop: Shop
) -> None:
    _till, other_token = shop.till("HW", name="Tweede kassa")
    other = get_catalog(live_server, {"Authorization": f"Bearer {other_token}"})[1]["ETag"]
    for etag in (other, '"nonsense"', "*, ,"):
        status, _headers, data = get_catalog(live_server, farm_shop["headers"], etag)
        assert status == 200 and json.loads(data)["till"]["code"]


def test_the_catalog_says_whether_the_point_of_sale_is_a_bistro(
    app: Flask, client: Any, farm_shop: dict[str, Any], shop: Shop
) -> None:
    shop.point_of_sale("BI", name="Bistro", consumption="eat_in")
    _till, token = shop.till("BI")
    with app.app_context():
        bistro = db.session.query(PointOfSale).filter_by(code="BI").one()
        db.session.add(DiningTable(point_of_sale=bistro, number=1, name="Tafel 1"))
        db.session.commit()
    shop_answer = client.get("/api/v1/catalog", headers=farm_shop["headers"]).get_json()
    bistro_answer = client.get(
        "/api/v1/catalog", headers={"Authorization": f"Bearer {token}"}
    ).get_json()
    assert shop_answer["point_of_sale"]["bistro"] is False
    assert bistro_answer["point_of_sale"]["bistro"] is True
