"""Record a sale: lines, VAT, payments, cash rounding, change and the next ticket number."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol, cast

from flask_babel import lazy_gettext as _l
from sqlalchemy import Table, bindparam, update

from kiosk import money
from kiosk.cash.days import get_closing_day
from kiosk.database import begin_writing
from kiosk.driver_sql import DriverStatement, insert_together
from kiosk.errors import OperationError
from kiosk.extensions import db
from kiosk.models import Sale, SaleLine, SaleVat, TicketSequence, Till, User
from kiosk.models.rules import basis_points_to_rate
from kiosk.models.types import PaymentMethod
from kiosk.periods import business_day
from kiosk.printing.queue import receipt_inserts
from kiosk.sales.pricing import (
    OrderLine,
    payments_by_method,
    priced_lines,
)
from kiosk.sales.qr_payment import QR_NEEDS_STAFF, QrConfirmation, confirming_staff, payment_columns
from kiosk.sales.queries import get_sale_by_key, get_sale_id_by_key
from kiosk.sales.sale_catalog import Operator, current_catalog, session_row
from kiosk.sales.sale_rows import store_sale
from kiosk.stock.sale_consumption import stock_inserts

CASH_LIMIT = "cash_limit"


@dataclass(frozen=True)
class Order:
    """What the till asks to sell, already parsed and checked for shape."""

    operator_id: int
    lines: tuple[OrderLine, ...]
    payments: tuple[tuple[str, int], ...]
    consumption: str | None = None
    #: a QR payment's remittance text and the staff member who confirmed the money arrived
    qr_reference: str | None = None
    confirmed_by_id: int | None = None

    def fingerprint(self) -> str:
        """Return a hash of the order that ignores JSON spelling (key order, 2 vs 2.0)."""
        canonical: dict[str, object] = {
            "operator_id": self.operator_id,
            "lines": [[line.product_id, str(line.quantity.normalize())] for line in self.lines],
            "payments": sorted([method, amount] for method, amount in self.payments),
            "consumption": self.consumption,
        }
        if self.qr_reference is not None:  # orders without a QR payment hash as before
            canonical["qr"] = [self.qr_reference, self.confirmed_by_id]
        return hashlib.sha256(json.dumps(canonical, sort_keys=True).encode()).hexdigest()


def record_sale(
    till: Till,
    order: Order,
    idempotency_key: str,
    now: datetime,
    rung_up_at: datetime | None = None,
    *,
    clock: Callable[[], datetime] | None = None,
) -> tuple[Sale, bool]:
    """Store the sale an order describes; return it and whether it is new.

    A key the till used before returns that sale unchanged (a replay, with the times it was
    stored with), or refuses a different order with 409. Nothing is stored when any rule refuses
    the order. The sale is priced at the VAT rates of the day the till rang it up (`rung_up_at`,
    else now). The order is checked and priced before the write transaction (SQLite's write
    lock: kiosk.database.begin_writing); a sale another request stored with the key meanwhile
    trips the unique key (the caller replays it: kiosk.api.idempotency). The till,
    person, products, rates and printers come from the sale catalog (kept per process while
    its stamp is unchanged). With a `clock`, the sale is stored at its time once its ticket
    number is taken, so stored times follow ticket numbers; else at `now`.
    """
    fingerprint = order.fingerprint()
    if get_sale_id_by_key(till.id, idempotency_key) is not None:
        return replay_by_key(till.id, idempotency_key, fingerprint), False
    catalog = current_catalog()
    point_of_sale = till.point_of_sale
    operator = sale_operator(order.operator_id)
    consumption = order.consumption or point_of_sale.default_consumption
    rates = catalog.rates_on(business_day(rung_up_at or now))
    lines = priced_lines(till, order.lines, consumption, rates)
    payments = payments_by_method(order.payments, point_of_sale.accepted_methods)
    confirmed_by = confirming_staff(order.confirmed_by_id) if order.confirmed_by_id else None
    # Another request with this key may store its sale before the write lock is ours: the
    # unique key then refuses this sale's row, and the view answers with that sale, as on
    # PostgreSQL (kiosk.api.idempotency.commit_or_replay); no second look-up a sale.
    begin_writing()
    sale = complete_sale(
        till,
        operator,
        lines,
        payments,
        consumption=consumption,
        idempotency_key=idempotency_key,
        fingerprint=fingerprint,
        now=now,
        rung_up_at=rung_up_at,
        qr=QrConfirmation(order.qr_reference, confirmed_by) if confirmed_by else None,
        clock=clock,
    )
    return sale, True


class SaleOperator(Protocol):
    """Who runs the till: a User row, or the person kept in the sale catalog."""

    @property
    def id(self) -> int:
        """The row id."""

    @property
    def name(self) -> str:
        """The name on the receipt or tile."""


def complete_sale(
    till: Till,
    operator: SaleOperator,
    lines: list[SaleLine],
    payments: dict[str, int],
    *,
    consumption: str,
    idempotency_key: str,
    fingerprint: str,
    now: datetime,
    rung_up_at: datetime | None = None,
    settlement: money.Settlement | None = None,
    refund_of: Sale | None = None,
    refund_reason: str | None = None,
    qr: QrConfirmation | None = None,
    clock: Callable[[], datetime] | None = None,
) -> Sale:
    """Settle priced lines with payments and store the sale: number, VAT, stock and receipt.

    The till's sales, the bistro's tab payments and refunds all end here, so every sale is
    numbered, rounded, booked out of stock and printed the same way. A refund brings its own
    settlement (money goes back, kiosk.operations.refunds), and names the sale it refunds.
    `now` is when the server stores it (or, with a `clock`, when the request came: the sale is
    then stored at the clock's time once its ticket number is taken), `rung_up_at` when the
    till rang it up (default: now); the latter decides its business day. A sale of a day the
    till's Z report already closed is late: it keeps its time and counts in the till's next Z.
    Its rows are written with Core (kiosk.sales.sale_rows), and the Sale returned is built from
    them. A QR payment (not a refund's)
    needs `qr`: its reference and the staff member who confirmed the money arrived.
    """
    catalog = current_catalog()
    total = sum(line.amount_cents for line in lines)
    if PaymentMethod.QR in payments and refund_of is None and qr is None:
        raise QR_NEEDS_STAFF
    day = business_day(rung_up_at or now)
    closing_day = get_closing_day(till.id, day, business_day(now))
    accepted = till.point_of_sale.accepted_methods
    settled = settlement or settle(total, payments, catalog.threshold(CASH_LIMIT, day), accepted)
    ticket_number = next_ticket_number(till)
    created_at = clock() if clock is not None else now
    if rung_up_at is None and business_day(created_at) != day:  # midnight passed meanwhile
        day = business_day(created_at)
        closing_day = get_closing_day(till.id, day, day)
        settled = settlement or settle(
            total, payments, catalog.threshold(CASH_LIMIT, day), accepted
        )
    rung_up_at = (rung_up_at or created_at).astimezone(UTC)  # stored and answered in UTC
    columns = {
        "till_id": till.id,
        "point_of_sale_id": till.point_of_sale_id,
        "operator_id": operator.id,
        "ticket_number": ticket_number,
        "receipt_number": receipt_number(till, ticket_number),
        "idempotency_key": idempotency_key,
        "request_hash": fingerprint,
        "created_at": created_at,
        "rung_up_at": rung_up_at,
        "closing_day": closing_day,
        "late": closing_day != day,
        "consumption": consumption,
        "total_cents": total,
        "rounding_cents": settled.rounding_cents,
        "change_cents": settled.change_cents,
        "refund_of_id": refund_of.id if refund_of is not None else None,
        "refund_reason": refund_reason,
    }
    sale = store_sale(
        columns,
        lines,
        [payment_columns(method, amount, qr) for method, amount in payments.items()],
        vat_per_rate(lines),
        till=till,
        point_of_sale=till.point_of_sale,
        operator=operator_row(operator),
        refund_of=refund_of,
    )
    printers = catalog.receipt_printer_ids(till.point_of_sale_id)
    insert_together(  # the stock moves, balances and receipt: one statement on PostgreSQL
        db.session.connection(),
        [
            *stock_inserts(sale, created_at),
            *receipt_inserts(printers, sale.id, "cash" in payments, created_at),
        ],
    )
    return sale


def settle(
    total: int, payments: dict[str, int], cash_limit_cents: int | None, accepted: Sequence[str]
) -> money.Settlement:
    """Settle a total with the payments; refuse too little, too much or too much cash.

    Above the cash limit the refusal names the point of sale's other `accepted` methods.
    """
    try:
        return money.settle(
            total, payments, cash_limit_cents=cash_limit_cents, other_methods=accepted
        )
    except money.PaymentError as refusal:
        raise OperationError(422, refusal.code, refusal.message) from refusal


def vat_totals(lines: list[SaleLine]) -> list[SaleVat]:
    """Return the sale's gross and VAT per rate, computed as its receipt computes them."""
    return [
        SaleVat(rate_basis_points=rate, gross_cents=gross, vat_cents=vat)
        for rate, gross, vat in vat_per_rate(lines)
    ]


def vat_per_rate(lines: list[SaleLine]) -> list[tuple[int, int, int]]:
    """Return the sale's (rate in basis points, gross, VAT) per rate, as its receipt has them."""
    rates = {
        basis_points_to_rate(line.vat_rate_basis_points): line.vat_rate_basis_points
        for line in lines
    }
    return [
        (rates[summary.rate], summary.total_cents, summary.vat_cents)
        for summary in money.vat_breakdown(
            (basis_points_to_rate(line.vat_rate_basis_points), line.amount_cents) for line in lines
        )
    ]


def replayed_sale(sale: Sale, fingerprint: str) -> Sale:
    """Return the sale an idempotency key made, if the replayed order is the same."""
    if sale.request_hash != fingerprint:
        raise OperationError(
            409,
            "idempotency_conflict",
            _l("Deze sleutel hoort bij een andere verkoop. Maak een nieuwe sleutel."),
        )
    return sale


UNKNOWN_OPERATOR = _l("Deze medewerker is niet gekend.")


def checked_operator(operator_id: int) -> User:
    """Return the active user who runs the till."""
    operator = db.session.get(User, operator_id)
    if operator is None or not operator.active:
        raise OperationError(422, "unknown_operator", UNKNOWN_OPERATOR)
    return operator


def sale_operator(operator_id: int) -> Operator:
    """Return the active person who runs the till, as the sale catalog keeps them."""
    operator = current_catalog().operator(operator_id)
    if operator is None or not operator.active:
        raise OperationError(422, "unknown_operator", UNKNOWN_OPERATOR)
    return operator


def operator_row(operator: SaleOperator) -> User:
    """Return the person as a row of the session (a kept one is not read again)."""
    if isinstance(operator, User):
        return operator
    return session_row(User, {"id": operator.id, "name": operator.name})


def replay_by_key(till_id: int, idempotency_key: str, fingerprint: str) -> Sale:
    """Return the sale this till's key made, if the replayed order is the same."""
    existing = get_sale_by_key(till_id, idempotency_key)
    if existing is None:  # pragma: no cover - the key's sale was just found
        raise RuntimeError("the sale of this key is gone")
    return replayed_sale(existing, fingerprint)


def receipt_number(till: Till, ticket_number: int) -> str:
    """Return the receipt number of a till's ticket: `HW1-000042`."""
    return f"{till.code}-{ticket_number:06d}"


def next_ticket_number(till: Till) -> int:
    """Take the till's next ticket number inside the sale's transaction.

    The row update locks the till's sequence until commit (PostgreSQL) or runs under the write
    lock (SQLite), so numbers stay unbroken: a rolled-back sale gives its number back.
    """
    number = NEXT_TICKET_NUMBER.scalar(db.session.connection(), {"the_till_id": till.id})
    if number is None:
        raise LookupError(f"till {till.id} has no ticket sequence")
    return int(number)


TICKET_SEQUENCE = cast(Table, TicketSequence.__table__)
#: built once, with Core (no ORM statement, no autoflush): every sale takes a number
NEXT_TICKET_NUMBER = DriverStatement(
    update(TICKET_SEQUENCE)
    .where(TICKET_SEQUENCE.c.till_id == bindparam("the_till_id"))
    .values(last_number=TICKET_SEQUENCE.c.last_number + 1)
    .returning(TICKET_SEQUENCE.c.last_number)
)
