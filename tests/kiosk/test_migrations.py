"""The migrations build exactly the schema the models describe."""

from __future__ import annotations

import uuid
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from flask_migrate import downgrade as alembic_downgrade
from flask_migrate import upgrade as alembic_upgrade
from sqlalchemy import text

from kiosk import create_app
from kiosk.database import check_schema_current, upgrade_database
from kiosk.extensions import db, migrate
from tests.conftest import SECRET, Shop


def test_migrations_match_the_models(ctx: None) -> None:
    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert differences == []


def test_schema_is_current(ctx: None) -> None:
    check_schema_current()  # raises SchemaOutdated otherwise


def test_upgrade_gives_earlier_sales_the_vat_their_receipts_show(
    own_database: str, tmp_path: Path
) -> None:
    app = create_app(
        {"TESTING": True, "DATABASE_URL": own_database, "SECRET_KEY": SECRET},
        instance_path=str(tmp_path / "instance"),
    )
    with app.app_context():
        upgrade_database()
        db.session.commit()
    shop = Shop(app)
    shop.point_of_sale("HW")
    _till_id, token = shop.till("HW")
    operator = shop.user("Jan")
    products = [
        shop.product("Brood", price_cents=385),
        shop.product("Kaas", price_cents=2495, unit="kg"),
        shop.product("Kaars", price_cents=1299, vat_class="non_food"),
    ]
    client = app.test_client()
    for quantities in (("1", "0.333", "2"), ("3", "1.001", "1"), ("7", "0.25", "5")):
        response = client.post(
            "/api/v1/sales",
            json={
                "operator_id": operator,
                "lines": [
                    {"product_id": product, "quantity": quantity}
                    for product, quantity in zip(products, quantities, strict=True)
                ],
                "payments": [{"method": "cash", "amount_cents": 20000}],
            },
            headers={"Authorization": f"Bearer {token}", "Idempotency-Key": str(uuid.uuid4())},
        )
        assert response.status_code == 201, response.text
    with app.app_context():
        written = vat_rows()
        assert len(written) == 6
        alembic_downgrade(directory=migrate.directory, revision="f05afed931c5")
        alembic_upgrade(directory=migrate.directory)
        assert vat_rows() == written
        db.engine.dispose()


def vat_rows() -> list[tuple[int, ...]]:
    """Return every stored VAT total, in a fixed order."""
    rows = db.session.execute(
        text(
            "SELECT sale_id, rate_basis_points, gross_cents, vat_cents FROM sale_vat "
            "ORDER BY sale_id, rate_basis_points"
        )
    ).all()
    db.session.commit()
    return [tuple(row) for row in rows]
