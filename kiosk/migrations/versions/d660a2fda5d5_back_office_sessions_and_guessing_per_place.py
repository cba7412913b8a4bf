"""back-office sessions, guessing counted per place

Revision ID: d660a2fda5d5
Revises: a3c51f0e9b27
Create Date: 2026-12-04 10:00:00.000000

A back-office login is now a row, ended by logout. Wrong PINs and passwords are counted per
person and till or address ("user:12:pin@till:3"), so the counts of the old keys ("user:12:pin",
"user:12:password") mean nothing any more and are forgotten; tills and addresses keep theirs.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd660a2fda5d5'
down_revision = "a3c51f0e9b27"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('back_office_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_back_office_session_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_back_office_session')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_back_office_session_token_hash'))
    )
    with op.batch_alter_table('back_office_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_back_office_session_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('guess_lock', schema=None) as batch_op:
        batch_op.alter_column('key', existing_type=sa.String(length=120), type_=sa.String(length=200), existing_nullable=False)
    op.execute("DELETE FROM guess_lock WHERE key LIKE 'user:%' AND key NOT LIKE '%@%'")


def downgrade():
    op.execute("DELETE FROM guess_lock WHERE length(key) > 120 OR key LIKE '%@%'")
    with op.batch_alter_table('guess_lock', schema=None) as batch_op:
        batch_op.alter_column('key', existing_type=sa.String(length=200), type_=sa.String(length=120), existing_nullable=False)

    with op.batch_alter_table('back_office_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_back_office_session_user_id'))

    op.drop_table('back_office_session')
