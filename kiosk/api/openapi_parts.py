"""Pieces the OpenAPI description is built from: error answers, JSON answers, common types."""

from __future__ import annotations

from typing import Any

from kiosk.api.parsing import (
    CLIENT_KEY_PATTERN,
    MAX_PAYMENT_CENTS,
    MAX_PROOF_CHARS,
    QUANTITY_PATTERN,
)
from kiosk.payment_methods import TILL_CODES

ERROR = {"$ref": "#/components/schemas/Error"}


def error_responses(*statuses: int) -> dict[str, Any]:
    """Describe error answers that all carry the error document."""
    return {
        str(status): {"description": "Fout", "content": {"application/json": {"schema": ERROR}}}
        for status in statuses
    }


def complete_error_answers(paths: dict[str, Any]) -> None:
    """Add the answers every operation can give: 503, 400/413/415 and 401 where they apply.

    400 where a body is read or a token is needed (a query parameter the operation does not
    describe is unknown_parameter), 413/415 where a body is read, 401 where a token is needed.
    """
    for operations in paths.values():
        for operation in operations.values():
            statuses = [503]
            secured = operation.get("security") != []
            if "requestBody" in operation or secured:
                statuses.append(400)
            if "requestBody" in operation:
                statuses += [413, 415]
            if secured:
                statuses.append(401)
            operation["responses"] = {**error_responses(*statuses), **operation["responses"]}


def idempotency_key(description: str) -> dict[str, Any]:
    """Describe the Idempotency-Key header a till makes for each sale or payment."""
    return {
        "name": "Idempotency-Key",
        "in": "header",
        "required": True,
        "schema": {"type": "string", "pattern": CLIENT_KEY_PATTERN},
        "description": description,
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
#: a quantity the till sends: ASCII digits, > 0 and < 1,000,000, at most three decimals
QUANTITY = {
    "type": "string",
    "pattern": QUANTITY_PATTERN,
    "description": 'stuks, of kg op de gram: "2", "0.350"; geen teken, exponent of spaties',
}
ID = {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}
PAYMENTS = {
    "type": "array",
    "maxItems": 20,
    "items": {
        "type": "object",
        "required": ["method", "amount_cents"],
        "properties": {
            "method": {"type": "string", "enum": list(TILL_CODES)},
            "amount_cents": {
                **CENTS,
                "minimum": 1,
                "maximum": MAX_PAYMENT_CENTS,
                "description": "wat de klant geeft",
            },
            "reference": {
                "type": "string",
                "maxLength": 35,
                "description": "alleen bij method qr, en daar verplicht: de mededeling uit de "
                "QR-code (422 qr_reference_missing, invalid_reference; bij een andere methode "
                "422 reference_not_allowed). Hoogstens één QR-betaling per verkoop.",
            },
        },
    },
    "description": "Contant betalen kan tot x-cash-limit-cents (de wettelijke grens, nu € 3.000): "
    "wat contant betaald wordt na afronding op 5 cent (wat de klant geeft min het wisselgeld) "
    "mag daar niet boven, anders 422 cash_limit_exceeded.",
}
RUNG_UP_AT = {
    "type": "string",
    "format": "date-time",
    "description": "wanneer de kassa de verkoop aansloeg (de klant betaalde), ISO 8601 met "
    "tijdzone, bv. 2026-12-05T23:58:12+01:00; ook uit de wachtrij van een offline kassa. "
    "Bepaalt de werkdag, het Z-rapport en de btw-periode. Weglaten: het moment dat de server "
    "de verkoop ontvangt. Meer dan 5 minuten vooruit, ouder dan 7 dagen of zonder tijdzone: "
    "422 invalid_rung_up_at",
}
OPERATOR_PROOF = {
    "type": "string",
    "maxLength": MAX_PROOF_CHARS,
    "description": "het bewijs dat POST /operators/{operator_id}/pin aan deze kassa gaf: dat "
    "operator_id de eigen pincode ingaf, aan deze kassa, op deze werkdag (Europe/Brussels; voor "
    "een verkoop of betaling met rung_up_at de werkdag van rung_up_at). Verplicht voor wie een "
    "pincode heeft; ontbreekt het, of is het vervalst, van een andere kassa, persoon of dag: "
    "403 operator_not_proven. Wie geen pincode heeft, stuurt niets.",
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
