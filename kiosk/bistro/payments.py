"""Pay a bistro tab: all at once, some items, or one of N equal parts; each payment is a sale.

A payment goes through the same code as a till's sale (kiosk.operations.sales.complete_sale):
its own ticket number, cash rounding, VAT per rate, stock and the receipt. Its lines are the
tab's items at the price they were ordered at, each at the VAT rate of its own consumption
(eat-in or take-away) in force today.

Equal parts: part k of N pays, of every unpaid item, its share of what is left for the parts
not paid yet. With M parts left and R cents unpaid, the part pays R // M cents, plus one cent
while the parts before it in number took the leftover cents (largest remainder, earliest
first), so parts paid in order are exactly the shares of the unpaid total over N, and together
they pay it to the cent. Within the part the cents go to the items by largest remainder too,
and quantities are shared likewise (in thousandths), so stock and reports add up. The last part
pays whatever is left. A part that is not the last leaves share rows on the tab
(kiosk.bistro_queries), linked to its sale.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from datetime import datetime

from flask_babel import lazy_gettext as _l

from kiosk import money
from kiosk.bistro.queries import ItemBalance, TabBalance, get_tab_balance, share_key
from kiosk.bistro.tabs import changed, locked_tab
from kiosk.errors import OperationError
from kiosk.extensions import db
from kiosk.models import Product, Sale, SaleLine, Tab, TabItem, Till
from kiosk.models.types import PaymentMethod
from kiosk.periods import business_day
from kiosk.sales.operations import checked_operator, complete_sale, replayed_sale
from kiosk.sales.pricing import payments_by_method, vat_rate
from kiosk.sales.queries import get_sale_by_key, get_vat_rates

MAX_PARTS = 50


@dataclass(frozen=True)
class Split:
    """Which part of the tab a payment pays: all, some items, or part k of N equal parts."""

    kind: str
    item_ids: tuple[int, ...] = ()
    parts: int = 1
    part: int = 1

    def canonical(self) -> list[object]:
        """Return the split in a form that ignores JSON spelling."""
        if self.kind == "items":
            return ["items", sorted(set(self.item_ids))]
        if self.kind == "equal":
            return ["equal", self.parts, self.part]
        return ["all"]


@dataclass(frozen=True)
class TabPayment:
    """A request to pay (part of) a tab, already parsed and checked for shape."""

    operator_id: int
    split: Split
    payments: tuple[tuple[str, int], ...]

    def fingerprint(self, tab_id: int) -> str:
        """Return a hash of the request, so a replayed key can be told from a reused one."""
        canonical = {
            "tab": tab_id,
            "operator_id": self.operator_id,
            "split": self.split.canonical(),
            "payments": sorted([method, amount] for method, amount in self.payments),
        }
        return hashlib.sha256(json.dumps(canonical, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True)
class Portion:
    """What one sale line pays of one item: all that is left of it, or a share."""

    item: TabItem
    amount_cents: int
    quantity_milli: int
    share: tuple[int, int] | None = None  # (part, parts) when the item is not paid in full
    #: into how many equal parts the bill is split, when this line pays one part of the item
    parts: int | None = None


#: the bistro till has no QR screens (it offers cash and card only), so nobody confirms the money
TAB_QR_NEEDS_STAFF = OperationError(
    403,
    "qr_needs_staff",
    _l("Een rekening van de bistro kan je niet met een QR-code betalen. Kies Contant of Kaart."),
)


def pay_tab(
    till: Till,
    tab_id: int,
    request: TabPayment,
    idempotency_key: str,
    now: datetime,
    rung_up_at: datetime | None = None,
) -> tuple[Sale, Tab, bool]:
    """Store the sale that pays (part of) a tab; return it, the tab and whether it is new.

    `rung_up_at` is when the till took the payment (default: now); it decides the business day.
    The tab is locked first, so a second tablet paying the same tab waits and then finds it
    paid. A key the till used before returns its sale (a replay) or, for another request, 409.
    """
    tab = locked_tab(till, tab_id)
    fingerprint = request.fingerprint(tab.id)
    existing = get_sale_by_key(till.id, idempotency_key)
    if existing is not None:
        return replayed_sale(existing, fingerprint), tab, False
    if tab.state == "paid":
        raise OperationError(409, "already_paid", _l("Deze rekening is al betaald."))
    if tab.state != "open":
        raise OperationError(409, "tab_closed", _l("Deze rekening is afgesloten."))
    operator = checked_operator(request.operator_id)
    portions = chosen_portions(get_tab_balance(tab), request.split)
    consumption = till.point_of_sale.default_consumption
    paid = payments_by_method(request.payments, till.point_of_sale.accepted_methods)
    if PaymentMethod.QR in paid:
        raise TAB_QR_NEEDS_STAFF
    try:
        sale = complete_sale(
            till,
            operator,
            sale_lines(portions, consumption, get_vat_rates(business_day(rung_up_at or now))),
            paid,
            consumption=consumption,
            idempotency_key=idempotency_key,
            fingerprint=fingerprint,
            now=now,
            rung_up_at=rung_up_at,
        )
    except OperationError as refusal:
        if refusal.code not in ("insufficient_payment", "overpayment"):
            raise
        due = money.format_euro(sum(portion.amount_cents for portion in portions))
        raise OperationError(
            refusal.status,
            refusal.code,
            _l("%(message)s Te betalen: %(due)s euro.", message=refusal.message, due=due),
        ) from refusal
    for portion in portions:
        if portion.share is None:
            portion.item.sale = sale
        else:
            tab.items.append(share_row(portion, sale, operator.id, now))
    db.session.flush()
    if not get_tab_balance(tab).open_items:
        tab.state, tab.closed_at = "paid", now
    return sale, changed(tab), True


def chosen_portions(balance: TabBalance, split: Split) -> list[Portion]:
    """Return what the split pays of each item, refusing a split that cannot be paid now."""
    if split.kind == "items":
        rows = chosen_items(balance, split.item_ids)
    elif split.kind == "equal":
        return equal_part(balance, split.parts, split.part)
    else:
        rows = balance.open_items
    if not rows:
        raise OperationError(409, "nothing_to_pay", _l("Er staat niets open op deze rekening."))
    return [whole(row) for row in rows]


def whole(row: ItemBalance) -> Portion:
    """Pay all that is left of an item."""
    return Portion(row.item, row.unpaid_cents, row.unpaid_milli)


def chosen_items(balance: TabBalance, item_ids: tuple[int, ...]) -> list[ItemBalance]:
    """Return the chosen items, in tab order, if each is still to be paid."""
    rows = {row.item.id: row for row in balance.items}
    for item_id in item_ids:
        row = rows.get(item_id)
        if row is None:
            raise OperationError(
                422, "unknown_item", _l("Een gekozen item staat niet op deze rekening.")
            )
        if row.item.cancelled_at is not None:
            raise OperationError(
                409,
                "item_cancelled",
                _l("%(description)s is geannuleerd.", description=row.item.description),
            )
        if row.item.sale_id is not None:
            raise OperationError(
                409,
                "already_paid",
                _l("%(description)s is al betaald.", description=row.item.description),
            )
    wanted = set(item_ids)
    return [row for row in balance.open_items if row.item.id in wanted]


def equal_part(balance: TabBalance, parts: int, part: int) -> list[Portion]:
    """Return part `part` of `parts` equal parts of what is unpaid (see the module's doc)."""
    for other, paid in balance.parts_paid.items():
        if other != parts:
            raise OperationError(
                409,
                "split_in_progress",
                _l(
                    "Deze rekening wordt al in %(parts)s gelijke delen betaald "
                    "(deel %(paid)s betaald).",
                    parts=other,
                    paid=", ".join(map(str, sorted(paid))),
                ),
            )
    paid = balance.parts_paid.get(parts, set())
    if part in paid:
        raise OperationError(
            409,
            "part_already_paid",
            _l("Deel %(part)s van %(parts)s is al betaald.", part=part, parts=parts),
        )
    rows = balance.open_items
    if not rows:
        raise OperationError(409, "nothing_to_pay", _l("Er staat niets open op deze rekening."))
    waiting = [number for number in range(1, parts + 1) if number not in paid]
    left = len(waiting)
    if left == 1:  # the last part: what is left, one part of the items the others shared
        return [replace(whole(row), parts=parts) if row.has_shares else whole(row) for row in rows]
    unpaid = sum(row.unpaid_cents for row in rows)
    amount = unpaid // left + (1 if waiting.index(part) < unpaid % left else 0)
    shares = money.share_out(amount, [row.unpaid_cents for row in rows])
    return [
        Portion(row.item, cents, row.unpaid_milli // left, (part, parts), parts)
        for row, cents in zip(rows, shares, strict=True)
    ]


def sale_lines(
    portions: list[Portion], consumption: str, rates: dict[tuple[str, str], int]
) -> list[SaleLine]:
    """Make the sale's lines at the price each item was ordered at and today's VAT rate.

    The rate is the one for the item's VAT class and consumption; a line's own consumption is
    kept where it differs from the sale's.
    """
    lines = []
    for position, portion in enumerate(portions, start=1):
        item = portion.item
        product: Product = item.product
        rate = vat_rate(rates, product.vat_class, item.consumption, item.description)
        lines.append(
            SaleLine(
                position=position,
                product_id=item.product_id,
                description=item.description,
                unit=item.unit,
                quantity_milli=portion.quantity_milli,
                unit_price_cents=item.unit_price_cents,
                amount_cents=portion.amount_cents,
                vat_class=product.vat_class,
                vat_rate_basis_points=rate,
                consumption=None if item.consumption == consumption else item.consumption,
                share_parts=portion.parts,
            )
        )
    return lines


def share_row(portion: Portion, sale: Sale, operator_id: int, now: datetime) -> TabItem:
    """Record on the tab which share of an item a part's sale paid."""
    assert portion.share is not None
    item = portion.item
    return TabItem(
        client_key=share_key(item.id, *portion.share),
        product_id=item.product_id,
        description=item.description,
        unit=item.unit,
        quantity_milli=portion.quantity_milli,
        unit_price_cents=item.unit_price_cents,
        consumption=item.consumption,
        added_at=now,
        added_by_id=operator_id,
        sent_at=item.sent_at or now,  # a share is money, never an order for the kitchen
        sale=sale,
    )
