"""The JSON API under schemathesis: calls generated from /api/v1/openapi.json, in process.

Every operation gets well-formed calls (which pass the schema) and malformed ones (which break
it), with a paired till's bearer token and without one. The API must never answer 5xx, every
refusal must be the documented JSON {"error", "message"}, and every answer must match the
schema: its status code, content type, headers and body.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

#: generated calls per (mode, authorisation): 4 × 300 = 1,200 calls in all
CALLS_EACH = 300
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]

pytestmark = pytest.mark.slow


def check_refusal(status: int, document: Any) -> None:
    """Check a 4xx is the documented JSON error: a code and a Dutch message."""
    assert isinstance(document, dict), document
    assert isinstance(document.get("error"), str) and document["error"], document
    assert isinstance(document.get("message"), str), document


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize("authorised", [True, False], ids=["with-token", "without-token"])
def test_generated_calls_never_break_the_api(
    app: Flask, farm_shop: dict[str, Any], mode: GenerationMode, authorised: bool
) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    headers = farm_shop["headers"] if authorised else {}
    statuses: Counter[int] = Counter()
    opened: set[str] = set()  # the operations that answered 2xx

    @settings(
        max_examples=CALLS_EACH,
        deadline=None,
        database=None,
        derandomize=True,  # the same calls on every run, so CI never fails by luck
        suppress_health_check=list(HealthCheck),
    )
    @given(case=schema.as_strategy(generation_mode=mode))
    def call(case: schemathesis.Case) -> None:
        if authorised:  # the token replaces whatever the generator put in Authorization
            case.headers.update(headers)
        response = case.call()
        statuses[response.status_code] += 1
        if response.status_code < 300:
            opened.add(f"{case.method} {case.path}")
        assert response.status_code < 500, (case.method, case.formatted_path, response.text)
        if response.status_code >= 400:
            check_refusal(response.status_code, response.json())
        case.validate_response(response, checks=CHECKS)

    call()

    assert sum(statuses.values()) >= CALLS_EACH
    if authorised:  # the token opened the API: not everything was refused at the door
        assert len(opened) > 1, statuses
    else:  # without a token only the description is open (and unknown URLs are 404)
        assert opened <= {"GET /openapi.json"}, opened
