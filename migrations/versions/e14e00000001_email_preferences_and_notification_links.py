"""Email preferences (assignment, evidence not accepted) and the link each outbox email
points to, for the notifications page.

Revision ID: e14e00000001
Revises: 916d00000001
Create Date: 2026-12-01 14:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e14e00000001'
down_revision = '916d00000001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('email_on_assignment', sa.Boolean(), server_default=sa.true(), nullable=False)
        )
        batch_op.add_column(
            sa.Column(
                'email_on_evidence_rejected', sa.Boolean(), server_default=sa.true(), nullable=False
            )
        )

    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.add_column(sa.Column('link', sa.String(length=500), nullable=True))


def downgrade():
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_column('link')

    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('email_on_evidence_rejected')
        batch_op.drop_column('email_on_assignment')
