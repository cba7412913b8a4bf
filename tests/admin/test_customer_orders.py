"""Back office: customers' orders taken, changed, cancelled, handed over; the round and stock."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from kiosk.extensions import db
from kiosk.models import AuditEntry, CustomerOrder, Sale
from kiosk.models.types import utcnow
from kiosk.printing.queue import add_printer
from kiosk.printing.worker import print_due_jobs
from kiosk.stock.queries import get_on_hand, get_reserved
from printers.formatting import columns_row
from tests.admin.conftest import logged_in
from tests.admin.stock_support import deliver, post_form, stock_shop_fixture, today  # noqa: F401
from tests.fake_printer import FakeNetworkPrinter
from tests.printers.escpos_stream import printed_lines

LIST = "/admin/customer-orders"


def order_form(shop: dict[str, Any], **fields: str) -> dict[str, str]:
    """Fill the form: a delivery today of 2 bread and about half a kilo of cheese."""
    return {
        "point_of_sale": str(shop["farm"]),
        "name": "Maria Peeters",
        "phone": "0470 12 34 56",
        "note": "Achterdeur",
        "fulfilment": "delivery",
        "address": "Dorpsstraat 1, 9999 Ergens",
        "day": today().strftime("%d-%m-%Y"),
        "slot": "10:00-11:00",
        "payment": "on_collection",
        "lines-0-product": str(shop["bread"]),
        "lines-0-quantity": "2",
        "lines-1-product": str(shop["cheese"]),
        "lines-1-quantity": "0,5",
        **fields,
    }


def stored(app: Flask) -> list[CustomerOrder]:
    """Return the stored orders with their lines read."""
    with app.app_context():
        orders = list(db.session.scalars(select(CustomerOrder).order_by(CustomerOrder.id)))
        for order in orders:
            _ = [(line.product_id, line.quantity_milli) for line in order.lines]
            db.session.expunge(order)
        return orders


def test_staff_take_change_and_cancel_an_order_and_print_the_round(
    app: Flask, staff: FlaskClient, stock_shop: dict[str, Any], fake_printer: FakeNetworkPrinter
) -> None:
    deliver(app, stock_shop["bread"], stock_shop["shelf"], 10_000, None)
    refused = post_form(staff, f"{LIST}/new", order_form(stock_shop, address="", phone="12"))
    assert refused.status_code == 200
    assert "Geef het telefoonnummer van de klant" in refused.text
    assert stored(app) == []
    no_address = post_form(staff, f"{LIST}/new", order_form(stock_shop, address=""))
    assert "Een levering heeft het adres van de klant nodig." in no_address.text
    made = post_form(staff, f"{LIST}/new", order_form(stock_shop))
    assert made.status_code == 302
    shown = staff.get(made.headers["Location"])
    assert "De bestelling is bewaard." in shown.text
    assert "Maria Peeters" in shown.text and "0470 12 34 56" in shown.text
    assert "Dorpsstraat 1" in shown.text and "Achterdeur" in shown.text
    assert "(geschat)" in shown.text
    order = stored(app)[0]
    assert [(ln.product_id, ln.quantity_milli) for ln in order.lines] == [
        (stock_shop["bread"], 2000),
        (stock_shop["cheese"], 500),
    ]
    # the stock shows the 2 bread as reserved: 10 on hand, 8 available
    levels = staff.get("/admin/stock")
    row = re.search(r"Boerenbrood</a></td>.*?</tr>", levels.text, re.S)
    assert row is not None
    assert re.findall(r'class="amount">([^<]*)<', row.group(0))[:3] == ["10 st.", "2 st.", "8 st."]
    ledger = staff.get(f"/admin/stock/products/{stock_shop['bread']}").text
    assert "gereserveerd voor bestellingen: 2 st. · beschikbaar: 8 st." in ledger
    # the morning list shows the order to prepare, by first name
    morning = staff.get("/admin/stock/morning-list")
    assert "Bestellingen klaar te maken vandaag" in morning.text
    assert ">Maria</a>" in morning.text and "10:00-11:00" in morning.text
    # changed while open
    edit = f"{LIST}/{order.id}/edit"
    changed = post_form(staff, edit, order_form(stock_shop, **{"lines-0-quantity": "3"}))
    assert changed.status_code == 302
    assert stored(app)[0].lines[0].quantity_milli == 3000
    # the round slip lists the stop with its address, items and the amount to collect
    tomorrow = today() + timedelta(days=1)
    later = order_form(stock_shop, name="Jef", slot="09:00-10:00", address="Kerkstraat 2")
    assert post_form(staff, f"{LIST}/new", later).status_code == 302
    pickup = order_form(stock_shop, name="Lies", fulfilment="pickup", address="")
    assert post_form(staff, f"{LIST}/new", pickup).status_code == 302
    on_tomorrow = order_form(stock_shop, name="Piet", day=tomorrow.strftime("%d-%m-%Y"))
    assert post_form(staff, f"{LIST}/new", on_tomorrow).status_code == 302
    round_slip = staff.get(f"{LIST}/round?day={today().isoformat()}")
    assert round_slip.status_code == 200
    stops = re.findall(r'<h2 id="stop-\d+">([^<]*)</h2>', round_slip.text)
    assert stops == ["1. 09:00-10:00 · Jef", "2. 10:00-11:00 · Maria Peeters"]
    assert "Kerkstraat 2" in round_slip.text and "Lies" not in round_slip.text
    assert "Te innen: 23,85 €" in round_slip.text  # 3 × 3,80 + 0,5 kg × 24,90
    # and on the receipt printer, as a slip with the same stops and amounts
    with app.app_context():
        add_printer("Toog", fake_printer.url, profile="TM-T20II", point_of_sale_code="HW")
        db.session.commit()
    round_url = f"{LIST}/round?day={today().isoformat()}"
    queued = post_form(staff, f"{LIST}/round/print?day={today().isoformat()}", {}, page=round_url)
    assert queued.status_code == 302
    assert "Het rapport staat in de printwachtrij van Toog." in staff.get(round_url).text
    with app.app_context():
        assert print_due_jobs() == 1
    paper = printed_lines(fake_printer.wait_for_jobs(1)[0])
    maria = paper.index("2. 10:00-11:00 Maria Peeters")
    assert paper[maria + 1 : maria + 7] == [
        "Dorpsstraat 1, 9999 Ergens",
        "0470 12 34 56",
        "Achterdeur",
        columns_row("[ ] 3 st. x Boerenbrood", "11,40 €", 48)[0],
        columns_row("[ ] 0,500 kg x Hoevekaas", "12,45 €", 48)[0],
        "Te innen: 23,85 €",
    ]
    assert "1. 09:00-10:00 Jef" in paper and "Lies" not in " ".join(paper)
    listed = staff.get(f"{LIST}?day={today().isoformat()}&q=maria")
    assert "Maria Peeters" in listed.text and "Jef" not in listed.text
    # cancelled: nothing reserved any more, and no more changes
    cancelled = post_form(staff, f"{LIST}/{order.id}/cancel", {}, page=f"{LIST}/{order.id}")
    assert cancelled.status_code == 302
    assert stored(app)[0].status == "cancelled"
    again = post_form(staff, edit, order_form(stock_shop))
    assert again.status_code == 200 and "Deze bestelling is geannuleerd." in again.text
    assert stored(app)[0].lines[0].quantity_milli == 3000
    with app.app_context():  # each step in the audit log, by the staff member who took it
        steps = db.session.execute(
            select(AuditEntry.action, AuditEntry.user_name)
            .where(AuditEntry.subject == f"customer_order:{order.id}")
            .order_by(AuditEntry.id)
        ).all()
    assert {tuple(step) for step in steps} == {
        ("customer_order.taken", "Sam"),
        ("customer_order.changed", "Sam"),
        ("customer_order.cancelled", "Sam"),
    }


def test_an_order_on_the_monthly_invoice_is_handed_over_and_listed_for_the_month(
    app: Flask, staff: FlaskClient, stock_shop: dict[str, Any]
) -> None:
    fields = order_form(
        stock_shop,
        payment="invoice",
        association_name="VZW De Linde",
        **{"lines-1-product": "", "lines-1-quantity": ""},
    )
    deliver(app, stock_shop["bread"], stock_shop["shelf"], 5000, today())
    made = post_form(staff, f"{LIST}/new", fields)
    order_id = int(made.headers["Location"].rsplit("/", 1)[1])
    handed = post_form(staff, f"{LIST}/{order_id}/hand-over", {}, page=f"{LIST}/{order_id}")
    assert handed.status_code == 302
    again = post_form(staff, f"{LIST}/{order_id}/hand-over", {}, page=f"{LIST}/{order_id}")
    assert again.status_code == 302
    # handing over books one ordinary sale, paid "invoice": a ticket, VAT, the goods out
    with app.app_context():
        sale = db.session.scalars(select(Sale)).one()
        assert db.session.get_one(CustomerOrder, order_id).sale_id == sale.id
        assert sale.receipt_number == "HW1-000001" and sale.total_cents == 760
        assert [(p.method, p.amount_cents) for p in sale.payments] == [("invoice", 760)]
        assert [(v.rate_basis_points, v.vat_cents) for v in sale.vat_totals] == [(600, 43)]
        assert sale.rounding_cents == 0 and sale.operator.name == "Sam"
        assert get_on_hand(stock_shop["bread"], stock_shop["shelf"]) == 3000
        assert get_reserved({stock_shop["bread"]}) == {}
    month = staff.get(f"{LIST}/invoice?month={today().strftime('%Y-%m')}")
    assert "Maria Peeters" in month.text and "7,60 €" in month.text
    assert "meegegeven op factuur" in staff.get(f"{LIST}/{order_id}").text
    # a back-office login erases the customer's data once the order is 30 days done with
    with app.app_context():
        order = db.session.get_one(CustomerOrder, order_id)
        order.handed_over_at = utcnow() - timedelta(days=31)
        db.session.commit()
    logged_in(app, "Sam")
    assert stored(app)[0].customer_name is None
    assert "(gewist)" in staff.get(f"{LIST}/invoice?month={today().strftime('%Y-%m')}").text
