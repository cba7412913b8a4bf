"""customer orders for pickup and delivery

Revision ID: 9c1e7d3a5b20
Revises: e5b8c3f0a417
Create Date: 2026-12-06 05:36:00.000000

New tables only: existing sales, products and stock keep their data unchanged. An order is paid
by one sale (customer_order.sale_id is unique); an order taken at a till is stored once per
Idempotency-Key (unique till_id, idempotency_key).

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "9c1e7d3a5b20"
down_revision = "e5b8c3f0a417"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "customer_order",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("point_of_sale_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("fulfilment", sa.String(length=10), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("slot", sa.String(length=11), nullable=True),
        sa.Column("payment", sa.String(length=16), nullable=False),
        sa.Column("customer_name", sa.String(length=80), nullable=True),
        sa.Column("customer_phone", sa.String(length=40), nullable=True),
        sa.Column("customer_address", sa.Text(), nullable=True),
        sa.Column("customer_note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("till_id", sa.Integer(), nullable=True),
        sa.Column("idempotency_key", sa.String(length=100), nullable=True),
        sa.Column("request_hash", sa.String(length=64), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("prepared_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("handed_over_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sale_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_customer_order_created_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["point_of_sale_id"],
            ["point_of_sale.id"],
            name=op.f("fk_customer_order_point_of_sale_id_point_of_sale"),
        ),
        sa.ForeignKeyConstraint(
            ["sale_id"], ["sale.id"], name=op.f("fk_customer_order_sale_id_sale")
        ),
        sa.ForeignKeyConstraint(
            ["till_id"], ["till.id"], name=op.f("fk_customer_order_till_id_till")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_order")),
        sa.UniqueConstraint("sale_id", name=op.f("uq_customer_order_sale_id")),
        sa.UniqueConstraint(
            "till_id", "idempotency_key", name=op.f("uq_customer_order_till_id_idempotency_key")
        ),
    )
    with op.batch_alter_table("customer_order", schema=None) as batch_op:
        batch_op.create_index(
            "ix_customer_order_point_of_sale_day", ["point_of_sale_id", "day"], unique=False
        )

    op.create_table(
        "customer_order_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_order_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("quantity_milli", sa.Integer(), nullable=False),
        sa.Column("weighed_milli", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_order_id"],
            ["customer_order.id"],
            name=op.f("fk_customer_order_line_customer_order_id_customer_order"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["product.id"], name=op.f("fk_customer_order_line_product_id_product")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_order_line")),
    )
    with op.batch_alter_table("customer_order_line", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_customer_order_line_customer_order_id"),
            ["customer_order_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_customer_order_line_product_id"), ["product_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("customer_order_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_customer_order_line_product_id"))
        batch_op.drop_index(batch_op.f("ix_customer_order_line_customer_order_id"))

    op.drop_table("customer_order_line")
    with op.batch_alter_table("customer_order", schema=None) as batch_op:
        batch_op.drop_index("ix_customer_order_point_of_sale_day")

    op.drop_table("customer_order")
