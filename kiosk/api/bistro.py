"""The bistro's tables and tabs under /api/v1: open, add, send, cancel, move, reprint and pay.

Every view parses, calls one operation, commits once and answers; the operation locks the tab,
so two tablets working on one tab take turns and lose nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import g, jsonify, request
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from kiosk.api.bistro_documents import station_document, tab_document, table_document
from kiosk.api.bistro_parsing import (
    parse_move,
    parse_new_items,
    parse_operator,
    parse_tab_payment,
)
from kiosk.api.blueprint import bp, error_response
from kiosk.api.documents import sale_document
from kiosk.api.idempotency import commit_or_replay
from kiosk.api.operators import require_operator_proof
from kiosk.api.parsing import parse_idempotency_key, parse_rung_up_at, read_json_body
from kiosk.bistro.payments import pay_tab
from kiosk.bistro.queries import get_dining_tables, get_open_tabs, get_tab, is_empty
from kiosk.bistro.tabs import add_items, cancel_item, move_tab, open_tab, reprint_items, send_items
from kiosk.errors import OperationError
from kiosk.extensions import db
from kiosk.models import Sale
from kiosk.models.types import utcnow
from kiosk.printing.worker import notify_print_worker
from kiosk.sales.operations import replayed_sale

T = TypeVar("T")
CONFLICT = OperationError(
    409, "conflict", _l("Een andere kassa wijzigde deze rekening net. Probeer opnieuw.")
)


def body() -> Any:
    """Return the request's JSON body, decimals exact."""
    return read_json_body()


def proven(data: Any, operator_id: int) -> int:
    """Return the operator of a tab change, refused (403) without their proof of today."""
    require_operator_proof(data, operator_id, utcnow())
    return operator_id


def committed(change: Callable[[], T]) -> T:
    """Make a change and commit it; a unique rule that trips becomes a 409.

    The answer is described inside the change, before the commit expires the rows. A unique rule
    trips on what the locks did not catch.
    """
    try:
        answer = change()
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise CONFLICT from error
    return answer


@bp.get("/tables")
def list_tables() -> ResponseReturnValue:
    """Answer with this point of sale's tables, each with its open tab's total and age."""
    point_of_sale_id = g.till.point_of_sale_id
    tabs = {
        tab.table_id: tab
        for tab in get_open_tabs(point_of_sale_id)
        if tab.table_id is not None and not is_empty(tab)
    }
    tables = get_dining_tables(point_of_sale_id)
    return {"tables": [table_document(table, tabs.get(table.id)) for table in tables]}


@bp.post("/tables/<int:table_id>/tab")
def open_table_tab(table_id: int) -> ResponseReturnValue:
    """Open a tab at a table, or answer with the one it has (200)."""
    data = body()
    operator_id = proven(data, parse_operator(data))

    def change() -> tuple[dict[str, Any], bool]:
        tab, created = open_tab(g.till, table_id, operator_id, utcnow())
        return tab_document(tab), created

    document, created = committed(change)
    return jsonify(document), 201 if created else 200


@bp.get("/tabs/<int:tab_id>")
def show_tab(tab_id: int) -> ResponseReturnValue:
    """Answer with a tab of this point of sale and all its items."""
    tab = get_tab(g.till.point_of_sale_id, tab_id)
    if tab is None:
        return error_response(404, "unknown_tab", _l("Deze rekening bestaat niet."))
    return tab_document(tab)


@bp.post("/tabs/<int:tab_id>/items")
def add_tab_items(tab_id: int) -> ResponseReturnValue:
    """Add items to an open tab, once per client_key."""
    data = body()
    operator_id, items = parse_new_items(data)
    proven(data, operator_id)
    return committed(lambda: tab_document(add_items(g.till, tab_id, operator_id, items, utcnow())))


@bp.post("/tabs/<int:tab_id>/items/<int:item_id>/cancel")
def cancel_tab_item(tab_id: int, item_id: int) -> ResponseReturnValue:
    """Take an item off a tab; a sent item gets an ANNULEER ticket."""
    data = body()
    operator_id = proven(data, parse_operator(data))
    document = committed(
        lambda: tab_document(cancel_item(g.till, tab_id, item_id, operator_id, utcnow()))
    )
    notify_print_worker()
    return document


@bp.post("/tabs/<int:tab_id>/send")
def send_tab(tab_id: int) -> ResponseReturnValue:
    """Send the new items to the kitchen and bar; say what happened at each station."""
    data = body()
    operator_id = proven(data, parse_operator(data))

    def change() -> dict[str, Any]:
        tab, stations = send_items(g.till, tab_id, operator_id, utcnow())
        return tab_document(tab) | {"stations": [station_document(*sent) for sent in stations]}

    document = committed(change)
    notify_print_worker()
    return document


@bp.post("/tabs/<int:tab_id>/reprint")
def reprint_tab(tab_id: int) -> ResponseReturnValue:
    """Print the sent items again, marked as a reprint."""
    data = body()
    operator_id = proven(data, parse_operator(data))
    document = committed(
        lambda: tab_document(reprint_items(g.till, tab_id, operator_id, utcnow())[0])
    )
    notify_print_worker()
    return document, 202


@bp.post("/tabs/<int:tab_id>/move")
def move_tab_to_table(tab_id: int) -> ResponseReturnValue:
    """Move an open tab to a free table."""
    data = body()
    operator_id, table_id = parse_move(data)
    proven(data, operator_id)
    return committed(
        lambda: tab_document(move_tab(g.till, tab_id, table_id, operator_id, utcnow()))
    )


@bp.post("/tabs/<int:tab_id>/payments")
def pay_tab_part(tab_id: int) -> ResponseReturnValue:
    """Pay all of a tab, some items or an equal part: one sale per Idempotency-Key."""
    key = parse_idempotency_key(request.headers.get("Idempotency-Key"))
    data, now = body(), utcnow()
    payment, rung_up_at = parse_tab_payment(data), parse_rung_up_at(data, now)
    require_operator_proof(data, payment.operator_id, rung_up_at or now)

    def record() -> tuple[dict[str, Any], bool]:
        sale, tab, created = pay_tab(g.till, tab_id, payment, key, now, rung_up_at)
        return {"sale": sale_document(sale), "tab": tab_document(tab)}, created

    def replay(earlier: Sale) -> dict[str, Any]:
        tab_now = get_tab(g.till.point_of_sale_id, tab_id)
        if tab_now is None:
            raise CONFLICT
        sale = replayed_sale(earlier, payment.fingerprint(tab_id))
        return {"sale": sale_document(sale), "tab": tab_document(tab_now)}

    document, created = commit_or_replay(g.till.id, key, record, replay, refusal=CONFLICT)
    if created:
        notify_print_worker()
    return jsonify(document), 201 if created else 200
