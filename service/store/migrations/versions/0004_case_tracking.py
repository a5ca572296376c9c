"""Cases carry their tracking (status with dates, amounts recovered) and, for cases made from a
remittance, the triage (action and the rule that chose it), the payer, the deadline and the key
that makes a re-imported claim update its case instead of doubling it. None of these is PHI:
codes, amounts, dates and the payer's name are kept in the clear for the work queue and stats."""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("status", sa.String(16), nullable=False, server_default="new"))
        batch.add_column(sa.Column("sent_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("decided_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("amount_denied", sa.Float(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("amount_recovered", sa.Float(), nullable=True))
        batch.add_column(sa.Column("action", sa.String(24), nullable=True))
        batch.add_column(sa.Column("action_rule", sa.String(300), nullable=True))
        batch.add_column(sa.Column("payer", sa.String(200), nullable=True))
        batch.add_column(sa.Column("deadline", sa.Date(), nullable=True))
        batch.add_column(sa.Column("adjustments", sa.Text(), nullable=False, server_default="[]"))
        batch.add_column(sa.Column("source", sa.String(16), nullable=False, server_default="manual"))
        batch.add_column(sa.Column("claim_key", sa.String(64), nullable=True))
        batch.create_index("ix_cases_tenant_claim_key", ["tenant", "claim_key"], unique=True)
        batch.create_index("ix_cases_deadline", ["deadline"])


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.drop_index("ix_cases_deadline")
        batch.drop_index("ix_cases_tenant_claim_key")
        for column in (
            "claim_key",
            "source",
            "adjustments",
            "deadline",
            "payer",
            "action_rule",
            "action",
            "amount_recovered",
            "amount_denied",
            "decided_at",
            "sent_at",
            "status",
        ):
            batch.drop_column(column)
