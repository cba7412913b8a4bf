"""Places: the points of sale a till sells at and the stock locations goods lie in."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from kiosk.errors import OperationError
from kiosk.extensions import db
from kiosk.models import Location, PointOfSale
from kiosk.models.types import Consumption, PaymentMethod
from kiosk.payment_methods import TILL_CODES
from kiosk.sales.qr_payment import get_payee

#: what a location is; the seed and the back office use these words
LOCATION_KINDS = ("shelf", "stockroom", "bistro", "vending")

CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]*$")


def point_of_sale_by_code(code: str) -> PointOfSale:
    """Return the point of sale with this code (any case, spaces around), or refuse."""
    point_of_sale = db.session.scalar(
        select(PointOfSale).where(PointOfSale.code == code.strip().upper())
    )
    if point_of_sale is None:
        raise OperationError(
            422,
            "unknown_point_of_sale",
            _l("Verkooppunt %(point_of_sale_code)s bestaat niet.", point_of_sale_code=code),
        )
    return point_of_sale


def checked_code(code: str, max_length: int) -> str:
    """Return a code in capitals, or refuse one with other characters."""
    code = code.strip().upper()
    if not code or len(code) > max_length or not CODE.match(code):
        raise OperationError(
            422,
            "invalid_code",
            _l(
                "Een code heeft 1 tot %(max_length)s letters, cijfers of streepjes.",
                max_length=max_length,
            ),
        )
    return code


def save_point_of_sale(
    point_of_sale: PointOfSale | None,
    code: str,
    name: str,
    default_consumption: str,
    payment_methods: list[str],
) -> PointOfSale:
    """Add a point of sale (None) or change one; codes are unique, case aside."""
    code = checked_code(code, 10)
    taken = db.session.scalar(
        select(PointOfSale.id).where(
            func.upper(PointOfSale.code) == code,
            PointOfSale.id != (point_of_sale.id if point_of_sale else -1),
        )
    )
    if taken is not None:
        raise OperationError(
            409, "code_taken", _l("Er is al een verkooppunt met code %(code)s.", code=code)
        )
    if default_consumption not in set(Consumption):
        raise OperationError(422, "invalid_consumption", _l("Kies meenemen of ter plaatse."))
    methods = [method for method in TILL_CODES if method in payment_methods]
    if not methods or len(methods) != len(set(payment_methods)):
        raise OperationError(422, "invalid_payment_methods", _l("Kies minstens één betaalwijze."))
    if PaymentMethod.QR in methods:
        get_payee()  # QR needs the organisation's IBAN and name
    if point_of_sale is None:
        point_of_sale = PointOfSale()
        db.session.add(point_of_sale)
    point_of_sale.code = code
    point_of_sale.name = name.strip()
    point_of_sale.default_consumption = default_consumption
    point_of_sale.payment_methods = "|".join(methods)
    db.session.flush()
    return point_of_sale


def save_location(
    location: Location | None,
    code: str,
    name: str,
    kind: str,
    sells_for: PointOfSale | None,
) -> Location:
    """Add a location (None) or change one; a point of sale sells from one location at most."""
    code = checked_code(code, 20)
    own_id = location.id if location else -1
    taken = db.session.scalar(
        select(Location.id).where(func.upper(Location.code) == code, Location.id != own_id)
    )
    if taken is not None:
        raise OperationError(
            409, "code_taken", _l("Er is al een plaats met code %(code)s.", code=code)
        )
    if kind not in LOCATION_KINDS:
        raise OperationError(422, "invalid_kind", _l("Kies wat voor plaats het is."))
    if sells_for is not None:
        other = db.session.scalar(
            select(Location).where(Location.sells_for_id == sells_for.id, Location.id != own_id)
        )
        if other is not None:
            raise OperationError(
                409,
                "point_of_sale_taken",
                _l(
                    "%(sells_for)s verkoopt al uit %(other)s.",
                    sells_for=sells_for.name,
                    other=other.name,
                ),
            )
    if location is None:
        location = Location()
        db.session.add(location)
    location.code = code
    location.name = name.strip()
    location.kind = kind
    location.sells_for = sells_for
    db.session.flush()
    return location
