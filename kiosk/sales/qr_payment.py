"""Paying by bank app: the EPC069-12 QR code (SEPA credit transfer) for an amount and reference.

Every Belgian banking app reads it: the shop's IBAN and name, the amount in euro and the
remittance text (the receipt number the sale gets, see README "Paying by QR"). segno writes the
payload and the picture. `qr_payment_png` is the one function anything that shows or prints a
QR payment calls: the till's API, and later order slips and invoices.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import segno
import segno.helpers
from flask_babel import lazy_gettext as _l

from kiosk.errors import OperationError
from kiosk.extensions import db
from kiosk.models import Organisation, Sale, User
from kiosk.models.types import PaymentMethod, Role

#: what a QR code may ask, in cents: one cent to EPC's ceiling as this shop takes it
MIN_QR_CENTS, MAX_QR_CENTS = 1, 999_999_999
#: a remittance text: 1 to 35 characters of the SEPA Latin set (what every bank carries over)
REFERENCE_PATTERN = r"^[A-Za-z0-9/?:().,'+-](?:[A-Za-z0-9/?:().,'+ -]{0,33}[A-Za-z0-9/?:().,'+-])?$"

NOT_CONFIGURED = OperationError(
    409,
    "qr_not_configured",
    _l(
        "Betalen met QR kan pas als het rekeningnummer (IBAN) en de naam van de organisatie "
        "ingevuld zijn, in de back office bij Organisatie."
    ),
)


def check_qr_amount(amount_cents: int) -> int:
    """Return an amount a QR code may ask (1 cent to 9,999,999.99 euro); refuse others (422)."""
    if not MIN_QR_CENTS <= amount_cents <= MAX_QR_CENTS:
        raise OperationError(
            422,
            "invalid_amount",
            _l("Het bedrag van een QR-betaling ligt tussen 0,01 € en 9.999.999,99 €."),
        )
    return amount_cents


def check_reference(text: str) -> str:
    """Return a remittance text the banks carry over unchanged; refuse others (422)."""
    if not re.fullmatch(REFERENCE_PATTERN, text, re.ASCII):
        raise OperationError(
            422,
            "invalid_reference",
            _l(
                "De mededeling heeft 1 tot 35 tekens: letters zonder accent, cijfers, spaties "
                "en / - ? : ( ) . , ' +, zonder spatie vooraan of achteraan."
            ),
        )
    return text


def get_payee() -> Organisation:
    """Return the organisation when it can be paid by QR (an IBAN and a name); else refuse (409)."""
    organisation = db.session.get(Organisation, 1)
    if organisation is None or not organisation.iban or not payee_name(organisation):
        raise NOT_CONFIGURED
    return organisation


def payee_name(organisation: Organisation) -> str:
    """Return the account holder's name in the code: the beneficiary, else the organisation's."""
    return (organisation.beneficiary_name or organisation.name or "").strip()[:70]


def epc_qr(organisation: Organisation, amount_cents: int, reference: str) -> segno.QRCode:
    """Return the EPC QR code that pays `amount_cents` to the organisation with the reference."""
    assert organisation.iban is not None
    return segno.helpers.make_epc_qr(
        name=payee_name(organisation),
        iban=organisation.iban,
        # exact euro from whole cents: a Decimal, never a float
        amount=Decimal(check_qr_amount(amount_cents)).scaleb(-2),
        text=check_reference(reference),
        bic=organisation.bic or None,
    )


def qr_payment_png(amount_cents: int, reference: str, *, scale: int = 10) -> bytes:
    """Return the PNG of the QR code that pays an amount to this organisation with a reference.

    Refuses (OperationError) an amount or reference a bank would not take, and a shop
    without an IBAN.
    """
    code = epc_qr(get_payee(), amount_cents, reference)
    out = io.BytesIO()
    code.save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


@dataclass(frozen=True)
class QrConfirmation:
    """A QR payment's remittance text and the staff member who saw the money arrive."""

    reference: str | None
    staff: User


QR_NEEDS_STAFF = OperationError(
    403,
    "qr_needs_staff",
    _l(
        "Een QR-betaling moet een begeleider bevestigen: tik op Geld ontvangen en laat een "
        "begeleider de eigen pincode ingeven."
    ),
)


def confirming_staff(user_id: int) -> User:
    """Return the active staff member or manager who confirms a QR payment; refuse others."""
    user = db.session.get(User, user_id)
    if user is None or not user.active:
        raise OperationError(422, "unknown_operator", _l("Deze medewerker is niet gekend."))
    if user.role not in (Role.STAFF, Role.MANAGER):
        raise OperationError(
            403,
            "staff_only",
            _l("Alleen een begeleider of verantwoordelijke kan een QR-betaling bevestigen."),
        )
    return user


def qr_reference(sale: Sale) -> str | None:
    """Return the reference of a sale's QR payment, or None when it has none."""
    return next((p.reference for p in sale.payments if p.method == PaymentMethod.QR), None)


def payment_columns(method: str, amount_cents: int, qr: QrConfirmation | None) -> dict[str, Any]:
    """Return a sale's payment row's columns; a QR payment keeps its reference and confirmer."""
    confirmed = method == PaymentMethod.QR and qr is not None
    return {
        "method": method,
        "amount_cents": amount_cents,
        "reference": qr.reference if confirmed and qr is not None else None,
        "confirmed_by_id": qr.staff.id if confirmed and qr is not None else None,
    }
