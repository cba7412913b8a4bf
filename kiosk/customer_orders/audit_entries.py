"""What the audit log keeps of customers' orders: taken, changed, prepared, paid, handed over.

An entry names the order by its number and keeps its day, way of fulfilment and payment, its
amount and (once paid) the receipt; never the customer's name, phone or address, which are
erased later while the log stays.
"""

from __future__ import annotations

from typing import Any

from kiosk.audit import log as audit
from kiosk.customer_orders.queries import order_total_cents
from kiosk.models import AuditEntry, CustomerInvoice, CustomerOrder, Till, User
from kiosk.periods import day_text


def order_facts(order: CustomerOrder) -> dict[str, Any]:
    """Return what an entry keeps of an order (no personal data)."""
    return {
        "order": order.number,
        "day": day_text(order.day),
        "fulfilment": order.fulfilment,
        "payment": order.payment,
        "status": order.status,
        "total_cents": order_total_cents(order),
        "receipt": order.sale.receipt_number if order.sale is not None else "",
        "association": order.association_name or "",
    }


def record_order_event(
    action: str, order: CustomerOrder, *, user: User | None = None, till: Till | None = None
) -> AuditEntry:
    """Log a step of an order: by whom (a back-office user by default) or at which till."""
    return audit.record(
        action, user=user, till=till, subject=f"customer_order:{order.id}", after=order_facts(order)
    )


def record_invoice_event(action: str, invoice: CustomerInvoice, user: User) -> AuditEntry:
    """Log a monthly invoice made or paid: its number, customer, month and total."""
    return audit.record(
        action,
        user=user,
        subject=f"customer_invoice:{invoice.number}",
        after={
            "invoice": invoice.number,
            "customer": invoice.customer_name,
            "month": invoice.month.strftime("%m-%Y"),
            "total_cents": invoice.total_cents,
            "orders": len(invoice.orders),
        },
    )
