"""vending machines: a point of sale's kind, compartments, counts and emptyings

Revision ID: 9a4f6c2d8e17
Revises: 9c1e7d3a5b20
Create Date: 2026-12-06 06:00:00.000000

Existing points of sale become of kind "kassa" (people sell there at a till); the new tables
start empty.
"""

from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = "9a4f6c2d8e17"
down_revision = "9c1e7d3a5b20"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("point_of_sale", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=10), server_default="kassa", nullable=False)
        )
    op.create_table(
        "vending_compartment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("point_of_sale_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("price_cents", sa.Integer(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("count_inside", sa.Integer(), nullable=False),
        sa.Column("best_before", sa.Date(), nullable=True),
        sa.Column("dex_vends", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["point_of_sale_id"],
            ["point_of_sale.id"],
            name=op.f("fk_vending_compartment_point_of_sale_id_point_of_sale"),
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["product.id"], name=op.f("fk_vending_compartment_product_id_product")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vending_compartment")),
        sa.UniqueConstraint(
            "point_of_sale_id", "number", name=op.f("uq_vending_compartment_point_of_sale_id_number")
        ),
    )
    with op.batch_alter_table("vending_compartment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_vending_compartment_point_of_sale_id"), ["point_of_sale_id"]
        )
    op.create_table(
        "vending_count",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("point_of_sale_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("sale_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["point_of_sale_id"],
            ["point_of_sale.id"],
            name=op.f("fk_vending_count_point_of_sale_id_point_of_sale"),
        ),
        sa.ForeignKeyConstraint(
            ["sale_id"], ["sale.id"], name=op.f("fk_vending_count_sale_id_sale")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_vending_count_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vending_count")),
        sa.UniqueConstraint("sale_id", name=op.f("uq_vending_count_sale_id")),
    )
    with op.batch_alter_table("vending_count", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_vending_count_point_of_sale_id"), ["point_of_sale_id"])
    op.create_table(
        "vending_count_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("count_id", sa.Integer(), nullable=False),
        sa.Column("compartment_number", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("price_cents", sa.Integer(), nullable=False),
        sa.Column("before", sa.Integer(), nullable=False),
        sa.Column("left", sa.Integer(), nullable=False),
        sa.Column("expired", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["count_id"], ["vending_count.id"], name=op.f("fk_vending_count_line_count_id_vending_count")
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["product.id"], name=op.f("fk_vending_count_line_product_id_product")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vending_count_line")),
    )
    with op.batch_alter_table("vending_count_line", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_vending_count_line_count_id"), ["count_id"])
    op.create_table(
        "vending_emptying",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("point_of_sale_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("expected_cents", sa.Integer(), nullable=False),
        sa.Column("counted_cents", sa.Integer(), nullable=False),
        sa.Column("counted_pieces", sa.Text(), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["point_of_sale_id"],
            ["point_of_sale.id"],
            name=op.f("fk_vending_emptying_point_of_sale_id_point_of_sale"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_vending_emptying_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vending_emptying")),
    )
    with op.batch_alter_table("vending_emptying", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_vending_emptying_created_at"), ["created_at"])
        batch_op.create_index(
            batch_op.f("ix_vending_emptying_point_of_sale_id"), ["point_of_sale_id"]
        )


def downgrade():
    op.drop_table("vending_emptying")
    op.drop_table("vending_count_line")
    op.drop_table("vending_count")
    op.drop_table("vending_compartment")
    with op.batch_alter_table("point_of_sale", schema=None) as batch_op:
        batch_op.drop_column("kind")
