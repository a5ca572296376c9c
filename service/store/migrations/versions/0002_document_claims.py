"""Documents carry their job's claim: which worker reads it, until when its lease runs, and how
many times reading was started, so several processes share the queue through the database."""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("claimed_by", sa.String(64), nullable=True))
        batch.add_column(sa.Column("lease_until", sa.DateTime(), nullable=True))
        batch.create_index("ix_documents_status", ["status"])


def downgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.drop_index("ix_documents_status")
        batch.drop_column("lease_until")
        batch.drop_column("claimed_by")
        batch.drop_column("attempts")
