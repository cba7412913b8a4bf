"""Customers' orders in the OpenAPI description: take, list, show, prepare and pay."""

from __future__ import annotations

from typing import Any

from kiosk.api.openapi_bistro import json_body, path_ids, with_operator
from kiosk.api.openapi_parts import (
    CENTS,
    DECIMAL,
    ID,
    QUANTITY,
    RUNG_UP_AT,
    error_responses,
    idempotency_key,
    json_response,
)
from kiosk.customer_orders.checks import (
    MAX_ADDRESS,
    MAX_ASSOCIATION,
    MAX_NAME,
    MAX_NOTE,
    MAX_PHONE,
    SLOT_PATTERN,
)

ORDER = "#/components/schemas/CustomerOrder"
DAY = {"type": "string", "format": "date", "description": "YYYY-MM-DD (Europe/Brussels)"}
STATUS = {"type": "string", "enum": ["open", "prepared", "paid", "cancelled"]}
FULFILMENT = {"type": "string", "enum": ["pickup", "delivery"]}
PAYMENT_WAY = {"type": "string", "enum": ["on_collection", "qr", "invoice"]}
SLOT = {"type": "string", "pattern": SLOT_PATTERN, "description": "HH:MM-HH:MM, begin voor einde"}

ORDER_SCHEMAS: dict[str, Any] = {
    "CustomerOrder": {
        "type": "object",
        "required": [
            "id",
            "status",
            "fulfilment",
            "day",
            "slot",
            "payment",
            "customer",
            "lines",
            "total_cents",
            "sale_id",
            "receipt_number",
        ],
        "properties": {
            "id": {"type": "integer"},
            "status": STATUS,
            "fulfilment": FULFILMENT,
            "day": DAY,
            "slot": {"type": ["string", "null"], "description": "HH:MM-HH:MM, of null"},
            "payment": PAYMENT_WAY,
            "customer": {
                "type": "object",
                "required": ["first_name"],
                "properties": {
                    "first_name": {
                        "type": ["string", "null"],
                        "description": "null nadat de persoonsgegevens gewist zijn",
                    },
                    "address": {
                        "type": ["string", "null"],
                        "description": "alleen bij een levering",
                    },
                },
                "description": "volledige naam, telefoon en opmerking zijn alleen voor "
                "medewerkers (backoffice)",
            },
            "lines": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": [
                        "id",
                        "product_id",
                        "name",
                        "unit",
                        "quantity",
                        "weighed",
                        "pictogram_url",
                        "price_cents",
                        "amount_cents",
                    ],
                    "properties": {
                        "id": {"type": "integer"},
                        "product_id": {"type": "integer"},
                        "name": {"type": "string"},
                        "unit": {"type": "string", "enum": ["piece", "kg"]},
                        "quantity": {
                            **DECIMAL,
                            "description": "stuks, of kg: geschat tot de lijn gewogen is",
                        },
                        "weighed": {
                            "type": "boolean",
                            "description": "true zodra een gewogen product gewogen is",
                        },
                        "pictogram_url": {"type": ["string", "null"]},
                        "price_cents": {**CENTS, "description": "prijs per stuk of kg"},
                        "amount_cents": CENTS,
                    },
                },
            },
            "total_cents": {**CENTS, "description": "een schatting tot alles gewogen is"},
            "sale_id": {"type": ["integer", "null"]},
            "receipt_number": {"type": ["string", "null"]},
        },
    },
    "CustomerOrders": {
        "type": "object",
        "required": ["orders"],
        "properties": {"orders": {"type": "array", "items": {"$ref": ORDER}}},
    },
    "NewCustomerOrder": {
        "type": "object",
        "required": ["customer", "fulfilment", "day", "lines"],
        "properties": {
            "customer": {
                "type": "object",
                "required": ["name", "phone"],
                "properties": {
                    "name": {"type": "string", "maxLength": MAX_NAME},
                    "phone": {
                        "type": "string",
                        "maxLength": MAX_PHONE,
                        "description": "cijfers, spaties, + . / ( ) -; minstens 6 cijfers",
                    },
                    "note": {"type": ["string", "null"], "maxLength": MAX_NOTE},
                },
            },
            "fulfilment": FULFILMENT,
            "day": {**DAY, "description": "vandaag of later, hoogstens een jaar vooruit"},
            "slot": {"oneOf": [SLOT, {"type": "null"}]},
            "address": {
                "type": ["string", "null"],
                "maxLength": MAX_ADDRESS,
                "description": "verplicht voor een levering (422 address_required), geweigerd "
                "bij afhalen (422 address_not_for_pickup)",
            },
            "payment": {**PAYMENT_WAY, "default": "on_collection"},
            "association": {
                "type": ["object", "null"],
                "description": "wie de maandfactuur krijgt: verplicht bij payment invoice (422 "
                "association_required), genegeerd bij de andere betaalwijzen",
                "required": ["name"],
                "properties": {
                    "name": {"type": "string", "maxLength": MAX_ASSOCIATION},
                    "address": {"type": ["string", "null"], "maxLength": MAX_ADDRESS},
                    "vat_number": {
                        "type": ["string", "null"],
                        "description": "een Belgisch btw-nummer (mod 97), bewaard als "
                        "BE0123.456.749; anders 422 invalid_vat_number",
                    },
                },
            },
            "lines": {
                "type": "array",
                "minItems": 1,
                "maxItems": 100,
                "items": {
                    "type": "object",
                    "required": ["product_id", "quantity"],
                    "properties": {
                        "product_id": ID,
                        "quantity": {
                            **QUANTITY,
                            "description": "stuks, of het geschatte gewicht in kg",
                        },
                    },
                },
            },
        },
    },
    "PreparedOrder": {
        "type": "object",
        "properties": {
            "lines": {
                "type": "array",
                "minItems": 1,
                "maxItems": 200,
                "items": {
                    "type": "object",
                    "required": ["id", "quantity"],
                    "properties": {
                        "id": ID,
                        "quantity": {**QUANTITY, "description": "het gewogen gewicht in kg"},
                    },
                },
            }
        },
    },
    "OrderSaleRequest": with_operator(
        {"rung_up_at": RUNG_UP_AT}, payments={"$ref": "#/components/schemas/Payments"}
    ),
}

ORDER_ID = path_ids("order_id")
ORDER_ANSWER = json_response("De bestelling", "CustomerOrder")

ORDER_PATHS: dict[str, Any] = {
    "/orders": {
        "post": {
            "operationId": "createCustomerOrder",
            "summary": "Take a customer's order for pickup or delivery, once per Idempotency-Key",
            "parameters": [
                idempotency_key("uuid van de kassa; zelfde sleutel = zelfde bestelling")
            ],
            "requestBody": json_body({"$ref": "#/components/schemas/NewCustomerOrder"}),
            "responses": {
                "201": json_response("Bestelling bewaard", "CustomerOrder"),
                "200": json_response("Herhaling: de bestelling van deze sleutel", "CustomerOrder"),
                **error_responses(400, 401, 409, 413, 422),
            },
        },
        "get": {
            "operationId": "getCustomerOrders",
            "summary": "A day's orders of this point of sale, by slot then id (not cancelled)",
            "parameters": [{"name": "day", "in": "query", "required": True, "schema": DAY}],
            "responses": {
                "200": json_response("De bestellingen", "CustomerOrders"),
                **error_responses(400, 401, 422),
            },
        },
    },
    "/orders/{order_id}": {
        "get": {
            "operationId": "getCustomerOrder",
            "summary": "An order of this point of sale",
            "parameters": ORDER_ID,
            "responses": {"200": ORDER_ANSWER, **error_responses(401, 404)},
        }
    },
    "/orders/{order_id}/prepared": {
        "post": {
            "operationId": "prepareCustomerOrder",
            "summary": "Mark an order prepared, with the weighed weight of its weighed lines",
            "description": "Every weighed line needs a weight, now or before: else 422 "
            "weight_missing. A paid or cancelled order: 409 order_paid / order_cancelled.",
            "parameters": ORDER_ID,
            "requestBody": {
                "required": False,
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/PreparedOrder"}}
                },
            },
            "responses": {"200": ORDER_ANSWER, **error_responses(400, 401, 404, 409, 422)},
        }
    },
    "/orders/{order_id}/sale": {
        "post": {
            "operationId": "payCustomerOrder",
            "summary": "Pay an order with an ordinary sale, once",
            "description": "The same key again answers 200 with the same sale; an order "
            "already paid with another key is 409 order_paid (no second sale). An order on the "
            "monthly invoice: 409 order_on_invoice; a weighed line not weighed: 422 "
            "weight_missing.",
            "parameters": [
                *ORDER_ID,
                idempotency_key("uuid van de kassa; zelfde sleutel = zelfde betaling"),
            ],
            "requestBody": json_body({"$ref": "#/components/schemas/OrderSaleRequest"}),
            "responses": {
                "201": json_response("Betaald: de verkoop", "Sale"),
                "200": json_response("Herhaling van dezelfde sleutel", "Sale"),
                **error_responses(400, 401, 403, 404, 409, 413, 422),
            },
        }
    },
}
