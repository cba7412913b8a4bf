"""stock corrections: a delivery, waste or count is undone by a reversing entry linked to it

Revision ID: 7d2e4b1c9a60
Revises: 7d41c2e9a8f3
Create Date: 2026-12-06 00:10:00.000000

Existing deliveries and moves correct nothing: the new columns start empty.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "7d2e4b1c9a60"
down_revision = "7d41c2e9a8f3"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("delivery", schema=None) as batch_op:
        batch_op.add_column(sa.Column("corrects_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("reason", sa.String(length=200), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_delivery_corrects_id"), ["corrects_id"])
        batch_op.create_foreign_key(
            batch_op.f("fk_delivery_corrects_id_delivery"), "delivery", ["corrects_id"], ["id"]
        )
    with op.batch_alter_table("stock_move", schema=None) as batch_op:
        batch_op.add_column(sa.Column("corrects_id", sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_stock_move_corrects_id"), ["corrects_id"])
        batch_op.create_foreign_key(
            batch_op.f("fk_stock_move_corrects_id_stock_move"), "stock_move", ["corrects_id"], ["id"]
        )


def downgrade():
    with op.batch_alter_table("stock_move", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_stock_move_corrects_id_stock_move"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("uq_stock_move_corrects_id"), type_="unique")
        batch_op.drop_column("corrects_id")
    with op.batch_alter_table("delivery", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_delivery_corrects_id_delivery"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("uq_delivery_corrects_id"), type_="unique")
        batch_op.drop_column("reason")
        batch_op.drop_column("corrects_id")
