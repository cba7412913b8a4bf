"""The kitchen's part of the OpenAPI description: stations, kitchen screens and "Klaar".

What "Naar keuken" did per station (SentTab), and a kitchen or bar screen's orders.
"""

from __future__ import annotations

from typing import Any

from kiosk.api.openapi_bistro import OPERATOR_ONLY, path_ids
from kiosk.api.openapi_parts import error_responses, idempotency_key, json_response

DEVICE = {
    "type": "object",
    "required": ["name", "up"],
    "properties": {"name": {"type": "string"}, "up": {"type": "boolean"}},
}

KITCHEN_SCHEMAS: dict[str, Any] = {
    "StationOutcome": {
        "type": "object",
        "description": "wat Naar keuken deed bij één station (keuken of bar)",
        "required": [
            "station",
            "state",
            "item_count",
            "printed",
            "on_screen",
            "printers",
            "screens",
        ],
        "properties": {
            "station": {"type": "string", "enum": ["kitchen", "bar"]},
            "state": {
                "type": "string",
                "enum": ["sent", "down", "missing"],
                "description": "sent: een werkende printer of scherm kreeg het; down: het "
                "station heeft printers of schermen maar geen enkele werkt; missing: geen",
            },
            "item_count": {"type": "integer", "minimum": 1},
            "printed": {
                "type": "boolean",
                "description": "een bon staat klaar op een werkende printer van het station",
            },
            "on_screen": {
                "type": "boolean",
                "description": "de bestelling staat op een werkend scherm van het station",
            },
            "printers": {"type": "array", "items": DEVICE},
            "screens": {"type": "array", "items": DEVICE},
        },
    },
    "SentTab": {
        "allOf": [
            {"$ref": "#/components/schemas/Tab"},
            {
                "type": "object",
                "required": ["stations"],
                "properties": {
                    "stations": {
                        "type": "array",
                        "items": {"$ref": "#/components/schemas/StationOutcome"},
                        "description": "per station dat iets van deze zending maakt; "
                        "leeg als er niets nieuws was",
                    }
                },
            },
        ]
    },
    "KitchenOrder": {
        "type": "object",
        "required": [
            "id",
            "tab_id",
            "table_name",
            "station",
            "sent_at",
            "ready",
            "ready_at",
            "cancel",
            "items",
        ],
        "properties": {
            "id": {"type": "integer"},
            "tab_id": {"type": "integer"},
            "table_name": {"type": "string"},
            "station": {"type": "string", "enum": ["kitchen", "bar"]},
            "sent_at": {"type": "string", "format": "date-time"},
            "ready": {"type": "boolean"},
            "ready_at": {"type": ["string", "null"], "format": "date-time"},
            "cancel": {
                "type": "boolean",
                "description": "ANNULEER: wat na het versturen van de rekening ging",
            },
            "items": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["quantity", "name", "notes"],
                    "properties": {
                        "quantity": {"type": "integer"},
                        "name": {"type": "string"},
                        "notes": {"type": "string"},
                    },
                },
            },
        },
    },
    "KitchenOrders": {
        "type": "object",
        "required": ["station", "orders"],
        "properties": {
            "station": {"type": "string", "enum": ["kitchen", "bar"]},
            "orders": {"type": "array", "items": {"$ref": "#/components/schemas/KitchenOrder"}},
        },
    },
}

KITCHEN_PATHS: dict[str, Any] = {
    "/tabs/{tab_id}/send": {
        "post": {
            "operationId": "sendTab",
            "summary": "Send new items to the kitchen and bar; say what happened per station",
            "parameters": path_ids("tab_id"),
            "requestBody": OPERATOR_ONLY,
            "responses": {
                "200": json_response("De rekening en wat elk station kreeg", "SentTab"),
                **error_responses(400, 401, 403, 404, 409, 422),
            },
        }
    },
    "/kitchen/orders": {
        "get": {
            "operationId": "getKitchenOrders",
            "summary": "A kitchen or bar screen's open orders, newest last (403 for a till)",
            "responses": {
                "200": json_response("De open bestellingen", "KitchenOrders"),
                **error_responses(401, 403),
            },
        }
    },
    "/kitchen/orders/{order_id}/ready": {
        "post": {
            "operationId": "markKitchenOrderReady",
            "summary": "Klaar: mark an order ready, once per order",
            "parameters": [
                *path_ids("order_id"),
                idempotency_key("uuid van het scherm; dezelfde tik nog eens verandert niets"),
            ],
            "responses": {
                "200": json_response("De bestelling, klaar", "KitchenOrder"),
                **error_responses(400, 401, 403, 404),
            },
        }
    },
}
