"""/admin/accounts: every kind of journal posting with its MAR account, changed by a manager."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from kiosk.extensions import db
from kiosk.models import AuditEntry, LedgerAccount
from tests.conftest import Shop, csrf_token


def test_the_page_lists_each_posting_with_its_default_account(
    manager: FlaskClient, shop: Shop
) -> None:
    shop.point_of_sale("BI", name="Bistro", consumption="eat_in")
    page = " ".join(manager.get("/admin/accounts").text.split())
    for posting, number, label in (
        ("kas", "570000", "Kas"),
        ("kaart", "580000", "Interne overboekingen: kaartbetalingen onderweg"),
        ("naar_bank", "580000", "Interne overboekingen: kas naar de bank"),
        ("kasverschil_tekort", "657000", "Kasverschillen: tekort"),
        ("afronding_winst", "757000", "Afrondingsverschillen contant: winst"),
        ("omzet_600_takeaway", "700006", "Omzet 6% meenemen"),
        ("omzet_1200_eat_in", "700112", "Omzet 12% ter plaatse"),
        ("btw_2100", "451021", "Te betalen btw 21%"),
    ):
        assert f"<code>{posting}</code></td> <td>{number}</td> <td>{label}</td>" in page


def test_a_manager_changes_an_account_and_a_bad_number_changes_nothing(
    app: Flask, manager: FlaskClient
) -> None:
    page = "/admin/accounts/kasverschil_tekort"
    token = csrf_token(manager.get(page).text)
    for number in ("65", "65700000000", "657-000", "abc"):
        refused = manager.post(page, data={"csrf_token": token, "number": number, "label": "x"})
        assert refused.status_code == 200
        assert "Een rekeningnummer heeft 3 tot 10 cijfers, bv. 700006." in refused.text
    empty = manager.post(page, data={"csrf_token": token, "number": "657000", "label": " "})
    assert "Vul een naam in." in empty.text
    nothing = manager.post(page, data={"csrf_token": token})  # never the shown values saved
    assert nothing.status_code == 200 and "Vul een rekeningnummer in." in nothing.text
    with app.app_context():
        assert db.session.scalars(select(LedgerAccount)).all() == []
    saved = manager.post(
        page, data={"csrf_token": token, "number": "643000", "label": "Kastekorten"}
    )
    assert saved.status_code == 302
    listed = " ".join(manager.get("/admin/accounts").text.split())
    assert (
        "<code>kasverschil_tekort</code></td> <td>643000</td> <td>Kastekorten</td> <td>gewijzigd"
        in listed
    )
    assert manager.get("/admin/accounts/nothing_like_this").status_code == 404
    with app.app_context():
        entry = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "ledger_account_changed")
        ).one()
        assert entry.user_name == "Mia"
        assert (
            entry.summary == "Rekening voor Kasverschillen: tekort: 657000 → 643000 (Kastekorten)."
        )
