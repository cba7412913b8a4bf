"""Back office: orders to producers from suggestions, sent, printed, mailed, received."""

from __future__ import annotations

import csv
import html
import io
import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from kiosk.extensions import db
from kiosk.models import Delivery, Lot, PurchaseOrder
from tests.admin.stock_support import ledger_rows, post_form, today
from tests.kiosk.orders.orders_support import orders_shop_fixture  # noqa: F401

LIST = "/admin/purchase-orders"


def sheet(bread: str, cheese: str, note: str = "") -> dict[str, str]:
    """Fill the sheet's two rows (Boerenbrood, then Hoevekaas) with quantities and prices."""
    return {
        "lines-0-product": bread.split("|")[0],
        "lines-0-quantity": bread.split("|")[1],
        "lines-0-purchase_price": bread.split("|")[2],
        "lines-1-product": cheese.split("|")[0],
        "lines-1-quantity": cheese.split("|")[1],
        "lines-1-purchase_price": cheese.split("|")[2],
        "note": note,
    }


def make_order(staff: FlaskClient, orders_shop: dict[str, Any]) -> int:
    """Make a draft through the sheet: 5 bread at 2,10 and 3,6 kg cheese; return its id."""
    url = f"{LIST}/new?producer={orders_shop['linde']}"
    data = sheet(f"{orders_shop['bread']}|5|2,10", f"{orders_shop['cheese']}|3,6|", "Graag vroeg")
    response = post_form(staff, url, data)
    assert response.status_code == 302
    return int(response.headers["Location"].rsplit("/", 1)[1])


def test_the_sheet_offers_the_suggestions_and_makes_a_numbered_draft(
    app: Flask, staff: FlaskClient, orders_shop: dict[str, Any]
) -> None:
    page = staff.get(f"{LIST}/new?producer={orders_shop['linde']}")
    assert page.status_code == 200
    assert "Nieuwe bestelling bij Hoeve De Linde" in page.text
    assert re.search(r'id="lines-0-quantity"[^>]*value="8"', page.text)  # bread: 8 suggested
    assert re.search(r'id="lines-0-purchase_price"[^>]*value="2,10"', page.text)  # last price
    assert re.search(r'id="lines-1-quantity"[^>]*value="3,600"', page.text)  # cheese, kg
    assert "Eieren" not in page.text and "Oud brood" not in page.text
    data = sheet(f"{orders_shop['bread']}|8|2,10", f"{orders_shop['cheese']}|3,600|")
    made = post_form(staff, f"{LIST}/new?producer={orders_shop['linde']}", data)
    assert made.status_code == 302
    shown = staff.get(made.headers["Location"])
    assert "Bestelling 1 is klaar als ontwerp." in shown.text
    assert "Bestelling 1 bij Hoeve De Linde" in shown.text and "ontwerp" in shown.text
    # the draft now counts as ordered: a new sheet suggests nothing more of either
    again = staff.get(f"{LIST}/new?producer={orders_shop['linde']}")
    assert re.search(r'id="lines-0-quantity"[^>]*value=""', again.text)
    assert re.search(r'id="lines-1-quantity"[^>]*value=""', again.text)
    listed = staff.get(LIST)
    assert "Bestelling 1" in listed.text and "Hoeve De Linde" in listed.text
    assert "16,80 €" in listed.text  # 8 × 2,10; the cheese has no price


def test_a_draft_is_changed_sent_and_cannot_be_changed_after(
    app: Flask, staff: FlaskClient, orders_shop: dict[str, Any]
) -> None:
    order_id = make_order(staff, orders_shop)
    url = f"{LIST}/{order_id}"
    data = sheet(f"{orders_shop['bread']}|8|2,20", f"{orders_shop['cheese']}||")
    assert post_form(staff, url, data).status_code == 302
    with app.app_context():
        order = db.session.get_one(PurchaseOrder, order_id)
        assert [
            (ln.product_id, ln.quantity_milli, ln.purchase_price_cents) for ln in order.lines
        ] == [(orders_shop["bread"], 8000, 220)]
    assert post_form(staff, f"{url}/send", {}, page=url).status_code == 302
    shown = staff.get(url)
    assert "verstuurd" in shown.text and "Ontvangen: levering boeken" in shown.text
    assert 'name="lines-0-quantity"' not in shown.text  # a sent order is no longer a form
    again = post_form(staff, f"{url}/send", {}, page=url)
    assert "Deze bestelling is al verstuurd." in staff.get(again.headers["Location"]).text


def test_bad_sheets_are_explained_and_store_nothing(
    app: Flask, staff: FlaskClient, orders_shop: dict[str, Any]
) -> None:
    url = f"{LIST}/new?producer={orders_shop['linde']}"
    bread, cheese = orders_shop["bread"], orders_shop["cheese"]
    wrong = post_form(staff, url, sheet(f"{bread}|vijf|2,10", f"{cheese}|1|-3"))
    assert wrong.status_code == 200
    assert 'value="vijf"' in wrong.text and wrong.text.count('class="field-error"') == 2
    empty = post_form(staff, url, sheet(f"{bread}||", f"{cheese}|0|"))
    assert "Vul bij minstens één product een aantal in." in empty.text
    eggs = post_form(staff, url, sheet(f"{orders_shop['eggs']}|5|", f"{cheese}|1|"))
    assert "Een product hoort niet bij deze producent." in eggs.text
    no_product = post_form(staff, url, {"lines-5-quantity": "3"})  # a row past the sheet
    assert no_product.status_code == 200
    assert "Een product hoort niet bij deze producent." in no_product.text
    nobody = staff.get(f"{LIST}/new?producer=99999")
    assert nobody.status_code == 302
    assert "Kies eerst een producent." in staff.get(LIST).text
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PurchaseOrder)) == 0
    assert staff.get(f"{LIST}/99999").status_code == 404


def test_csv_print_and_mail_text_carry_the_lines(
    app: Flask, staff: FlaskClient, orders_shop: dict[str, Any]
) -> None:
    order_id = make_order(staff, orders_shop)
    response = staff.get(f"{LIST}/{order_id}/csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert 'filename="bestelling-1-hoeve-de-linde.csv"' in response.headers["Content-Disposition"]
    assert response.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert rows == [
        [
            "bestelling",
            "producent",
            "product",
            "ean",
            "eenheid",
            "hoeveelheid",
            "aankoopprijs",
            "totaal",
        ],
        ["1", "Hoeve De Linde", "Boerenbrood", "", "stuk", "5", "2,10", "10,50"],
        ["1", "Hoeve De Linde", "Hoevekaas", "", "kg", "3,6", "", ""],
    ]
    printed = staff.get(f"{LIST}/{order_id}/print")
    assert printed.status_code == 200
    text = html.unescape(printed.text)
    assert "Bestelling 1" in text and "Hoeve De Linde" in text
    assert "Boerenbrood" in text and "5 st." in text and "10,50 €" in text
    assert "3,600 kg" in text and "Graag vroeg" in text
    mail = staff.get(f"{LIST}/{order_id}/mail")
    assert mail.status_code == 200
    textarea = re.search(r"<textarea[^>]*readonly>(.*?)</textarea>", mail.text, re.S)
    assert textarea is not None
    body = html.unescape(textarea.group(1))
    assert body.startswith("Onderwerp: Bestelling 1 van ")
    assert "Beste Mieke," in body
    assert "- 5 stuks Boerenbrood (aan 2,10 € per stuk)\n- 3,600 kg Hoevekaas\n" in body
    assert "Verwacht totaal: 10,50 €" in body and "Graag vroeg" in body
    assert "mieke@delinde.be" in mail.text


def test_receiving_pre_fills_the_delivery_and_booking_links_it_once(
    app: Flask, staff: FlaskClient, orders_shop: dict[str, Any]
) -> None:
    order_id = make_order(staff, orders_shop)
    for odd in ("²", "99999", "abc"):
        unknown = staff.get(f"/admin/deliveries/new?purchase_order={odd}")
        assert unknown.status_code == 302
        assert "Deze bestelling bestaat niet." in staff.get(unknown.headers["Location"]).text
    draft = staff.get(f"/admin/deliveries/new?purchase_order={order_id}")
    assert draft.status_code == 302  # a draft is not sent yet: nothing to receive
    assert "Alleen een verstuurde bestelling" in staff.get(draft.headers["Location"]).text
    post_form(staff, f"{LIST}/{order_id}/send", {}, page=f"{LIST}/{order_id}")
    url = f"/admin/deliveries/new?purchase_order={order_id}"
    form = staff.get(url)
    assert "De regels komen uit bestelling 1." in form.text
    assert re.search(rf'<option selected value="{orders_shop["linde"]}">Hoeve De Linde', form.text)
    assert re.search(
        rf'id="lines-0-product"[^>]*>.*?<option selected value="{orders_shop["bread"]}"',
        form.text,
        re.S,
    )
    assert re.search(r'id="lines-0-quantity"[^>]*value="5"', form.text)
    assert re.search(r'id="lines-0-purchase_price"[^>]*value="2,10"', form.text)
    assert re.search(r'id="lines-1-quantity"[^>]*value="3,600"', form.text)
    assert re.search(rf'name="purchase_order" type="hidden" value="{order_id}"', form.text)
    data = {
        "producer": str(orders_shop["linde"]),
        "purchase_order": str(order_id),
        "delivered_on": today().isoformat(),
        "location": str(orders_shop["shelf"]),
        "lines-0-product": str(orders_shop["bread"]),
        "lines-0-quantity": "4",  # one short
        "lines-0-purchase_price": "2,10",
        "lines-1-product": str(orders_shop["cheese"]),
        "lines-1-quantity": "3,600",
    }
    booked = post_form(staff, "/admin/deliveries/new", data, page=url)
    assert booked.status_code == 302
    with app.app_context():
        order = db.session.get_one(PurchaseOrder, order_id)
        delivery = db.session.get_one(Delivery, order.delivery_id)
        assert order.status == "received" and delivery.producer_id == orders_shop["linde"]
        lots = db.session.scalars(select(Lot).where(Lot.delivery_id == delivery.id)).all()
        assert len(lots) == 2
    assert booked.headers["Location"] == f"/admin/deliveries/{delivery.id}"
    before = ledger_rows(app)
    twice = post_form(staff, "/admin/deliveries/new", data)
    assert twice.status_code == 200 and "Deze bestelling is al ontvangen." in twice.text
    assert ledger_rows(app) == before
    shown = staff.get(f"{LIST}/{order_id}")
    assert "ontvangen met deze levering" in shown.text
