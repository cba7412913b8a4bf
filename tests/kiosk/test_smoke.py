"""The app starts, answers health checks and sells through the API."""

import uuid


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_a_sale(client, farm_shop):
    body = {
        "operator_id": farm_shop["operator_id"],
        "lines": [{"product_id": farm_shop["bread"], "quantity": "2"}],
        "payments": [{"method": "cash", "amount_cents": 1000}],
    }
    headers = {**farm_shop["headers"], "Idempotency-Key": str(uuid.uuid4())}
    response = client.post("/api/v1/sales", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["change_cents"] == 240
