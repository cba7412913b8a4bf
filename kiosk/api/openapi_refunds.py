"""The refunds' part of the OpenAPI description: recent sales, lookup by receipt, refunds."""

from __future__ import annotations

from typing import Any

from kiosk.api.openapi_parts import (
    CENTS,
    ID,
    OPERATOR_PROOF,
    RUNG_UP_AT,
    error_responses,
    idempotency_key,
    json_response,
)

SIGNED_DECIMAL = {"type": "string", "pattern": r"^-?\d+(\.\d{1,3})?$"}
PIECES = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["value_cents", "count"],
        "properties": {"value_cents": CENTS, "count": {"type": "integer", "minimum": 1}},
    },
}

REFUND_SCHEMAS: dict[str, Any] = {
    "RefundableSale": {
        "type": "object",
        "required": [
            "id",
            "receipt_number",
            "ticket_number",
            "created_at",
            "operator",
            "total_cents",
            "payment_methods",
            "lines",
            "refundable_cents",
            "refunds",
        ],
        "properties": {
            "id": {"type": "integer"},
            "receipt_number": {"type": "string"},
            "ticket_number": {"type": "integer"},
            "created_at": {"type": "string", "format": "date-time"},
            "operator": {
                "type": "object",
                "required": ["id", "name"],
                "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
            },
            "total_cents": CENTS,
            "payment_methods": {"type": "array", "items": {"type": "string"}},
            "lines": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": [
                        "id",
                        "product_id",
                        "description",
                        "quantity",
                        "unit",
                        "amount_cents",
                        "pictogram_url",
                        "refunded",
                    ],
                    "properties": {
                        "id": {"type": "integer", "description": "lijnnummer voor line_ids"},
                        "product_id": {"type": ["integer", "null"]},
                        "description": {"type": "string"},
                        "quantity": SIGNED_DECIMAL,
                        "unit": {"type": "string", "enum": ["piece", "kg"]},
                        "amount_cents": CENTS,
                        "pictogram_url": {"type": ["string", "null"]},
                        "refunded": {"type": "boolean", "description": "al terugbetaald"},
                    },
                },
            },
            "refundable_cents": {**CENTS, "description": "wat nog terugbetaald kan worden"},
            "refunds": {
                "type": "array",
                "items": {"type": "string"},
                "description": "ticketnummers van de terugbetalingen",
            },
        },
    },
    "RecentSales": {
        "type": "object",
        "required": ["sales"],
        "properties": {
            "sales": {"type": "array", "items": {"$ref": "#/components/schemas/RefundableSale"}}
        },
    },
    "RefundRequest": {
        "type": "object",
        "required": ["operator_id"],
        "anyOf": [{"required": ["pin"]}, {"required": ["operator_proof"]}],
        "properties": {
            "operator_id": {**ID, "description": "begeleider of verantwoordelijke"},
            "pin": {
                "type": "string",
                "pattern": "^[0-9]{1,6}$",
                "description": "de pincode van operator_id; weglaten mag met operator_proof",
            },
            "operator_proof": {
                **OPERATOR_PROOF,
                "description": "zonder pin: het bewijs van de pincodecontrole van operator_id "
                "aan deze kassa vandaag (of op de werkdag van rung_up_at); met pin telt de pin",
            },
            "line_ids": {
                "type": "array",
                "items": ID,
                "maxItems": 200,
                "description": "weglaten: alles wat nog niet terugbetaald is",
            },
            "stock": {"type": "string", "enum": ["return", "waste"], "default": "return"},
            "reason": {
                "type": "string",
                "enum": ["retour", "vergissing", "beschadigd", "over_datum", "andere"],
                "default": "retour",
            },
            "rung_up_at": RUNG_UP_AT,
        },
    },
    "Refund": {
        "allOf": [
            {"$ref": "#/components/schemas/Sale"},
            {
                "type": "object",
                "required": [
                    "refund_of",
                    "refund_of_id",
                    "refund_reason",
                    "cash_back_cents",
                    "cash_back",
                ],
                "properties": {
                    "refund_of": {"type": "string", "description": "ticket dat terugbetaald wordt"},
                    "refund_of_id": {"type": "integer"},
                    "refund_reason": {"type": "string"},
                    "cash_back_cents": {**CENTS, "description": "contant terug te geven"},
                    "cash_back": PIECES,
                },
            },
        ]
    },
}

SALE_ID = [{"name": "sale_id", "in": "path", "required": True, "schema": {"type": "integer"}}]

REFUND_PATHS: dict[str, Any] = {
    "/sales/recent": {
        "get": {
            "operationId": "getRecentSales",
            "summary": "This till's latest sales, with what may still be refunded",
            "responses": {
                "200": json_response("De laatste verkopen", "RecentSales"),
                **error_responses(401),
            },
        }
    },
    "/sales/lookup": {
        "get": {
            "operationId": "lookupSale",
            "summary": "Find a sale by its receipt number (the receipt's barcode)",
            "parameters": [
                {
                    "name": "receipt",
                    "in": "query",
                    "required": True,
                    "schema": {"type": "string", "maxLength": 40, "pattern": r"\S"},
                    "description": "bv. HW1-000042 (spaties rond, kleine letters mogen)",
                }
            ],
            "responses": {
                "200": json_response("De verkoop", "RefundableSale"),
                **error_responses(400, 401, 404, 422),
            },
        }
    },
    "/sales/{sale_id}/refunds": {
        "post": {
            "operationId": "refundSale",
            "summary": "Refund lines of a sale (a void: reason vergissing), once per key",
            "parameters": [
                *SALE_ID,
                idempotency_key("uuid van de kassa; zelfde sleutel = zelfde terugbetaling"),
            ],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/RefundRequest"}}
                },
            },
            "responses": {
                "201": json_response("Terugbetaling bewaard", "Refund"),
                "200": json_response("Herhaling: de terugbetaling van deze sleutel", "Refund"),
                **error_responses(400, 401, 403, 404, 409, 413, 422, 429),
            },
        }
    },
}
