"""list indexes: the long back-office lists' sorting and look-ups (#16)

Revision ID: 8b41d6c2e9f3
Revises: 7d2e4b1c9a60
Create Date: 2026-12-06 00:20:00.000000

Only indexes: a product's last sale (sale_line by product and sale), deliveries by when they
came, and a delivery's moves. Existing rows stay as they are.
"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "8b41d6c2e9f3"
down_revision = "7d2e4b1c9a60"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_sale_line_product_sale", "sale_line", ["product_id", "sale_id"])
    op.create_index("ix_delivery_delivered_at", "delivery", ["delivered_at"])
    op.create_index("ix_stock_move_delivery_id", "stock_move", ["delivery_id"])


def downgrade():
    op.drop_index("ix_stock_move_delivery_id", table_name="stock_move")
    op.drop_index("ix_delivery_delivered_at", table_name="delivery")
    op.drop_index("ix_sale_line_product_sale", table_name="sale_line")
