"""cash close and ledger accounts: a count's reason, the next float, cash to the bank, who counts

Revision ID: 7d4c2e9a1b36
Revises: 3c7e5a91d2b4
Create Date: 2026-12-05 23:50:00.000000

Existing drawers keep their data: no reason and no next float (closed before these existed),
every existing movement is cash in or out of the day, nobody but managers may count, and the
journal uses the MAR defaults until a manager sets an account.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "7d4c2e9a1b36"
down_revision = "3c7e5a91d2b4"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("cash_session", schema=None) as batch_op:
        batch_op.add_column(sa.Column("difference_reason", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("next_float_cents", sa.Integer(), nullable=True))
    with op.batch_alter_table("cash_movement", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=10), nullable=False, server_default="in_out")
        )
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("may_count_cash", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.create_table(
        "ledger_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("posting", sa.String(length=40), nullable=False),
        sa.Column("number", sa.String(length=10), nullable=False),
        sa.Column("label", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_account")),
        sa.UniqueConstraint("posting", name=op.f("uq_ledger_account_posting")),
    )


def downgrade():
    op.drop_table("ledger_account")
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_column("may_count_cash")
    with op.batch_alter_table("cash_movement", schema=None) as batch_op:
        batch_op.drop_column("kind")
    with op.batch_alter_table("cash_session", schema=None) as batch_op:
        batch_op.drop_column("next_float_cents")
        batch_op.drop_column("difference_reason")
