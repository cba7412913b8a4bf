"""The bistro's part of the OpenAPI description: tables, tabs and their payments."""

from __future__ import annotations

from typing import Any

from kiosk.api.openapi_parts import (
    CENTS,
    DECIMAL,
    ID,
    OPERATOR_PROOF,
    QUANTITY,
    RUNG_UP_AT,
    error_responses,
    idempotency_key,
    json_response,
)
from kiosk.api.parsing import CLIENT_KEY_PATTERN


def path_ids(*names: str) -> list[dict[str, Any]]:
    """Describe integer path parameters."""
    return [
        {"name": name, "in": "path", "required": True, "schema": {"type": "integer"}}
        for name in names
    ]


def json_body(schema: dict[str, Any]) -> dict[str, Any]:
    """Describe a required JSON request body."""
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def with_operator(optional: dict[str, Any] | None = None, **properties: Any) -> dict[str, Any]:
    """Describe a request body with operator_id, more required properties and `optional` ones."""
    return {
        "type": "object",
        "required": ["operator_id", *properties],
        "properties": {
            "operator_id": ID,
            "operator_proof": OPERATOR_PROOF,
            **properties,
            **(optional or {}),
        },
    }


CONSUMPTION = {"type": "string", "enum": ["takeaway", "eat_in"]}
TAB_ANSWER = json_response("De rekening", "Tab")

BISTRO_SCHEMAS: dict[str, Any] = {
    "TabSummary": {
        "type": "object",
        "required": ["id", "version", "opened_at", "total_cents", "item_count", "ready"],
        "properties": {
            "id": {"type": "integer"},
            "version": {"type": "integer"},
            "opened_at": {"type": "string", "format": "date-time"},
            "total_cents": CENTS,
            "item_count": {"type": "integer", "minimum": 0},
            "ready": {
                "type": "boolean",
                "description": "Klaar: elke bestelling op een scherm is afgetikt",
            },
        },
    },
    "Tables": {
        "type": "object",
        "required": ["tables"],
        "properties": {
            "tables": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "number", "name", "colour", "tab"],
                    "properties": {
                        "id": {"type": "integer"},
                        "number": {"type": "integer"},
                        "name": {"type": "string"},
                        "colour": {"type": "string"},
                        "tab": {
                            "oneOf": [
                                {"type": "null"},
                                {"$ref": "#/components/schemas/TabSummary"},
                            ]
                        },
                    },
                },
            }
        },
    },
    "TabItem": {
        "type": "object",
        "required": [
            "id",
            "client_key",
            "product_id",
            "description",
            "unit",
            "quantity",
            "unit_price_cents",
            "amount_cents",
            "consumption",
            "note",
            "sent",
            "cancelled",
            "paid",
        ],
        "properties": {
            "id": {"type": "integer"},
            "client_key": {"type": "string"},
            "product_id": {"type": "integer"},
            "description": {"type": "string"},
            "unit": {"type": "string", "enum": ["piece", "kg"]},
            "quantity": DECIMAL,
            "unit_price_cents": CENTS,
            "amount_cents": CENTS,
            "consumption": CONSUMPTION,
            "note": {"type": ["string", "null"]},
            "sent": {"type": "boolean"},
            "cancelled": {"type": "boolean"},
            "paid": {"type": "boolean"},
        },
    },
    "Tab": {
        "type": "object",
        "required": [
            "id",
            "table_id",
            "table_name",
            "state",
            "version",
            "opened_at",
            "total_cents",
            "unpaid_cents",
            "items",
        ],
        "properties": {
            "id": {"type": "integer"},
            "table_id": {"type": ["integer", "null"]},
            "table_name": {"type": ["string", "null"]},
            "state": {"type": "string", "enum": ["open", "paid", "cancelled"]},
            "version": {"type": "integer", "description": "stijgt bij elke wijziging"},
            "opened_at": {"type": "string", "format": "date-time"},
            "total_cents": {**CENTS, "description": "zonder geannuleerde items"},
            "unpaid_cents": {**CENTS, "description": "wat nog betaald moet worden"},
            "items": {"type": "array", "items": {"$ref": "#/components/schemas/TabItem"}},
        },
    },
    "TabPaymentRequest": with_operator(
        {"rung_up_at": RUNG_UP_AT},
        split={
            "oneOf": [
                {
                    "type": "object",
                    "required": ["kind"],
                    "properties": {"kind": {"const": "all"}},
                },
                {
                    "type": "object",
                    "required": ["kind", "item_ids"],
                    "properties": {
                        "kind": {"const": "items"},
                        "item_ids": {"type": "array", "minItems": 1, "items": ID},
                    },
                },
                {
                    "type": "object",
                    "required": ["kind", "parts", "part"],
                    "properties": {
                        "kind": {"const": "equal"},
                        "parts": {"type": "integer", "minimum": 1, "maximum": 50},
                        "part": {"type": "integer", "minimum": 1, "description": "1 tot parts"},
                    },
                },
            ]
        },
        payments={"$ref": "#/components/schemas/Payments"},
    ),
    "TabPayment": {
        "type": "object",
        "required": ["sale", "tab"],
        "properties": {
            "sale": {"$ref": "#/components/schemas/Sale"},
            "tab": {"$ref": "#/components/schemas/Tab"},
        },
    },
}

OPERATOR_ONLY = json_body(with_operator())
NEW_ITEMS = json_body(
    with_operator(
        items={
            "type": "array",
            "minItems": 1,
            "maxItems": 100,
            "items": {
                "type": "object",
                "required": ["client_key", "product_id", "quantity"],
                "properties": {
                    "client_key": {
                        "type": "string",
                        "pattern": CLIENT_KEY_PATTERN,
                        "description": "uuid van de tablet; zelfde sleutel = zelfde item",
                    },
                    "product_id": ID,
                    "quantity": QUANTITY,
                    "consumption": CONSUMPTION,
                    "note": {"type": "string", "maxLength": 200},
                },
            },
        }
    )
)
IDEMPOTENCY_KEY = idempotency_key("uuid van de kassa; zelfde sleutel = zelfde betaling")


def tab_change(operation_id: str, summary: str, request: dict[str, Any], *names: str) -> Any:
    """Describe a POST that changes a tab and answers with it."""
    return {
        "post": {
            "operationId": operation_id,
            "summary": summary,
            "parameters": path_ids(*names),
            "requestBody": request,
            "responses": {"200": TAB_ANSWER, **error_responses(400, 401, 403, 404, 409, 422)},
        }
    }


BISTRO_PATHS: dict[str, Any] = {
    "/tables": {
        "get": {
            "operationId": "getTables",
            "summary": "The tables of this point of sale, each with its open tab",
            "responses": {"200": json_response("De tafels", "Tables"), **error_responses(401)},
        }
    },
    "/tables/{table_id}/tab": {
        "post": {
            "operationId": "openTab",
            "summary": "Open a tab at a table (200: the table's open tab)",
            "parameters": path_ids("table_id"),
            "requestBody": OPERATOR_ONLY,
            "responses": {
                "201": json_response("Nieuwe rekening", "Tab"),
                "200": TAB_ANSWER,
                **error_responses(400, 401, 403, 404, 409, 422),
            },
        }
    },
    "/tabs/{tab_id}": {
        "get": {
            "operationId": "getTab",
            "summary": "A tab with its items",
            "parameters": path_ids("tab_id"),
            "responses": {"200": TAB_ANSWER, **error_responses(401, 404)},
        }
    },
    "/tabs/{tab_id}/items": tab_change(
        "addTabItems", "Add items, once per client_key", NEW_ITEMS, "tab_id"
    ),
    "/tabs/{tab_id}/items/{item_id}/cancel": tab_change(
        "cancelTabItem", "Cancel an item (ANNULEER if sent)", OPERATOR_ONLY, "tab_id", "item_id"
    ),
    "/tabs/{tab_id}/reprint": {
        "post": {
            "operationId": "reprintTab",
            "summary": "Print the sent items again, marked as a reprint",
            "parameters": path_ids("tab_id"),
            "requestBody": OPERATOR_ONLY,
            "responses": {
                "202": json_response("Wordt opnieuw geprint", "Tab"),
                **error_responses(400, 401, 403, 404, 409, 422),
            },
        }
    },
    "/tabs/{tab_id}/move": tab_change(
        "moveTab",
        "Move a tab to a free table",
        json_body(with_operator(table_id=ID)),
        "tab_id",
    ),
    "/tabs/{tab_id}/payments": {
        "post": {
            "operationId": "payTab",
            "summary": "Pay all, some items or an equal part: one sale per Idempotency-Key",
            "parameters": [*path_ids("tab_id"), IDEMPOTENCY_KEY],
            "requestBody": json_body({"$ref": "#/components/schemas/TabPaymentRequest"}),
            "responses": {
                "201": json_response("Betaald: de verkoop en de rekening", "TabPayment"),
                "200": json_response("Herhaling van dezelfde sleutel", "TabPayment"),
                **error_responses(400, 401, 403, 404, 409, 413, 422),
            },
        }
    },
}
