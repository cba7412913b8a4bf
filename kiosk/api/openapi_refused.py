"""The refused sales' part of the OpenAPI description: a wiped sale, kept in the audit log."""

from __future__ import annotations

from typing import Any

from kiosk.api.openapi_parts import (
    CENTS,
    ID,
    OPERATOR_PROOF,
    PAYMENTS,
    RUNG_UP_AT,
    error_responses,
    idempotency_key,
    json_response,
)
from kiosk.api.parsing import CLIENT_KEY_PATTERN, MAX_LINES

#: a text the till kept (a product's name, a quantity as the basket wrote it)
KEPT_TEXT = {"type": "string", "maxLength": 200}

REFUSED_SCHEMAS: dict[str, Any] = {
    "WipedSaleReport": {
        "type": "object",
        "required": [
            "operator_id",
            "operator_proof",
            "refused_key",
            "rung_up_at",
            "summary",
            "error",
        ],
        "properties": {
            "operator_id": {**ID, "description": "de begeleider of verantwoordelijke die wist"},
            "operator_proof": {
                **OPERATOR_PROOF,
                "description": "het bewijs van de pincodecontrole van operator_id aan deze kassa "
                "op de dag van wiped_at (zonder: vandaag); een zorggebruiker: 403 staff_only; "
                "geen pincode: 403 pin_required",
            },
            "refused_key": {
                "type": "string",
                "pattern": CLIENT_KEY_PATTERN,
                "description": "de Idempotency-Key waaronder de gewiste verkoop geweigerd werd",
            },
            "rung_up_at": {
                **RUNG_UP_AT,
                "description": "wanneer de gewiste verkoop werd aangeslagen, zoals ze het had "
                "(ISO 8601 met tijdzone; geen grens in het verleden; meer dan 5 minuten vooruit "
                "of zonder tijdzone: 422 invalid_rung_up_at)",
            },
            "wiped_at": {
                **RUNG_UP_AT,
                "description": "wanneer de begeleider de verkoop wiste (ISO 8601 met tijdzone): "
                "operator_proof moet van die dag zijn, zodat een verslag dat zonder verbinding "
                "wachtte ook de dag nadien aankomt; zonder: nu. Meer dan 5 minuten vooruit, ouder "
                "dan 7 dagen of zonder tijdzone: 422 invalid_wiped_at",
            },
            "summary": {
                "type": "object",
                "required": ["lines", "total_cents"],
                "properties": {
                    "lines": {
                        "type": "array",
                        "maxItems": MAX_LINES,
                        "items": {
                            "type": "array",
                            "minItems": 2,
                            "maxItems": 2,
                            "items": KEPT_TEXT,
                        },
                        "description": '[naam, aantal] zoals de kassa ze bewaarde: ["Boerenbrood", '
                        '"2"], ["Hoevekaas", "0.350"]',
                    },
                    "total_cents": {**CENTS, "minimum": -1_000_000_000, "maximum": 1_000_000_000},
                },
            },
            "payments": {**PAYMENTS, "description": "de betalingen zoals de verkoop ze had"},
            "error": {
                "type": "object",
                "required": ["error", "message"],
                "properties": {
                    "error": {"type": "string", "maxLength": 100},
                    "message": {"type": "string", "maxLength": 1000},
                },
                "description": "de weigering van de server zoals de kassa ze bewaarde",
            },
        },
    },
    "WipedSaleAudited": {
        "type": "object",
        "required": ["audited", "audit_entry_id"],
        "properties": {
            "audited": {"type": "boolean", "const": True},
            "audit_entry_id": {"type": "integer", "description": "de regel in het auditlogboek"},
        },
    },
}

REFUSED_PATHS: dict[str, Any] = {
    "/refused-sales": {
        "post": {
            "operationId": "reportWipedSale",
            "summary": "Keep a refused sale wiped at the till in the audit log, once per key",
            "parameters": [idempotency_key("uuid van de kassa; zelfde sleutel = één regel")],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/WipedSaleReport"}}
                },
            },
            "responses": {
                "201": json_response("In het auditlogboek gezet", "WipedSaleAudited"),
                "200": json_response("Herhaling: de regel van deze sleutel", "WipedSaleAudited"),
                **error_responses(400, 401, 403, 413, 422),
            },
        }
    },
}
