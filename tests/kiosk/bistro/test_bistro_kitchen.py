"""Orders reach the kitchen and bar printers (loopback fakes) by product, with notes.

A removed item that was sent gets an ANNULEER ticket; a reprint says so.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from kiosk.extensions import db
from kiosk.models import Printer
from kiosk.printing.queue import add_printer
from kiosk.printing.worker import print_due_jobs
from tests.conftest import Shop
from tests.fake_printer import FakeNetworkPrinter
from tests.kiosk.api.test_openapi import check
from tests.kiosk.bistro_support import added, assert_error, bistro_world, item, open_tab, post
from tests.printers.escpos_stream import printed_lines, printed_text


@pytest.fixture
def stations() -> Iterator[dict[str, FakeNetworkPrinter]]:
    """A kitchen and a bar printer on loopback, and one in the farm shop's kitchen."""
    printers = {name: FakeNetworkPrinter() for name in ("kitchen", "bar", "elsewhere")}
    try:
        yield printers
    finally:
        for printer in printers.values():
            printer.close()


@pytest.fixture
def w(app: Flask, shop: Shop, stations: dict[str, FakeNetworkPrinter]) -> dict[str, Any]:
    """The bistro with its kitchen and bar printers (and an inactive one)."""
    world = bistro_world(app, shop)
    with app.app_context():
        for role in ("kitchen", "bar"):
            add_printer(
                f"Bistro {role}",
                stations[role].url,
                profile="TM-T20II",
                point_of_sale_code="BI",
                role=role,
            )
        add_printer(
            "Hoeve keuken",
            stations["elsewhere"].url,
            profile="TM-T20II",
            point_of_sale_code="HW",
            role="kitchen",
        )
        add_printer(
            "Oude keuken",
            stations["elsewhere"].url,
            profile="TM-T20II",
            point_of_sale_code="BI",
            role="kitchen",
        )
        db.session.query(Printer).filter_by(name="Oude keuken").one().active = False
        db.session.commit()
    return world


def print_now(app: Flask) -> int:
    """Run the print worker once; return how many jobs it printed."""
    with app.app_context():
        return print_due_jobs()


def action(client: FlaskClient, w: dict[str, Any], tab_id: int, what: str) -> TestResponse:
    """POST send, reprint or an item's cancel for the operator."""
    return post(client, w, f"/tabs/{tab_id}/{what}", {"operator_id": w["operator_id"]})


def test_sending_prints_one_ticket_per_station_with_table_items_and_notes(
    app: Flask, client: FlaskClient, w: dict[str, Any], stations: dict[str, FakeNetworkPrinter]
) -> None:
    tab = open_tab(client, w)
    added(
        client,
        w,
        tab["id"],
        item(w, "soup", note="zonder room"),
        item(w, "pasta", "2", note="1 x veggie\nsaus apart"),
        item(w, "beer", "2"),
        item(w, "cake"),
    )
    assert action(client, w, tab["id"], "send").status_code == 200
    assert print_now(app) == 2
    kitchen = printed_text(stations["kitchen"].wait_for_jobs(1)[0])
    bar = printed_text(stations["bar"].wait_for_jobs(1)[0])
    assert "KEUKEN" in kitchen and "Tafel 1" in kitchen
    assert "1 x Soep" in kitchen and "zonder room" in kitchen
    assert "2 x Pasta" in kitchen and "1 x veggie" in kitchen and "saus apart" in kitchen
    assert "Hoevebier" not in kitchen and "Taart" not in kitchen and "Jan" in kitchen
    assert "BAR" in bar and "Tafel 1" in bar and "2 x Hoevebier" in bar and "Soep" not in bar
    assert "ANNULEER" not in kitchen + bar and "HERDRUK" not in kitchen + bar

    assert action(client, w, tab["id"], "send").status_code == 200  # nothing new: nothing printed
    added(client, w, tab["id"], item(w, "juice"))
    action(client, w, tab["id"], "send")
    assert print_now(app) == 1
    later = printed_text(stations["bar"].wait_for_jobs(2)[1])
    assert "1 x Appelsap" in later and "Hoevebier" not in later
    assert len(stations["kitchen"].jobs) == 1 and stations["elsewhere"].jobs == []


def test_cancelling_a_sent_item_prints_annuleer_and_an_unsent_one_prints_nothing(
    app: Flask, client: FlaskClient, w: dict[str, Any], stations: dict[str, FakeNetworkPrinter]
) -> None:
    tab = open_tab(client, w)
    soup, _pasta = added(
        client, w, tab["id"], item(w, "soup", note="zonder room"), item(w, "pasta")
    )["items"]
    action(client, w, tab["id"], "send")
    late = added(client, w, tab["id"], item(w, "pasta", "3"))["items"][2]
    assert action(client, w, tab["id"], f"items/{late['id']}/cancel").status_code == 200
    assert action(client, w, tab["id"], f"items/{soup['id']}/cancel").status_code == 200
    assert print_now(app) == 2
    order, cancel = stations["kitchen"].wait_for_jobs(2)
    assert "ANNULEER" not in printed_text(order)
    lines = printed_lines(cancel)
    text = printed_text(cancel)
    assert sum("ANNULEER" in line for line in lines) == 2  # above and below the items
    assert "Tafel 1" in text and "1 x Soep" in text and "zonder room" in text
    assert "Pasta" not in text  # the pasta stays; the unsent 3 pasta never reached the kitchen
    assert stations["bar"].jobs == []


def test_a_reprint_prints_the_sent_items_again_marked_herdruk(
    app: Flask, client: FlaskClient, w: dict[str, Any], stations: dict[str, FakeNetworkPrinter]
) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()
    tab = open_tab(client, w)
    soup, _pasta, _beer = added(
        client, w, tab["id"], item(w, "soup"), item(w, "pasta"), item(w, "beer")
    )["items"]
    action(client, w, tab["id"], "send")
    action(client, w, tab["id"], f"items/{soup['id']}/cancel")
    added(client, w, tab["id"], item(w, "soup", note="niet verzonden"))
    assert print_now(app) == 3  # kitchen and bar orders, the soup's ANNULEER
    response = action(client, w, tab["id"], "reprint")
    assert response.status_code == 202
    assert check(spec, "post", "/tabs/{tab_id}/reprint", response)["id"] == tab["id"]
    assert print_now(app) == 2
    kitchen = printed_text(stations["kitchen"].wait_for_jobs(3)[2])
    bar = printed_text(stations["bar"].wait_for_jobs(2)[1])
    assert "Tafel 1 HERDRUK" in kitchen and "1 x Pasta" in kitchen
    assert "Soep" not in kitchen and "niet verzonden" not in kitchen
    assert "Tafel 1 HERDRUK" in bar and "1 x Hoevebier" in bar


def test_a_moved_tab_is_ordered_under_its_new_table(
    app: Flask, client: FlaskClient, w: dict[str, Any], stations: dict[str, FakeNetworkPrinter]
) -> None:
    tab = open_tab(client, w)
    added(client, w, tab["id"], item(w, "soup"))
    moved = post(
        client,
        w,
        f"/tabs/{tab['id']}/move",
        {"operator_id": w["operator_id"], "table_id": w["tables"][2]},
    )
    assert moved.status_code == 200
    action(client, w, tab["id"], "send")
    print_now(app)
    assert "Tafel 3" in printed_text(stations["kitchen"].wait_for_jobs(1)[0])


def test_without_a_station_printer_items_are_sent_but_nothing_is_printed(
    app: Flask, client: FlaskClient, w: dict[str, Any], stations: dict[str, FakeNetworkPrinter]
) -> None:
    with app.app_context():
        db.session.query(Printer).filter_by(name="Bistro bar").one().active = False
        db.session.commit()
    tab = open_tab(client, w)
    added(client, w, tab["id"], item(w, "beer"))
    assert action(client, w, tab["id"], "send").get_json()["items"][0]["sent"] is True
    assert print_now(app) == 0
    assert_error(action(client, w, tab["id"], "reprint"), 409, "nothing_to_print")


def test_moving_a_tab_with_sent_items_tells_each_station_where_they_go(
    app: Flask, client: FlaskClient, w: dict[str, Any], stations: dict[str, FakeNetworkPrinter]
) -> None:
    tab = open_tab(client, w)
    soup, _beer, cake = added(
        client, w, tab["id"], item(w, "soup"), item(w, "beer", "2"), item(w, "cake")
    )["items"]
    action(client, w, tab["id"], "send")
    action(client, w, tab["id"], f"items/{soup['id']}/cancel")
    added(client, w, tab["id"], item(w, "pasta"))  # not sent: the kitchen does not know of it
    assert print_now(app) == 3  # kitchen and bar orders, the soup's ANNULEER
    body = {"operator_id": w["operator_id"], "table_id": w["tables"][2]}
    assert post(client, w, f"/tabs/{tab['id']}/move", body).status_code == 200
    assert print_now(app) == 1  # the bar only: the kitchen has nothing of this tab to make
    notice = " ".join(printed_text(stations["bar"].wait_for_jobs(2)[1]).split())
    assert "VERPLAATST: Tafel 1 > Tafel 3" in notice and "2 x Hoevebier" in notice
    assert "ANNULEER" not in notice and cake["description"] not in notice
    assert post(client, w, f"/tabs/{tab['id']}/move", body).status_code == 200  # already there
    assert print_now(app) == 0
    assert len(stations["kitchen"].jobs) == 2
