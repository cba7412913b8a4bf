"""large digits: a per-person till setting for poor sight (bigger amounts and PIN digits)

Revision ID: 3c7e5a91d2b4
Revises: d660a2fda5d5
Create Date: 2026-12-05 21:40:00.000000

Everyone starts without large digits, as the till looked before.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "3c7e5a91d2b4"
down_revision = "d660a2fda5d5"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("large_digits", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade():
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_column("large_digits")
