"""e-invoices in: a producer's VAT number and a product's supplier item code

Revision ID: e5b8c3f0a417
Revises: c4a9d2e61f80
Create Date: 2026-12-06 01:00:00.000000

Two new nullable columns: existing producers and products keep their data, without a VAT number
or an item code until someone fills them in (or an e-invoice's match remembers the code).
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "e5b8c3f0a417"
down_revision = "c4a9d2e61f80"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("producer", schema=None) as batch_op:
        batch_op.add_column(sa.Column("vat_number", sa.String(length=16), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_producer_vat_number"), ["vat_number"])
    with op.batch_alter_table("product", schema=None) as batch_op:
        batch_op.add_column(sa.Column("supplier_item_code", sa.String(length=40), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_product_supplier_item_code"), ["supplier_item_code"], unique=False
        )


def downgrade():
    with op.batch_alter_table("product", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_product_supplier_item_code"))
        batch_op.drop_column("supplier_item_code")
    with op.batch_alter_table("producer", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_producer_vat_number"), type_="unique")
        batch_op.drop_column("vat_number")
