"""The bistro's floor in the back office: tables per point of sale, and the open tabs."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from kiosk.bistro.tables import TABLE_COLOURS, TableError, save_table, set_table_active
from kiosk.extensions import db
from kiosk.models import DiningTable, PointOfSale, Tab, TabItem
from kiosk.models.types import utcnow
from tests.admin.conftest import Team
from tests.conftest import Shop, csrf_token, found

NEW = "/admin/tables/new"


@pytest.fixture
def bistro(shop: Any) -> dict[str, int]:
    """A bistro and a farm shop, each a point of sale; their ids by code."""
    shop.point_of_sale("HW")
    shop.point_of_sale("BI", name="Bistro", consumption="eat_in")
    with shop.app.app_context():
        query = select(PointOfSale.code, PointOfSale.id)
        return {code: pos_id for code, pos_id in db.session.execute(query)}


def post_form(client: Any, url: str, **fields: str) -> Any:
    """Open the form at `url` and post the fields with its CSRF token."""
    page = client.get(url)
    assert page.status_code == 200
    return client.post(url, data={**fields, "csrf_token": csrf_token(page.text)})


def table_fields(point_of_sale_id: int | None, **overrides: str) -> dict[str, str]:
    """Return a filled-in table form."""
    fields = {"number": "4", "name": "", "colour": TABLE_COLOURS[1], "position": ""}
    if point_of_sale_id is not None:
        fields["point_of_sale"] = str(point_of_sale_id)
    return {**fields, **overrides}


def stored_tables(app: Flask) -> list[tuple[str, int, str, str, int, bool]]:
    """Return every table as (point of sale code, number, name, colour, position, active)."""
    with app.app_context():
        query = (
            select(
                PointOfSale.code,
                DiningTable.number,
                DiningTable.name,
                DiningTable.colour,
                DiningTable.position,
                DiningTable.active,
            )
            .join(PointOfSale)
            .order_by(PointOfSale.code, DiningTable.number)
        )
        return [(*row,) for row in db.session.execute(query)]


def add_table(app: Flask, code: str, number: int, **details: Any) -> int:
    """Add a table through the operation; return its id."""
    with app.app_context():
        pos = db.session.scalar(select(PointOfSale).where(PointOfSale.code == code))
        assert pos is not None
        table = save_table(None, pos, number, **details)
        db.session.commit()
        return table.id


def field_errors(html: str) -> list[str]:
    """Return the messages shown next to fields."""
    return re.findall(r'<p class="field-error">([^<]*)</p>', html)


# --- setting up the floor ------------------------------------------------------------------------


def test_a_manager_adds_a_table_named_after_its_number(
    app: Flask, manager: FlaskClient, bistro: dict[str, int]
) -> None:
    response = post_form(manager, NEW, **table_fields(bistro["BI"]))
    assert response.status_code == 302
    assert stored_tables(app) == [("BI", 4, "Tafel 4", TABLE_COLOURS[1], 4, True)]
    listing = manager.get("/admin/tables").text
    assert "<h2" in listing and "Bistro" in listing
    row = found(r"<tr>(?:(?!</tr>).)*Tafel 4(?:(?!</tr>).)*</tr>", listing, re.S).group(0)
    assert f'style="background-color: {TABLE_COLOURS[1]}"' in row
    assert "Blauw" in row and "actief" in row
    assert "Tafel 4 is toegevoegd." in listing


def test_the_form_offers_the_palette_as_named_swatches_not_a_free_colour(
    manager: FlaskClient, bistro: dict[str, int]
) -> None:
    page = manager.get(f"{NEW}?point_of_sale={bistro['BI']}").text
    radios = re.findall(r'<input[^>]*name="colour"[^>]*>', page)
    assert len(radios) == len(TABLE_COLOURS)
    assert all('type="radio"' in radio for radio in radios)
    assert sorted(found(r'value="([^"]+)"', radio).group(1) for radio in radios) == sorted(
        TABLE_COLOURS
    )
    for name in ("Groen", "Blauw", "Rood", "Paars", "Grijs"):
        assert name in page
    assert 'type="color"' not in page
    # the point of sale from the link is chosen already
    assert re.search(rf'<option selected value="{bistro["BI"]}">Bistro</option>', page)


def relative_luminance(colour: str) -> float:
    """Return the WCAG relative luminance of a #rrggbb colour."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_every_palette_colour_carries_white_text_readably() -> None:
    assert len(set(TABLE_COLOURS)) == len(TABLE_COLOURS) >= 8
    for colour in TABLE_COLOURS:
        assert re.fullmatch(r"#[0-9a-f]{6}", colour)
        contrast = 1.05 / (relative_luminance(colour) + 0.05)
        assert contrast >= 4.5, colour  # 3:1 suffices for big numbers; these do better
    assert DiningTable.colour.default.arg in TABLE_COLOURS


def test_only_palette_colours_are_taken(
    app: Flask, manager: FlaskClient, bistro: dict[str, int]
) -> None:
    for colour in ("#ffffff", "red", ""):
        response = post_form(manager, NEW, **table_fields(bistro["BI"], colour=colour))
        assert response.status_code == 200
        assert "Kies een van de kleuren." in field_errors(response.text)
        assert 'value="4"' in response.text  # what was typed stays
    assert stored_tables(app) == []


def test_a_manager_changes_a_table(
    app: Flask, manager: FlaskClient, bistro: dict[str, int]
) -> None:
    table_id = add_table(app, "BI", 3)
    page = manager.get(f"/admin/tables/{table_id}").text
    assert 'name="point_of_sale"' not in page  # a table stays at its point of sale
    assert "Verkooppunt: Bistro" in page
    assert re.search(rf'<input checked[^>]*value="{TABLE_COLOURS[0]}"', page)
    response = post_form(
        manager,
        f"/admin/tables/{table_id}",
        number="5",
        name="Raamtafel",
        colour=TABLE_COLOURS[5],
        position="1",
    )
    assert response.status_code == 302
    assert stored_tables(app) == [("BI", 5, "Raamtafel", TABLE_COLOURS[5], 1, True)]


def test_a_number_is_unique_per_point_of_sale(
    app: Flask, manager: FlaskClient, bistro: dict[str, int]
) -> None:
    add_table(app, "BI", 4)
    other = add_table(app, "BI", 6)
    response = post_form(manager, NEW, **table_fields(bistro["BI"], name="Terras"))
    assert response.status_code == 200
    assert "Bistro heeft al een tafel 4." in field_errors(response.text)
    assert 'value="Terras"' in response.text
    changed = post_form(manager, f"/admin/tables/{other}", **table_fields(None, number="4"))
    assert "Bistro heeft al een tafel 4." in field_errors(changed.text)
    # the farm shop may have its own table 4
    assert post_form(manager, NEW, **table_fields(bistro["HW"])).status_code == 302
    assert [row[:2] for row in stored_tables(app)] == [("BI", 4), ("BI", 6), ("HW", 4)]


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("", "Geef het nummer van de tafel, bv. 4."),
        ("vier", "Schrijf een geheel getal, bv. 3."),
        ("0", "Geef een tafelnummer van 1 tot 999."),
        ("1000", "Geef een tafelnummer van 1 tot 999."),
    ],
)
def test_a_bad_number_is_explained(
    app: Flask, manager: FlaskClient, bistro: dict[str, int], number: str, message: str
) -> None:
    response = post_form(manager, NEW, **table_fields(bistro["BI"], number=number))
    assert response.status_code == 200
    assert message in field_errors(response.text)
    assert stored_tables(app) == []


def test_the_operation_refuses_what_the_form_would(app: Flask, bistro: dict[str, int]) -> None:
    add_table(app, "BI", 1)
    with app.app_context():
        pos = db.session.get_one(PointOfSale, bistro["BI"])
        for number, details, code in (
            (1, {}, "number_taken"),
            (2, {"colour": "#000000"}, "invalid_colour"),
            (0, {}, "invalid_number"),
            (2, {"position": -1}, "invalid_position"),
            (2, {"name": "x" * 41}, "invalid_name"),
        ):
            with pytest.raises(TableError) as refused:
                save_table(None, pos, number, **details)
            assert refused.value.code == code
        db.session.rollback()
        assert db.session.scalar(select(func.count(DiningTable.id))) == 1


# --- switching off and on ------------------------------------------------------------------------


def open_tab(app: Flask, table_id: int, opened_by: int | None, **tab: Any) -> int:
    """Open a tab on the table, as the till would; return its id."""
    with app.app_context():
        table = db.session.get_one(DiningTable, table_id)
        row = Tab(
            point_of_sale_id=table.point_of_sale_id, table_id=table.id, opened_by_id=opened_by
        )
        for key, value in tab.items():
            setattr(row, key, value)
        db.session.add(row)
        db.session.commit()
        return row.id


def switch(client: Any, table_id: int, action: str, back: str = "") -> Any:
    """Press a table's switch-off or switch-on button on the list."""
    page = client.get("/admin/tables")
    return client.post(
        f"/admin/tables/{table_id}/{action}",
        data={"csrf_token": csrf_token(page.text), "back": back},
        follow_redirects=True,
    )


def test_a_table_with_an_open_tab_cannot_be_switched_off(
    app: Flask, manager: FlaskClient, bistro: dict[str, int], team: Team
) -> None:
    table_id = add_table(app, "BI", 2)
    tab_id = open_tab(app, table_id, team.staff)
    assert "open rekening" in manager.get("/admin/tables").text
    refused = switch(manager, table_id, "deactivate")
    assert "Tafel 2 heeft nog een open rekening." in refused.text
    assert 'class="flash error"' in refused.text
    assert stored_tables(app)[0][-1] is True
    with app.app_context():
        db.session.get_one(Tab, tab_id).state = "paid"
        db.session.commit()
    done = switch(manager, table_id, "deactivate", back="edit")
    assert "Tafel 2 is uitgezet." in done.text
    assert "Deze tafel is uitgezet: de kassa toont ze niet." in done.text  # back on its page
    assert stored_tables(app)[0][-1] is False
    assert "Tafel 2 staat weer op de kassa." in switch(manager, table_id, "reactivate").text
    assert stored_tables(app)[0][-1] is True


def test_the_operation_refuses_switching_off_a_table_with_an_open_tab(
    app: Flask, bistro: dict[str, int]
) -> None:
    table_id = add_table(app, "BI", 2)
    open_tab(app, table_id, None)
    with app.app_context():
        table = db.session.get_one(DiningTable, table_id)
        with pytest.raises(TableError) as refused:
            set_table_active(table, False)
        assert refused.value.code == "table_has_open_tab"


def test_staff_see_the_open_tabs_but_cannot_set_up_tables(
    staff: FlaskClient, bistro: dict[str, int]
) -> None:
    assert staff.get("/admin/tables").status_code == 403
    assert staff.get(NEW).status_code == 403
    assert "Er zijn geen open rekeningen." in staff.get("/admin/tabs").text


# --- the open tabs -------------------------------------------------------------------------------


def order(
    tab_id: int, product_id: int, description: str, quantity_milli: int, price: int, **kw: Any
) -> TabItem:
    """Return an item ordered on a tab."""
    return TabItem(
        tab_id=tab_id,
        client_key=f"{description}-{quantity_milli}",
        product_id=product_id,
        description=description,
        unit=kw.pop("unit", "piece"),
        quantity_milli=quantity_milli,
        unit_price_cents=price,
        consumption="eat_in",
        **kw,
    )


def test_the_open_tabs_page_lists_table_age_total_items_and_who(
    app: Flask, staff: FlaskClient, shop: Shop, bistro: dict[str, int], team: Team
) -> None:
    coffee = shop.product("Koffie", price_cents=220, point_of_sale="BI")
    soup = shop.product("Soep van de dag", price_cents=400, point_of_sale="BI")
    cheese = shop.product("Kaasplank", price_cents=3600, point_of_sale="BI", unit="kg")
    three = add_table(app, "BI", 3, colour=TABLE_COLOURS[6])
    five = add_table(app, "BI", 5, name="Terras")
    now = utcnow()
    busy = open_tab(app, three, team.staff, opened_at=now - timedelta(minutes=75))
    open_tab(app, five, None, opened_at=now - timedelta(minutes=5))
    paid = add_table(app, "BI", 7)
    open_tab(app, paid, team.staff, state="paid")
    with app.app_context():
        db.session.add_all(
            [
                order(busy, coffee, "Koffie", 2000, 220, sent_at=now),
                order(busy, soup, "Soep van de dag", 1000, 400, note="zonder brood"),
                order(busy, cheese, "Kaasplank", 250, 3600, unit="kg", sent_at=now),
                order(busy, soup, "Soep van de dag", 3000, 400, cancelled_at=now),
            ]
        )
        db.session.commit()
    page = staff.get("/admin/tabs").text
    rows = re.findall(r"<tr>(?:(?!</tr>).)*</tr>", page.split("<tbody>")[1], re.S)
    assert len(rows) == 2  # the paid tab is gone from the floor
    first, second = rows
    assert "Tafel 3" in first and f"background-color: {TABLE_COLOURS[6]}" in first
    assert "1 u 15 min open" in first
    # 2 × 2,20 + 4,00 + 0,25 kg × 36,00; the cancelled soup left out; all of it still to pay
    amounts = re.findall(r'<td class="amount">([^<]*)</td>', first)
    assert amounts == ["17,40 €", "17,40 €"]
    assert "2 × Koffie" in first and "0,25 kg × Kaasplank" in first
    assert "1 × Soep van de dag" in first and "(zonder brood)" in first
    assert "nog niet doorgestuurd" in first
    assert "3 × Soep" not in first
    assert "Sam" in first
    assert "Terras" in second and "5 min open" in second and "nog niets besteld" in second
    assert "0,00 €" in second


def test_a_partly_paid_tab_shows_what_is_still_to_pay(
    app: Flask, staff: FlaskClient, shop: Shop, bistro: dict[str, int]
) -> None:
    # the tab is opened, filled and partly paid through the till's API, as on the floor
    coffee = shop.product("Koffie", price_cents=220, point_of_sale="BI", vat_class="soft_drink")
    soup = shop.product("Soep", price_cents=400, point_of_sale="BI", vat_class="takeaway_meal")
    table_id = add_table(app, "BI", 2)
    _till, token = shop.till("BI", name="Bistro 1")
    operator = shop.user("Jan")
    api = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    opened = api.post(
        f"/api/v1/tables/{table_id}/tab", json={"operator_id": operator}, headers=headers
    )
    assert opened.status_code == 201
    tab_id = opened.get_json()["id"]
    items = [
        {"client_key": "k1", "product_id": coffee, "quantity": "2"},
        {"client_key": "k2", "product_id": soup, "quantity": "1"},
    ]
    filled = api.post(
        f"/api/v1/tabs/{tab_id}/items",
        json={"operator_id": operator, "items": items},
        headers=headers,
    )
    assert filled.status_code == 200
    coffee_item = next(i["id"] for i in filled.get_json()["items"] if i["client_key"] == "k1")
    paid = api.post(
        f"/api/v1/tabs/{tab_id}/payments",
        json={
            "operator_id": operator,
            "split": {"kind": "items", "item_ids": [coffee_item]},
            "payments": [{"method": "card", "amount_cents": 440}],
        },
        headers={**headers, "Idempotency-Key": "tables-page-1"},
    )
    assert paid.status_code == 201
    page = staff.get("/admin/tabs").text
    row = re.findall(r"<tr>(?:(?!</tr>).)*</tr>", page.split("<tbody>")[1], re.S)[0]
    assert re.findall(r'<td class="amount">([^<]*)</td>', row) == ["8,40 €", "4,00 €"]
    assert re.search(r"2 × Koffie <span class=\"notice\">– betaald</span>", row)
    assert "Jan" in row
