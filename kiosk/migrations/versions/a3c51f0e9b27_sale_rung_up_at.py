"""sale rung up at: the till's time of sale, the day whose Z counts it, late sales

Revision ID: a3c51f0e9b27
Revises: 64e0a470cac5
Create Date: 2026-12-06 10:12:00.000000

"""

from datetime import UTC
from zoneinfo import ZoneInfo

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "a3c51f0e9b27"
down_revision = "64e0a470cac5"
branch_labels = None
depends_on = None

BATCH = 5000


def upgrade():
    with op.batch_alter_table("sale", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rung_up_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("closing_day", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("late", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    backfill_times()
    with op.batch_alter_table("sale", schema=None) as batch_op:
        batch_op.alter_column("rung_up_at", existing_type=sa.DateTime(timezone=True), nullable=False)
        batch_op.alter_column("closing_day", existing_type=sa.Date(), nullable=False)
        batch_op.create_index(batch_op.f("ix_sale_rung_up_at"), ["rung_up_at"], unique=False)
        batch_op.create_index("ix_sale_till_id_closing_day", ["till_id", "closing_day"], unique=False)


def backfill_times():
    """Existing sales were rung up when the server stored them, and count on that Brussels day."""
    connection = op.get_bind()
    connection.execute(sa.text("UPDATE sale SET rung_up_at = created_at"))
    if connection.dialect.name == "postgresql":
        connection.execute(
            sa.text("UPDATE sale SET closing_day = (created_at AT TIME ZONE 'Europe/Brussels')::date")
        )
        return
    sale = sa.table(
        "sale",
        sa.column("id", sa.Integer()),
        sa.column("created_at", sa.DateTime()),
        sa.column("closing_day", sa.Date()),
    )
    brussels = ZoneInfo("Europe/Brussels")
    last_id = 0
    while True:
        rows = connection.execute(
            sa.select(sale.c.id, sale.c.created_at)
            .where(sale.c.id > last_id)
            .order_by(sale.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        connection.execute(
            sa.update(sale)
            .where(sale.c.id == sa.bindparam("sale_id"))
            .values(closing_day=sa.bindparam("day")),
            [
                {
                    "sale_id": sale_id,
                    "day": created.replace(tzinfo=created.tzinfo or UTC).astimezone(brussels).date(),
                }
                for sale_id, created in rows
            ],
        )
        last_id = rows[-1][0]


def downgrade():
    with op.batch_alter_table("sale", schema=None) as batch_op:
        batch_op.drop_index("ix_sale_till_id_closing_day")
        batch_op.drop_index(batch_op.f("ix_sale_rung_up_at"))
        batch_op.drop_column("late")
        batch_op.drop_column("closing_day")
        batch_op.drop_column("rung_up_at")
