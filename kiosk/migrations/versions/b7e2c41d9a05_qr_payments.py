"""paying by QR: the organisation's IBAN, beneficiary and BIC; a payment's reference and staff

Revision ID: b7e2c41d9a05
Revises: 9a4f6c2d8e17
Create Date: 2026-12-06 06:00:00.000000

Nullable columns only: existing organisations have no IBAN (no QR payments until one is set)
and existing payments have no reference and no confirming staff member.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "b7e2c41d9a05"
down_revision = "9a4f6c2d8e17"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("iban", sa.String(length=34), nullable=True))
        batch_op.add_column(sa.Column("beneficiary_name", sa.String(length=70), nullable=True))
        batch_op.add_column(sa.Column("bic", sa.String(length=11), nullable=True))
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reference", sa.String(length=35), nullable=True))
        batch_op.add_column(sa.Column("confirmed_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_payment_confirmed_by_id_user_account"),
            "user_account",
            ["confirmed_by_id"],
            ["id"],
        )


def downgrade():
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_payment_confirmed_by_id_user_account"), type_="foreignkey"
        )
        batch_op.drop_column("confirmed_by_id")
        batch_op.drop_column("reference")
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.drop_column("bic")
        batch_op.drop_column("beneficiary_name")
        batch_op.drop_column("iban")
