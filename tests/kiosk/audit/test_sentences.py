"""The audit log in plain words: every kind of entry reads as a sentence, in Dutch and English.

The entries are written by the real operations (the drawer, deliveries, counts, refunds, product
changes), so these tests also prove each action leaves exactly one entry; old rows are written
as they were stored before the sentences existed.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from kiosk.audit.sentences import action_group, describe
from kiosk.backup.archive import make_backup, record_backup
from kiosk.cash.drawer import add_cash_movement, close_day, open_cash_session, record_cash_count
from kiosk.catalog.audit_entries import product_fields, record_product_change
from kiosk.extensions import db
from kiosk.models import AuditEntry, Location, Producer, Product, Till, User
from kiosk.models.types import Role
from kiosk.organisation.login_limits import verify_pin
from kiosk.organisation.unlocking import release
from kiosk.sales.operations import Order, OrderLine, record_sale
from kiosk.sales.refunds import VOID, refund_sale
from kiosk.stock.operations import DeliveredLine, book_waste, receive_delivery, record_count
from tests.conftest import Shop
from tests.kiosk.audit_support import sentences

DAY = date(2026, 11, 20)
NOON = datetime(2026, 11, 20, 11, 0, tzinfo=UTC)


def logged(action: str, operation: Callable[[], object]) -> AuditEntry:
    """Run an operation, commit as a view does; return the one entry it wrote, of this action."""
    count_before = entry_count()
    operation()
    db.session.commit()
    assert entry_count() == count_before + 1
    entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry is not None and entry.action == action
    return entry


def entry_count() -> int:
    """Return how many entries the log holds."""
    return db.session.scalar(select(func.count(AuditEntry.id))) or 0


@pytest.fixture
def till(ctx: None, farm_shop: dict[str, Any]) -> Till:
    """The farm shop's till, called Winkel."""
    till = db.session.get_one(Till, farm_shop["till_id"])
    till.name = "Winkel"
    db.session.commit()
    return till


@pytest.fixture
def mia(ctx: None, shop: Shop) -> User:
    """A manager."""
    return db.session.get_one(User, shop.user("Mia", role=Role.MANAGER))


@pytest.fixture
def shelf(ctx: None) -> Location:
    """A shop shelf."""
    location = Location(code="HW-REK", name="Winkelrek", kind="shelf")
    db.session.add(location)
    db.session.commit()
    return location


def test_a_drawers_day_leaves_one_entry_per_action_in_plain_words(till: Till, mia: User) -> None:
    opening = logged("cash.float", lambda: open_cash_session(till, DAY, 10_000, mia, NOON))
    assert sentences(opening) == (
        "Wisselgeld bij opening kassa Winkel op 20-11-2026: 100,00 €.",
        "Float at the opening of till Winkel on 20-11-2026: 100,00 €.",
    )
    assert opening.summary == sentences(opening)[0]  # kept in Dutch, so the text filter finds it
    assert opening.user_id == mia.id and opening.till_id == till.id

    taken = logged(
        "cash.movement", lambda: add_cash_movement(till, DAY, -2_000, "Boodschappen", mia, NOON)
    )
    assert sentences(taken) == (
        "Geld uit kassa Winkel op 20-11-2026: 20,00 € (Boodschappen).",
        "Cash out of till Winkel on 20-11-2026: 20,00 € (Boodschappen).",
    )
    put = logged(
        "cash.movement",
        lambda: add_cash_movement(till, DAY, 500, "Wisselgeld van de bank", mia, NOON),
    )
    assert (
        sentences(put)[0] == "Geld in kassa Winkel op 20-11-2026: 5,00 € (Wisselgeld van de bank)."
    )

    count = logged(
        "cash.count",
        lambda: record_cash_count(
            till,
            DAY,
            {5000: 1, 2000: 1, 1000: 1, 200: 2, 50: 1, 20: 1, 10: 1},
            mia,
            NOON,
            "Munt gevallen",
        ),
    )
    assert sentences(count) == (
        "Kassa Winkel geteld op 20-11-2026: 84,80 € (verwacht 85,00 €, verschil -0,20 €); "
        "reden: Munt gevallen.",
        "Till Winkel counted on 20-11-2026: 84,80 € (expected 85,00 €, difference -0,20 €); "
        "reason: Munt gevallen.",
    )

    z_report = logged("cash.z", lambda: close_day(till, DAY, mia, NOON))
    assert sentences(z_report) == (
        "Z-rapport 1 van kassa Winkel gemaakt voor 20-11-2026.",
        "Z report 1 of till Winkel made for 20-11-2026.",
    )
    assert {action_group(entry.action) for entry in (opening, taken, count, z_report)} == {"cash"}


def test_a_recount_and_a_day_opened_by_its_first_movement_leave_one_entry_each(
    till: Till, mia: User
) -> None:
    # no float was given: none is logged
    logged("cash.movement", lambda: add_cash_movement(till, DAY, -1_000, "Koffie", mia, NOON))
    logged("cash.count", lambda: record_cash_count(till, DAY, {50: 1}, mia, NOON))
    # a recount keeps the count it replaces
    recount = logged("cash.count", lambda: record_cash_count(till, DAY, {100: 1}, mia, NOON))
    assert recount.before == '{"counted_cents": 50}'
    assert "verschil 11,00 €" in sentences(recount)[0]


def test_a_delivery_is_logged_once_with_its_producer_and_lines(
    ctx: None, farm_shop: dict[str, Any], shelf: Location, mia: User
) -> None:
    linde = Producer(name="Hoeve De Linde")
    db.session.add(linde)
    db.session.flush()
    products = [db.session.get_one(Product, farm_shop[key]) for key in ("bread", "eggs", "cheese")]
    lines = [DeliveredLine(product, 3_000, 150) for product in products]
    entry = logged("delivery.received", lambda: receive_delivery(linde.id, shelf, lines, mia, NOON))
    assert entry.subject.startswith("delivery:") and entry.user_id == mia.id
    assert sentences(entry) == (
        "Levering van Hoeve De Linde ontvangen in Winkelrek: 3 lijnen.",
        "Delivery from Hoeve De Linde received in Winkelrek: 3 lines.",
    )
    single = logged(
        "delivery.received", lambda: receive_delivery(None, shelf, lines[:1], None, NOON)
    )
    assert sentences(single) == (
        "Levering van onbekende producent ontvangen in Winkelrek: 1 lijn.",
        "Delivery from unknown producer received in Winkelrek: 1 line.",
    )
    assert action_group(single.action) == "stock"


def stocked(product_id: int, shelf: Location, milli: int) -> Product:
    """Count a product on the shelf to this much; return it."""
    product = db.session.get_one(Product, product_id)
    record_count(product, shelf, milli, None, NOON)
    db.session.commit()
    return product


def paid_back(
    till: Till,
    by: User,
    farm_shop: dict[str, Any],
    line: tuple[str, int],
    payment: tuple[str, int],
    reason: str,
) -> tuple[AuditEntry, str]:
    """Sell one line, pay it all back for this reason; return the entry and the receipt number."""
    order = Order(
        operator_id=farm_shop["operator_id"],
        lines=(OrderLine(farm_shop[line[0]], Decimal(line[1])),),
        payments=(payment,),
    )
    sale, _created = record_sale(till, order, str(uuid.uuid4()), NOON)
    db.session.commit()
    action = "void" if reason == VOID else "refund"
    entry = logged(
        action,
        lambda: refund_sale(
            till,
            sale.id,
            by.id,
            None,
            stock="return",
            reason=reason,
            idempotency_key=reason,
            now=NOON,
        ),
    )
    return entry, sale.receipt_number


def test_prices_stock_and_refunds_read_as_sentences_not_fields(
    ctx: None, farm_shop: dict[str, Any], till: Till, shelf: Location, mia: User
) -> None:
    bread = db.session.get_one(Product, farm_shop["bread"])
    fields = product_fields(bread)
    bread.price_cents = 395
    price = logged("product_changed", lambda: record_product_change(bread, fields))
    assert sentences(price) == (
        "Prijs van Boerenbrood: 3,80 € → 3,95 €.",
        "Price of Boerenbrood: 3,80 € → 3,95 €.",
    )

    eggs = stocked(farm_shop["eggs"], shelf, 10_000)
    count = logged("stock_count", lambda: record_count(eggs, shelf, 9_000, mia, NOON))
    assert sentences(count) == (
        "Voorraad van Eieren (6) in Winkelrek geteld: 10 st. → 9 st.",
        "Stock of Eieren (6) in Winkelrek counted: 10 pcs → 9 pcs.",
    )
    cheese = stocked(farm_shop["cheese"], shelf, 2_500)
    waste = logged("stock_waste", lambda: book_waste(cheese, shelf, 250, "expired", mia, NOON))
    assert sentences(waste)[0] == "Verlies van Hoevekaas in Winkelrek: 2,500 kg → 2,250 kg."

    refund, receipt = paid_back(till, mia, farm_shop, ("candle", 1), ("card", 1250), "retour")
    assert sentences(refund) == (
        f"Terugbetaling bon {receipt}: kaart -12,50 €.",
        f"Refund of receipt {receipt}: card -12,50 €.",
    )


def old_row(action: str, *, subject: str = "", summary: str = "", **columns: str) -> AuditEntry:
    """Store an entry as older versions (or another engineer's new action) wrote it."""
    entry = AuditEntry(
        created_at=NOON, action=action, user_name="Mia", subject=subject, summary=summary, **columns
    )
    db.session.add(entry)
    db.session.commit()
    return entry


def test_old_and_unknown_rows_read_sensibly_and_never_fail(
    ctx: None, farm_shop: dict[str, Any]
) -> None:
    bread = farm_shop["bread"]
    cases = [
        (  # an old product change: only the fields, the name from the product as it is now
            old_row(
                "product_changed",
                subject=f"product:{bread}",
                summary="Product Boerenbrood gewijzigd: active.",
                before='{"active": true}',
                after='{"active": false}',
            ),
            ("Actief van Boerenbrood: ja → nee.", "Active of Boerenbrood: yes → no."),
        ),
        (  # an old stock row the writer cannot read keeps its stored sentence
            old_row("stock_count", subject=f"product:{bread}", summary="Telling van brood."),
            ("Telling van brood.", "Telling van brood."),
        ),
        (  # raw fields with no sentence: field names translated where known, amounts in euro
            old_row(
                "cash.reason",
                subject="till:1",
                before='{"difference_cents": -20}',
                after='{"difference_cents": -20, "reason": "Wisselgeld gegeven"}',
            ),
            (
                "cash.reason: Verschil: -0,20 € → -0,20 €; Reden: — → Wisselgeld gegeven.",
                "cash.reason: Difference: -0,20 € → -0,20 €; Reason: — → Wisselgeld gegeven.",
            ),
        ),
    ]
    assert [sentences(entry) for entry, _expected in cases] == [
        expected for _entry, expected in cases
    ]
    assert action_group("cash.reason") == "cash"
    # broken or odd JSON, a subject that is no row, a refund without payments
    odd = [
        old_row("refund", subject="sale:HW1-000001", before="not json", after="[1, 2]"),
        old_row("product_changed", subject="product:99999999999999999999", after='{"x": 1}'),
        old_row("user_changed", subject="user:abc", after='{"role": "manager"}'),
        old_row("mystery"),
    ]
    assert [describe(entry) for entry in odd] == [
        "Terugbetaling",
        "x van product:99999999999999999999: — → 1.",
        "Gegevens van Mia gewijzigd: Rol: — → verantwoordelijke.",
        "mystery",
    ]


def test_people_pins_voids_and_backups_read_as_sentences(
    ctx: None, farm_shop: dict[str, Any], till: Till, shop: Shop, mia: User, tmp_path: Path
) -> None:
    pia_id = shop.user("Pia", pin="1111")
    db.session.commit()  # end this session's read, so it sees the user added beside it
    pia = db.session.get_one(User, pia_id)
    added = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "user_added").order_by(AuditEntry.id)
    ).all()
    assert sentences(added[-1]) == (
        "Gebruiker Pia toegevoegd als zorggebruiker.",
        "User Pia added as care user.",
    )
    wrong = logged("pin_failed", lambda: verify_pin(pia, "0000", till, NOON))
    assert sentences(wrong) == (
        "Verkeerde pincode voor Pia op kassa Winkel.",
        "Wrong PIN for Pia at till Winkel.",
    )
    for _wrong_again in range(4):
        verify_pin(pia, "0000", till, NOON)
    db.session.commit()
    lifted = logged("unlock", lambda: release(f"user:{pia.id}", by="Mia"))
    assert sentences(lifted) == ("Gebruiker Pia ontgrendeld.", "User Pia unlocked.")
    void, receipt = paid_back(till, mia, farm_shop, ("bread", 2), ("cash", 760), VOID)
    assert sentences(void) == (
        f"Vergissing op bon {receipt} geannuleerd: contant -7,60 €.",
        f"Mistake on receipt {receipt} voided: cash -7,60 €.",
    )
    backup = make_backup(tmp_path / "winkel.tar.gz", NOON)
    made = logged("backup", lambda: record_backup(backup))
    assert sentences(made) == (
        f"Back-up gemaakt: {backup.path}.",
        f"Backup made: {backup.path}.",
    )
