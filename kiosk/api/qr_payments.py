"""Paying by QR at the till: the QR code's picture, its reference, the staff confirmation.

The till asks the reference (the receipt number its next sale gets), shows the EPC QR code's
picture, and sends the sale with the staff member's proof (README, "Paying by QR").
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from flask import current_app, g, request
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l

from kiosk.api.blueprint import bp
from kiosk.api.operators import NOT_PROVEN, PIN_REQUIRED
from kiosk.api.parsing import invalid
from kiosk.database import get_row
from kiosk.errors import OperationError
from kiosk.models import TicketSequence
from kiosk.models.types import PaymentMethod
from kiosk.organisation.operator_proofs import is_proven
from kiosk.sales.operations import Order, receipt_number
from kiosk.sales.qr_payment import (
    QR_NEEDS_STAFF,
    check_qr_amount,
    check_reference,
    confirming_staff,
    get_payee,
    qr_payment_png,
)

NOT_ACCEPTED = OperationError(
    422,
    "payment_method_not_accepted",
    _l("Deze kassa neemt geen QR-betalingen aan. Zet QR aan bij het verkooppunt."),
)


@bp.get("/qr-payment.png")
def qr_payment_picture() -> ResponseReturnValue:
    """Answer the PNG of the EPC QR code for `amount_cents` with `reference` as remittance."""
    raw_amount, reference = request.args.get("amount_cents"), request.args.get("reference")
    if raw_amount is None or not re.fullmatch(r"[1-9][0-9]{0,11}", raw_amount, re.ASCII):
        raise invalid(_l("amount_cents is het bedrag in cent, een geheel getal, bv. 1234."))
    if reference is None:
        raise invalid(_l("reference is de mededeling van de overschrijving, bv. HW1-000042."))
    amount_cents = check_qr_amount(int(raw_amount))
    check_reference(reference)
    if PaymentMethod.QR not in g.till.point_of_sale.accepted_methods:
        raise NOT_ACCEPTED
    response = current_app.response_class(
        qr_payment_png(amount_cents, reference), mimetype="image/png"
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/qr-payment/reference")
def qr_payment_reference() -> ResponseReturnValue:
    """Answer the receipt number this till's next sale gets: the QR code's remittance text."""
    if PaymentMethod.QR not in g.till.point_of_sale.accepted_methods:
        raise NOT_ACCEPTED
    get_payee()
    sequence = get_row(TicketSequence, g.till.id)
    number = (sequence.last_number if sequence else 0) + 1
    return {"reference": receipt_number(g.till, number)}


def require_qr_confirmation(body: Any, order: Order, moment: datetime) -> None:
    """Refuse (403) a sale with a QR payment unless a staff member proved it with their PIN.

    `confirmed_by` names the staff member or manager and carries the `operator_proof` their own
    PIN check at this till gave on the moment's day (as an operator's proof works).
    """
    if order.qr_reference is None:
        return
    if order.confirmed_by_id is None:
        raise QR_NEEDS_STAFF
    staff = confirming_staff(order.confirmed_by_id)
    if staff.pin_hash is None:
        raise PIN_REQUIRED
    if not is_proven(g.till, staff, body["confirmed_by"].get("operator_proof"), moment):
        raise NOT_PROVEN
