"""Tables for keys, users and their sessions, cases, documents, appeals, draft jobs, chats, checks
and the audit trail (SQLAlchemy; SQLite by default).

Columns that hold PHI (case fields, file names, letters, chat text) are sealed with the
`Cipher`; what stays in the clear is ids, tenant, denial code, status and counts, which the
server needs to filter and report. Every table carries `tenant` so each query can be scoped.
"""

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    Date,
    Engine,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    create_engine,
    event,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, sessionmaker

if TYPE_CHECKING:
    from service.config import Settings


def now() -> datetime:
    """Naive UTC, as SQLite gives it back; the API adds the zone when it answers."""
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


class Base(DeclarativeBase):
    pass


class ApiKey(Base):
    __tablename__ = "api_keys"
    id: Mapped[str] = mapped_column(String(24), primary_key=True)
    tenant: Mapped[str] = mapped_column(String(64), index=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(default=now)
    last_used_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
    role: Mapped[str] = mapped_column(String(16), default="biller", server_default="biller")
    """What a portal holding the key may do, as a user of that role (`service.api.roles`)."""


class UserRow(Base):
    """A member of a tenant's staff: signs in with email and password, acts in one role."""

    __tablename__ = "users"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    tenant: Mapped[str] = mapped_column(String(64), index=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(200))
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column(default=None)
    disabled_at: Mapped[datetime | None] = mapped_column(default=None)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=now)


class WebSessionRow(Base):
    """A signed-in browser: found by the SHA-256 of its cookie's token, never the token itself."""

    __tablename__ = "web_sessions"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    tenant: Mapped[str] = mapped_column(String(64))
    csrf_hash: Mapped[str] = mapped_column(String(64))
    client: Mapped[str] = mapped_column(String(64), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(default=now)
    last_seen_at: Mapped[datetime] = mapped_column(default=now)
    ended_at: Mapped[datetime | None] = mapped_column(default=None)


class AuditEventRow(Base):
    """One read or change of PHI, a sign-in, or a user or key change: who, what, when, from where.
    Ids and actions only, never PHI. `hash` covers the row and `prev_hash`, the hash of the event
    before it, so an edited or deleted row breaks the chain (`overturn audit verify`)."""

    __tablename__ = "audit_events"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(default=now, index=True)
    tenant: Mapped[str] = mapped_column(String(64), index=True)
    actor: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(48))
    object: Mapped[str] = mapped_column(String(200), default="", server_default="")
    case_id: Mapped[str | None] = mapped_column(String(40), default=None, index=True)
    client: Mapped[str] = mapped_column(String(64), default="", server_default="")
    outcome: Mapped[str] = mapped_column(String(16), default="ok", server_default="ok")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class CaseRow(Base):
    __tablename__ = "cases"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    tenant: Mapped[str] = mapped_column(String(64), index=True)
    denial_code: Mapped[str] = mapped_column(String(32))
    fields: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now)
    status: Mapped[str] = mapped_column(String(16), default="new", server_default="new")
    sent_at: Mapped[datetime | None] = mapped_column(default=None)
    decided_at: Mapped[datetime | None] = mapped_column(default=None)
    amount_denied: Mapped[float] = mapped_column(Float, default=0.0, server_default="0")
    amount_recovered: Mapped[float | None] = mapped_column(Float, default=None)
    action: Mapped[str | None] = mapped_column(String(24), default=None)
    action_rule: Mapped[str | None] = mapped_column(String(300), default=None)
    payer: Mapped[str | None] = mapped_column(String(200), default=None)
    deadline: Mapped[date | None] = mapped_column(Date, default=None, index=True)
    adjustments: Mapped[str] = mapped_column(Text, default="[]", server_default="[]")
    """The claim's CAS adjustments as JSON (group, CARC, RARCs, amount, CPT): codes and money, no PHI."""
    source: Mapped[str] = mapped_column(String(16), default="manual", server_default="manual")
    claim_key: Mapped[str | None] = mapped_column(String(64), default=None)
    """Keyed hash of the payer's claim control number (and the lines, when a claim was split):
    importing the same claim again updates its case."""
    assignee: Mapped[str | None] = mapped_column(String(40), default=None)
    """The user id of the staff member working the case, or None while unassigned."""

    __table_args__ = (
        Index("ix_cases_tenant_claim_key", "tenant", "claim_key", unique=True),
        Index("ix_cases_tenant_assignee", "tenant", "assignee"),
    )


class DocumentRow(Base):
    __tablename__ = "documents"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    tenant: Mapped[str] = mapped_column(String(64), index=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    name: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="queued", index=True)
    """queued -> processing -> ready | failed; every change is a conditional UPDATE (casework.claims)."""
    pages_total: Mapped[int] = mapped_column(Integer, default=0)
    pages_done: Mapped[int] = mapped_column(Integer, default=0)
    pages_ocr: Mapped[int] = mapped_column(Integer, default=0)
    pages: Mapped[str] = mapped_column(Text, default="[]")
    error_code: Mapped[str | None] = mapped_column(String(40), default=None)
    error_message: Mapped[str | None] = mapped_column(String(300), default=None)
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    claimed_by: Mapped[str | None] = mapped_column(String(64), default=None)
    lease_until: Mapped[datetime | None] = mapped_column(default=None)


class AppealRow(Base):
    __tablename__ = "appeals"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    tenant: Mapped[str] = mapped_column(String(64), index=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    method: Mapped[str] = mapped_column(String(16))
    result: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=now)
    review_requested_at: Mapped[datetime | None] = mapped_column(default=None)
    review_requested_by: Mapped[str | None] = mapped_column(String(80), default=None)
    approved_at: Mapped[datetime | None] = mapped_column(default=None)
    approved_by: Mapped[str | None] = mapped_column(String(80), default=None)
    """The reviewer's actor ('user:<id>' or 'key:<id>'); cleared when the letter is edited again."""


class TenantSettingsRow(Base):
    """What a practice chose for itself: for now, whether letters need a reviewer's approval."""

    __tablename__ = "tenant_settings"
    tenant: Mapped[str] = mapped_column(String(64), primary_key=True)
    review_required: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    updated_at: Mapped[datetime] = mapped_column(default=now)


class SendingRow(Base):
    """One appeal sent: how, when, the payer's confirmation or tracking number, and the SHA-256
    of the packet as sent, the proof of what was filed and when."""

    __tablename__ = "sendings"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    tenant: Mapped[str] = mapped_column(String(64), index=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    appeal_id: Mapped[str] = mapped_column(String(40))
    channel: Mapped[str] = mapped_column(String(16))
    sent_on: Mapped[date] = mapped_column(Date)
    confirmation: Mapped[str] = mapped_column(String(100), default="", server_default="")
    packet_sha256: Mapped[str] = mapped_column(String(64))
    packet_pages: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    filed_on_time: Mapped[bool | None] = mapped_column(Boolean, default=None)
    """Sent on or before the case's deadline; None when the case has no deadline."""
    recorded_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(default=now)


class DraftJobRow(Base):
    """A draft waiting for, or done by, a job worker (`OVERTURN_JOBS=queue`): the API worker
    that was asked waits for its outcome here."""

    __tablename__ = "draft_jobs"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    tenant: Mapped[str] = mapped_column(String(64), index=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="queued", index=True)
    """queued -> processing -> done | failed, claimed like documents (casework.claims)."""
    appeal_id: Mapped[str | None] = mapped_column(String(40), default=None)
    error_code: Mapped[str | None] = mapped_column(String(40), default=None)
    error_message: Mapped[str | None] = mapped_column(String(300), default=None)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    claimed_by: Mapped[str | None] = mapped_column(String(64), default=None)
    lease_until: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now)


def stamp() -> datetime:
    """Naive UTC with microseconds: two checks of a case in the same second still have an order."""
    return datetime.now(UTC).replace(tzinfo=None)


class CheckRow(Base):
    """A month's documentation checked against a billable code and kept (`store: true`, a batch).
    The result holds quotes of the record, so it is sealed; code, month and readiness stay clear
    for the list's filters."""

    __tablename__ = "checks"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    tenant: Mapped[str] = mapped_column(String(64), index=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(16))
    month: Mapped[str] = mapped_column(String(7))
    ready: Mapped[bool] = mapped_column(Boolean)
    result: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=stamp)
    created_by: Mapped[str] = mapped_column(String(80))

    __table_args__ = (Index("ix_checks_tenant_month_code", "tenant", "month", "code"),)


class CheckBatchRow(Base):
    """A batch of checks run in the background: its progress is here, so any API worker answers
    the poll. Counts only; each failed case is a `CheckBatchErrorRow`."""

    __tablename__ = "check_batches"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    tenant: Mapped[str] = mapped_column(String(64), index=True)
    code: Mapped[str] = mapped_column(String(16))
    month: Mapped[str] = mapped_column(String(7))
    status: Mapped[str] = mapped_column(String(16), default="running")
    total: Mapped[int] = mapped_column(Integer, default=0)
    done: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now)


class CheckBatchErrorRow(Base):
    """One case a batch could not check, by error code; removed with its case."""

    __tablename__ = "check_batch_errors"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    batch_id: Mapped[str] = mapped_column(ForeignKey("check_batches.id", ondelete="CASCADE"), index=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(40))


class ChatRow(Base):
    __tablename__ = "chats"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    tenant: Mapped[str] = mapped_column(String(64), index=True)
    case_id: Mapped[str | None] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True, default=None)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=now)


def connect(url: str) -> Engine:
    """An engine for `url`. For SQLite: foreign keys on (cascading deletes), WAL for a reader
    beside the writer, and secure_delete so removed rows are zeroed. Elsewhere pooled connections
    are pinged first, so one lost in a server restart is replaced, not used."""
    sqlite = url.startswith("sqlite")
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": 30} if sqlite else {},
        pool_pre_ping=not sqlite,
    )
    if sqlite:

        @event.listens_for(engine, "connect")
        def _pragmas(connection, _record):
            cursor = connection.cursor()
            for pragma in ("foreign_keys=ON", "journal_mode=WAL", "secure_delete=ON", "synchronous=NORMAL"):
                cursor.execute(f"PRAGMA {pragma}")
            cursor.close()

    return engine


def open_home_database(settings: "Settings") -> sessionmaker:
    """The database the settings name, its home folder made first: what the commands open."""
    settings.home.mkdir(parents=True, exist_ok=True)
    return open_database(settings.db_url)


def open_database(url: str) -> sessionmaker:
    """A session factory on a database whose schema is current (`schema.ensure_current`)."""
    from service.store.schema import ensure_current  # the migrations import this module's tables

    engine = connect(url)
    ensure_current(engine)
    return sessionmaker(engine, expire_on_commit=False)
