"""/api/v1/openapi.json is public and true: every route is described, every answer fits it."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator, ValidationError
from referencing import Registry
from referencing.jsonschema import DRAFT202012
from werkzeug.test import TestResponse

from kiosk.periods import BRUSSELS
from tests.conftest import Shop
from tests.kiosk.till_requests import order, post

SPEC_URI = "urn:pluskassa:openapi"
HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
PREFIX = "/api/v1"


@pytest.fixture
def spec(client: FlaskClient) -> dict[str, Any]:
    """Fetch the description the way an outsider would: without a token."""
    response = client.get(f"{PREFIX}/openapi.json")
    assert response.status_code == 200
    assert response.is_json
    return response.get_json()


def validator(spec: dict[str, Any], schema: dict[str, Any]) -> Draft202012Validator:
    """Return a validator for a schema of the spec, its #/components refs resolved in the spec."""
    registry = Registry().with_resource(SPEC_URI, DRAFT202012.create_resource(spec))
    if "$ref" in schema:
        schema = {"$ref": SPEC_URI + schema["$ref"]}
    return Draft202012Validator(schema, registry=registry)


def component(spec: dict[str, Any], name: str) -> Draft202012Validator:
    """Return a validator for one of the spec's component schemas."""
    return validator(spec, {"$ref": f"#/components/schemas/{name}"})


def check(spec: dict[str, Any], method: str, path: str, response: TestResponse) -> dict[str, Any]:
    """Assert the status is documented for the operation and the body fits its schema."""
    responses = spec["paths"][path][method]["responses"]
    status = str(response.status_code)
    assert status in responses, f"{status} is not documented for {method.upper()} {path}"
    schema = responses[status]["content"]["application/json"]["schema"]
    document = response.get_json()
    validator(spec, schema).validate(document)
    return document


def api_routes(app: Flask) -> dict[str, set[str]]:
    """Return the app's /api/v1 routes as OpenAPI paths with their methods."""
    routes: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(PREFIX + "/"):
            path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule.removeprefix(PREFIX))
            methods = {m.lower() for m in rule.methods or ()} - {"head", "options"}
            routes.setdefault(path, set()).update(methods)
    return routes


def test_the_description_is_public(client: FlaskClient, spec: dict[str, Any]) -> None:
    assert spec["openapi"] == "3.1.0"
    assert spec["servers"] == [{"url": PREFIX}]
    assert spec["paths"]["/openapi.json"]["get"]["security"] == []
    assert spec["components"]["securitySchemes"]["tillToken"] == {
        "type": "http",
        "scheme": "bearer",
    }
    wrong = client.get(f"{PREFIX}/openapi.json", headers={"Authorization": "Bearer pk_wrong"})
    assert wrong.status_code == 200
    assert wrong.get_json() == spec


def test_every_route_is_described_and_nothing_else(app: Flask, spec: dict[str, Any]) -> None:
    described = {
        path: {method for method in operations if method in HTTP_METHODS}
        for path, operations in spec["paths"].items()
    }
    routes = api_routes(app)
    assert {"/catalog", "/sales", "/sales/{sale_id}", "/openapi.json"} <= set(routes)
    assert described == routes


def test_path_parameters_are_declared(spec: dict[str, Any]) -> None:
    for path, operations in spec["paths"].items():
        wanted = set(re.findall(r"{([^}]+)}", path))
        for method, operation in operations.items():
            declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert declared == wanted, f"{method.upper()} {path}"
            assert all(p["required"] for p in operation.get("parameters", []) if p["in"] == "path")


def test_component_schemas_are_valid_json_schema(spec: dict[str, Any]) -> None:
    assert {"Error", "Catalog", "SaleRequest", "Sale"} <= set(spec["components"]["schemas"])
    for schema in spec["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)


def test_catalog_answers_fit(
    client: FlaskClient, spec: dict[str, Any], farm_shop: dict[str, Any]
) -> None:
    ok = client.get(f"{PREFIX}/catalog", headers=farm_shop["headers"])
    assert ok.status_code == 200
    assert len(check(spec, "get", "/catalog", ok)["products"]) == 4
    refused = client.get(f"{PREFIX}/catalog")
    assert check(spec, "get", "/catalog", refused)["error"] == "unauthorized"


def test_sale_answers_fit(
    client: FlaskClient, spec: dict[str, Any], shop: Shop, farm_shop: dict[str, Any]
) -> None:
    body = order(farm_shop, ("bread", "2"), ("cheese", "0.347"), ("candle", "1"))
    component(spec, "SaleRequest").validate(body)
    key = str(uuid.uuid4())
    made = post(client, farm_shop["headers"], body, key=key)
    assert made.status_code == 201
    sale = check(spec, "post", "/sales", made)
    replay = post(client, farm_shop["headers"], body, key=key)
    assert replay.status_code == 200
    assert check(spec, "post", "/sales", replay) == sale
    shown = client.get(f"{PREFIX}/sales/{sale['id']}", headers=farm_shop["headers"])
    assert shown.status_code == 200
    assert check(spec, "get", "/sales/{sale_id}", shown) == sale

    shop.point_of_sale("BI", name="Bistro", consumption="eat_in")
    bistro = {"Authorization": f"Bearer {shop.till('BI')[1]}"}
    elsewhere = client.get(f"{PREFIX}/sales/{sale['id']}", headers=bistro)
    assert elsewhere.status_code == 404
    assert check(spec, "get", "/sales/{sale_id}", elsewhere)["error"] == "not_found"
    anonymous = client.get(f"{PREFIX}/sales/{sale['id']}")
    assert check(spec, "get", "/sales/{sale_id}", anonymous)["error"] == "unauthorized"


@pytest.mark.parametrize(
    ("line", "pay", "status", "code"),
    [
        (("bread", "1"), [("cash", 100)], 422, "insufficient_payment"),
        (("bread", "1.5"), [("cash", 500)], 422, "invalid_quantity"),
        (("bread", "abc"), [("cash", 500)], 400, "invalid_quantity"),
        (("bread", "1"), [("cash", True)], 400, "invalid_request"),
    ],
)
def test_refused_order_answers_fit(
    client: FlaskClient,
    spec: dict[str, Any],
    farm_shop: dict[str, Any],
    line: tuple[str, str],
    pay: list[Any],
    status: int,
    code: str,
) -> None:
    response = post(client, farm_shop["headers"], order(farm_shop, line, pay=pay))
    assert response.status_code == status
    assert check(spec, "post", "/sales", response)["error"] == code


@pytest.mark.parametrize(
    ("raw", "status", "code"),
    [
        ("{nope", 400, "invalid_json"),
        ("[]", 400, "invalid_request"),
        (" " * (9 << 20), 413, "too_large"),
    ],
)
def test_refused_body_answers_fit(
    client: FlaskClient,
    spec: dict[str, Any],
    farm_shop: dict[str, Any],
    raw: str,
    status: int,
    code: str,
) -> None:
    response = post(client, farm_shop["headers"], raw=raw)
    assert response.status_code == status
    assert check(spec, "post", "/sales", response)["error"] == code


def test_refused_header_answers_fit(
    client: FlaskClient, spec: dict[str, Any], farm_shop: dict[str, Any]
) -> None:
    no_token = post(client, {}, order(farm_shop))
    assert check(spec, "post", "/sales", no_token)["error"] == "unauthorized"
    no_key = post(client, farm_shop["headers"], order(farm_shop), key=None)
    assert check(spec, "post", "/sales", no_key)["error"] == "idempotency_key_missing"


def test_a_reused_key_conflict_fits(
    client: FlaskClient, spec: dict[str, Any], farm_shop: dict[str, Any]
) -> None:
    key = str(uuid.uuid4())
    assert post(client, farm_shop["headers"], order(farm_shop), key=key).status_code == 201
    conflict = post(client, farm_shop["headers"], order(farm_shop, ("bread", "2")), key=key)
    assert conflict.status_code == 409
    assert check(spec, "post", "/sales", conflict)["error"] == "idempotency_conflict"


@pytest.mark.parametrize(
    ("method", "url", "status"),
    [("get", "/nothing-here", 404), ("delete", "/sales/1", 405), ("get", "/sales", 405)],
)
def test_answers_outside_the_operations_are_error_documents(
    client: FlaskClient, spec: dict[str, Any], method: str, url: str, status: int
) -> None:
    response = getattr(client, method)(PREFIX + url)
    assert response.status_code == status
    component(spec, "Error").validate(response.get_json())


def test_the_schemas_can_refuse(
    client: FlaskClient, spec: dict[str, Any], farm_shop: dict[str, Any]
) -> None:
    sale = post(client, farm_shop["headers"], order(farm_shop)).get_json()
    sale_schema = component(spec, "Sale")
    sale_schema.validate(sale)
    for broken in (
        {**sale, "total_cents": "3.80"},
        {k: v for k, v in sale.items() if k != "vat"},
        {**sale, "vat": [{**sale["vat"][0], "rate": 6}]},
        {**sale, "lines": [{**sale["lines"][0], "quantity": "1.0000"}]},
    ):
        with pytest.raises(ValidationError):
            sale_schema.validate(broken)
    with pytest.raises(ValidationError):
        component(spec, "Error").validate({"error": "not_found"})


@pytest.mark.parametrize(
    "change",
    [
        {"lines": []},
        {"operator_id": 2**40},
        {"lines": [{"product_id": 1, "quantity": "1e9"}]},
        {"payments": [{"method": "cash", "amount_cents": 0}]},
        {"payments": [{"method": "cash", "amount_cents": 1}] * 21},
    ],
)
def test_requests_the_api_refuses_the_spec_refuses_too(
    client: FlaskClient, spec: dict[str, Any], farm_shop: dict[str, Any], change: dict[str, Any]
) -> None:
    body = {**order(farm_shop), **change}
    with pytest.raises(ValidationError):
        component(spec, "SaleRequest").validate(body)
    assert 400 <= post(client, farm_shop["headers"], body).status_code < 500


def test_time_of_sale_is_described(
    client: FlaskClient, spec: dict[str, Any], farm_shop: dict[str, Any]
) -> None:
    schemas = spec["components"]["schemas"]
    for request_schema in ("SaleRequest", "RefundRequest", "TabPaymentRequest"):
        assert schemas[request_schema]["properties"]["rung_up_at"]["format"] == "date-time"
    assert {"created_at", "rung_up_at", "business_day"} <= set(schemas["Sale"]["required"])
    rung_up = (datetime.now(UTC) - timedelta(minutes=3)).astimezone(BRUSSELS).isoformat()
    body = order(farm_shop, ("bread", "1"), rung_up_at=rung_up)
    component(spec, "SaleRequest").validate(body)
    sale = check(spec, "post", "/sales", post(client, farm_shop["headers"], body))
    assert datetime.fromisoformat(sale["rung_up_at"]) == datetime.fromisoformat(rung_up)
    refused = post(client, farm_shop["headers"], {**body, "rung_up_at": "2026-12-05T23:58:12"})
    assert check(spec, "post", "/sales", refused)["error"] == "invalid_rung_up_at"
