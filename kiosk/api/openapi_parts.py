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
