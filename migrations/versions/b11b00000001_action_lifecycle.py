"""Action lifecycle: why an action is in review, the note of its latest move, sign-off
outcomes (verified / partly effective / not effective), withdrawn milestones, and the
owner's choice of emails about closed actions.

Old outcomes: "ineffective" becomes "not_effective"; an open action whose outcome was
verified or ineffective was finished with, so it becomes completed.

Revision ID: b11b00000001
Revises: a11a00000001
Create Date: 2026-12-01 14:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b11b00000001'
down_revision = 'a11a00000001'
branch_labels = None
depends_on = None

NEW_OUTCOMES = "outcome IS NULL OR outcome IN ('verified', 'partly_effective', 'not_effective', 'carried_forward')"
OLD_OUTCOMES = "outcome IS NULL OR outcome IN ('verified', 'ineffective', 'carried_forward')"


def upgrade():
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.add_column(sa.Column('review_reason', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('status_note', sa.Text(), server_default='', nullable=False))
        batch_op.drop_constraint(op.f('ck_action_outcome_valid'), type_='check')
    op.execute("UPDATE action SET outcome = 'not_effective' WHERE outcome = 'ineffective'")
    op.execute(
        "UPDATE action SET status = 'completed' "
        "WHERE outcome IN ('verified', 'not_effective') "
        "AND status IN ('not_started', 'in_progress', 'review')"
    )
    op.execute("UPDATE action SET review_reason = 'score_rose' WHERE status = 'review'")
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.create_check_constraint(op.f('ck_action_outcome_valid'), NEW_OUTCOMES)
        batch_op.create_check_constraint(
            op.f('ck_action_review_reason_valid'),
            "review_reason IS NULL OR review_reason IN ('owner_proposed', 'score_rose')",
        )

    with op.batch_alter_table('milestone', schema=None) as batch_op:
        batch_op.add_column(sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('withdrawn_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('withdraw_reason', sa.Text(), server_default='', nullable=False))
        batch_op.create_foreign_key(
            op.f('fk_milestone_withdrawn_by_id_user_account'), 'user_account', ['withdrawn_by_id'], ['id']
        )

    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('email_action_closed', sa.Boolean(), server_default=sa.true(), nullable=False)
        )


def downgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('email_action_closed')

    with op.batch_alter_table('milestone', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('fk_milestone_withdrawn_by_id_user_account'), type_='foreignkey')
        batch_op.drop_column('withdraw_reason')
        batch_op.drop_column('withdrawn_by_id')
        batch_op.drop_column('withdrawn_at')

    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_action_review_reason_valid'), type_='check')
        batch_op.drop_constraint(op.f('ck_action_outcome_valid'), type_='check')
    op.execute("UPDATE action SET outcome = 'ineffective' WHERE outcome IN ('not_effective', 'partly_effective')")
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.create_check_constraint(op.f('ck_action_outcome_valid'), OLD_OUTCOMES)
        batch_op.drop_column('status_note')
        batch_op.drop_column('review_reason')
