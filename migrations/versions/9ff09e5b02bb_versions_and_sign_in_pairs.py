"""Versions on milestones and evidence (no lost updates); sign-in counts per account and
address ("pair") and forgotten-password requests per address ("reset") as throttle scopes.

Revision ID: 9ff09e5b02bb
Revises: 38f00a129884
Create Date: 2026-12-01 12:15:52.676729

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9ff09e5b02bb'
down_revision = '38f00a129884'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))

    with op.batch_alter_table('milestone', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))

    with op.batch_alter_table('login_throttle', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_login_throttle_scope_valid'), type_='check')
        batch_op.create_check_constraint(
            op.f('ck_login_throttle_scope_valid'), "scope IN ('account', 'address', 'pair', 'reset')"
        )


def downgrade():
    op.execute("DELETE FROM login_throttle WHERE scope IN ('pair', 'reset')")
    with op.batch_alter_table('login_throttle', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_login_throttle_scope_valid'), type_='check')
        batch_op.create_check_constraint(op.f('ck_login_throttle_scope_valid'), "scope IN ('account', 'address')")

    with op.batch_alter_table('milestone', schema=None) as batch_op:
        batch_op.drop_column('version')

    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.drop_column('version')

