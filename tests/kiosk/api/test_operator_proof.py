"""A sale, refund or tab change in the name of a person with a PIN carries their operator_proof.

The proof comes from the PIN check at the same till (POST /api/v1/operators/<id>/pin) and names
the till, the person and the business day; without it, or with one of another till, person or
day, or a tampered one, the API answers 403 operator_not_proven and stores nothing. A person
without a PIN sells as before. Sales go over real HTTP to waitress where the day matters.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from kiosk.extensions import db
from kiosk.models import Sale, Tab, Till, User
from kiosk.organisation.operator_proofs import issue_operator_proof
from tests.conftest import LiveServer, Shop
from tests.kiosk.api.test_time_of_sale import before_midnight
from tests.kiosk.bistro_support import bistro_world, item, post
from tests.kiosk.refund_support import refund, refund_world, sell
from tests.kiosk.sales.test_concurrency import request


@pytest.fixture
def world(app: Flask, shop: Shop, farm_shop: dict[str, Any]) -> dict[str, Any]:
    """The farm shop with Lotte (a care user with a PIN), staff with PINs and a second till."""
    return refund_world(app, shop, farm_shop)


def prove(client: FlaskClient, headers: dict[str, str], operator_id: int, pin: str) -> str:
    """Check a PIN at a till and return the operator_proof it answers with."""
    response = client.post(
        f"/api/v1/operators/{operator_id}/pin", json={"pin": pin}, headers=headers
    )
    assert response.status_code == 200, response.get_json()
    proof = response.get_json()["operator_proof"]
    assert isinstance(proof, str) and proof
    return proof


def sale_body(w: dict[str, Any], operator_id: int, **fields: Any) -> dict[str, Any]:
    """Describe a sale of one bread paid in cash by this operator."""
    return {
        "operator_id": operator_id,
        "lines": [{"product_id": w["bread"], "quantity": "1"}],
        "payments": [{"method": "cash", "amount_cents": 400}],
        **fields,
    }


def post_sale(client: FlaskClient, w: dict[str, Any], body: dict[str, Any]) -> TestResponse:
    """POST a sale with a fresh Idempotency-Key at the first till."""
    headers = {**w["headers"], "Idempotency-Key": str(uuid.uuid4())}
    return client.post("/api/v1/sales", json=body, headers=headers)


def assert_not_proven(response: TestResponse) -> None:
    """Check the answer is 403 operator_not_proven with a Dutch message."""
    assert response.status_code == 403, response.get_data(as_text=True)
    document = response.get_json()
    assert document["error"] == "operator_not_proven"
    assert "pincode" in document["message"]


def sales_stored(app: Flask) -> int:
    """Count the sales in the database."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Sale)) or 0


def issued(app: Flask, till_id: int, operator_id: int, moment: datetime) -> str:
    """Sign a proof as the PIN check does, for a moment other than now (another day)."""
    with app.test_request_context():
        till, operator = db.session.get_one(Till, till_id), db.session.get_one(User, operator_id)
        return issue_operator_proof(till, operator, moment)


def test_a_person_with_a_pin_sells_only_with_the_proof_of_the_pin_check(
    app: Flask, client: FlaskClient, world: dict[str, Any]
) -> None:
    assert_not_proven(post_sale(client, world, sale_body(world, world["lotte"])))
    assert sales_stored(app) == 0

    proof = prove(client, world["headers"], world["lotte"], "1111")
    answer = post_sale(client, world, sale_body(world, world["lotte"], operator_proof=proof))
    assert answer.status_code == 201, answer.get_json()
    assert answer.get_json()["operator"]["name"] == "Lotte"
    # the same proof serves every sale of her turn at this till
    again = post_sale(client, world, sale_body(world, world["lotte"], operator_proof=proof))
    assert again.status_code == 201
    assert sales_stored(app) == 2


def test_a_proof_of_another_till_person_or_day_or_a_tampered_one_is_refused(
    app: Flask, client: FlaskClient, world: dict[str, Any]
) -> None:
    second_till = prove(client, world["second_headers"], world["lotte"], "1111")
    staff = prove(client, world["headers"], world["els"], "2468")
    lotte = prove(client, world["headers"], world["lotte"], "1111")
    yesterday = issued(app, world["till_id"], world["lotte"], datetime.now(UTC) - timedelta(days=1))
    payload, _, signature = lotte.rpartition(".")
    tampered = f"{payload}.{signature[:-2]}{'AA' if signature[-2:] != 'AA' else 'BB'}"
    forged = issued_with_other_key(app, world)
    for proof in (second_till, staff, yesterday, tampered, forged, "", "niets"):
        body = sale_body(world, world["lotte"], operator_proof=proof)
        assert_not_proven(post_sale(client, world, body))
    assert sales_stored(app) == 0

    # not a string, or longer than any proof: malformed (400), whoever sells
    malformed: list[Any] = [12, ["x"], "x" * 501]
    for wrong in malformed:
        body = sale_body(world, world["operator_id"], operator_proof=wrong)
        assert post_sale(client, world, body).status_code == 400


def issued_with_other_key(app: Flask, w: dict[str, Any]) -> str:
    """Sign Lotte's proof with a SECRET_KEY that is not the server's."""
    key = app.config["SECRET_KEY"]
    app.config["SECRET_KEY"] = "not-the-server-key"
    try:
        return issued(app, w["till_id"], w["lotte"], datetime.now(UTC))
    finally:
        app.config["SECRET_KEY"] = key


def test_a_new_pin_ends_the_old_proof(
    app: Flask, client: FlaskClient, world: dict[str, Any]
) -> None:
    proof = prove(client, world["headers"], world["lotte"], "1111")
    with app.app_context():
        db.session.get_one(User, world["lotte"]).set_pin("2222")
        db.session.commit()
    assert_not_proven(
        post_sale(client, world, sale_body(world, world["lotte"], operator_proof=proof))
    )


def test_a_person_without_a_pin_sells_without_a_proof(
    client: FlaskClient, world: dict[str, Any]
) -> None:
    answer = post_sale(client, world, sale_body(world, world["operator_id"]))
    assert answer.status_code == 201, answer.get_json()


def test_a_sale_queued_before_midnight_keeps_the_proof_of_its_day(
    app: Flask, live_server: LiveServer, world: dict[str, Any]
) -> None:
    # Lotte proved her PIN yesterday, rang a sale up at 23:58 offline; it arrives now (00:03)
    rung_up = before_midnight()
    proof = issued(app, world["till_id"], world["lotte"], rung_up)

    def send(**fields: Any) -> int:
        body = sale_body(world, world["lotte"], operator_proof=proof, **fields)
        headers = {
            **world["headers"],
            "Idempotency-Key": str(uuid.uuid4()),
            "Content-Type": "application/json",
        }
        answer = request(
            live_server.url,
            "POST",
            "/api/v1/sales",
            body=json.dumps(body).encode(),
            headers=headers,
        )
        return answer.status

    assert send(rung_up_at=rung_up.isoformat()) == 201
    assert send() == 403  # rung up today: yesterday's proof has ended with its day
    assert sales_stored(app) == 1


def test_a_refund_takes_a_staff_proof_instead_of_the_pin(
    app: Flask, client: FlaskClient, world: dict[str, Any]
) -> None:
    sale_id = sell(client, world, [("bread", "2")], [("cash", 800)])["id"]
    care = prove(client, world["headers"], world["lotte"], "1111")
    answer = refund(client, world, sale_id, operator_id=world["lotte"], pin=None)
    assert answer.status_code == 400  # neither a PIN nor a proof (a null PIN is no PIN)
    body = {"operator_id": world["lotte"], "operator_proof": care}
    no_pin = refund_without_pin(client, world, sale_id, body)
    assert no_pin.status_code == 403 and no_pin.get_json()["error"] == "staff_only"
    other = {"operator_id": world["els"], "operator_proof": care}
    assert_not_proven(refund_without_pin(client, world, sale_id, other))

    staff = prove(client, world["headers"], world["els"], "2468")
    body = {"operator_id": world["els"], "operator_proof": staff}
    made = refund_without_pin(client, world, sale_id, body)
    assert made.status_code == 201, made.get_json()
    assert made.get_json()["operator"]["name"] == "Els"


def refund_without_pin(
    client: FlaskClient, w: dict[str, Any], sale_id: int, body: dict[str, Any]
) -> TestResponse:
    """POST a refund of everything, back on the shelf, with this body and no PIN."""
    return client.post(
        f"/api/v1/sales/{sale_id}/refunds",
        json={"stock": "return", "reason": "retour", **body},
        headers={**w["headers"], "Idempotency-Key": str(uuid.uuid4())},
    )


def test_every_tab_change_of_a_person_with_a_pin_needs_the_proof(
    app: Flask, client: FlaskClient, shop: Shop
) -> None:
    w = bistro_world(app, shop)
    lotte = shop.user("Lotte", pin="1111")
    table, other_table = w["tables"][0], w["tables"][1]
    opened = post(client, w, f"/tables/{table}/tab", {"operator_id": lotte})
    assert_not_proven(opened)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Tab)) == 0

    proof = prove(client, w["headers"], lotte, "1111")
    who = {"operator_id": lotte, "operator_proof": proof}
    tab = post(client, w, f"/tables/{table}/tab", who)
    assert tab.status_code == 201, tab.get_json()
    tab_id = tab.get_json()["id"]
    items = [item(w, "pasta"), item(w, "beer")]
    changes: list[tuple[str, dict[str, Any]]] = [
        (f"/tabs/{tab_id}/items", {"items": items}),
        (f"/tabs/{tab_id}/send", {}),
        (f"/tabs/{tab_id}/move", {"table_id": other_table}),
    ]
    for path, fields in changes:
        assert_not_proven(post(client, w, path, {"operator_id": lotte, **fields}))
        answer = post(client, w, path, {**who, **fields})
        assert answer.status_code == 200, (path, answer.get_json())
    beer = answer.get_json()["items"][1]["id"]
    cancel = f"/tabs/{tab_id}/items/{beer}/cancel"
    assert_not_proven(post(client, w, cancel, {"operator_id": lotte}))
    assert post(client, w, cancel, who).status_code == 200

    payment = {"split": {"kind": "all"}, "payments": [{"method": "card", "amount_cents": 1450}]}
    path = f"/tabs/{tab_id}/payments"
    unproven = post(client, w, path, {"operator_id": lotte, **payment}, key=str(uuid.uuid4()))
    assert_not_proven(unproven)
    paid = post(client, w, path, {**who, **payment}, key=str(uuid.uuid4()))
    assert paid.status_code == 201, paid.get_json()
    assert paid.get_json()["tab"]["state"] == "paid"
