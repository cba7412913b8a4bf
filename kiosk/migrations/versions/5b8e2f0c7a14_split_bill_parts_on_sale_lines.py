"""split-bill parts on sale lines: into how many equal parts a line's bistro bill was split

Revision ID: 5b8e2f0c7a14
Revises: 7d4c2e9a1b36
Create Date: 2026-12-06 00:05:00.000000

Lines stored before have none (NULL): the sales export leaves their `deel` empty.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "5b8e2f0c7a14"
down_revision = "7d4c2e9a1b36"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("sale_line", schema=None) as batch_op:
        batch_op.add_column(sa.Column("share_parts", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("sale_line", schema=None) as batch_op:
        batch_op.drop_column("share_parts")
