"""The bank account customers pay by QR: the IBAN on /admin/organisation, QR at a point of sale.

An IBAN is checked (Belgian, mod 97) and stored compact; a point of sale takes QR only once the
organisation has an IBAN, and the IBAN cannot be emptied while one takes QR.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from kiosk.extensions import db
from kiosk.models import Organisation, PointOfSale, Till
from kiosk.models.types import utcnow
from kiosk.sales.operations import Order, OrderLine, record_sale
from tests.admin.conftest import Team
from tests.admin.stock_support import post_form

ORGANISATION = {
    "name": "Zorgboerderij De Linde vzw",
    "address": "Lindeweg 4, 9880 Aalter",
    "vat_number": "BE0456.782.304",
    "receipt_header": "",
    "receipt_footer": "",
}
FARM_SHOP = {"code": "HW", "name": "Hoevewinkel", "default_consumption": "takeaway"}


def stored(app: Flask) -> tuple[str | None, str | None, str | None] | None:
    """Return the organisation's IBAN, beneficiary and BIC as stored, or None without one."""
    with app.app_context():
        organisation = db.session.get(Organisation, 1)
        if organisation is None:
            return None
        return organisation.iban, organisation.beneficiary_name, organisation.bic


def farm_methods(app: Flask) -> str:
    """Return the farm shop's payment methods as stored."""
    with app.app_context():
        return db.session.scalars(select(PointOfSale.payment_methods)).one()


def test_an_iban_is_checked_and_stored_compact_and_qr_needs_it(
    app: Flask, manager: FlaskClient, farm_shop: dict[str, Any], team: Team
) -> None:
    with app.app_context():
        farm_id = db.session.scalars(select(PointOfSale.id)).one()
    farm_url = f"/admin/points-of-sale/{farm_id}"
    with_qr = {**FARM_SHOP, "payment_methods": ["cash", "card", "qr"]}

    # no IBAN yet: the farm shop cannot take QR
    refused = post_form(manager, farm_url, with_qr)
    assert refused.status_code == 200
    assert "Betalen met QR kan pas als het rekeningnummer (IBAN)" in refused.text
    assert farm_methods(app) == "cash|card"

    for wrong in ("BE69 5390 0754 7034", "NL91ABNA0417164300", "BE68 5390 0754"):
        answer = post_form(manager, "/admin/organisation", {**ORGANISATION, "iban": wrong})
        assert answer.status_code == 200
        assert "Dit is geen geldig Belgisch IBAN" in answer.text
    bad_bic = post_form(
        manager,
        "/admin/organisation",
        {**ORGANISATION, "iban": "BE68 5390 0754 7034", "bic": "GEB"},
    )
    assert "Een BIC heeft 8 of 11 letters en cijfers" in bad_bic.text
    assert stored(app) is None

    saved = post_form(
        manager,
        "/admin/organisation",
        {
            **ORGANISATION,
            "iban": " be68 5390 0754 7034 ",
            "beneficiary_name": "De Linde vzw",
            "bic": "gebabebb",
        },
    )
    assert saved.status_code == 302
    assert stored(app) == ("BE68539007547034", "De Linde vzw", "GEBABEBB")

    assert post_form(manager, farm_url, with_qr).status_code == 302
    assert farm_methods(app) == "cash|card|qr"
    assert "QR-overschrijving" in manager.get("/admin/points-of-sale").text

    # the IBAN stays while a point of sale takes QR
    emptied = post_form(manager, "/admin/organisation", {**ORGANISATION, "iban": ""})
    assert "Een verkooppunt neemt QR-betalingen aan: zet QR daar eerst uit." in emptied.text
    assert stored(app) == ("BE68539007547034", "De Linde vzw", "GEBABEBB")

    # a QR sale: the turnover page names its method, the accounts page its ledger account
    with app.app_context():
        order = Order(
            operator_id=farm_shop["operator_id"],
            lines=(OrderLine(farm_shop["bread"], Decimal(1)),),
            payments=(("qr", 380),),
            qr_reference="HW1-000001",
            confirmed_by_id=team.staff,
        )
        record_sale(db.session.get_one(Till, farm_shop["till_id"]), order, "qr-1", utcnow())
        db.session.commit()
    turnover = manager.get("/admin/reports").text
    assert re.search(r"<td>QR-overschrijving</td><td[^>]*>3,80", turnover)
    accounts = manager.get("/admin/accounts").text
    assert "Interne overboekingen: QR-overschrijvingen onderweg" in accounts
