"""Back office: a producer's e-invoice read, matched, checked against its order and booked."""

from __future__ import annotations

import os
import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from kiosk.extensions import db
from kiosk.models import AuditEntry, Producer, Product
from tests.admin.einvoice_support import (
    PEPPOL,
    UPLOAD,
    dairy_fixture,  # noqa: F401
    form_values,
    invoiced_lines,
    received_lines,
    upload,
)
from tests.admin.stock_support import ledger_rows, post_form
from tests.conftest import csrf_token
from tests.kiosk.orders.orders_support import orders_shop_fixture  # noqa: F401

INVOICE = (PEPPOL / "belgian-dairy-invoice.xml").read_bytes()


def stored(app: Flask) -> list[Any]:
    """Return what an import could change: ledger rows, audit entries, item codes, kept files."""
    with app.app_context():
        codes = sorted(filter(None, db.session.scalars(select(Product.supplier_item_code))))
        entries = len(db.session.scalars(select(AuditEntry.id)).all())
    folder = app.instance_path + "/einvoices"
    files = sorted(os.listdir(folder)) if os.path.isdir(folder) else []
    return [ledger_rows(app), entries, codes, files]


def test_lines_match_by_ean_and_item_code_and_the_rest_wait_for_a_choice(
    app: Flask, staff: FlaskClient, dairy: dict[str, Any]
) -> None:
    uploaded = upload(staff, INVOICE)
    assert uploaded.status_code == 302
    page = staff.get(uploaded.headers["Location"])
    assert page.status_code == 200
    assert "E-factuur VL-2026-0412 van Hoevezuivel Vleminckx" in page.text
    # milk and butter by EAN, young cheese by item code: shown by name, no choice
    for position in (1, 2, 3):
        assert f'name="line-{position}"' not in page.text
    assert 'name="line-4"' in page.text  # KAAS-B: nobody has that code yet
    choice = re.search(r'name="line-4">(.*?)</select>', page.text, re.S)
    assert choice is not None
    assert "Hoevekaas belegen" in choice.group(1) and "Boerenbrood" not in choice.group(1)
    assert "24" in page.text and "4,250 kg" in page.text and "2,500 kg" in page.text
    assert "14,51" in page.text and "16,50" in page.text and "3,00" in page.text
    with app.app_context():
        entry = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "einvoice.imported")
        ).one()
        assert entry.summary == (
            "E-factuur VL-2026-0412 van Hoevezuivel Vleminckx ingelezen: 3 van 4 regel(s) herkend."
        )


def test_the_order_differences_are_listed_as_warnings(
    staff: FlaskClient, dairy: dict[str, Any]
) -> None:
    page = staff.get(upload(staff, INVOICE).headers["Location"])
    assert "Verschillen met de bestelling" in page.text
    assert "De factuur hoort bij bestelling 1." in page.text
    assert "Hoeveboter 250 g: besteld 12, gefactureerd 10." in page.text
    assert "Hoevekaas jong: verwachte prijs € 14,00, gefactureerd € 14,51." in page.text
    assert "Hoeve-ijs vanille 500 ml is besteld maar niet gefactureerd." in page.text
    assert "Hoevemelk 1 l:" not in page.text  # the same quantity and price
    chosen = post_form(staff, page.request.path, {"line-4": str(dairy["aged"])})
    shown = staff.get(chosen.headers["Location"])
    assert shown.status_code == 200  # the differences never stop the form


def test_a_chosen_match_is_remembered_and_the_booked_delivery_equals_the_invoice(
    app: Flask, staff: FlaskClient, dairy: dict[str, Any]
) -> None:
    match_page = upload(staff, INVOICE).headers["Location"]
    unchosen = post_form(staff, match_page, {})
    assert unchosen.status_code == 200 and "Kies een product voor elke regel." in unchosen.text
    other_producers = post_form(staff, match_page, {"line-4": str(dairy["bread"])})
    assert "Kies een product voor elke regel." in other_producers.text  # not the dairy's
    token = match_page.rsplit("/", 1)[1]
    skipped = staff.get(f"/admin/deliveries/new?einvoice={token}")
    assert skipped.status_code == 302 and skipped.headers["Location"] == match_page
    assert staff.get(f"/admin/deliveries/new?einvoice={'f' * 64}").status_code == 404
    chosen = post_form(staff, match_page, {"line-4": str(dairy["aged"])})
    assert chosen.status_code == 302
    with app.app_context():
        assert db.session.get_one(Product, dairy["aged"]).supplier_item_code == "KAAS-B"
    form = staff.get(chosen.headers["Location"])
    assert form.status_code == 200
    values = form_values(form.text)
    assert values["producer"] == str(dairy["dairy"])
    assert values["purchase_order"] == str(dairy["order"])
    booked = staff.post(
        "/admin/deliveries/new",
        data={**values, "location": str(dairy["shelf"]), "csrf_token": csrf_token(form.text)},
    )
    assert booked.status_code == 302, booked.text
    assert received_lines(app, dairy) == invoiced_lines(dairy)
    # the next invoice of this producer matches the aged cheese by its remembered code
    again = staff.get(
        upload(staff, INVOICE.replace(b"VL-2026-0412", b"VL-2026-0413")).headers["Location"]
    )
    assert 'name="line-4"' not in again.text


def test_refused_files_change_nothing_and_say_why_in_dutch(
    app: Flask, staff: FlaskClient, dairy: dict[str, Any]
) -> None:
    before = stored(app)
    cases = {
        (PEPPOL / "base-creditnote-correction.xml").read_bytes(): "creditnota",
        b"<Invoice><oops></Invoice>": "geen leesbare XML",
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>': (
            "DTD"
        ),
        b'<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><l>&c;&c;&c;&c;&c;&c;</l>': "entiteiten",
        INVOICE.replace(b">4.250<", b">1e999999<"): "te grote hoeveelheid",
        (PEPPOL / "Allowance-example.xml").read_bytes(): "Geen producent heeft btw-nummer",
        INVOICE.replace(b"BE0123456749", b"BE0477123402"): "BE0477.123.402",
        b"<a>" + b" " * (2 * 1024 * 1024) + b"</a>": "groter dan 2 MB",
    }
    for content, said in cases.items():
        refused = upload(staff, content)
        assert refused.status_code == 422, said
        assert said in refused.text
    assert stored(app) == before


def test_the_producer_form_keeps_a_valid_vat_number_and_refuses_a_wrong_one(
    app: Flask, manager: FlaskClient, dairy: dict[str, Any]
) -> None:
    url = f"/admin/producers/{dairy['linde']}"
    wrong = post_form(
        manager,
        url,
        {
            "name": "Hoeve De Linde",
            "commission_percent": "0",
            "consignment": "purchase",
            "vat_number": "BE0123.456.748",
        },
    )
    assert wrong.status_code == 200 and "geen geldig Belgisch btw-nummer" in wrong.text
    taken = post_form(
        manager,
        url,
        {
            "name": "Hoeve De Linde",
            "commission_percent": "0",
            "consignment": "purchase",
            "vat_number": "0123 456 749",
        },
    )
    assert "Hoevezuivel Vleminckx heeft dit btw-nummer al." in taken.text
    saved = post_form(
        manager,
        url,
        {
            "name": "Hoeve De Linde",
            "commission_percent": "0",
            "consignment": "purchase",
            "vat_number": "be 0477 123 402",
        },
    )
    assert saved.status_code == 302
    with app.app_context():
        assert db.session.get_one(Producer, dairy["linde"]).vat_number == "BE0477.123.402"


def test_the_deliveries_list_and_form_link_to_the_upload(
    staff: FlaskClient, dairy: dict[str, Any]
) -> None:
    for page in ("/admin/deliveries", "/admin/deliveries/new"):
        assert f'href="{UPLOAD}"' in staff.get(page).text


def test_a_line_in_kg_for_a_product_sold_by_the_piece_is_a_warning(
    app: Flask, staff: FlaskClient, dairy: dict[str, Any]
) -> None:
    with app.app_context():
        db.session.get_one(Product, dairy["young"]).unit = "piece"
        db.session.commit()
    page = staff.get(upload(staff, INVOICE).headers["Location"])
    assert "Let op de eenheid" in page.text
    assert (
        "Regel 3 is gefactureerd in kg, maar Hoevekaas jong gaat per stuk: kijk de hoeveelheid na."
        in page.text
    )
    assert page.text.count("is gefactureerd in") == 1
