"""POST /api/v1/sales and GET /api/v1/sales/<id>."""

from __future__ import annotations

from typing import Any

from flask import g, jsonify, request
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l

from kiosk.api.blueprint import bp, error_response
from kiosk.api.documents import sale_document
from kiosk.api.idempotency import commit_or_replay
from kiosk.api.operators import require_operator_proof
from kiosk.api.parsing import (
    parse_idempotency_key,
    parse_order,
    parse_rung_up_at,
    read_json_body,
)
from kiosk.api.qr_payments import require_qr_confirmation
from kiosk.database import reading_first
from kiosk.models import Sale
from kiosk.models.types import utcnow
from kiosk.sales.operations import record_sale, replayed_sale
from kiosk.sales.queries import get_sale


@bp.post("/sales")
@reading_first  # the order is checked and priced before the SQLite write lock
def create_sale() -> ResponseReturnValue:
    """Store a sale once per Idempotency-Key and answer with its receipt document."""
    key = parse_idempotency_key(request.headers.get("Idempotency-Key"))
    body, now = read_json_body(), utcnow()
    order, rung_up_at = parse_order(body), parse_rung_up_at(body, now)
    require_operator_proof(body, order.operator_id, rung_up_at or now)
    require_qr_confirmation(body, order, rung_up_at or now)

    def record() -> tuple[dict[str, Any], bool]:
        sale, created = record_sale(g.till, order, key, now, rung_up_at, clock=utcnow)
        return sale_document(sale), created

    def replay(earlier: Sale) -> dict[str, Any]:
        return sale_document(replayed_sale(earlier, order.fingerprint()))

    document, created = commit_or_replay(g.till.id, key, record, replay)
    return jsonify(document), 201 if created else 200


@bp.get("/sales/<int:sale_id>")
def show_sale(sale_id: int) -> ResponseReturnValue:
    """Answer with a sale this till's point of sale made."""
    sale = get_sale(sale_id)
    if sale is None or sale.point_of_sale_id != g.till.point_of_sale_id:
        return error_response(404, "not_found", _l("Deze verkoop bestaat niet."))
    return jsonify(sale_document(sale))
