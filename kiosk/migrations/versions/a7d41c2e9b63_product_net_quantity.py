"""product net quantity: a pre-packed product's content (350 g, 1 l) for the price per kg or litre

Revision ID: a7d41c2e9b63
Revises: 8b41d6c2e9f3
Create Date: 2026-12-06 00:20:00.000000

Existing products get no net quantity: their labels show no unit price until one is filled in.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "a7d41c2e9b63"
down_revision = "8b41d6c2e9f3"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("product", schema=None) as batch_op:
        batch_op.add_column(sa.Column("net_quantity", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("net_unit", sa.String(length=2), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("product", schema=None) as batch_op:
        batch_op.drop_column("net_unit")
        batch_op.drop_column("net_quantity")
