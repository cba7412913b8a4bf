"""Monthly invoices of customers' orders: one per association and month, numbered, never changed.

An order on the monthly invoice is booked as a sale when it is handed over (paid `invoice`,
kiosk.customer_orders.payments); the invoice gathers an association's handed-over orders of a
month that are on no invoice yet. Its number comes from an unbroken yearly sequence
(`2026-0001`), taken in the invoice's own transaction, so a refusal or rollback gives the number
back and no number is ever given twice. The seller's and customer's details are copied onto it;
its lines, VAT and total are those of its orders' sales, which never change either.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite

from kiosk.customer_orders.audit_entries import record_invoice_event
from kiosk.customer_orders.queries import get_orders_to_invoice
from kiosk.database import MAX_ROW_ID
from kiosk.errors import OperationError
from kiosk.extensions import db
from kiosk.models import CustomerInvoice, InvoiceSequence, Organisation, User
from kiosk.models.customer_orders import CustomerOrder
from kiosk.models.rules import basis_points_to_rate
from kiosk.periods import business_day

#: per dialect: make a year's sequence row when it is missing (built once)
FIRST_OF_YEAR = {
    "postgresql": postgresql.insert(InvoiceSequence).on_conflict_do_nothing(),
    "sqlite": sqlite.insert(InvoiceSequence).on_conflict_do_nothing(),
}


def next_invoice_number(year: int) -> int:
    """Take the year's next invoice number inside the invoice's transaction (row locked)."""
    db.session.execute(
        FIRST_OF_YEAR[db.session.get_bind().dialect.name], {"year": year, "last_number": 0}
    )
    return db.session.execute(
        update(InvoiceSequence)
        .where(InvoiceSequence.year == year)
        .values(last_number=InvoiceSequence.last_number + 1)
        .returning(InvoiceSequence.last_number)
        .execution_options(synchronize_session=False)
    ).scalar_one()


def orders_by_association(first_day: date) -> dict[str, list[CustomerOrder]]:
    """Return a month's handed-over orders on no invoice yet, per association (by name)."""
    grouped: dict[str, list[CustomerOrder]] = {}
    for order in get_orders_to_invoice(first_day):
        if order.invoice_id is None and order.sale is not None:
            grouped.setdefault(order.association_name or "", []).append(order)
    return grouped


def make_invoice(first_day: date, association: str, staff: User, now: datetime) -> CustomerInvoice:
    """Make the invoice of an association's handed-over orders of a month not invoiced yet.

    The number is taken first: its row lock makes a second invoice made at the same moment
    wait, and then read the orders this one put on its invoice (a refusal gives it back).
    """
    issued_on = business_day(now)
    sequence = next_invoice_number(issued_on.year)
    orders = orders_by_association(first_day).get(association)
    if not association or not orders:
        raise OperationError(
            409,
            "nothing_to_invoice",
            _l("Er zijn geen meegegeven bestellingen meer te factureren voor deze vereniging."),
        )
    organisation = db.session.get(Organisation, 1)
    if organisation is None:
        raise OperationError(409, "no_organisation", _l("Vul eerst de organisatie in."))
    latest = orders[-1]  # the association's details as on its latest order
    invoice = CustomerInvoice(
        number=f"{issued_on.year}-{sequence:04d}",
        year=issued_on.year,
        sequence=sequence,
        month=first_day,
        issued_on=issued_on,
        due_on=issued_on + timedelta(days=int(current_app.config["INVOICE_PAYMENT_DAYS"])),
        created_at=now,
        created_by_id=staff.id,
        seller_name=organisation.name,
        seller_address=organisation.address,
        seller_vat_number=organisation.vat_number,
        seller_iban=organisation.iban,
        customer_name=association,
        customer_address=latest.association_address,
        customer_vat_number=latest.association_vat_number,
        total_cents=sum(order.sale.total_cents for order in orders if order.sale is not None),
        orders=orders,
    )
    db.session.add(invoice)
    db.session.flush()
    record_invoice_event("customer_invoice.made", invoice, staff)
    return invoice


def mark_invoice_paid(invoice_id: int, staff: User, now: datetime) -> CustomerInvoice:
    """Record that an invoice's transfer arrived (staff saw it): once."""
    invoice = get_invoice(invoice_id, lock=True)
    if invoice is None:
        raise OperationError(404, "unknown_invoice", _l("Deze factuur bestaat niet."))
    if invoice.paid_at is not None:
        raise OperationError(409, "invoice_paid", _l("Deze factuur is al betaald."))
    invoice.paid_at, invoice.paid_by_id = now, staff.id
    db.session.flush()
    record_invoice_event("customer_invoice.paid", invoice, staff)
    return invoice


def get_invoice(invoice_id: int, *, lock: bool = False) -> CustomerInvoice | None:
    """Return an invoice with its orders, lines and sales; `lock` holds it until the commit."""
    if not 0 < invoice_id <= MAX_ROW_ID:
        return None
    query = select(CustomerInvoice).where(CustomerInvoice.id == invoice_id)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    return db.session.scalar(query)


def get_invoices_of_month(first_day: date) -> list[CustomerInvoice]:
    """Return the invoices made for a month, by number."""
    query = (
        select(CustomerInvoice)
        .where(CustomerInvoice.month == first_day)
        .order_by(CustomerInvoice.year, CustomerInvoice.sequence)
    )
    return list(db.session.scalars(query))


@dataclass(frozen=True)
class InvoiceLine:
    """One line of an invoice: a product of one order's sale on its day."""

    day: date
    order: str
    description: str
    quantity_milli: int
    unit: str
    unit_price_cents: int
    vat_rate: Decimal
    amount_cents: int


@dataclass(frozen=True)
class InvoiceVat:
    """An invoice's VAT at one rate: the base, the VAT and the total including it."""

    rate: Decimal
    base_cents: int
    vat_cents: int
    gross_cents: int


def invoice_lines(invoice: CustomerInvoice) -> list[InvoiceLine]:
    """Return an invoice's lines: its orders' sale lines, by day."""
    return [
        InvoiceLine(
            day=order.day,
            order=order.number,
            description=line.description,
            quantity_milli=line.quantity_milli,
            unit=line.unit,
            unit_price_cents=line.unit_price_cents,
            vat_rate=basis_points_to_rate(line.vat_rate_basis_points),
            amount_cents=line.amount_cents,
        )
        for order in invoice.orders
        if order.sale is not None
        for line in order.sale.lines
    ]


def invoice_vat(invoice: CustomerInvoice) -> list[InvoiceVat]:
    """Return an invoice's VAT per rate: the sum of its sales' VAT per rate (as booked)."""
    per_rate: dict[int, tuple[int, int]] = {}
    for order in invoice.orders:
        for vat in order.sale.vat_totals if order.sale is not None else []:
            gross, tax = per_rate.get(vat.rate_basis_points, (0, 0))
            per_rate[vat.rate_basis_points] = (gross + vat.gross_cents, tax + vat.vat_cents)
    return [
        InvoiceVat(basis_points_to_rate(rate), gross - tax, tax, gross)
        for rate, (gross, tax) in sorted(per_rate.items())
    ]
