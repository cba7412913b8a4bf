"""GET /api/v1/openapi.json: the API described for others (public; tests keep it true)."""

from __future__ import annotations

from typing import Any

from flask import jsonify
from flask.typing import ResponseReturnValue

from kiosk.api.blueprint import bp
from kiosk.api.openapi_bistro import BISTRO_PATHS, BISTRO_SCHEMAS
from kiosk.api.openapi_kitchen import KITCHEN_PATHS, KITCHEN_SCHEMAS
from kiosk.api.openapi_orders import ORDER_PATHS, ORDER_SCHEMAS
from kiosk.api.openapi_parts import (
    CENTS,
    ID,
    OPERATOR_PROOF,
    PAYMENTS,
    QUANTITY,
    RATE,
    RUNG_UP_AT,
    SALE_TIMES,
    complete_error_answers,
    error_responses,
    idempotency_key,
    json_response,
)
from kiosk.api.openapi_qr import QR_PATHS, QR_SCHEMAS
from kiosk.api.openapi_refunds import REFUND_PATHS, REFUND_SCHEMAS, SIGNED_DECIMAL
from kiosk.api.openapi_refused import REFUSED_PATHS, REFUSED_SCHEMAS
from kiosk.models.types import utcnow
from kiosk.payment_methods import TILL_CODES
from kiosk.periods import business_day
from kiosk.sales.operations import CASH_LIMIT
from kiosk.sales.queries import get_threshold

SALE_ID = [{"name": "sale_id", "in": "path", "required": True, "schema": {"type": "integer"}}]

SCHEMAS: dict[str, Any] = {
    **BISTRO_SCHEMAS,
    **KITCHEN_SCHEMAS,
    **ORDER_SCHEMAS,
    **REFUND_SCHEMAS,
    **REFUSED_SCHEMAS,
    **QR_SCHEMAS,
    "Payments": PAYMENTS,
    "ReceiptState": {
        "type": "object",
        "required": ["state", "message"],
        "properties": {
            "state": {
                "type": "string",
                "enum": ["none", "pending", "printing", "failed", "printed", "cancelled"],
            },
            "message": {
                "type": ["string", "null"],
                "description": "laatste printerfout, in het Nederlands",
            },
        },
    },
    "Error": {
        "type": "object",
        "required": ["error", "message"],
        "properties": {
            "error": {"type": "string", "description": "vaste foutcode"},
            "message": {"type": "string", "description": "Nederlandse uitleg"},
        },
    },
    "Catalog": {
        "type": "object",
        "required": [
            "point_of_sale",
            "till",
            "categories",
            "products",
            "operators",
            "payment_methods",
            "consumption",
        ],
        "properties": {
            "point_of_sale": {
                "type": "object",
                "required": ["code", "name", "bistro"],
                "properties": {
                    "code": {"type": "string"},
                    "name": {"type": "string"},
                    "bistro": {
                        "type": "boolean",
                        "description": "true: de verkoopplek heeft tafels (de bistro)",
                    },
                },
            },
            "till": {
                "type": "object",
                "required": ["code", "name", "role"],
                "properties": {
                    "code": {"type": "string"},
                    "name": {"type": "string"},
                    "role": {"type": "string", "enum": ["till", "kitchen", "bar"]},
                },
            },
            "consumption": {"type": "string", "enum": ["takeaway", "eat_in"]},
            "payment_methods": {
                "type": "array",
                "items": {"type": "string", "enum": list(TILL_CODES)},
            },
            "categories": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "name", "pictogram_url"],
                    "properties": {
                        "id": {"type": "integer"},
                        "name": {"type": "string"},
                        "pictogram_url": {"type": ["string", "null"]},
                    },
                },
            },
            "products": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": [
                        "id",
                        "name",
                        "price_cents",
                        "unit",
                        "vat_rate",
                        "barcode",
                        "category_id",
                        "pictogram_url",
                    ],
                    "properties": {
                        "id": {"type": "integer"},
                        "name": {"type": "string"},
                        "price_cents": {
                            **CENTS,
                            "description": "prijs incl. btw per stuk of per kg",
                        },
                        "unit": {"type": "string", "enum": ["piece", "kg"]},
                        "vat_rate": {**RATE, "type": ["string", "null"]},
                        "barcode": {"type": ["string", "null"]},
                        "category_id": {"type": ["integer", "null"]},
                        "pictogram_url": {"type": ["string", "null"]},
                    },
                },
            },
            "operators": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "name", "photo_url"],
                    "properties": {
                        "id": {"type": "integer"},
                        "name": {"type": "string"},
                        "role": {"type": "string", "enum": ["care", "staff", "manager"]},
                        "photo_url": {"type": ["string", "null"]},
                        "has_pin": {"type": "boolean"},
                        "speech": {"type": "boolean", "description": "spreken aan/uit"},
                        "sound": {"type": "boolean", "description": "geluid aan/uit"},
                        "tile_size": {"type": "integer", "description": "tegelgrootte in px"},
                        "large_digits": {
                            "type": "boolean",
                            "description": "grote cijfers (bedragen en pincode)",
                        },
                    },
                },
            },
        },
    },
    "PinChecked": {
        "type": "object",
        "required": ["status", "operator_proof"],
        "properties": {
            "status": {"type": "string", "const": "ok"},
            "operator_proof": {
                **OPERATOR_PROOF,
                "description": "stuur mee met elke verkoop, terugbetaling en rekeningwijziging "
                "van deze persoon aan deze kassa, tot Stop of het einde van de werkdag",
            },
        },
    },
    "SaleRequest": {
        "type": "object",
        "required": ["operator_id", "lines", "payments"],
        "properties": {
            "operator_id": ID,
            "operator_proof": OPERATOR_PROOF,
            "consumption": {"type": "string", "enum": ["takeaway", "eat_in"]},
            "rung_up_at": RUNG_UP_AT,
            "lines": {
                "type": "array",
                "minItems": 1,
                "maxItems": 200,
                "items": {
                    "type": "object",
                    "required": ["product_id", "quantity"],
                    "properties": {
                        "product_id": ID,
                        "quantity": QUANTITY,
                    },
                },
            },
            "payments": {"$ref": "#/components/schemas/Payments"},
            "confirmed_by": {"$ref": "#/components/schemas/ConfirmedBy"},
        },
    },
    "Sale": {
        "type": "object",
        "required": [
            "id",
            "ticket_number",
            "receipt_number",
            "till",
            "point_of_sale",
            "operator",
            "created_at",
            "rung_up_at",
            "business_day",
            "late",
            "consumption",
            "lines",
            "payments",
            "total_cents",
            "rounding_cents",
            "change_cents",
            "change",
            "vat",
        ],
        "properties": {
            "id": {"type": "integer"},
            "ticket_number": {"type": "integer", "description": "per kassa, zonder onderbreking"},
            "receipt_number": {
                "type": "string",
                "description": "bv. HW1-000042, uniek over alle kassa's",
            },
            "till": {"type": "string"},
            "point_of_sale": {"type": "string"},
            "operator": {
                "type": "object",
                "required": ["id", "name"],
                "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
            },
            **SALE_TIMES,
            "consumption": {"type": "string", "enum": ["takeaway", "eat_in"]},
            "lines": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": [
                        "product_id",
                        "description",
                        "quantity",
                        "unit",
                        "unit_price_cents",
                        "amount_cents",
                        "vat_rate",
                    ],
                    "properties": {
                        "product_id": {"type": ["integer", "null"]},
                        "description": {"type": "string"},
                        "quantity": {
                            **SIGNED_DECIMAL,
                            "description": "negatief op een terugbetaling",
                        },
                        "unit": {"type": "string", "enum": ["piece", "kg"]},
                        "unit_price_cents": CENTS,
                        "amount_cents": CENTS,
                        "vat_rate": RATE,
                    },
                },
            },
            "payments": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["method", "amount_cents"],
                    "properties": {
                        "method": {"type": "string"},
                        "amount_cents": CENTS,
                        "reference": {
                            "type": "string",
                            "description": "de mededeling van een QR-betaling",
                        },
                    },
                },
            },
            "total_cents": CENTS,
            "rounding_cents": {**CENTS, "description": "afronding van het contante deel op 5 cent"},
            "change_cents": CENTS,
            "change": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["value_cents", "count"],
                    "properties": {
                        "value_cents": CENTS,
                        "count": {"type": "integer", "minimum": 1},
                    },
                },
            },
            "vat": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["rate", "base_cents", "vat_cents", "total_cents"],
                    "properties": {
                        "rate": RATE,
                        "base_cents": CENTS,
                        "vat_cents": CENTS,
                        "total_cents": CENTS,
                    },
                },
            },
        },
    },
}

SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "PlusKassa till API",
        "version": "1",
        "description": "JSON API for the tills. Money is integer cents; errors are "
        '{"error": code, "message": Dutch sentence} with a 4xx status, or 503 '
        "database_unavailable when the database cannot be read or written (nothing was stored; "
        "try again). Bodies are sent as application/json (else 415). A method a path does not "
        "have is answered 405 with an Allow header.",
    },
    "servers": [{"url": "/api/v1"}],
    "security": [{"tillToken": []}],
    "paths": {
        "/catalog": {
            "get": {
                "operationId": "getCatalog",
                "summary": "What this till sells and who may run it",
                "description": "The answer carries an ETag; with If-None-Match set to it, the "
                "answer is 304 without a body while nothing in the catalog changed.",
                "parameters": [
                    {
                        "name": "If-None-Match",
                        "in": "header",
                        "required": False,
                        "schema": {"type": "string"},
                        "description": "de ETag van de catalogus die de kassa bewaart",
                    }
                ],
                "responses": {
                    "200": json_response("De catalogus", "Catalog"),
                    "304": {"description": "Niet gewijzigd: de kassa houdt haar catalogus"},
                    **error_responses(401),
                },
            }
        },
        "/sales": {
            "post": {
                "operationId": "createSale",
                "summary": "Store a sale, once per Idempotency-Key",
                "parameters": [
                    idempotency_key("uuid van de kassa; zelfde sleutel = zelfde verkoop")
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/SaleRequest"}}
                    },
                },
                "responses": {
                    "201": json_response("Verkoop bewaard", "Sale"),
                    "200": json_response(
                        "Herhaling: de verkoop die deze sleutel al maakte", "Sale"
                    ),
                    **error_responses(400, 401, 403, 409, 413, 422),
                },
            }
        },
        "/sales/{sale_id}": {
            "get": {
                "operationId": "getSale",
                "summary": "A stored sale of this till's point of sale",
                "parameters": [
                    {
                        "name": "sale_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer"},
                    }
                ],
                "responses": {
                    "200": json_response("De verkoop", "Sale"),
                    **error_responses(401, 404),
                },
            }
        },
        "/sales/{sale_id}/receipt": {
            "get": {
                "operationId": "getReceiptState",
                "parameters": SALE_ID,
                "summary": "Whether the sale's receipt was printed",
                "responses": {
                    "200": json_response("De toestand van de bon", "ReceiptState"),
                    **error_responses(401, 404),
                },
            },
            "post": {
                "operationId": "retryReceipt",
                "parameters": SALE_ID,
                "summary": "Try to print a waiting receipt now",
                "responses": {
                    "202": json_response("De bon wordt opnieuw geprobeerd", "ReceiptState"),
                    **error_responses(401, 404, 409),
                },
            },
        },
        "/operators/{operator_id}/pin": {
            "post": {
                "operationId": "checkOperatorPin",
                "summary": "Check a care user's picture PIN; a right one gives an operator_proof",
                "parameters": [
                    {
                        "name": "operator_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer"},
                    }
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["pin"],
                                "properties": {
                                    "pin": {"type": "string", "pattern": "^[0-9]{1,6}$"}
                                },
                            }
                        }
                    },
                },
                "responses": {
                    "200": json_response("De code klopt", "PinChecked"),
                    **error_responses(400, 401, 404, 422, 429),
                },
            }
        },
        **BISTRO_PATHS,
        **KITCHEN_PATHS,
        **ORDER_PATHS,
        **REFUND_PATHS,
        **REFUSED_PATHS,
        **QR_PATHS,
        "/openapi.json": {
            "get": {
                "operationId": "getOpenapi",
                "summary": "This description",
                "security": [],
                "responses": {"200": {"description": "OpenAPI 3.1"}},
            }
        },
    },
    "components": {
        "securitySchemes": {"tillToken": {"type": "http", "scheme": "bearer"}},
        "schemas": SCHEMAS,
    },
}


complete_error_answers(SPEC["paths"])


@bp.get("/openapi.json")
def openapi() -> ResponseReturnValue:
    """Answer with the OpenAPI description of this API, with today's cash limit."""
    cash_limit = get_threshold(CASH_LIMIT, business_day(utcnow()))
    payments = {**PAYMENTS, "x-cash-limit-cents": cash_limit}
    schemas = {**SCHEMAS, "Payments": payments}
    return jsonify({**SPEC, "components": {**SPEC["components"], "schemas": schemas}})
