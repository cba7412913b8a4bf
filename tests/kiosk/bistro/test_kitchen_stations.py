"""What "Naar keuken" says per station, and the kitchen screen's orders and "Klaar".

Stations: none, a printer up, a printer down, a screen, both. "Klaar" counts once under replay.
"""

from __future__ import annotations

import socket
import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from kiosk.api.openapi import SPEC
from kiosk.bistro.stations import get_station_warnings
from kiosk.extensions import db
from kiosk.models import KitchenOrder, Till
from kiosk.models.types import utcnow
from kiosk.organisation.people import add_till
from kiosk.printing.queue import add_printer
from kiosk.printing.worker import print_due_jobs
from tests.conftest import Shop
from tests.fake_printer import FakeNetworkPrinter
from tests.kiosk.api.test_openapi import check
from tests.kiosk.bistro_support import PREFIX, added, bistro_world, get, item, open_tab, post


@pytest.fixture
def w(app: Flask, shop: Shop) -> dict[str, Any]:
    """The bistro without any station yet."""
    return bistro_world(app, shop)


@pytest.fixture
def kitchen_printer() -> Iterator[FakeNetworkPrinter]:
    """A kitchen printer on loopback."""
    printer = FakeNetworkPrinter()
    try:
        yield printer
    finally:
        printer.close()


def closed_port_url() -> str:
    """Return the URL of a printer that is off: a loopback port nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"tcp://127.0.0.1:{port}"


def printer(app: Flask, url: str, role: str = "kitchen", name: str = "Keukenprinter") -> None:
    """Add a station printer to the bistro."""
    with app.app_context():
        add_printer(name, url, profile="TM-T20II", point_of_sale_code="BI", role=role)
        db.session.commit()


def screen(
    app: Flask, w: dict[str, Any], role: str = "kitchen", name: str = "Keukenscherm"
) -> None:
    """Pair a kitchen (or bar) screen with the bistro; its headers go in w[role]."""
    with app.app_context():
        _device, token = add_till(name, "BI", role=role)
        db.session.commit()
    w[role] = {"Authorization": f"Bearer {token}"}


def send(client: FlaskClient, w: dict[str, Any], *products: str) -> dict[str, Any]:
    """Open table 1's tab, add products and send them; return the answer (as documented)."""
    tab = open_tab(client, w)
    added(
        client, w, tab["id"], *(item(w, product, note=f"notitie {product}") for product in products)
    )
    response = post(client, w, f"/tabs/{tab['id']}/send", {"operator_id": w["operator_id"]})
    assert response.status_code == 200, response.get_json()
    return check(SPEC, "post", "/tabs/{tab_id}/send", response)


def by_station(answer: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Return the answer's per-station outcome by station."""
    return {outcome["station"]: outcome for outcome in answer["stations"]}


def test_no_station_says_missing_and_staff_are_warned(
    app: Flask, client: FlaskClient, w: dict[str, Any]
) -> None:
    answer = send(client, w, "soup", "beer", "cake")
    assert set(by_station(answer)) == {"kitchen", "bar"}  # the cake is made nowhere
    kitchen = by_station(answer)["kitchen"]
    assert kitchen == {
        "station": "kitchen",
        "state": "missing",
        "item_count": 1,
        "printed": False,
        "on_screen": False,
        "printers": [],
        "screens": [],
    }
    assert all(item["sent"] for item in answer["items"])  # the tab keeps its own truth
    with app.app_context():
        warnings = {(w.point_of_sale, w.station, w.state) for w in get_station_warnings(utcnow())}
    assert warnings == {("Bistro", "kitchen", "missing"), ("Bistro", "bar", "missing")}


def test_a_working_printer_says_printed(
    app: Flask, client: FlaskClient, w: dict[str, Any], kitchen_printer: FakeNetworkPrinter
) -> None:
    printer(app, kitchen_printer.url)
    answer = send(client, w, "soup", "pasta")
    assert answer["stations"] == [
        {
            "station": "kitchen",
            "state": "sent",
            "item_count": 2,
            "printed": True,
            "on_screen": False,
            "printers": [{"name": "Keukenprinter", "up": True}],
            "screens": [],
        }
    ]
    with app.app_context():
        assert print_due_jobs() == 1
        assert [warning.station for warning in get_station_warnings(utcnow())] == ["bar"]


def test_a_printer_that_fails_is_down(app: Flask, client: FlaskClient, w: dict[str, Any]) -> None:
    printer(app, closed_port_url())
    send(client, w, "soup")
    with app.app_context():
        assert print_due_jobs() == 0  # the printer is off: the job waits with its error
    tab = open_tab(client, w, 1)
    added(client, w, tab["id"], item(w, "pasta"))
    answer = post(client, w, f"/tabs/{tab['id']}/send", {"operator_id": w["operator_id"]})
    kitchen = by_station(answer.get_json())["kitchen"]
    assert kitchen["state"] == "down" and kitchen["printed"] is False
    assert kitchen["printers"] == [{"name": "Keukenprinter", "up": False}]
    with app.app_context():
        states = {(w.station, w.state) for w in get_station_warnings(utcnow())}
    assert ("kitchen", "down") in states


def test_a_screen_shows_the_order_and_a_silent_screen_is_down(
    app: Flask, client: FlaskClient, w: dict[str, Any]
) -> None:
    screen(app, w)
    assert get(client, w, "/kitchen/orders", headers="kitchen").status_code == 200  # seen now
    answer = send(client, w, "soup", "pasta", "beer")
    kitchen = by_station(answer)["kitchen"]
    assert kitchen["state"] == "sent" and kitchen["on_screen"] is True
    assert kitchen["printed"] is False and kitchen["screens"] == [
        {"name": "Keukenscherm", "up": True}
    ]
    assert by_station(answer)["bar"]["state"] == "missing"  # a kitchen screen is no bar

    orders = check(
        SPEC, "get", "/kitchen/orders", get(client, w, "/kitchen/orders", headers="kitchen")
    )
    assert orders["station"] == "kitchen"
    [order] = orders["orders"]
    assert order["table_name"] == "Tafel 1" and order["ready"] is False
    assert order["items"] == [
        {"quantity": 1, "name": "Soep", "notes": "notitie soup"},
        {"quantity": 1, "name": "Pasta", "notes": "notitie pasta"},
    ]

    with app.app_context():  # not seen for three minutes: down
        device = db.session.query(Till).filter_by(role="kitchen").one()
        device.last_seen_at = utcnow() - timedelta(minutes=3)
        db.session.commit()
    tab = open_tab(client, w, 1)
    added(client, w, tab["id"], item(w, "soup"))
    later = post(client, w, f"/tabs/{tab['id']}/send", {"operator_id": w["operator_id"]})
    kitchen = by_station(later.get_json())["kitchen"]
    assert kitchen["state"] == "down" and kitchen["on_screen"] is False
    orders = get(client, w, "/kitchen/orders", headers="kitchen").get_json()["orders"]
    assert [order["table_name"] for order in orders] == ["Tafel 1", "Tafel 2"]  # newest last


def test_printer_and_screen_both_get_the_order(
    app: Flask, client: FlaskClient, w: dict[str, Any], kitchen_printer: FakeNetworkPrinter
) -> None:
    printer(app, kitchen_printer.url)
    screen(app, w)
    get(client, w, "/kitchen/orders", headers="kitchen")
    kitchen = by_station(send(client, w, "soup"))["kitchen"]
    assert (kitchen["state"], kitchen["printed"], kitchen["on_screen"]) == ("sent", True, True)
    with app.app_context():
        assert print_due_jobs() == 1
    assert b"Soep" in kitchen_printer.wait_for_jobs(1)[0]
    assert len(get(client, w, "/kitchen/orders", headers="kitchen").get_json()["orders"]) == 1


def test_nothing_new_to_send_names_no_station(
    app: Flask, client: FlaskClient, w: dict[str, Any]
) -> None:
    answer = send(client, w, "soup")
    again = post(client, w, f"/tabs/{answer['id']}/send", {"operator_id": w["operator_id"]})
    assert again.get_json()["stations"] == []


def test_klaar_marks_the_order_ready_once_and_the_table_shows_it(
    app: Flask, client: FlaskClient, w: dict[str, Any]
) -> None:
    screen(app, w)
    send(client, w, "soup")
    [order] = get(client, w, "/kitchen/orders", headers="kitchen").get_json()["orders"]
    tables = get(client, w, "/tables").get_json()["tables"]
    assert tables[-1]["tab"]["ready"] is False  # Tafel 1 sits last in floor order
    key = str(uuid.uuid4())
    path = f"/kitchen/orders/{order['id']}/ready"
    first = post(client, w, path, None, headers="kitchen", key=key)
    assert check(SPEC, "post", "/kitchen/orders/{order_id}/ready", first)["ready"] is True
    with app.app_context():
        ready_at = db.session.get_one(KitchenOrder, order["id"]).ready_at
    for _replay in range(3):  # the offline queue sends the tap again: nothing changes
        again = post(client, w, path, None, headers="kitchen", key=key)
        assert again.status_code == 200 and again.get_json() == first.get_json()
    with app.app_context():
        assert db.session.get_one(KitchenOrder, order["id"]).ready_at == ready_at
    assert get(client, w, "/kitchen/orders", headers="kitchen").get_json()["orders"] == []
    tables = get(client, w, "/tables").get_json()["tables"]
    assert tables[-1]["tab"]["ready"] is True


def test_klaar_refusals(app: Flask, client: FlaskClient, w: dict[str, Any]) -> None:
    screen(app, w)
    screen(app, w, "bar", "Barscherm")
    send(client, w, "soup")
    [order] = get(client, w, "/kitchen/orders", headers="kitchen").get_json()["orders"]
    key = {"Idempotency-Key": str(uuid.uuid4())}
    unknown = client.post(f"{PREFIX}/kitchen/orders/99999/ready", headers={**w["kitchen"], **key})
    assert (
        check(SPEC, "post", "/kitchen/orders/{order_id}/ready", unknown)["error"] == "unknown_order"
    )
    other_station = client.post(
        f"{PREFIX}/kitchen/orders/{order['id']}/ready", headers={**w["bar"], **key}
    )
    assert other_station.status_code == 404  # the bar does not see the kitchen's orders
    till = client.post(
        f"{PREFIX}/kitchen/orders/{order['id']}/ready", headers={**w["headers"], **key}
    )
    assert check(SPEC, "post", "/kitchen/orders/{order_id}/ready", till)["error"] == "wrong_role"
    assert (
        check(SPEC, "get", "/kitchen/orders", get(client, w, "/kitchen/orders"))["error"]
        == "wrong_role"
    )
    no_key = client.post(f"{PREFIX}/kitchen/orders/{order['id']}/ready", headers=w["kitchen"])
    assert no_key.status_code == 400
    selling = post(client, w, "/sales", {"operator_id": w["operator_id"]}, headers="kitchen")
    assert selling.status_code == 403 and selling.get_json()["error"] == "wrong_role"
    catalog = get(client, w, "/catalog", headers="kitchen").get_json()
    assert catalog["till"]["role"] == "kitchen"
    with app.app_context():
        assert db.session.get_one(KitchenOrder, order["id"]).ready_at is None


def test_an_item_taken_off_after_sending_shows_as_a_cancel_on_the_screen(
    app: Flask, client: FlaskClient, w: dict[str, Any]
) -> None:
    screen(app, w)
    answer = send(client, w, "soup", "pasta")
    soup = answer["items"][0]
    cancel = f"/tabs/{answer['id']}/items/{soup['id']}/cancel"
    assert post(client, w, cancel, {"operator_id": w["operator_id"]}).status_code == 200
    orders = check(
        SPEC, "get", "/kitchen/orders", get(client, w, "/kitchen/orders", headers="kitchen")
    )
    assert [
        (order["cancel"], [line["name"] for line in order["items"]]) for order in orders["orders"]
    ] == [
        (False, ["Soep", "Pasta"]),
        (True, ["Soep"]),
    ]
