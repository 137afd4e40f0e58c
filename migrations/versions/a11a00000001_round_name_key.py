"""Round names unique per organisation ignoring case, accents and runs of spaces: a
normalised name (`name_key`) beside the name, backfilled from it, unique per organisation.

Revision ID: a11a00000001
Revises: e14e00000001
Create Date: 2026-12-01 14:30:00

"""
import unicodedata

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "a11a00000001"
down_revision = "e14e00000001"
branch_labels = None
depends_on = None


def _key(name: str) -> str:
    # The same rule as tracker.models.assessment.round_name_key, frozen here.
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


def upgrade():
    with op.batch_alter_table("assessment_round", schema=None) as batch_op:
        batch_op.add_column(sa.Column("name_key", sa.String(length=120), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, organisation_id, name FROM assessment_round"))
    seen: dict[tuple[int, str], int] = {}
    for row_id, organisation_id, name in rows.fetchall():
        key = _key(name)
        if (organisation_id, key) in seen:
            # Variants already stored apart stay apart: the later one's key says so.
            key = f"{key} ({row_id})"[:120]
        seen[(organisation_id, key)] = row_id
        connection.execute(
            sa.text("UPDATE assessment_round SET name_key = :key WHERE id = :id"),
            {"key": key, "id": row_id},
        )
    with op.batch_alter_table("assessment_round", schema=None) as batch_op:
        batch_op.alter_column("name_key", existing_type=sa.String(length=120), nullable=False)
        batch_op.create_unique_constraint(
            batch_op.f("uq_assessment_round_organisation_id_name_key"),
            ["organisation_id", "name_key"],
        )


def downgrade():
    with op.batch_alter_table("assessment_round", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("uq_assessment_round_organisation_id_name_key"), type_="unique"
        )
        batch_op.drop_column("name_key")
