"""POST /api/v1/sales and GET /api/v1/sales/<id>."""

from __future__ import annotations

from flask import g, jsonify, request
from flask.typing import ResponseReturnValue
from sqlalchemy.exc import IntegrityError

from kiosk.api.blueprint import bp, error_response
from kiosk.api.documents import sale_document
from kiosk.api.parsing import parse_idempotency_key, parse_json_body, parse_order
from kiosk.extensions import db
from kiosk.models.types import utcnow
from kiosk.sales.operations import record_sale, replayed_sale
from kiosk.sales.queries import get_sale, get_sale_by_key


@bp.post("/sales")
def create_sale() -> ResponseReturnValue:
    """Store a sale once per Idempotency-Key and answer with its receipt document."""
    key = parse_idempotency_key(request.headers.get("Idempotency-Key"))
    order = parse_order(parse_json_body(request.get_data()))
    try:
        sale, created = record_sale(g.till, order, key, utcnow())
        # Described from the objects in hand, before the commit expires them: no reload after it.
        document = sale_document(sale)
        db.session.commit()
    except IntegrityError:
        # Another request with the same key committed first (PostgreSQL): answer with its sale.
        db.session.rollback()
        existing = get_sale_by_key(g.till.id, key)
        if existing is None:
            raise
        sale, created = replayed_sale(existing, order.fingerprint()), False
        document = sale_document(sale)
    return jsonify(document), 201 if created else 200


@bp.get("/sales/<int:sale_id>")
def show_sale(sale_id: int) -> ResponseReturnValue:
    """Answer with a sale this till's point of sale made."""
    sale = get_sale(sale_id)
    if sale is None or sale.point_of_sale_id != g.till.point_of_sale_id:
        return error_response(404, "not_found", "Deze verkoop bestaat niet.")
    return jsonify(sale_document(sale))
