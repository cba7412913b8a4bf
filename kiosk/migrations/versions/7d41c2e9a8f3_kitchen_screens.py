"""kitchen screens: a paired device's role (till, kitchen, bar), when it was last seen, and the
orders shown on a kitchen or bar screen until they are ready

Revision ID: 7d41c2e9a8f3
Revises: 5b8e2f0c7a14
Create Date: 2026-12-05 23:55:00.000000

Every device paired before this is a till, as it was.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "7d41c2e9a8f3"
down_revision = "5b8e2f0c7a14"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("till", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("role", sa.String(length=10), nullable=False, server_default="till")
        )
        batch_op.add_column(sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "kitchen_order",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("point_of_sale_id", sa.Integer(), nullable=False),
        sa.Column("tab_id", sa.Integer(), nullable=False),
        sa.Column("station", sa.String(length=10), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ready_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ready_key", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["point_of_sale_id"],
            ["point_of_sale.id"],
            name=op.f("fk_kitchen_order_point_of_sale_id_point_of_sale"),
        ),
        sa.ForeignKeyConstraint(["tab_id"], ["tab.id"], name=op.f("fk_kitchen_order_tab_id_tab")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kitchen_order")),
    )
    with op.batch_alter_table("kitchen_order", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_kitchen_order_tab_id"), ["tab_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_kitchen_order_ready_at"), ["ready_at"], unique=False)


def downgrade():
    with op.batch_alter_table("kitchen_order", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kitchen_order_ready_at"))
        batch_op.drop_index(batch_op.f("ix_kitchen_order_tab_id"))
    op.drop_table("kitchen_order")
    with op.batch_alter_table("till", schema=None) as batch_op:
        batch_op.drop_column("last_seen_at")
        batch_op.drop_column("role")
