"""The day's delivery round: its stops in slot order, what to collect at each, and its slip.

The back office shows the round as a page to print (admin/customer_orders.py) and can send it
to a receipt printer as a text report (print job of kind "report"); both say the same.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _

from kiosk.customer_orders.queries import (
    awaits_qr_payment,
    get_orders_of_day,
    order_total_cents,
    priced_lines,
)
from kiosk.decimal_text import unit_quantity_text
from kiosk.models import CustomerOrder
from kiosk.models.customer_orders import CustomerOrderStatus, Fulfilment, OrderPayment
from kiosk.money import euro_text
from kiosk.periods import day_text
from printers import TextReport
from printers.formatting import columns_row, paper_text, rule, wrap


def get_round(day: date) -> list[CustomerOrder]:
    """Return a day's deliveries that are not cancelled, by slot then id (every point of sale)."""
    return [
        order for order in get_orders_of_day(None, day) if order.fulfilment == Fulfilment.DELIVERY
    ]


def collect_sentence(order: CustomerOrder) -> str:
    """Say what the delivery collects at a stop: the amount, by QR, nothing (invoice, paid)."""
    amount = euro_text(order_total_cents(order))
    if order.status == CustomerOrderStatus.PAID:
        return _("Al betaald")
    if order.payment == OrderPayment.INVOICE:
        return _("Op de maandfactuur: niets te innen")
    if order.payment == OrderPayment.QR:
        return _("Te betalen met QR: %(amount)s", amount=amount)
    return _("Te innen: %(amount)s", amount=amount)


def round_slip(day: date, stops: list[CustomerOrder], columns: int, now: datetime) -> TextReport:
    """Lay the round out for a receipt printer: per stop the customer, address, items, money."""
    lines: list[str] = []
    for number, order in enumerate(stops, start=1):
        who = order.customer_name or _("(gewist)")
        stop = f"{number}. {order.slot or _('hele dag')} {who}"
        lines += [rule(columns), *wrap(paper_text(stop), columns)]
        for detail in (order.customer_address, order.customer_phone, order.customer_note):
            if detail:
                lines += wrap(paper_text(" ".join(detail.split())), columns)
        for priced in priced_lines(order):
            quantity = unit_quantity_text(priced.line.milli, priced.line.product.unit)
            item = paper_text(f"[ ] {quantity} x {priced.line.product.name}")
            lines += columns_row(item, paper_text(euro_text(priced.amount_cents)), columns)
        lines += wrap(paper_text(collect_sentence(order)), columns)
        if awaits_qr_payment(order):  # the transfer's reference, to match it on the statement
            lines += wrap(paper_text(_("Mededeling: %(number)s", number=order.number)), columns)
    return TextReport(
        title=_("Leverronde van %(day)s", day=day_text(day)),
        rows=((_("Adressen"), str(len(stops))),),
        lines=tuple(lines),
        created_at=now,
    )
