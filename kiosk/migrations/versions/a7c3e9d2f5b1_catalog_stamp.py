"""the catalog stamp: a value every change to what a sale reads replaces

Revision ID: a7c3e9d2f5b1
Revises: c4d81f6a2e37
Create Date: 2026-12-06 06:00:00.000000

Each app process keeps the tills, people, points of sale, products, VAT rates, thresholds and
printers a sale reads (kiosk.sales.sale_catalog) for as long as `catalog_stamp.stamp` stays the
value it read them under. Triggers on those tables put a new random value in it, in the
changing transaction, so every process, however the change was made, reads again. The row itself
is made by `db upgrade` (kiosk.demo.loader.load_rules), not here: a restored backup brings its own.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "a7c3e9d2f5b1"
down_revision = "c4d81f6a2e37"
branch_labels = None
depends_on = None

#: table → the columns whose change a sale must see (None: every column)
WATCHED = {
    "till": ("code", "name", "point_of_sale_id", "token_hash", "revoked_at", "role"),
    "user_account": ("name", "role", "active", "pin_hash"),
    "point_of_sale": None,
    "product": None,
    "product_point_of_sale": None,
    "vat_rate": None,
    "threshold": None,
    "printer": None,
}

#: PostgreSQL: at commit (a deferred trigger), once per transaction, so a transaction that
#: changes a product waits for the stamp's row only at its very end and never holds it while
#: it waits for another row (no deadlock between two back-office edits). OR REPLACE: a restore
#: drops the tables (and their triggers) but not the function, then migrates again
BUMP_FUNCTION = """
CREATE OR REPLACE FUNCTION bump_catalog_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('pluskassa.catalog_stamped', true) IS DISTINCT FROM 'yes' THEN
        PERFORM set_config('pluskassa.catalog_stamped', 'yes', true);
        UPDATE catalog_stamp SET stamp = floor(random() * 9007199254740991)::bigint;
    END IF;
    RETURN NULL;
END
$$
"""


def events(columns):
    """Return the trigger events of a table: every insert and delete, updates of `columns`."""
    update = "UPDATE" if columns is None else "UPDATE OF " + ", ".join(columns)
    return {"insert": "INSERT", "update": update, "delete": "DELETE"}


def upgrade():
    op.create_table(
        "catalog_stamp",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stamp", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_stamp")),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(BUMP_FUNCTION)
        for table, columns in WATCHED.items():
            op.execute(
                f"CREATE CONSTRAINT TRIGGER catalog_stamp_{table} AFTER "
                + " OR ".join(events(columns).values())
                + f' ON "{table}" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW'
                " EXECUTE FUNCTION bump_catalog_stamp()"
            )
        return
    for table, columns in WATCHED.items():
        for name, event in events(columns).items():
            op.execute(
                f'CREATE TRIGGER catalog_stamp_{table}_{name} AFTER {event} ON "{table}" '
                "BEGIN UPDATE catalog_stamp SET stamp = random(); END"
            )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table in WATCHED:
            op.execute(f'DROP TRIGGER catalog_stamp_{table} ON "{table}"')
        op.execute("DROP FUNCTION bump_catalog_stamp()")
    else:
        for table, columns in WATCHED.items():
            for name in events(columns):
                op.execute(f"DROP TRIGGER catalog_stamp_{table}_{name}")
    op.drop_table("catalog_stamp")
