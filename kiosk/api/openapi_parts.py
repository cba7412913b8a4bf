"""Pieces the OpenAPI description is built from: error answers, JSON answers, common types."""

from __future__ import annotations

from typing import Any

ERROR = {"$ref": "#/components/schemas/Error"}


def error_responses(*statuses: int) -> dict[str, Any]:
    """Describe error answers that all carry the error document."""
    return {
        str(status): {"description": "Fout", "content": {"application/json": {"schema": ERROR}}}
        for status in statuses
    }


def json_response(description: str, schema: str) -> dict[str, Any]:
    """Describe a JSON answer with a schema from the components."""
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }


CENTS = {"type": "integer", "description": "bedrag in eurocent"}
RATE = {"type": "string", "pattern": r"^\d+(\.\d+)?$", "description": "btw-tarief in procent"}
DECIMAL = {"type": "string", "pattern": r"^\d+(\.\d{1,3})?$"}
ID = {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}
RUNG_UP_AT = {
    "type": "string",
    "format": "date-time",
    "description": "wanneer de kassa de verkoop aansloeg (de klant betaalde), ISO 8601 met "
    "tijdzone, bv. 2026-12-05T23:58:12+01:00; ook uit de wachtrij van een offline kassa. "
    "Bepaalt de werkdag, het Z-rapport en de btw-periode. Weglaten: het moment dat de server "
    "de verkoop ontvangt. Meer dan 5 minuten vooruit, ouder dan 7 dagen of zonder tijdzone: "
    "422 invalid_rung_up_at",
}
#: what a sale document says about its times (POST /sales, refunds and tab payments answer it)
SALE_TIMES = {
    "created_at": {
        "type": "string",
        "format": "date-time",
        "description": "wanneer de server de verkoop bewaarde (UTC)",
    },
    "rung_up_at": {
        "type": "string",
        "format": "date-time",
        "description": "wanneer de kassa de verkoop aansloeg (UTC); bij een herhaling met "
        "dezelfde Idempotency-Key de bewaarde tijd",
    },
    "business_day": {
        "type": "string",
        "format": "date",
        "description": "werkdag (Europe/Brussels) van rung_up_at: de dag van omzet en btw",
    },
    "late": {
        "type": "boolean",
        "description": "true: de dag was al afgesloten met een Z-rapport toen de verkoop "
        "binnenkwam; ze telt mee in het volgende Z-rapport van de kassa, als laat gemarkeerd",
    },
}
