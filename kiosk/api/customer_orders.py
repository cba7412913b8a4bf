"""Customers' orders under /api/v1/orders: take, list, prepare and pay (till token).

Every view parses, calls one operation, commits once and answers; orders of another point of
sale do not exist for a till (404).
"""

from __future__ import annotations

from typing import Any

from flask import g, jsonify, request
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l

from kiosk.api.blueprint import bp, error_response
from kiosk.api.documents import sale_document
from kiosk.api.idempotency import commit_or_replay
from kiosk.api.operators import require_operator_proof
from kiosk.api.order_documents import order_document
from kiosk.api.order_parsing import (
    parse_day,
    parse_new_order,
    parse_order_payment,
    parse_weights,
)
from kiosk.api.parsing import invalid, parse_idempotency_key, parse_rung_up_at, read_json_body
from kiosk.customer_orders.operations import create_order, prepare_order, replayed_order
from kiosk.customer_orders.payments import paid_again, pay_order
from kiosk.customer_orders.queries import get_customer_order, get_order_by_key, get_orders_of_day
from kiosk.extensions import db
from kiosk.models import CustomerOrder, Sale
from kiosk.models.types import utcnow
from kiosk.printing.worker import notify_print_worker


@bp.post("/orders")
def create_customer_order() -> ResponseReturnValue:
    """Take a customer's order, once per Idempotency-Key."""
    key = parse_idempotency_key(request.headers.get("Idempotency-Key"))
    wanted = parse_new_order(read_json_body())
    till = g.till

    def record() -> tuple[dict[str, Any], bool]:
        order, created = create_order(
            till.point_of_sale, wanted, utcnow(), till=till, idempotency_key=key
        )
        return order_document(order), created

    def replay(earlier: CustomerOrder) -> dict[str, Any]:
        return order_document(replayed_order(earlier, wanted.fingerprint()))

    document, created = commit_or_replay(
        till.id, key, record, replay, earlier=lambda: get_order_by_key(till.id, key)
    )
    return jsonify(document), 201 if created else 200


@bp.get("/orders")
def list_customer_orders() -> ResponseReturnValue:
    """Answer with a day's orders of this point of sale, by slot (cancelled ones left out)."""
    if "day" not in request.args:
        raise invalid(_l("Kies een dag: ?day=2026-12-24."))
    day = parse_day(request.args["day"])
    orders = get_orders_of_day(g.till.point_of_sale_id, day)
    return jsonify(orders=[order_document(order) for order in orders])


@bp.get("/orders/<int:order_id>")
def show_customer_order(order_id: int) -> ResponseReturnValue:
    """Answer with an order of this point of sale."""
    order = get_customer_order(order_id)
    if order is None or order.point_of_sale_id != g.till.point_of_sale_id:
        return error_response(404, "unknown_order", _l("Deze bestelling bestaat niet."))
    return jsonify(order_document(order))


@bp.post("/orders/<int:order_id>/prepared")
def prepare_customer_order(order_id: int) -> ResponseReturnValue:
    """Mark an order prepared, with the weights of its weighed lines."""
    weights = parse_weights()
    order = prepare_order(g.till.point_of_sale_id, order_id, weights, utcnow(), g.till)
    document = order_document(order)
    db.session.commit()
    return jsonify(document)


@bp.post("/orders/<int:order_id>/sale")
def pay_customer_order(order_id: int) -> ResponseReturnValue:
    """Pay an order: one ordinary sale per order, once per Idempotency-Key."""
    key = parse_idempotency_key(request.headers.get("Idempotency-Key"))
    body, now = read_json_body(), utcnow()
    operator_id, payments = parse_order_payment(body)
    rung_up_at = parse_rung_up_at(body, now)
    require_operator_proof(body, operator_id, rung_up_at or now)
    till = g.till

    def record() -> tuple[dict[str, Any], bool]:
        sale, _order, created = pay_order(
            till, order_id, operator_id, payments, key, now, rung_up_at
        )
        return sale_document(sale), created

    def replay(earlier: Sale) -> dict[str, Any]:
        return sale_document(paid_again(order_id, earlier, operator_id, payments))

    document, created = commit_or_replay(till.id, key, record, replay)
    if created:
        notify_print_worker()
    return jsonify(document), 201 if created else 200
