"""The bistro API: tables, tabs and their items; every refusal answers 4xx and changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from jsonschema import ValidationError
from sqlalchemy import select
from werkzeug.test import TestResponse

from kiosk import create_app
from kiosk.extensions import db
from kiosk.models import PointOfSale, Product, Sale, Tab, TabItem, User
from tests.conftest import Shop
from tests.kiosk.api.test_openapi import check, component
from tests.kiosk.bistro_support import (
    PREFIX,
    add,
    added,
    assert_error,
    bistro_world,
    get,
    item,
    open_tab,
    pay,
    post,
    snapshot,
)


@pytest.fixture
def w(app: Flask, shop: Shop) -> dict[str, Any]:
    """The bistro world."""
    return bistro_world(app, shop)


@pytest.fixture
def spec(client: FlaskClient) -> dict[str, Any]:
    """The API's own description, to check answers against."""
    return client.get(f"{PREFIX}/openapi.json").get_json()


def operator(w: dict[str, Any]) -> dict[str, int]:
    """The body of a request that only says who does it."""
    return {"operator_id": w["operator_id"]}


def refused(app: Flask, response_of: Callable[[], TestResponse], status: int, code: str) -> None:
    """Assert a request is refused with this status and code and leaves everything as it was."""
    before = snapshot(app)
    assert_error(response_of(), status, code)
    assert snapshot(app) == before


def test_tables_list_the_point_of_sales_active_tables_in_floor_order(
    client: FlaskClient, spec: dict[str, Any], w: dict[str, Any]
) -> None:
    response = get(client, w, "/tables")
    tables = check(spec, "get", "/tables", response)["tables"]
    assert [table["name"] for table in tables] == ["Tafel 3", "Tafel 2", "Tafel 1"]
    assert tables[0] == {
        "id": w["tables"][2],
        "number": 3,
        "name": "Tafel 3",
        "colour": "#1f6f3f",
        "tab": None,
    }
    farm = get(client, w, "/tables", headers="farm_headers").get_json()["tables"]
    assert [table["name"] for table in farm] == ["Hoevetafel"]
    assert_error(client.get(f"{PREFIX}/tables"), 401, "unauthorized")


def test_a_tables_tile_shows_its_tabs_total_and_when_it_opened(
    client: FlaskClient, spec: dict[str, Any], w: dict[str, Any]
) -> None:
    tab = open_tab(client, w)
    added(client, w, tab["id"], item(w, "soup", "2"), item(w, "beer"))
    tables = check(spec, "get", "/tables", get(client, w, "/tables"))["tables"]
    tile = next(table["tab"] for table in tables if table["id"] == w["tables"][0])
    assert tile == {
        "id": tab["id"],
        "version": 2,
        "opened_at": tab["opened_at"],
        "total_cents": 2 * 450 + 350,
        "item_count": 2,
        "ready": False,
    }
    opened = datetime.fromisoformat(tile["opened_at"])
    assert opened.utcoffset() == timedelta(0)
    assert abs(datetime.now(UTC) - opened) < timedelta(minutes=1)


def test_opening_a_table_twice_gives_the_same_tab(
    client: FlaskClient, spec: dict[str, Any], w: dict[str, Any]
) -> None:
    path = f"/tables/{w['tables'][0]}/tab"
    first = post(client, w, path, operator(w))
    assert first.status_code == 201
    tab = check(spec, "post", "/tables/{table_id}/tab", first)
    assert tab["state"] == "open" and tab["version"] == 1 and tab["items"] == []
    assert tab["table_name"] == "Tafel 1" and tab["total_cents"] == tab["unpaid_cents"] == 0
    again = post(client, w, path, operator(w))
    assert again.status_code == 200
    assert check(spec, "post", "/tables/{table_id}/tab", again) == tab
    shown = get(client, w, f"/tabs/{tab['id']}")
    assert check(spec, "get", "/tabs/{tab_id}", shown) == tab


def test_a_paid_table_opens_a_new_tab(client: FlaskClient, w: dict[str, Any]) -> None:
    tab = open_tab(client, w)
    added(client, w, tab["id"], item(w, "cake"))
    assert pay(client, w, tab["id"], {"kind": "all"}, ("card", 325)).status_code == 201
    second = open_tab(client, w)
    assert second["id"] != tab["id"] and second["items"] == []


@pytest.mark.parametrize(
    ("table", "body", "status", "code"),
    [
        ("farm_table", {}, 404, "unknown_table"),
        ("inactive_table", {}, 404, "unknown_table"),
        (0, {"operator_id": "1"}, 400, "invalid_request"),
        (0, {"operator_id": 999_999}, 422, "unknown_operator"),
    ],
)
def test_opening_a_tab_is_refused(
    app: Flask,
    client: FlaskClient,
    w: dict[str, Any],
    table: str | int,
    body: dict[str, Any],
    status: int,
    code: str,
) -> None:
    table_id = w[table] if isinstance(table, str) else w["tables"][table]
    body = {**operator(w), **body}
    refused(app, lambda: post(client, w, f"/tables/{table_id}/tab", body), status, code)
    too_big = "/tables/2147483648/tab"
    refused(app, lambda: post(client, w, too_big, operator(w)), 404, "unknown_table")


def test_a_tab_of_another_point_of_sale_does_not_exist_for_this_till(
    app: Flask, client: FlaskClient, w: dict[str, Any]
) -> None:
    tab = open_tab(client, w)
    assert_error(get(client, w, f"/tabs/{tab['id']}", headers="farm_headers"), 404, "unknown_tab")
    assert_error(get(client, w, "/tabs/999999"), 404, "unknown_tab")
    refused(
        app,
        lambda: post(client, w, f"/tabs/{tab['id']}/send", operator(w), headers="farm_headers"),
        404,
        "unknown_tab",
    )


def test_items_keep_price_consumption_and_note_and_add_once_per_client_key(
    app: Flask, client: FlaskClient, spec: dict[str, Any], w: dict[str, Any]
) -> None:
    tab = open_tab(client, w)
    soup = item(w, "soup", note="  zonder room  ")
    response = add(
        client, w, tab["id"], soup, item(w, "beer", "2"), item(w, "soup", consumption="takeaway")
    )
    document = check(spec, "post", "/tabs/{tab_id}/items", response)
    assert document["version"] == 2
    assert [
        (i["description"], i["quantity"], i["amount_cents"], i["consumption"], i["note"])
        for i in document["items"]
    ] == [
        ("Soep", "1", 450, "eat_in", "zonder room"),
        ("Hoevebier", "2", 700, "eat_in", None),
        ("Soep", "1", 450, "takeaway", None),
    ]
    assert document["items"][0]["client_key"] == soup["client_key"]
    assert not any(i["sent"] or i["cancelled"] or i["paid"] for i in document["items"])
    assert document["total_cents"] == document["unpaid_cents"] == 1600

    with app.app_context():  # the price of the moment it was ordered at stays
        db.session.get_one(Product, w["soup"]).price_cents = 500
        db.session.commit()
    replay = added(client, w, tab["id"], soup, soup, {**item(w, "soup"), "client_key": "k-1"})
    assert len(replay["items"]) == 4 and replay["version"] == 3
    assert [i["unit_price_cents"] for i in replay["items"]] == [450, 350, 450, 500]
    again = added(client, w, tab["id"], soup, {**item(w, "beer"), "client_key": "k-1"})
    assert again == replay  # a replay adds nothing and changes nothing, not even the version


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"product_id": "bread"}, 422, "unknown_product"),
        ({"product_id": 999_999}, 422, "unknown_product"),
        ({"product_id": "old"}, 422, "inactive_product"),
        ({"quantity": "1.5"}, 422, "invalid_quantity"),
        ({"quantity": "0"}, 422, "invalid_quantity"),
        ({"quantity": "veel"}, 400, "invalid_quantity"),
        ({"consumption": "terras"}, 422, "invalid_consumption"),
        ({"consumption": 1}, 400, "invalid_request"),
        ({"note": "x" * 201}, 422, "invalid_note"),
        ({"note": 5}, 400, "invalid_request"),
        ({"client_key": "deel/1/1/2"}, 400, "invalid_client_key"),
        ({"client_key": ""}, 400, "invalid_client_key"),
        ({"client_key": None}, 400, "invalid_client_key"),
    ],
)
def test_an_item_that_cannot_be_added_leaves_the_tab_alone(
    app: Flask,
    client: FlaskClient,
    w: dict[str, Any],
    change: dict[str, Any],
    status: int,
    code: str,
) -> None:
    with app.app_context():
        bistro = db.session.get_one(Product, w["soup"]).points_of_sale
        old = Product(name="Oude soep", price_cents=300, active=False, points_of_sale=bistro)
        db.session.add(old)
        db.session.commit()
        w["old"] = old.id
    tab = open_tab(client, w)
    added(client, w, tab["id"], item(w, "soup"))
    if isinstance(change.get("product_id"), str):
        change = {"product_id": w[change["product_id"]]}
    bad = {**item(w, "soup"), **change}
    refused(app, lambda: add(client, w, tab["id"], item(w, "beer"), bad), status, code)


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"items": []}, 400, "invalid_request"),
        ({"items": "soep"}, 400, "invalid_request"),
        ({"items": ["soep"]}, 400, "invalid_request"),
        ({"operator_id": None}, 400, "invalid_request"),
        ({"operator_id": 999_999}, 422, "unknown_operator"),
    ],
)
def test_a_malformed_items_request_is_refused(
    app: Flask, client: FlaskClient, w: dict[str, Any], body: dict[str, Any], status: int, code: str
) -> None:
    tab = open_tab(client, w)
    full = {**operator(w), "items": [item(w, "soup")], **body}
    refused(app, lambda: post(client, w, f"/tabs/{tab['id']}/items", full), status, code)
    refused(
        app,
        lambda: client.post(
            f"{PREFIX}/tabs/{tab['id']}/items",
            data="{",
            headers=w["headers"],
            content_type="application/json",
        ),
        400,
        "invalid_json",
    )
    refused(app, lambda: post(client, w, f"/tabs/{tab['id']}/items", [1]), 400, "invalid_request")


def test_a_paid_tab_refuses_changes(app: Flask, client: FlaskClient, w: dict[str, Any]) -> None:
    tab = open_tab(client, w)
    added(client, w, tab["id"], item(w, "beer"))
    paid = pay(client, w, tab["id"], {"kind": "all"}, ("cash", 350)).get_json()["tab"]
    assert paid["state"] == "paid" and paid["unpaid_cents"] == 0
    tab_id, item_id = tab["id"], paid["items"][0]["id"]
    refused(app, lambda: add(client, w, tab_id, item(w, "soup")), 409, "tab_closed")
    refused(
        app,
        lambda: post(client, w, f"/tabs/{tab_id}/items/{item_id}/cancel", operator(w)),
        409,
        "tab_closed",
    )
    move = {**operator(w), "table_id": w["tables"][1]}
    refused(app, lambda: post(client, w, f"/tabs/{tab_id}/move", move), 409, "tab_closed")
    refused(
        app, lambda: pay(client, w, tab_id, {"kind": "all"}, ("cash", 350)), 409, "already_paid"
    )


def test_cancelling_an_item_takes_it_out_of_the_totals(
    app: Flask, client: FlaskClient, spec: dict[str, Any], w: dict[str, Any]
) -> None:
    tab = open_tab(client, w)
    items = added(client, w, tab["id"], item(w, "soup"), item(w, "beer"))["items"]
    path = f"/tabs/{tab['id']}/items/{items[0]['id']}/cancel"
    response = post(client, w, path, operator(w))
    document = check(spec, "post", "/tabs/{tab_id}/items/{item_id}/cancel", response)
    assert document["items"][0]["cancelled"] is True and document["version"] == 3
    assert document["total_cents"] == document["unpaid_cents"] == 350
    assert post(client, w, path, operator(w)).get_json() == document  # once is enough
    with app.app_context():
        cancelled = db.session.get_one(TabItem, items[0]["id"])
        assert cancelled.cancelled_by_id == w["operator_id"] and cancelled.cancelled_at
    tile = get(client, w, "/tables").get_json()["tables"][2]["tab"]
    assert tile["total_cents"] == 350 and tile["item_count"] == 1


def test_an_item_that_cannot_be_cancelled(
    app: Flask, client: FlaskClient, w: dict[str, Any]
) -> None:
    tab = open_tab(client, w)
    other = open_tab(client, w, 1)
    items = added(client, w, tab["id"], item(w, "soup"), item(w, "beer"))["items"]
    foreign = added(client, w, other["id"], item(w, "cake"))["items"][0]["id"]
    assert (
        pay(
            client, w, tab["id"], {"kind": "items", "item_ids": [items[0]["id"]]}, ("card", 450)
        ).status_code
        == 201
    )
    cancel = f"/tabs/{tab['id']}/items/{{}}/cancel"
    refused(
        app, lambda: post(client, w, cancel.format(items[0]["id"]), operator(w)), 409, "item_paid"
    )
    refused(app, lambda: post(client, w, cancel.format(foreign), operator(w)), 404, "unknown_item")
    refused(app, lambda: post(client, w, cancel.format(items[1]["id"]), {}), 400, "invalid_request")


def test_cancelling_the_last_unpaid_item_of_a_partly_paid_tab_frees_the_table(
    client: FlaskClient, w: dict[str, Any]
) -> None:
    tab = open_tab(client, w)
    items = added(client, w, tab["id"], item(w, "soup"), item(w, "beer"))["items"]
    pay(client, w, tab["id"], {"kind": "items", "item_ids": [items[0]["id"]]}, ("card", 450))
    path = f"/tabs/{tab['id']}/items/{items[1]['id']}/cancel"
    assert post(client, w, path, operator(w)).get_json()["state"] == "paid"
    assert get(client, w, "/tables").get_json()["tables"][2]["tab"] is None


def test_sending_marks_the_new_items_sent_once(
    client: FlaskClient, spec: dict[str, Any], w: dict[str, Any]
) -> None:
    tab = open_tab(client, w)
    added(client, w, tab["id"], item(w, "soup"), item(w, "cake"))
    sent = check(
        spec, "post", "/tabs/{tab_id}/send", post(client, w, f"/tabs/{tab['id']}/send", operator(w))
    )
    assert [i["sent"] for i in sent["items"]] == [True, True] and sent["version"] == 3
    again = post(client, w, f"/tabs/{tab['id']}/send", operator(w)).get_json()
    assert again["stations"] == [] and again | {"stations": sent["stations"]} == sent
    later = added(client, w, tab["id"], item(w, "beer"))
    assert [i["sent"] for i in later["items"]] == [True, True, False]


def test_reprint_needs_sent_items_that_a_printer_makes(
    app: Flask, client: FlaskClient, spec: dict[str, Any], w: dict[str, Any]
) -> None:
    tab = open_tab(client, w)
    added(client, w, tab["id"], item(w, "soup"))
    path = f"/tabs/{tab['id']}/reprint"
    refused(app, lambda: post(client, w, path, operator(w)), 409, "nothing_to_print")
    post(client, w, f"/tabs/{tab['id']}/send", operator(w))
    # sent, but this bistro has no kitchen printer: still nothing to print
    response = post(client, w, path, operator(w))
    assert_error(response, 409, "nothing_to_print")
    check(spec, "post", "/tabs/{tab_id}/reprint", response)


def test_moving_a_tab_to_a_free_table(
    app: Flask, client: FlaskClient, spec: dict[str, Any], w: dict[str, Any]
) -> None:
    tab = open_tab(client, w)
    added(client, w, tab["id"], item(w, "soup"))
    body = {**operator(w), "table_id": w["tables"][2]}
    moved = check(
        spec, "post", "/tabs/{tab_id}/move", post(client, w, f"/tabs/{tab['id']}/move", body)
    )
    assert (moved["table_id"], moved["table_name"], moved["version"]) == (
        w["tables"][2],
        "Tafel 3",
        3,
    )
    assert post(client, w, f"/tabs/{tab['id']}/move", body).get_json() == moved  # already there
    tiles = {t["id"]: t["tab"] for t in get(client, w, "/tables").get_json()["tables"]}
    assert tiles[w["tables"][0]] is None and tiles[w["tables"][2]]["id"] == tab["id"]
    assert open_tab(client, w)["id"] != tab["id"]  # the old table is free for a new tab


@pytest.mark.parametrize(
    ("target", "status", "code"),
    [
        ("taken", 409, "table_taken"),
        ("farm_table", 404, "unknown_table"),
        ("inactive_table", 404, "unknown_table"),
        ("nothing", 400, "invalid_request"),
    ],
)
def test_a_move_that_cannot_be_made(
    app: Flask, client: FlaskClient, w: dict[str, Any], target: str, status: int, code: str
) -> None:
    tab = open_tab(client, w)
    open_tab(client, w, 1)
    table_id = {"taken": w["tables"][1], "nothing": "2"}.get(target) or w.get(target)
    body = {**operator(w), "table_id": table_id}
    refused(app, lambda: post(client, w, f"/tabs/{tab['id']}/move", body), status, code)


@pytest.mark.parametrize(
    ("split", "key", "status", "code"),
    [
        ({"kind": "all"}, None, 400, "idempotency_key_missing"),
        ({"kind": "all"}, "met spatie", 400, "idempotency_key_invalid"),
        ({"kind": "half"}, "k", 400, "invalid_request"),
        ({"kind": "items", "item_ids": []}, "k", 400, "invalid_request"),
        ({"kind": "items", "item_ids": [999_999]}, "k", 422, "unknown_item"),
        ({"kind": "equal", "parts": 3, "part": 4}, "k", 422, "invalid_split"),
        ({"kind": "equal", "parts": 0, "part": 0}, "k", 422, "invalid_split"),
        ({"kind": "equal", "parts": "3", "part": 1}, "k", 400, "invalid_request"),
    ],
)
def test_a_payment_request_that_is_refused(
    app: Flask,
    client: FlaskClient,
    w: dict[str, Any],
    split: dict[str, Any],
    key: str | None,
    status: int,
    code: str,
) -> None:
    tab = open_tab(client, w)
    added(client, w, tab["id"], item(w, "soup"))
    body = {**operator(w), "split": split, "payments": [{"method": "card", "amount_cents": 450}]}

    def send() -> TestResponse:
        headers = {**w["headers"], **({"Idempotency-Key": key} if key else {})}
        return client.post(f"{PREFIX}/tabs/{tab['id']}/payments", json=body, headers=headers)

    refused(app, send, status, code)


def test_payments_that_do_not_settle_are_refused(
    app: Flask, client: FlaskClient, w: dict[str, Any]
) -> None:
    tab = open_tab(client, w)
    items = added(client, w, tab["id"], item(w, "soup"), item(w, "beer"))["items"]
    tab_id = tab["id"]
    refused(
        app,
        lambda: pay(client, w, tab_id, {"kind": "all"}, ("cash", 100)),
        422,
        "insufficient_payment",
    )
    response = pay(client, w, tab_id, {"kind": "all"}, ("card", 900))
    assert_error(response, 422, "overpayment")
    assert response.get_json()["message"].endswith("Te betalen: 8,00 euro.")
    refused(
        app,
        lambda: pay(client, w, tab_id, {"kind": "all"}, ("bitcoin", 800)),
        422,
        "payment_method_not_accepted",
    )
    with app.app_context():  # even where the bistro takes QR: its till has no QR screens
        db.session.scalars(
            select(PointOfSale).filter_by(code="BI")
        ).one().payment_methods = "cash|card|qr"
        db.session.commit()
    qr = pay(client, w, tab_id, {"kind": "all"}, ("qr", 800))
    assert_error(qr, 403, "qr_needs_staff")
    assert qr.get_json()["message"] == (
        "Een rekening van de bistro kan je niet met een QR-code betalen. Kies Contant of Kaart."
    )
    with app.app_context():
        assert db.session.scalars(select(Sale)).all() == []
    refused(
        app, lambda: pay(client, w, 999_999, {"kind": "all"}, ("cash", 800)), 404, "unknown_tab"
    )
    with app.app_context():
        db.session.get_one(User, w["operator_id"]).active = False
        db.session.commit()
    refused(
        app,
        lambda: pay(
            client, w, tab_id, {"kind": "items", "item_ids": [items[0]["id"]]}, ("cash", 450)
        ),
        422,
        "unknown_operator",
    )


def test_an_empty_tab_has_nothing_to_pay(
    app: Flask, client: FlaskClient, w: dict[str, Any]
) -> None:
    tab = open_tab(client, w)
    refused(
        app,
        lambda: pay(client, w, tab["id"], {"kind": "all"}, ("cash", 100)),
        409,
        "nothing_to_pay",
    )
    refused(
        app,
        lambda: pay(client, w, tab["id"], {"kind": "equal", "parts": 2, "part": 1}, ("cash", 100)),
        409,
        "nothing_to_pay",
    )


def test_open_tabs_survive_a_restart(
    app: Flask, client: FlaskClient, w: dict[str, Any], app_config: dict[str, Any], tmp_path: Path
) -> None:
    tab = open_tab(client, w)
    added(client, w, tab["id"], item(w, "soup", note="extra brood"))
    restarted = create_app(app_config, instance_path=str(tmp_path / "other-instance"))
    other = restarted.test_client()  # a new server process, a new tablet: the same tab
    shown = other.get(f"{PREFIX}/tabs/{tab['id']}", headers=w["headers"]).get_json()
    assert shown["items"][0]["note"] == "extra brood" and shown["state"] == "open"
    tiles = other.get(f"{PREFIX}/tables", headers=w["headers"]).get_json()["tables"]
    assert tiles[2]["tab"]["id"] == tab["id"]
    with restarted.app_context():
        assert db.session.scalars(select(Tab.state)).all() == ["open"]
        db.session.rollback()  # hand the connection back before the pool closes
        db.engine.dispose()


def test_payment_answers_fit_the_description(
    client: FlaskClient, spec: dict[str, Any], w: dict[str, Any]
) -> None:
    tab = open_tab(client, w)
    added(client, w, tab["id"], item(w, "soup"), item(w, "beer"))
    key = "betaling-1"
    made = pay(
        client, w, tab["id"], {"kind": "equal", "parts": 2, "part": 1}, ("cash", 400), key=key
    )
    assert made.status_code == 201
    document = check(spec, "post", "/tabs/{tab_id}/payments", made)
    assert document["sale"]["total_cents"] == 400 and document["tab"]["unpaid_cents"] == 400
    replay = pay(
        client, w, tab["id"], {"kind": "equal", "parts": 2, "part": 1}, ("cash", 400), key=key
    )
    assert replay.status_code == 200
    assert check(spec, "post", "/tabs/{tab_id}/payments", replay) == document
    again = pay(client, w, tab["id"], {"kind": "equal", "parts": 2, "part": 1}, ("cash", 400))
    assert check(spec, "post", "/tabs/{tab_id}/payments", again)["error"] == "part_already_paid"
    body = {"operator_id": w["operator_id"], "split": {"kind": "all"}, "payments": []}
    component(spec, "TabPaymentRequest").validate(body)
    with pytest.raises(ValidationError):
        component(spec, "TabPaymentRequest").validate({**body, "split": {"kind": "half"}})


def test_a_tab_whose_items_were_all_taken_off_leaves_its_table_free(
    app: Flask, client: FlaskClient, w: dict[str, Any]
) -> None:
    tab = open_tab(client, w)
    soup = added(client, w, tab["id"], item(w, "soup"))["items"][0]
    post(client, w, f"/tabs/{tab['id']}/items/{soup['id']}/cancel", operator(w))
    tiles = {t["id"]: t["tab"] for t in get(client, w, "/tables").get_json()["tables"]}
    assert tiles[w["tables"][0]] is None  # free on the floor, though the tab is still open
    assert get(client, w, f"/tabs/{tab['id']}").get_json()["state"] == "open"
    other = open_tab(client, w, 1)
    added(client, w, other["id"], item(w, "beer"))
    body = {**operator(w), "table_id": w["tables"][0]}
    moved = post(client, w, f"/tabs/{other['id']}/move", body)  # the emptied table is free
    assert moved.status_code == 200 and moved.get_json()["table_id"] == w["tables"][0]
    assert get(client, w, f"/tabs/{tab['id']}").get_json()["state"] == "cancelled"
    again = open_tab(client, w, 1)  # the table the other tab left: a new tab
    assert again["id"] not in (tab["id"], other["id"]) and again["items"] == []


def test_reopening_an_emptied_table_starts_a_new_tab(
    app: Flask, client: FlaskClient, w: dict[str, Any]
) -> None:
    tab = open_tab(client, w)
    soup = added(client, w, tab["id"], item(w, "soup"))["items"][0]
    post(client, w, f"/tabs/{tab['id']}/items/{soup['id']}/cancel", operator(w))
    fresh = open_tab(client, w)
    assert fresh["id"] != tab["id"] and fresh["items"] == []
    assert get(client, w, f"/tabs/{tab['id']}").get_json()["state"] == "cancelled"
    assert_error(add(client, w, tab["id"], item(w, "beer")), 409, "tab_closed")
    assert open_tab(client, w)["id"] == fresh["id"]  # a tab without items yet is kept
