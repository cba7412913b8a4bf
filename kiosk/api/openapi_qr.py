"""The QR payment's part of the OpenAPI description: the QR code's picture and its reference.

A sale's QR payment itself is a payment of method `qr` with a `reference`, confirmed by staff
(`confirmed_by` on the SaleRequest).
"""

from __future__ import annotations

from typing import Any

from kiosk.api.openapi_parts import OPERATOR_PROOF, error_responses, json_response
from kiosk.sales.qr_payment import MAX_QR_CENTS, MIN_QR_CENTS, REFERENCE_PATTERN

REFERENCE = {
    "type": "string",
    "pattern": REFERENCE_PATTERN,
    "maxLength": 35,
    "description": "de mededeling van de overschrijving: 1 tot 35 tekens van de SEPA-tekenset "
    "(A-Z a-z 0-9 spatie / - ? : ( ) . , ' +), geen spatie vooraan of achteraan; anders 422 "
    "invalid_reference. De kassa gebruikt het bonnummer dat de verkoop krijgt (GET "
    "/qr-payment/reference).",
}

QR_SCHEMAS: dict[str, Any] = {
    "ConfirmedBy": {
        "type": "object",
        "required": ["operator_id", "operator_proof"],
        "description": "de begeleider (staff of manager) die zag dat het geld van een "
        "QR-betaling binnenkwam, met het bewijs van de eigen pincode aan deze kassa vandaag. "
        "Verplicht bij een betaling met method qr: zonder 403 qr_needs_staff; een zorggebruiker "
        "403 staff_only; zonder pincode 403 pin_required; bewijs fout 403 operator_not_proven.",
        "properties": {
            "operator_id": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
            "operator_proof": OPERATOR_PROOF,
        },
    },
    "QrReference": {
        "type": "object",
        "required": ["reference"],
        "properties": {"reference": {"type": "string", "description": "bv. HW1-000043"}},
    },
}

QR_PATHS: dict[str, Any] = {
    "/qr-payment.png": {
        "get": {
            "operationId": "getQrPaymentPicture",
            "summary": "The EPC QR code (SEPA transfer) for an amount, as a PNG",
            "description": "Every Belgian banking app pays it: the organisation's IBAN and "
            "name, the amount in euro and the reference as remittance text. Cache-Control: "
            "no-store. 409 qr_not_configured while the organisation has no IBAN; 422 "
            "payment_method_not_accepted when this till's point of sale takes no QR.",
            "parameters": [
                {
                    "name": "amount_cents",
                    "in": "query",
                    "required": True,
                    "schema": {"type": "integer", "minimum": MIN_QR_CENTS, "maximum": MAX_QR_CENTS},
                    "description": "het bedrag in cent; buiten 1 tot 999999999: 422 invalid_amount",
                },
                {"name": "reference", "in": "query", "required": True, "schema": REFERENCE},
            ],
            "responses": {
                "200": {
                    "description": "De QR-code",
                    "content": {"image/png": {"schema": {"type": "string", "format": "binary"}}},
                },
                **error_responses(400, 401, 409, 422),
            },
        }
    },
    "/qr-payment/reference": {
        "get": {
            "operationId": "getQrPaymentReference",
            "summary": "The receipt number this till's next sale gets: the QR code's reference",
            "description": "Ask it just before showing the QR code, with no sale waiting in the "
            "till's queue: then the QR sale gets this receipt number. 409 qr_not_configured "
            "without an IBAN; 422 payment_method_not_accepted when the point of sale takes no QR.",
            "responses": {
                "200": json_response("De mededeling", "QrReference"),
                **error_responses(401, 409, 422),
            },
        }
    },
}
