"""Review before sending and sending with proof: who asked for review and who approved each
letter, a tenant's choice to require approval, and each sending's channel, date, confirmation
number and the SHA-256 of the packet as sent. Ids, dates and numbers only: no PHI."""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"


def upgrade() -> None:
    with op.batch_alter_table("appeals") as batch:
        batch.add_column(sa.Column("review_requested_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("review_requested_by", sa.String(80), nullable=True))
        batch.add_column(sa.Column("approved_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("approved_by", sa.String(80), nullable=True))
    op.create_table(
        "tenant_settings",
        sa.Column("tenant", sa.String(64), primary_key=True),
        sa.Column("review_required", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "sendings",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("tenant", sa.String(64), nullable=False, index=True),
        sa.Column("case_id", sa.String(40), sa.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("appeal_id", sa.String(40), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.Column("confirmation", sa.String(100), nullable=False, server_default=""),
        sa.Column("packet_sha256", sa.String(64), nullable=False),
        sa.Column("packet_pages", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("filed_on_time", sa.Boolean(), nullable=True),
        sa.Column("recorded_by", sa.String(80), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("sendings")
    op.drop_table("tenant_settings")
    with op.batch_alter_table("appeals") as batch:
        for column in ("approved_by", "approved_at", "review_requested_by", "review_requested_at"):
            batch.drop_column(column)
