"""monthly invoices of customers' orders: an order's association, invoices and their numbers

Revision ID: c4d81f6a2e37
Revises: b7e2c41d9a05
Create Date: 2026-12-06 06:30:00.000000

Nullable columns on customer_order (existing orders have no association and no invoice) and
two new tables: the invoices (never changed once made) and their yearly number sequence.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "c4d81f6a2e37"
down_revision = "b7e2c41d9a05"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "invoice_sequence",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_invoice_sequence")),
    )
    op.create_table(
        "customer_invoice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("seller_name", sa.String(length=120), nullable=False),
        sa.Column("seller_address", sa.String(length=200), nullable=False),
        sa.Column("seller_vat_number", sa.String(length=20), nullable=False),
        sa.Column("seller_iban", sa.String(length=34), nullable=True),
        sa.Column("customer_name", sa.String(length=120), nullable=False),
        sa.Column("customer_address", sa.Text(), nullable=True),
        sa.Column("customer_vat_number", sa.String(length=20), nullable=True),
        sa.Column("total_cents", sa.Integer(), nullable=False),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("paid_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_customer_invoice_created_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["paid_by_id"],
            ["user_account.id"],
            name=op.f("fk_customer_invoice_paid_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_invoice")),
        sa.UniqueConstraint("number", name=op.f("uq_customer_invoice_number")),
        sa.UniqueConstraint("year", "sequence", name=op.f("uq_customer_invoice_year_sequence")),
    )
    with op.batch_alter_table("customer_order", schema=None) as batch_op:
        batch_op.add_column(sa.Column("association_name", sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column("association_address", sa.Text(), nullable=True))
        batch_op.add_column(
            sa.Column("association_vat_number", sa.String(length=20), nullable=True)
        )
        batch_op.add_column(sa.Column("invoice_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_customer_order_invoice_id"), ["invoice_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_customer_order_invoice_id_customer_invoice"),
            "customer_invoice",
            ["invoice_id"],
            ["id"],
        )


def downgrade():
    with op.batch_alter_table("customer_order", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_customer_order_invoice_id_customer_invoice"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_customer_order_invoice_id"))
        batch_op.drop_column("invoice_id")
        batch_op.drop_column("association_vat_number")
        batch_op.drop_column("association_address")
        batch_op.drop_column("association_name")
    op.drop_table("customer_invoice")
    op.drop_table("invoice_sequence")
