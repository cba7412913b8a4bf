"""The bistro's tabs: open, add items, send to kitchen and bar, cancel an item, move table.

Paying a tab lives in kiosk.operations.tab_payments.

Every change locks the tab first (kiosk.bistro_queries.get_tab), bumps its version, and, like
every operation, never commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l

from kiosk.bistro.kitchen_tickets import ticket_payload
from kiosk.bistro.queries import (
    get_dining_table,
    get_open_tab_at,
    get_tab,
    get_tab_balance,
    ordered_items,
    was_emptied,
)
from kiosk.bistro.stations import (
    Station,
    get_station,
    items_by_station,
    show_on_screens,
    station_printers,
)
from kiosk.catalog.queries import get_products_for_sale
from kiosk.errors import OperationError
from kiosk.extensions import db
from kiosk.models import PrintJob, Product, Tab, TabItem, Till, User
from kiosk.models.types import Consumption
from kiosk.periods import business_day
from kiosk.printing.queue import enqueue
from kiosk.sales.operations import checked_operator
from kiosk.sales.pricing import check_quantity, sellable_product, vat_rate
from kiosk.sales.queries import get_vat_rates


@dataclass(frozen=True)
class WantedItem:
    """One item a tablet adds to a tab; the client_key makes a retried request harmless."""

    client_key: str
    product_id: int
    quantity: Decimal
    consumption: str | None = None
    note: str | None = None


def locked_tab(till: Till, tab_id: int) -> Tab:
    """Return a tab of the till's point of sale, locked until the commit."""
    tab = get_tab(till.point_of_sale_id, tab_id, lock=True)
    if tab is None:
        raise OperationError(404, "unknown_tab", _l("Deze rekening bestaat niet."))
    return tab


def require_open(tab: Tab) -> None:
    """Refuse a change to a tab that was paid or cancelled."""
    if tab.state == "paid":
        raise OperationError(409, "tab_closed", _l("Deze rekening is al betaald."))
    if tab.state != "open":
        raise OperationError(409, "tab_closed", _l("Deze rekening is afgesloten."))


def changed(tab: Tab) -> Tab:
    """Bump the tab's version, so a tablet knows its picture of it is old."""
    tab.version += 1
    return tab


def open_tab(till: Till, table_id: int, operator_id: int, now: datetime) -> tuple[Tab, bool]:
    """Open a tab at a table; return the table's open tab instead if it has one (and False)."""
    table = get_dining_table(till.point_of_sale_id, table_id, lock=True)
    if table is None:
        raise OperationError(404, "unknown_table", _l("Deze tafel bestaat niet."))
    operator = checked_operator(operator_id)
    existing = occupying_tab(table.id, now)
    if existing is not None:
        return existing, False
    tab = Tab(
        point_of_sale_id=till.point_of_sale_id,
        table=table,
        state="open",
        opened_at=now,
        opened_by_id=operator.id,
        version=1,
    )
    db.session.add(tab)
    db.session.flush()
    return tab, True


def occupying_tab(table_id: int, now: datetime) -> Tab | None:
    """Return the open tab at a table; one whose items were all taken off is closed instead.

    A tab without items yet is kept: a tablet opens a tab and then adds its first items, and
    another tablet opening the table in between must get that same tab.
    """
    tab = get_open_tab_at(table_id, lock=True)  # a tablet adding to it now goes first
    if tab is None or not was_emptied(tab):
        return tab
    tab.state, tab.closed_at = "cancelled", now
    changed(tab)
    db.session.flush()  # before another tab opens here: one open tab per table
    return None


def add_items(
    till: Till, tab_id: int, operator_id: int, wanted: Iterable[WantedItem], now: datetime
) -> Tab:
    """Add items at today's prices; an item whose client_key the tab has is not added again."""
    tab = locked_tab(till, tab_id)
    require_open(tab)
    operator = checked_operator(operator_id)
    known = {item.client_key for item in tab.items}
    new: dict[str, WantedItem] = {}
    for wanted_item in wanted:
        if wanted_item.client_key not in known:
            new.setdefault(wanted_item.client_key, wanted_item)
    if not new:
        return tab
    point_of_sale = till.point_of_sale
    products = get_products_for_sale(point_of_sale, {item.product_id for item in new.values()})
    rates = get_vat_rates(business_day(now))
    rows = [new_item(w, products, rates, point_of_sale.default_consumption) for w in new.values()]
    for row in rows:  # all checked first: a refused item leaves the tab as it was
        row.added_at, row.added_by_id = now, operator.id
        tab.items.append(row)
    db.session.flush()
    return changed(tab)


def new_item(
    wanted: WantedItem,
    products: dict[int, Product],
    rates: dict[tuple[str, str], int],
    default_consumption: str,
) -> TabItem:
    """Make the row of a wanted item at the product's price now, refusing what cannot be sold."""
    product = sellable_product(products.get(wanted.product_id))
    check_quantity(product, wanted.quantity)
    consumption = wanted.consumption or default_consumption
    if consumption not in set(Consumption):
        raise OperationError(422, "invalid_consumption", _l("Kies meenemen of ter plaatse."))
    vat_rate(rates, product.vat_class, consumption, product.name)  # refused now, not at paying
    return TabItem(
        client_key=wanted.client_key,
        product=product,
        description=product.name,
        unit=product.unit,
        quantity_milli=int(wanted.quantity * 1000),
        unit_price_cents=product.price_cents,
        consumption=consumption,
        note=wanted.note,
    )


def cancel_item(till: Till, tab_id: int, item_id: int, operator_id: int, now: datetime) -> Tab:
    """Take an unpaid item off a tab; the kitchen or bar gets ANNULEER if it was sent."""
    tab = locked_tab(till, tab_id)
    require_open(tab)
    operator = checked_operator(operator_id)
    balance = get_tab_balance(tab)
    row = next((row for row in balance.items if row.item.id == item_id), None)
    if row is None:
        raise OperationError(404, "unknown_item", _l("Dit staat niet op deze rekening."))
    item = row.item
    if item.cancelled_at is not None:
        return tab  # cancelled before: a retried request changes nothing
    if item.sale_id is not None or row.has_shares:
        raise OperationError(
            409,
            "item_paid",
            _l("%(description)s is al (deels) betaald.", description=item.description),
        )
    item.cancelled_at = now
    item.cancelled_by_id = operator.id
    if item.sent_at is not None:
        enqueue_tickets(tab, [item], operator, now, cancel=True, to_screens=True)
    if balance.anything_paid and not get_tab_balance(tab).open_items:
        tab.state, tab.closed_at = "paid", now  # what was left is paid; the table is free
    return changed(tab)


def send_items(
    till: Till, tab_id: int, operator_id: int, now: datetime
) -> tuple[Tab, list[tuple[Station, int]]]:
    """Send the items not sent yet to the kitchen and bar printers and screens.

    Return the tab and, per station that makes any of them, the station as it is now and how
    many items it got, so the till says only what happened.
    """
    tab = locked_tab(till, tab_id)
    if tab.state == "cancelled":  # a paid tab may still send what it paid for
        require_open(tab)
    operator = checked_operator(operator_id)
    unsent = [
        item for item in ordered_items(tab) if item.sent_at is None and item.cancelled_at is None
    ]
    if not unsent:
        return tab, []
    for item in unsent:
        item.sent_at = now
    enqueue_tickets(tab, unsent, operator, now, to_screens=True)
    stations = [
        (get_station(tab.point_of_sale_id, station, now), len(items))
        for station, items in items_by_station(unsent).items()
    ]
    return changed(tab), stations


def reprint_items(
    till: Till, tab_id: int, operator_id: int, now: datetime
) -> tuple[Tab, list[PrintJob]]:
    """Print the sent items of a tab again, marked as a reprint; return the tab and the jobs."""
    tab = locked_tab(till, tab_id)
    operator = checked_operator(operator_id)
    sent = [
        item
        for item in ordered_items(tab)
        if item.sent_at is not None and item.cancelled_at is None
    ]
    jobs = enqueue_tickets(tab, sent, operator, now, reprint=True)
    if not jobs:
        raise OperationError(409, "nothing_to_print", _l("Er is niets om opnieuw te printen."))
    return tab, jobs


def move_tab(till: Till, tab_id: int, table_id: int, operator_id: int, now: datetime) -> Tab:
    """Move an open tab to a free table of the same point of sale.

    The kitchen and bar hear of it ("VERPLAATST: Tafel 2 > Tafel 5", with what they were sent),
    so what is still being made goes to the right table.
    """
    tab = locked_tab(till, tab_id)
    require_open(tab)
    operator = checked_operator(operator_id)
    table = get_dining_table(till.point_of_sale_id, table_id, lock=True)
    if table is None:
        raise OperationError(404, "unknown_table", _l("Deze tafel bestaat niet."))
    if table.id == tab.table_id:
        return tab
    other = occupying_tab(table.id, now)
    if other is not None:
        raise OperationError(
            409,
            "table_taken",
            _l("%(table)s heeft al een open rekening. Kies een vrije tafel.", table=table.name),
        )
    moved_from = tab.table.name if tab.table is not None else None
    tab.table = table
    db.session.flush()
    sent = [item for item in ordered_items(tab) if item.sent_at and item.cancelled_at is None]
    enqueue_tickets(tab, sent, operator, now, moved_from=moved_from)
    return changed(tab)


def enqueue_tickets(
    tab: Tab,
    items: list[TabItem],
    operator: User,
    now: datetime,
    *,
    cancel: bool = False,
    reprint: bool = False,
    moved_from: str | None = None,
    to_screens: bool = False,
) -> list[PrintJob]:
    """Queue one ticket per station for the items made there; items made nowhere are skipped.

    A new order or a cancel (`to_screens`) is also shown on the station's screens.
    """
    jobs = []
    for preparation, station_items in items_by_station(items).items():
        payload = ticket_payload(
            preparation,
            tab,
            station_items,
            operator.name,
            now,
            cancel=cancel,
            reprint=reprint,
            moved_from=moved_from,
        )
        for printer in station_printers(tab.point_of_sale_id, preparation):
            jobs.append(enqueue(printer, "kitchen", now, **payload))
        if to_screens:
            show_on_screens(tab.point_of_sale_id, tab.id, preparation, payload, now)
    return jobs
