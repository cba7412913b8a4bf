"""The API takes exactly what its description says, over real HTTP (waitress).

JSON bodies only (415), 405 with Allow, every answer code it can give described where it can occur.
"""

from __future__ import annotations

import http.client
import json
import uuid
from typing import Any
from urllib.parse import urlsplit

from flask import Flask

from tests.conftest import LiveServer
from tests.kiosk.sales.test_concurrency import request


def raw(base_url: str, method: str, path: str, headers: dict[str, str]) -> http.client.HTTPResponse:
    """Send a request and return the answer, headers and all, read whole."""
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
    connection.request(method, path, headers=headers)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def test_a_body_that_is_not_json_is_refused_with_415(app: Flask, farm_shop: dict[str, Any]) -> None:
    body = json.dumps(
        {
            "operator_id": farm_shop["operator_id"],
            "lines": [{"product_id": farm_shop["bread"], "quantity": "1"}],
            "payments": [{"method": "cash", "amount_cents": 500}],
        }
    ).encode()
    token = {"Authorization": f"Bearer {farm_shop['token']}"}
    with LiveServer(app) as server:
        for content_type in ("text/plain", "application/x-www-form-urlencoded", None):
            headers = {**token, "Idempotency-Key": str(uuid.uuid4())}
            if content_type:
                headers["Content-Type"] = content_type
            answer = request(server.url, "POST", "/api/v1/sales", body=body, headers=headers)
            assert answer.status == 415, (content_type, answer)
            assert answer.document["error"] == "unsupported_media_type"
        pin = request(
            server.url,
            "POST",
            f"/api/v1/operators/{farm_shop['operator_id']}/pin",
            body=b'{"pin": "1234"}',
            headers={**token, "Content-Type": "text/plain"},
        )
        assert pin.status == 415
        headers = {**token, "Idempotency-Key": str(uuid.uuid4())}
        headers["Content-Type"] = "application/json; charset=utf-8"
        assert (
            request(server.url, "POST", "/api/v1/sales", body=body, headers=headers).status == 201
        )


def test_405_says_which_methods_are_allowed(app: Flask, farm_shop: dict[str, Any]) -> None:
    with LiveServer(app) as server:
        for method, path in [
            ("DELETE", "/api/v1/sales"),
            ("PUT", "/api/v1/catalog"),
            ("DELETE", "/api/v1/openapi.json"),
            ("DELETE", "/healthz"),
        ]:
            answer = raw(server.url, method, path, farm_shop["headers"])
            assert answer.status == 405, (method, path)
            allowed = {name.strip() for name in (answer.getheader("Allow") or "").split(",")}
            assert allowed and method not in allowed, (method, path, allowed)
        assert {"POST"} <= {
            name.strip()
            for name in (
                raw(server.url, "DELETE", "/api/v1/sales", {}).getheader("Allow") or ""
            ).split(",")
        }


def test_every_answer_the_api_can_give_is_described(app: Flask) -> None:
    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            answers = set(operation["responses"])
            assert "503" in answers, (method, path)
            if "requestBody" in operation:
                assert {"400", "413", "415"} <= answers, (method, path)
            if path != "/openapi.json":
                assert "401" in answers, (method, path)
    schemas = spec["components"]["schemas"]
    assert schemas["Payments"]["x-cash-limit-cents"] == 300_000
    assert schemas["Payments"]["items"]["properties"]["amount_cents"]["maximum"] == 10_000_000
    key = spec["paths"]["/sales"]["post"]["parameters"][0]
    assert key["name"] == "Idempotency-Key"
    assert key["schema"]["pattern"] == "^[A-Za-z0-9._:-]{1,100}$"
    line = schemas["SaleRequest"]["properties"]["lines"]["items"]["properties"]["quantity"]
    assert line["pattern"].startswith("^") and "\\d" not in line["pattern"]
