"""Back office: vending machines, their compartments, a visit (refill, count) and the cash box.

One machine with three compartments is built once for the module; each test starts from its
rows. Everything goes through the pages as staff use them; the database then says what was
booked: stock moved first expiry first, sales at the compartments' prices with their VAT, waste
of what was past its date, and the cash against what the sales brought.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from kiosk.cash.reports import z_report_document
from kiosk.extensions import db
from kiosk.models import (
    AuditEntry,
    Location,
    Payment,
    PointOfSale,
    Producer,
    Product,
    Sale,
    SaleLine,
    StockMove,
    VendingCompartment,
    VendingCount,
    VendingEmptying,
    ZReport,
)
from kiosk.reports.day_figures import SalesScope, get_figures
from kiosk.reports.settlement import get_settlement
from kiosk.stock.queries import get_lot_balances, get_on_hand
from kiosk.vending.machines import add_machine, save_compartment
from kiosk.vending.queries import get_machine_location, get_machine_till
from tests.admin.conftest import Team, logged_in, make_team
from tests.admin.stock_support import deliver, post_form, today
from tests.conftest import (
    Shop,
    StoredRows,
    base_config,
    close_app,
    csrf_token,
    make_farm_shop,
    open_app,
)


@dataclass(frozen=True)
class World:
    """The ids of the module's shop: the stock room, the machine and its compartments."""

    room: int
    machine: int
    machine_location: int
    bread: int  # compartment 1: Boerenbrood, 6 fit, the product's price (3,80)
    eggs: int  # compartment 2: Eieren (6), 10 fit, 3,00 in the machine (2,95 in the shop)
    candle: int  # compartment 3: Kaars, 4 fit, 12,50 (21 % VAT)
    products: dict[str, int]


@dataclass(frozen=True)
class Shared:
    """The module's app, its world and the rows that make them."""

    app: Flask
    world: World
    team: Team
    rows: StoredRows


@pytest.fixture(scope="module")
def shared(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shared]:
    """Build the shop, its stock room with dated lots, and the machine, once for the module."""
    application = open_app(base_config(database_url), tmp_path_factory.mktemp("instance"))
    farm_shop = make_farm_shop(Shop(application))
    team = make_team(application)
    with application.app_context():
        room = Location(code="BERGING", name="Berging", kind="stockroom")
        hens = Producer(name="Kippenhof", consignment=True, commission_percent=20)
        db.session.add_all([room, hens])
        db.session.flush()
        db.session.get_one(Product, farm_shop["eggs"]).producer_id = hens.id
        machine = add_machine("AU", "Automaat")
        products = {
            name: db.session.get_one(Product, farm_shop[name])
            for name in ("bread", "eggs", "candle")
        }
        bread = save_compartment(None, machine, 1, products["bread"], 6)
        eggs = save_compartment(None, machine, 2, products["eggs"], 10, 300)
        candle = save_compartment(None, machine, 3, products["candle"], 4)
        db.session.commit()
        location = get_machine_location(machine)
        assert location is not None
        world = World(
            room.id,
            machine.id,
            location.id,
            bread.id,
            eggs.id,
            candle.id,
            {name: product.id for name, product in products.items()},
        )
    # the stock room: bread of two days, the earlier lot too small to fill the compartment
    deliver(application, farm_shop["bread"], world.room, 2000, today() + timedelta(days=1), "B1")
    deliver(application, farm_shop["bread"], world.room, 10000, today() + timedelta(days=5), "B5")
    deliver(application, farm_shop["eggs"], world.room, 20000, today() + timedelta(days=14), "E")
    deliver(application, farm_shop["candle"], world.room, 3000, None, "K")
    with application.app_context():
        rows = StoredRows()
    yield Shared(application, world, team, rows)
    close_app(application)


@pytest.fixture
def app(shared: Shared) -> Flask:
    """Return the module's app with its tables holding just the world's rows again."""
    with shared.app.app_context():
        shared.rows.put_back()
    return shared.app


@pytest.fixture
def world(app: Flask, shared: Shared) -> World:
    """Return the module's machine and shop."""
    return shared.world


@pytest.fixture
def staff(app: Flask) -> FlaskClient:
    """Return a client logged in as the staff member (Sam)."""
    return logged_in(app, "Sam")


def refill(staff: FlaskClient, world: World, pieces: dict[int, str]) -> Any:
    """Post the refill round from the stock room with these pieces per compartment."""
    data = {"source": str(world.room)} | {f"fill-{key}": value for key, value in pieces.items()}
    return post_form(staff, "/admin/vending/refill", data)


def count(staff: FlaskClient, world: World, left: dict[int, str], expired: dict[int, str]) -> Any:
    """Post a count of the machine: pieces left and pieces past date per compartment."""
    data = {f"left-{key}": value for key, value in left.items()}
    data |= {f"expired-{key}": value for key, value in expired.items()}
    return post_form(staff, f"/admin/vending/{world.machine}/count", data)


def inside(app: Flask, world: World) -> dict[int, int]:
    """Return the pieces in each compartment."""
    with app.app_context():
        return {c.id: c.count_inside for c in db.session.scalars(select(VendingCompartment))}


def on_hand(app: Flask, product_id: int, location_id: int) -> int:
    """Return a product's on-hand at a location, in pieces."""
    with app.app_context():
        return get_on_hand(product_id, location_id) // 1000


def test_compartments_are_added_changed_and_removed_by_staff(
    app: Flask, staff: FlaskClient, world: World
) -> None:
    listing = staff.get("/admin/vending")
    assert "Automaat" in listing.text and "Aanvulronde" in listing.text
    page = staff.get(f"/admin/vending/{world.machine}")
    assert "Boerenbrood" in page.text and "3,00" in page.text  # the eggs' own price
    assert "/pictograms/1F35E.svg" in page.text  # the product's picture, as on the till
    new = f"/admin/vending/{world.machine}/compartments/new"
    added = post_form(
        staff, new, {"number": "4", "product": str(world.products["bread"]), "capacity": "5"}
    )
    assert added.status_code == 302
    with app.app_context():
        fourth = db.session.scalar(select(VendingCompartment).where(VendingCompartment.number == 4))
        assert fourth is not None and fourth.price_cents == 380 and fourth.capacity == 5
        fourth_id = fourth.id
    taken = post_form(
        staff, new, {"number": "1", "product": str(world.products["bread"]), "capacity": "5"}
    )
    assert "Deze automaat heeft al een vak 1." in taken.text
    edit = f"/admin/vending/compartments/{fourth_id}"
    changed = post_form(
        staff,
        edit,
        {"number": "4", "product": str(world.products["bread"]), "capacity": "8", "price": "4,00"},
    )
    assert changed.status_code == 302
    with app.app_context():
        fourth = db.session.get_one(VendingCompartment, fourth_id)
        assert (fourth.capacity, fourth.price_cents) == (8, 400)
    removed = post_form(staff, f"{edit}/remove", {}, page=f"/admin/vending/{world.machine}")
    assert removed.status_code == 302
    with app.app_context():
        assert db.session.get(VendingCompartment, fourth_id) is None
        actions = db.session.scalars(select(AuditEntry.action)).all()
        assert (
            actions.count("vending.compartment") == 5 and "vending.compartment_removed" in actions
        )


def test_a_weighed_product_or_a_too_small_compartment_is_refused_in_dutch(
    app: Flask, staff: FlaskClient, world: World
) -> None:
    with app.app_context():
        cheese = db.session.scalar(select(Product.id).where(Product.unit == "kg"))
    new = f"/admin/vending/{world.machine}/compartments/new"
    assert f'<option value="{cheese}"' not in staff.get(new).text  # pieces only
    weighed = post_form(staff, new, {"number": "4", "product": str(cheese), "capacity": "5"})
    assert weighed.status_code == 200 and "Ongeldige keuze." in weighed.text
    with app.app_context():
        assert db.session.scalar(select(func.count(VendingCompartment.id))) == 3
    refill(staff, world, {world.bread: "6", world.eggs: "0", world.candle: "0"})
    edit = f"/admin/vending/compartments/{world.bread}"
    smaller = post_form(
        staff, edit, {"number": "1", "product": str(world.products["bread"]), "capacity": "4"}
    )
    assert "Er passen 6 tot 999 stuks in een vak (er zitten er nu 6 in)." in smaller.text
    emptied_first = post_form(staff, f"{edit}/remove", {}, page=f"/admin/vending/{world.machine}")
    assert emptied_first.status_code == 302
    with app.app_context():
        compartment = db.session.get_one(VendingCompartment, world.bread)
        assert (compartment.capacity, compartment.count_inside) == (6, 6)


def test_a_visit_fills_first_expiry_first_books_sales_and_waste_and_counts_the_cash(
    app: Flask, staff: FlaskClient, world: World
) -> None:
    round_page = staff.get("/admin/vending/refill")
    assert "Mee te nemen" in round_page.text
    assert 'aria-label="Eén meer: Boerenbrood in vak 1"' in round_page.text
    filled = refill(staff, world, {world.bread: "6", world.eggs: "10", world.candle: "2"})
    assert filled.status_code == 302
    # the bread: both pieces of the lot of tomorrow first, then four of the later lot
    assert on_hand(app, world.products["bread"], world.room) == 6
    with app.app_context():
        lots = get_lot_balances(world.products["bread"], world.machine_location)
        assert [(b.best_before, b.quantity_milli) for b in lots] == [
            (today() + timedelta(days=1), 2000),
            (today() + timedelta(days=5), 4000),
        ]
        bread = db.session.get_one(VendingCompartment, world.bread)
        assert bread.best_before == today() + timedelta(days=1)
    assert inside(app, world) == {world.bread: 6, world.eggs: 10, world.candle: 2}
    morning = staff.get("/admin/stock/morning-list?days=2")
    section = morning.text.split('id="in-machines"')[1].split("</section>")[0]
    assert "Boerenbrood" in section and "Eieren" not in section

    # the count: 3 bread left of which 2 past date, 7 eggs left, 2 candles (none sold)
    counted = count(
        staff,
        world,
        {world.bread: "3", world.eggs: "7", world.candle: "2"},
        {world.bread: "2", world.eggs: "0", world.candle: "0"},
    )
    assert counted.status_code == 302
    message = staff.get(counted.headers["Location"]).text
    assert "6 stuks verkocht (20,40 €), 2 over datum" in message
    with app.app_context():
        machine = db.session.get_one(PointOfSale, world.machine)
        till = get_machine_till(machine)
        assert till is not None and till.role == "vending"
        sale = db.session.scalars(select(Sale)).one()
        assert sale.till_id == till.id and sale.point_of_sale_id == world.machine
        lines = db.session.scalars(select(SaleLine).order_by(SaleLine.position)).all()
        assert [
            (
                line.description,
                line.quantity_milli,
                line.unit_price_cents,
                line.vat_rate_basis_points,
            )
            for line in lines
        ] == [
            ("Boerenbrood", 3000, 380, 600),
            ("Eieren (6)", 3000, 300, 600),
        ]
        assert sale.total_cents == 2040
        payment = db.session.scalars(select(Payment)).one()
        assert (payment.method, payment.amount_cents, sale.change_cents) == ("cash", 2040, 0)
        figures = get_figures(SalesScope(today(), today(), point_of_sale_id=world.machine))
        assert figures.turnover_cents == 2040 and figures.payments == {"cash": 2040}
        assert [(v.rate_basis_points, v.gross_cents, v.vat_cents) for v in figures.vat] == [
            (600, 2040, 115)
        ]
        hens = db.session.scalar(select(Producer).where(Producer.name == "Kippenhof"))
        assert hens is not None
        settlement = get_settlement(hens, today(), today())
        assert (settlement.turnover_cents, settlement.commission_cents) == (900, 180)
        # waste first, from the lot of tomorrow (what is past date); the sale took the rest
        waste = db.session.scalars(select(StockMove).where(StockMove.kind == "waste")).all()
        assert [
            (move.quantity_milli, move.reason, move.lot.best_before if move.lot else None)
            for move in waste
        ] == [(-2000, "expired", today() + timedelta(days=1))]
        assert get_on_hand(world.products["bread"], world.machine_location) == 1000
        assert get_on_hand(world.products["eggs"], world.machine_location) == 7000
        bread = db.session.get_one(VendingCompartment, world.bread)
        assert bread.best_before == today() + timedelta(days=5)
        vending_count = db.session.scalars(select(VendingCount)).one()
        assert vending_count.sale_id == sale.id
        actions = db.session.scalars(select(AuditEntry.action)).all()
        assert {"vending.refilled", "vending.counted", "stock_waste"} <= set(actions)
    assert inside(app, world) == {world.bread: 1, world.eggs: 7, world.candle: 2}
    round_page = staff.get(f"/admin/vending/refill?machine={world.machine}")
    assert f'name="fill-{world.bread}" value="5"' in round_page.text

    # the cash box: the sales brought 20,40 €; 20 € and 20 cents were in it
    empty_page = staff.get(f"/admin/vending/{world.machine}/empty")
    assert "20,40" in empty_page.text and 'alt=""' in empty_page.text
    emptied = post_form(
        staff,
        f"/admin/vending/{world.machine}/empty",
        {
            f"piece_{value}": "0"
            for value in (50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1)
        }
        | {"piece_2000": "1", "piece_20": "1", "difference_reason": "munt vast"},
    )
    assert emptied.status_code == 302
    listing = staff.get(emptied.headers["Location"])
    assert "20,40" in listing.text and "20,20" in listing.text and "tekort" in listing.text
    with app.app_context():
        emptying = db.session.scalars(select(VendingEmptying)).one()
        assert (emptying.expected_cents, emptying.counted_cents, emptying.difference_cents) == (
            2040,
            2020,
            -20,
        )
        assert json.loads(emptying.counted_pieces) == {"2000": 1, "20": 1}
        assert emptying.note == "munt vast"
        assert "vending.emptied" in db.session.scalars(select(AuditEntry.action)).all()
    # a second emptying expects only what was sold since the first: nothing
    again = staff.get(f"/admin/vending/{world.machine}/empty")
    assert "Verkocht sindsdien" in again.text and "0,00" in again.text
    period = staff.get(
        f"/admin/vending/emptyings?machine={world.machine}&from={today()}&to={today()}"
    )
    assert "munt vast" in period.text
    before = staff.get(f"/admin/vending/emptyings?to={today() - timedelta(days=1)}")
    assert "Geen ledigingen in deze periode." in before.text


def test_each_count_closes_the_machine_tills_day_with_a_z_report_and_no_drawer(
    app: Flask, staff: FlaskClient, world: World
) -> None:
    refill(staff, world, {world.bread: "6", world.eggs: "0", world.candle: "0"})
    zero = {world.eggs: "0", world.candle: "0"}
    count(staff, world, {world.bread: "4"} | zero, {world.bread: "0"} | zero)
    with app.app_context():
        z_report = db.session.scalars(select(ZReport)).one()
        frozen = json.loads(z_report.figures)
        assert (z_report.number, z_report.business_day, frozen["machine"]) == (1, today(), True)
        assert frozen["figures"]["sales_count"] == 1 and frozen["figures"]["payments"] == {
            "cash": 760
        }
        till_id, z_id = z_report.till_id, z_report.id
        paper = z_report_document(z_report, 42).lines
        assert "AUTOMAAT" in paper and "KASLADE" not in paper
    manager = logged_in(app, "Mia")
    shown = manager.get(f"/admin/z-reports/{z_id}").text
    assert "Een automaat heeft geen kaslade" in shown and "Verwacht in de lade" not in shown
    # a second count that day comes after the day's Z: late, held by the next Z
    count(staff, world, {world.bread: "3"} | zero, {world.bread: "0"} | zero)
    with app.app_context():
        late = db.session.scalars(select(Sale).order_by(Sale.id.desc()).limit(1)).one()
        assert late.late and late.closing_day == today() + timedelta(days=1)
        assert db.session.scalar(select(func.count(ZReport.id))) == 1
    overview = manager.get(f"/admin/cash?day={today()}").text
    assert "Afgesloten (Z 1)" in overview and "Geld uit de automaat" in overview
    assert f"/admin/cash/{till_id}/{today()}/count" not in overview
    counting = manager.get(f"/admin/cash/{till_id}/{today()}/count")
    assert counting.headers["Location"].endswith(f"/admin/vending/{world.machine}/empty")
    # the manager closes a machine's day without a count: the emptying is its count
    tomorrow = (today() + timedelta(days=1)).isoformat()
    closed = post_form(manager, f"/admin/cash/{till_id}/{tomorrow}/close", {})
    assert closed.status_code == 302
    with app.app_context():
        second = db.session.scalars(select(ZReport).where(ZReport.number == 2)).one()
        assert [sale["receipt_number"] for sale in json.loads(second.figures)["figures"]["late"]]


def test_the_count_page_lists_the_past_counts_with_their_sale(
    app: Flask, staff: FlaskClient, world: World
) -> None:
    assert (
        "Deze automaat is nog niet geteld."
        in staff.get(f"/admin/vending/{world.machine}/count").text
    )
    refill(staff, world, {world.bread: "6", world.eggs: "0", world.candle: "0"})
    zero = {world.eggs: "0", world.candle: "0"}
    count(staff, world, {world.bread: "4"} | zero, {world.bread: "1"} | zero)
    count(staff, world, {world.bread: "3"} | zero, {world.bread: "0"} | zero)  # nothing sold
    with app.app_context():
        sale = db.session.scalars(select(Sale)).one()
        sale_id, receipt = sale.id, sale.receipt_number
    page = staff.get(f"/admin/vending/{world.machine}/count").text
    listed = page.split('id="past-counts"')[1].split("</table>")[0]
    rows = [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).split()
        for row in listed.split("<tr>")[2:]
    ]
    # newest first: when (day and time), who, sold, amount, past date, receipt
    assert [row[2:] for row in rows] == [
        ["Sam", "0", "0,00", "€", "0", "–"],
        ["Sam", "2", "7,60", "€", "1", receipt],
    ]
    assert f'href="/admin/sales/{sale_id}">{receipt}</a>' in listed


def test_points_of_sale_show_their_kind_and_a_machine_stays_cash_only_and_a_machine(
    app: Flask, world: World
) -> None:
    manager = logged_in(app, "Mia")
    listed = manager.get("/admin/points-of-sale").text
    cells = re.findall(r"<td>([^<]*)</td>", listed.split(">AU</a>")[1].split("</tr>")[0])
    assert cells[:4] == ["Automaat", "Automaat", "Meenemen", "Contant"]  # name, kind, …
    assert "<td>Kassa</td>" in listed
    edit = f"/admin/points-of-sale/{world.machine}"
    machine = {"code": "AU", "name": "Automaat", "default_consumption": "takeaway"}
    for method in ("card", "qr"):
        paid = post_form(manager, edit, machine | {"kind": "automaat", "payment_methods": method})
        assert paid.status_code == 200
        assert "Een automaat neemt alleen contant geld aan: kaart of QR kan daar niet." in paid.text
    kassa = post_form(manager, edit, machine | {"kind": "kassa", "payment_methods": "cash"})
    assert "Automaat heeft al vakken of verkopen: of het een kassa" in kassa.text
    with app.app_context():
        au = db.session.get_one(PointOfSale, world.machine)
        assert (au.kind, au.payment_methods) == ("automaat", "cash")
    # a point of sale with nothing tied to it becomes a machine (location, till), and back
    stall = {"code": "KR", "name": "Kraam", "default_consumption": "takeaway"}
    added = post_form(
        manager,
        "/admin/points-of-sale/new",
        stall | {"kind": "automaat", "payment_methods": "cash"},
    )
    assert added.status_code == 302
    with app.app_context():
        kraam = db.session.scalars(select(PointOfSale).where(PointOfSale.code == "KR")).one()
        till, location = get_machine_till(kraam), get_machine_location(kraam)
        assert till is not None and till.revoked_at is None
        assert location is not None and location.kind == "vending"
        kraam_id = kraam.id
    back = post_form(
        manager,
        f"/admin/points-of-sale/{kraam_id}",
        stall | {"kind": "kassa", "payment_methods": ["cash", "card"]},
    )
    assert back.status_code == 302
    with app.app_context():
        kraam = db.session.get_one(PointOfSale, kraam_id)
        till = get_machine_till(kraam)
        assert kraam.kind == "kassa" and till is not None and till.revoked_at is not None


def test_a_wrong_cash_count_is_refused_and_stores_nothing(
    app: Flask, staff: FlaskClient, world: World
) -> None:
    url = f"/admin/vending/{world.machine}/empty"
    for typed in ("-1", "2,5", "10000"):
        answer = post_form(staff, url, {"piece_2000": typed})
        assert answer.status_code == 200
        assert "Typ een heel aantal van 0 tot 9999." in answer.text
    with app.app_context():
        assert db.session.scalar(select(func.count(VendingEmptying.id))) == 0


@pytest.mark.parametrize(
    ("left", "expired", "message"),
    [
        ("-1", "0", "Een hoeveelheid kan niet negatief zijn."),
        ("twee", "0", "Typ een getal, bv. 3 of 1,250."),
        ("", "0", "Vul een aantal in (0 als er geen zijn)."),
        ("7", "0", "Automaat, vak 1 (Boerenbrood): er passen maar 6 stuks in."),
        ("5", "0", "Automaat, vak 1 (Boerenbrood): er zaten maar 4 stuks in. Tel opnieuw."),
        ("2", "3", "er kunnen niet meer stuks over datum zijn dan er nog in zitten."),
    ],
)
def test_a_wrong_count_is_refused_in_dutch_and_changes_nothing(
    app: Flask, staff: FlaskClient, world: World, left: str, expired: str, message: str
) -> None:
    refill(staff, world, {world.bread: "4", world.eggs: "0", world.candle: "0"})
    before = (inside(app, world), on_hand(app, world.products["bread"], world.machine_location))
    with app.app_context():
        moves = db.session.scalar(select(func.count(StockMove.id)))
    answer = count(
        staff,
        world,
        {world.bread: left, world.eggs: "0", world.candle: "0"},
        {world.bread: expired, world.eggs: "0", world.candle: "0"},
    )
    assert answer.status_code == 200
    assert message in answer.text
    assert (
        inside(app, world),
        on_hand(app, world.products["bread"], world.machine_location),
    ) == before
    with app.app_context():
        assert db.session.scalar(select(func.count(Sale.id))) == 0
        assert db.session.scalar(select(func.count(VendingCount.id))) == 0
        assert db.session.scalar(select(func.count(StockMove.id))) == moves


def test_a_refill_beyond_the_room_left_is_refused_and_moves_nothing(
    app: Flask, staff: FlaskClient, world: World
) -> None:
    too_many = refill(staff, world, {world.bread: "7", world.eggs: "0", world.candle: "0"})
    assert too_many.status_code == 200
    assert "Automaat, vak 1 (Boerenbrood): er passen nog maar 6 stuks bij." in too_many.text
    nothing = refill(staff, world, {world.bread: "0", world.eggs: "0", world.candle: "0"})
    assert "Vul minstens één vak aan." in nothing.text
    assert on_hand(app, world.products["bread"], world.room) == 12
    assert inside(app, world) == {world.bread: 0, world.eggs: 0, world.candle: 0}


def audit_file(vends: dict[int, int]) -> bytes:
    """Return an EVA-DTS audit file with these paid vends counters per selection."""
    lines = ["DXS*XYZ1234567*VA*V0/6*1", "ST*001*0001", "ID1*123456**0001", "CA1*CA123**0001"]
    for number, count in vends.items():
        lines += [f"PA1*{number}*250", f"PA2*{count}*{count * 250}*0*0"]
    lines += ["EA1*EGS*260101*0800", "G85*1A2B", "SE*12*0001", "DXE*1*1"]
    return "\r\n".join(lines).encode("ascii") + b"\r\n"


def read_audit_file(staff: FlaskClient, world: World, content: bytes) -> Any:
    """Post an audit file on the machine's count page."""
    page = staff.get(f"/admin/vending/{world.machine}/count")
    return staff.post(
        f"/admin/vending/{world.machine}/dex",
        data={"csrf_token": csrf_token(page.text), "audit_file": (io.BytesIO(content), "au.dex")},
        content_type="multipart/form-data",
    )


def test_an_audit_file_books_what_was_sold_since_the_last_one(
    app: Flask, staff: FlaskClient, world: World
) -> None:
    refill(staff, world, {world.bread: "6", world.eggs: "10", world.candle: "0"})
    # the first file only sets where the counters start; selection 9 has no compartment
    first = read_audit_file(staff, world, audit_file({1: 100, 2: 40, 9: 7}))
    assert first.status_code == 302
    assert "hun tellers zijn nu het vertrekpunt" in staff.get(first.headers["Location"]).text
    with app.app_context():
        assert db.session.scalar(select(func.count(Sale.id))) == 0
    second = read_audit_file(staff, world, audit_file({1: 103, 2: 40, 9: 9}))
    assert second.status_code == 302
    assert "3 stuks verkocht (11,40 €)" in staff.get(second.headers["Location"]).text
    assert inside(app, world) == {world.bread: 3, world.eggs: 10, world.candle: 0}
    with app.app_context():
        line = db.session.scalars(select(SaleLine)).one()
        assert (line.description, line.quantity_milli, line.amount_cents) == (
            "Boerenbrood",
            3000,
            1140,
        )
    assert on_hand(app, world.products["bread"], world.machine_location) == 3
    # a counter that went back, more sold than was inside, or another file: refused, nothing booked
    for content, message in (
        (audit_file({1: 101}), "de teller staat lager dan vorige keer (103)."),
        (audit_file({1: 110}), "het bestand telt 7 verkocht, er zaten er maar 3 in."),
        (b"%PDF-1.4 not an audit file", "Dit is geen EVA-DTS-auditbestand (DEX) van een automaat."),
        ("DXS*\u00e9".encode(), "Dit is geen EVA-DTS-auditbestand (DEX) van een automaat."),
    ):
        refused = read_audit_file(staff, world, content)
        assert refused.status_code == 422 and message in refused.text
    assert inside(app, world) == {world.bread: 3, world.eggs: 10, world.candle: 0}
    with app.app_context():
        assert db.session.scalar(select(func.count(Sale.id))) == 1
        counters = db.session.scalars(
            select(VendingCompartment.dex_vends).order_by(VendingCompartment.number)
        )
        assert list(counters) == [103, 40, None]
