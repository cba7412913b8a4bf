"""The JSON API under schemathesis: calls generated from /api/v1/openapi.json, in process.

Every operation gets well-formed calls (which pass the schema) and malformed ones (which break
it), with a paired till's bearer token and without one. The API must never answer 5xx, every
refusal must be the documented JSON {"error", "message"}, and every answer passes all of
schemathesis's checks: status code, content type, headers and body as described, malformed
data refused (negative data rejection), well-formed data never refused as malformed (positive
data acceptance: only the shop's rules may refuse it, 422, or a missing row, 404), and the token
enforced (ignored auth).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.config import PositiveDataAcceptanceConfig, SchemathesisConfig

#: generated calls per (mode, authorisation): 4 × 300 = 1,200 calls in all
CALLS_EACH = 300
#: a well-formed call may still break the shop's rules (422: unknown product, too little paid)
#: or name a row that is not there (404); it is never refused as malformed (400); a catalog the
#: till already holds (If-None-Match: its ETag, or *) is 304
WELL_FORMED_ANSWERS = ["2xx", "304", "401", "403", "404", "409", "422", "429"]
#: in process (WSGI) schemathesis asks for gzip as requests does but never unpacks it; the API's
#: answers are compared unpacked over real HTTP in tests/kiosk/test_compression.py
PLAIN = {"Accept-Encoding": "identity"}

pytestmark = pytest.mark.slow


def check_refusal(status: int, document: Any) -> None:
    """Check a 4xx is the documented JSON error: a code and a Dutch message."""
    assert isinstance(document, dict), document
    assert isinstance(document.get("error"), str) and document["error"], document
    assert isinstance(document.get("message"), str), document


def sent(value: Any) -> Any:
    """Return a query value as the client sends it: None (which it would drop) as empty."""
    if isinstance(value, list):
        return [sent(item) for item in value]
    return "" if value is None else value


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize("authorised", [True, False], ids=["with-token", "without-token"])
def test_generated_calls_never_break_the_api(
    app: Flask, farm_shop: dict[str, Any], mode: GenerationMode, authorised: bool
) -> None:
    config = SchemathesisConfig()
    config.projects.default.checks.positive_data_acceptance = PositiveDataAcceptanceConfig(
        expected_statuses=WELL_FORMED_ANSWERS
    )
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, config=config)
    headers = (farm_shop["headers"] if authorised else {}) | PLAIN
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
        # the token replaces whatever the generator put in Authorization (ignored_auth then
        # checks that the call without it, or with a made-up one, is refused)
        if case.query:  # a query has no null: send such a parameter empty, not dropped
            case.query = {name: sent(value) for name, value in case.query.items()}
        response = case.call(headers=headers)
        statuses[response.status_code] += 1
        if response.status_code < 300:
            opened.add(f"{case.method} {case.path}")
        assert response.status_code < 500, (case.method, case.formatted_path, response.text)
        if response.status_code >= 400:
            check_refusal(response.status_code, response.json())
        # no `checks=`: every check schemathesis has, each enabled by the default configuration
        case.validate_response(response, headers=headers)

    call()

    assert sum(statuses.values()) >= CALLS_EACH
    if authorised:  # the token opened the API: not everything was refused at the door
        # (routing answers 404 and 405 before the token is looked at; 401 is the door itself)
        assert sum(n for status, n in statuses.items() if status not in (401, 404, 405)), statuses
        if mode == GenerationMode.POSITIVE:  # and well-formed calls opened several operations
            assert len(opened) > 1, statuses
    else:  # without a token only the description is open (and unknown URLs are 404)
        assert opened <= {"GET /openapi.json"}, opened
