"""Refusals of operations speak the chosen language: in the back office and in the API."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from kiosk.errors import OperationError
from kiosk.organisation.places import checked_code
from tests.conftest import csrf_token

DAY = date(2026, 11, 20)


def open_drawer(client: FlaskClient, till_id: int, float_text: str) -> str:
    """Open a till's drawer on DAY through the back office's form; return the answer's page."""
    page = f"/admin/cash/{till_id}/{DAY.isoformat()}"
    token = csrf_token(client.get(page).text)
    answer = client.post(page + "/open", data={"opening_float": float_text, "csrf_token": token})
    return answer.text


def test_a_refused_operation_shows_english_in_the_english_back_office(
    manager: FlaskClient, farm_shop: dict[str, Any]
) -> None:
    open_drawer(manager, farm_shop["till_id"], "100")  # opened: the next try is refused
    assert "Deze kassa is voor die dag al geopend." in open_drawer(
        manager, farm_shop["till_id"], "100"
    )

    manager.get("/language/en")
    refused = open_drawer(manager, farm_shop["till_id"], "100")
    assert "This till is already open for that day." in refused
    assert "Deze kassa is voor die dag al geopend." not in refused


def test_a_refusal_with_a_placeholder_keeps_its_value_in_english(
    manager: FlaskClient, farm_shop: dict[str, Any]
) -> None:
    manager.get("/language/en")
    refused = open_drawer(manager, farm_shop["till_id"], "20000")
    assert "Enter an amount between 0.01 and 10,000 euro." in refused


def test_the_api_answers_in_the_language_chosen_on_the_tablet(
    client: FlaskClient, farm_shop: dict[str, Any]
) -> None:
    sale = {"operator_id": farm_shop["operator_id"], "lines": []}
    dutch = client.post("/api/v1/sales", json=sale, headers=farm_shop["headers"])
    assert dutch.status_code == 400
    assert dutch.get_json()["message"] == "De kassa stuurde geen Idempotency-Key."

    client.get("/language/en")
    english = client.post("/api/v1/sales", json=sale, headers=farm_shop["headers"])
    assert english.status_code == 400
    assert english.get_json() == {
        "error": "idempotency_key_missing",
        "message": "The till sent no Idempotency-Key.",
    }
    headers = {**farm_shop["headers"], "Idempotency-Key": "k-1"}
    empty = client.post("/api/v1/sales", json=sale, headers=headers)
    assert empty.get_json()["message"] == "A sale has at least one line."


def test_a_refusal_outside_a_request_is_dutch_plain_text(app: Flask) -> None:
    with app.app_context(), pytest.raises(OperationError) as refused:
        checked_code("HW 1", 10)
    message = "Een code heeft 1 tot 10 letters, cijfers of streepjes."
    assert type(refused.value.message) is str
    assert (refused.value.message, str(refused.value)) == (message, message)
