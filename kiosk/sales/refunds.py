"""Refund a sale, or some of its lines, as a new sale with negative lines; a void is a refund.

The refund is numbered, VAT-split, printed and counted like any sale (it goes through
`complete_sale`); money goes back the way it came (card and QR transfer first, up to what each
paid, the rest in cash, rounded to 5 cents); the goods go back on the shelf or are booked as waste.
A line is refunded at most once: the UNIQUE refund_of_line_id makes that hold even when two
tills refund the same line at the same moment.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from kiosk import money
from kiosk.audit import log as audit
from kiosk.errors import OperationError
from kiosk.extensions import db
from kiosk.models import Payment, Sale, SaleLine, Till, User
from kiosk.models.types import Role
from kiosk.sales.operations import checked_operator, complete_sale, replayed_sale
from kiosk.sales.qr_payment import QrConfirmation, qr_reference
from kiosk.sales.queries import get_sale_by_key
from kiosk.sales.refund_stock import book_stock

#: Why goods come back (stored on the refund); "vergissing" is a void of the sale just made.
REASONS = {
    "retour": "klant brengt terug",
    "vergissing": "vergissing",
    "beschadigd": "beschadigd",
    "over_datum": "over datum",
    "andere": "andere reden",
}
STOCK_CHOICES = ("return", "waste")
VOID = "vergissing"


def refund_sale(
    till: Till,
    original_sale_id: int,
    operator_id: int,
    line_ids: list[int] | None,
    *,
    stock: str,
    reason: str,
    idempotency_key: str,
    now: datetime,
    rung_up_at: datetime | None = None,
) -> tuple[Sale, bool]:
    """Pay back lines of a sale (all when line_ids is None); return the refund and if it is new.

    `rung_up_at` is when the till made the refund (default: now); it decides its business day.
    """
    fingerprint = refund_fingerprint(original_sale_id, operator_id, line_ids, stock, reason)
    existing = get_sale_by_key(till.id, idempotency_key)
    if existing is not None:
        return replayed_sale(existing, fingerprint), False
    if stock not in STOCK_CHOICES:
        raise OperationError(422, "invalid_stock", _l("Kies terug in de winkel of weggooien."))
    if reason not in REASONS:
        raise OperationError(422, "invalid_reason", _l("Kies een reden."))
    operator = refunding_operator(operator_id)
    original = refundable_sale(till, original_sale_id)
    lines = chosen_lines(original, line_ids)
    if reason == VOID and len(lines) != len(original.lines):
        raise OperationError(
            422, "void_needs_whole_sale", _l("Een vergissing maakt de hele verkoop ongedaan.")
        )
    refund_lines = [negative_line(position, line) for position, line in enumerate(lines, 1)]
    total = sum(line.amount_cents for line in refund_lines)
    payments, settlement = money_back(original, total)
    refund = complete_sale(
        till,
        operator,
        refund_lines,
        payments,
        consumption=original.consumption,
        idempotency_key=idempotency_key,
        fingerprint=fingerprint,
        now=now,
        rung_up_at=rung_up_at,
        settlement=settlement,
        refund_of=original,
        refund_reason=reason,
        # a QR payment goes back by a transfer this staff member makes, to the account whose
        # transfer carried the original's reference: the refund's payment keeps both
        qr=QrConfirmation(qr_reference(original), operator),
    )
    book_stock(refund, original, operator, stock, reason, now)
    audit.record(
        "void" if reason == VOID else "refund",
        user=operator,
        till=till,
        subject=f"sale:{original.receipt_number}",
        summary=refund_summary(refund, original, stock),
        after={
            "refund": refund.receipt_number,
            "lines": [line.description for line in refund.lines],
            "total_cents": refund.total_cents,
            "payments": {payment.method: payment.amount_cents for payment in refund.payments},
            "stock": stock,
            "reason": reason,
        },
    )
    return refund, True


def refund_fingerprint(
    sale_id: int, operator_id: int, line_ids: list[int] | None, stock: str, reason: str
) -> str:
    """Return a hash of a refund request, so a replayed key can be told from another request."""
    canonical = {
        "refund_of": sale_id,
        "operator_id": operator_id,
        "lines": sorted(line_ids) if line_ids is not None else None,
        "stock": stock,
        "reason": reason,
    }
    return hashlib.sha256(json.dumps(canonical, sort_keys=True).encode()).hexdigest()


def refunding_operator(operator_id: int) -> User:
    """Return the staff member or manager who refunds; care users may not."""
    operator = checked_operator(operator_id)
    if operator.role not in (Role.STAFF, Role.MANAGER):
        raise OperationError(
            403, "staff_only", _l("Alleen een begeleider of verantwoordelijke kan terugbetalen.")
        )
    return operator


def refundable_sale(till: Till, sale_id: int) -> Sale:
    """Return a sale of the till's point of sale that is not itself a refund."""
    sale = db.session.get(Sale, sale_id)
    if sale is None or sale.point_of_sale_id != till.point_of_sale_id:
        raise OperationError(404, "not_found", _l("Deze verkoop bestaat niet."))
    if sale.refund_of_id is not None:
        raise OperationError(
            422, "is_refund", _l("Dit is al een terugbetaling. Die kan je niet terugbetalen.")
        )
    return sale


def refunded_line_ids(sale: Sale) -> set[int]:
    """Return the ids of the sale's lines that a refund already paid back."""
    return set(
        db.session.scalars(
            select(SaleLine.refund_of_line_id).where(
                SaleLine.refund_of_line_id.in_([line.id for line in sale.lines])
            )
        )
    )


def chosen_lines(sale: Sale, line_ids: list[int] | None) -> list[SaleLine]:
    """Return the lines to refund, refusing unknown lines and lines refunded before."""
    done = refunded_line_ids(sale)
    if line_ids is None:
        lines = [line for line in sale.lines if line.id not in done]
        if not lines:
            raise OperationError(
                409, "already_refunded", _l("Deze verkoop is al helemaal terugbetaald.")
            )
        return lines
    by_id = {line.id: line for line in sale.lines}
    if not line_ids or len(set(line_ids)) != len(line_ids):
        raise OperationError(422, "invalid_lines", _l("Kies elke lijn die terug moet één keer."))
    if any(line_id not in by_id for line_id in line_ids):
        raise OperationError(422, "unknown_line", _l("Deze lijn hoort niet bij deze verkoop."))
    for line_id in line_ids:
        if line_id in done:
            raise OperationError(
                409,
                "already_refunded",
                _l("%(description)s is al terugbetaald.", description=by_id[line_id].description),
            )
    return sorted((by_id[line_id] for line_id in line_ids), key=lambda line: line.position)


def negative_line(position: int, line: SaleLine) -> SaleLine:
    """Return the refund line that pays one sale line back, at the price and rate it was sold."""
    return SaleLine(
        position=position,
        product_id=line.product_id,
        description=line.description,
        unit=line.unit,
        quantity_milli=-line.quantity_milli,
        unit_price_cents=line.unit_price_cents,
        amount_cents=-line.amount_cents,
        vat_class=line.vat_class,
        vat_rate_basis_points=line.vat_rate_basis_points,
        consumption=line.consumption,
        refund_of_line_id=line.id,
        share_parts=line.share_parts,
    )


def money_back(original: Sale, total_cents: int) -> tuple[dict[str, int], money.Settlement]:
    """Split a refund (negative total) over the ways the original was paid.

    Non-cash methods first, up to what each paid less what earlier refunds gave back to it;
    the rest goes back in cash, rounded to 5 cents as a cash payment is (BELGIUM.md).
    """
    left = -total_cents
    earlier = given_back(original)
    payments: dict[str, int] = {}
    for payment in original.payments:
        if payment.method in money.CASH_METHODS or left == 0:
            continue
        room = (
            payment.amount_cents + earlier.get(payment.method, 0) + payments.get(payment.method, 0)
        )
        part = min(left, max(room, 0))
        if part:
            payments[payment.method] = payments.get(payment.method, 0) - part
            left -= part
    cash = money.cash_round(left)
    if cash:
        payments["cash"] = -cash
    return payments, money.Settlement(
        total_cents=total_cents,
        rounding_cents=left - cash,
        change_cents=0,
        cash_received_cents=-cash,
        cash_kept_cents=-cash,
    )


def given_back(original: Sale) -> dict[str, int]:
    """Return what earlier refunds of a sale paid back per method (negative cents)."""
    rows = db.session.execute(
        select(Payment.method, func.sum(Payment.amount_cents))
        .join(Sale, Sale.id == Payment.sale_id)
        .where(Sale.refund_of_id == original.id)
        .group_by(Payment.method)
    )
    return {method: int(amount) for method, amount in rows}


def refund_summary(refund: Sale, original: Sale, stock: str) -> str:
    """Return the audit log's Dutch sentence for a refund or void."""
    what = "Vergissing" if refund.refund_reason == VOID else "Terugbetaling"
    where = "terug in de winkel" if stock == "return" else "weggegooid"
    return (
        f"{what} {refund.receipt_number} van ticket {original.receipt_number}: "
        f"{len(refund.lines)} lijn(en), {money.format_euro(-refund.total_cents)} euro terug, "
        f"goederen {where}."
    )
