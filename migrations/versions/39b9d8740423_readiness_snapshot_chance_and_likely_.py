"""Readiness snapshots carry the chance of reaching the target and the likely range.

Revision ID: 39b9d8740423
Revises: 882a1f8b0188
Create Date: 2026-12-01 12:07:08.434974

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '39b9d8740423'
down_revision = '882a1f8b0188'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('readiness_snapshot', schema=None) as batch_op:
        batch_op.add_column(sa.Column('chance', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('likely_low', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('likely_high', sa.Float(), nullable=True))


def downgrade():
    with op.batch_alter_table('readiness_snapshot', schema=None) as batch_op:
        batch_op.drop_column('likely_high')
        batch_op.drop_column('likely_low')
        batch_op.drop_column('chance')
