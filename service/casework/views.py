"""What the HTTP API answers with: one model per object, with examples for the OpenAPI schema."""

from datetime import UTC, date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

from service.models import Action, Adjustment, CaseFields, Citation, Exclusion, ModelAttempt, RemitError

DocumentStatus = Literal["queued", "processing", "ready", "failed"]
RecordsStatus = Literal["awaiting_documents", "processing", "ready", "failed"]
TrackingStatus = Literal["new", "drafted", "sent", "won", "partly_won", "lost", "written_off"]
OPEN_STATUSES = ("new", "drafted")
DECIDED_STATUSES = ("won", "partly_won", "lost", "written_off")


def _utc(value: datetime) -> str:
    return value.replace(tzinfo=UTC).isoformat().replace("+00:00", "Z")


UtcTime = Annotated[datetime, PlainSerializer(_utc, return_type=str)]
"""Stored naive in UTC; always answered with its zone."""


class Stamped(BaseModel):
    created_at: UtcTime
    updated_at: UtcTime


class ErrorDetail(BaseModel):
    code: str = Field(examples=["encrypted_pdf"])
    message: str = Field(examples=["chart.pdf: the PDF is password-protected; upload it unlocked"])


class ErrorBody(BaseModel):
    error: ErrorDetail


class PageInfo(BaseModel):
    number: int = Field(examples=[1])
    ocr: bool = Field(description="the text came from OCR of a scanned page", examples=[False])
    chars: int = Field(description="characters of text read from the page", examples=[1843])
    note: str | None = Field(default=None, description="why the page has no text, when it has none")
    rotation: int = Field(
        default=0,
        description="degrees clockwise the scanned page was turned to read it upright (0, 90, 180, 270)",
        examples=[0],
    )


class DocumentView(Stamped):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "doc_5c1f0e8a9b2d4f6a7c3e1b0d",
                    "case_id": "cas_0a1b2c3d4e5f60718293a4b5",
                    "name": "chart.pdf",
                    "sha256": "9f2c...",
                    "size": 184321,
                    "status": "ready",
                    "pages_total": 10,
                    "pages_done": 10,
                    "pages_ocr": 1,
                    "pages": [
                        {"number": 1, "ocr": False, "chars": 1843, "note": None},
                        {"number": 4, "ocr": True, "chars": 912, "note": None},
                    ],
                    "error": None,
                    "duplicate": False,
                    "created_at": "2026-11-23T12:00:00Z",
                    "updated_at": "2026-11-23T12:00:09Z",
                }
            ]
        }
    )

    id: str
    case_id: str
    name: str
    sha256: str
    size: int
    status: DocumentStatus
    pages_total: int
    pages_done: int
    pages_ocr: int = Field(default=0, description="scanned pages that need OCR (known once the text layer is read)")
    pages: list[PageInfo]
    error: ErrorDetail | None = None
    duplicate: bool = Field(default=False, description="this upload was the same file as an earlier one of the case")


class PageText(BaseModel):
    """One page's text exactly as read (OCR included): every cited quote is a substring of it."""

    document_id: str
    document: str = Field(examples=["chart.pdf"])
    number: int = Field(examples=[4])
    ocr: bool
    text: str


class AppealSummary(BaseModel):
    id: str
    method: Literal["llm", "template"]
    created_at: UtcTime


class Tracking(Stamped):
    """Where the case stands for the billing office: the work, the money, the clock."""

    status: TrackingStatus = Field(
        description="new, drafted (set by the first draft), then what staff record: sent, won, partly_won, lost, written_off"
    )
    action: Action | None = Field(default=None, description="what to do about the denial (cases from a remittance)")
    action_rule: str | None = Field(default=None, description="the rule that chose the action")
    deadline: date | None = Field(
        description="appeal deadline from the denial date and payer type; null when the plan decides or nothing is to be appealed"
    )
    days_left: int | None = Field(default=None, description="days from today to the deadline (negative when missed)")
    deadline_basis: str | None = Field(
        default=None,
        description="the regulation and count the deadline comes from",
        examples=["42 CFR 405.942(a): 120 days from receipt of the notice, presumed 5 days after its date"],
    )
    appeal_level: str = Field(examples=["redetermination"])
    payer: str | None = None
    amount_denied: float = 0.0
    amount_recovered: float | None = None
    sent_at: UtcTime | None = None
    decided_at: UtcTime | None = None
    source: Literal["manual", "835"] = "manual"
    assignee: str | None = Field(default=None, description="the user id of the staff member working the case")
    assignee_email: str | None = Field(default=None, examples=["ana@northside.example"])


class CaseView(Tracking):
    id: str
    records: RecordsStatus = Field(description="the records: awaiting_documents, processing, ready or failed")
    fields: CaseFields
    denial_title: str
    payer_type: Literal["medicare", "medicare_advantage", "commercial", "medicaid", "medicaid_managed_care", "other"]
    adjustments: list[Adjustment] = Field(default_factory=list)
    documents: list[DocumentView]
    appeals: list[AppealSummary]


class CaseSummary(Tracking):
    id: str
    records: RecordsStatus
    claim_number: str
    patient_name: str
    denial_code: str
    documents: int


class CaseUpdate(BaseModel):
    """What staff record after drafting. Dates are kept: `sent_at` when first marked sent,
    `decided_at` when marked won, partly won, lost or written off."""

    model_config = ConfigDict(extra="forbid")

    status: TrackingStatus | None = None
    amount_recovered: float | None = Field(default=None, ge=0, le=10_000_000, strict=True)
    assignee: str | None = Field(
        default=None,
        max_length=254,
        description="a user id or email of an active user of the practice, `me`, or null to unassign (absent: unchanged)",
    )


class BulkAssign(BaseModel):
    """Several cases to one assignee (or none): all of them, or none when an id is not the tenant's."""

    model_config = ConfigDict(extra="forbid")

    case_ids: list[str] = Field(min_length=1, max_length=500)
    assignee: str | None = Field(max_length=254, description="a user id or email, `me`, or null to unassign")


class StaffMember(BaseModel):
    """Someone a case can be assigned to."""

    id: str
    email: str


class Reminder(BaseModel):
    """An open case with a deadline, as a reminder lists it: no patient fields."""

    id: str
    denial_code: str
    payer: str | None
    status: TrackingStatus
    action: Action | None
    deadline: date
    days_left: int
    amount_denied: float
    assignee: str | None
    assignee_email: str | None


class AssigneeCounts(BaseModel):
    """One assignee's reminders counted by bucket; `assignee` null is the unassigned work."""

    assignee: str | None
    assignee_email: str | None
    counts: dict[str, int]


class Reminders(BaseModel):
    """Open cases by how soon they are due: each in the tightest bucket it fits (`overdue`: the
    deadline has passed; `1`: due today or tomorrow; `7` and `14`: within that many days)."""

    today: date
    buckets: dict[str, list[Reminder]] = Field(examples=[{"overdue": [], "1": [], "7": [], "14": []}])
    counts: dict[str, int] = Field(examples=[{"overdue": 2, "1": 0, "7": 3, "14": 1}])
    by_assignee: list[AssigneeCounts] = Field(description="the same counts per assignee, unassigned work as null")


class ImportedCase(BaseModel):
    id: str
    claim_number: str
    adjustments: list[Adjustment]
    action: Action
    action_rule: str
    denial_code: str
    deadline: date | None
    amount_denied: float
    created: bool = Field(description="false when the claim was imported before and its case was updated")
    review: bool = Field(
        default=False,
        description="true when the denial code is not in the code table: appealed until someone reviews it",
    )


class RemittanceImport(BaseModel):
    """One case per denied claim (or per group of lines denied for different reasons)."""

    cases: list[ImportedCase]
    errors: list[RemitError]
    claims: int = Field(description="claims read from the file")
    paid: int = Field(description="claims paid as expected (only routine adjustments): no case")
    reversals: int = Field(description="claim reversals (CLP02 = 22): no case of their own")
    predeterminations: int = Field(default=0, description="predeterminations of benefits (CLP02 = 25): no case")


class CodeStats(BaseModel):
    key: str = Field(examples=["CO-50"])
    cases: int
    open: int
    won: int
    partly_won: int
    lost: int
    written_off: int
    amount_denied: float
    amount_recovered: float
    win_rate: float | None = Field(description="(won + partly won) / decided appeals; null before any is decided")


class MissingRequirement(BaseModel):
    """How many stored checks (the newest of each case, code and month) miss a requirement."""

    id: str = Field(examples=["care_plan"])
    title: str
    count: int


class StatsView(BaseModel):
    cases: int
    by_status: dict[str, int]
    by_action: dict[str, int]
    amount_denied: float
    amount_recovered: float
    overdue: int = Field(description="open cases past their deadline")
    due_in_14_days: int
    by_code: list[CodeStats]
    by_payer: list[CodeStats]
    missing_requirements: list[MissingRequirement] = Field(
        default_factory=list, description="what stored checks miss most often, most frequent first"
    )


class Finding(BaseModel):
    """Something in a letter the validator cannot tie to the case, a cited quote or the code."""

    name: str = Field(examples=["unsupported_number"])
    detail: str = Field(examples=["45 is in no cited passage, case field or code file"])


class AppealView(BaseModel):
    """The draft result (`DraftResult`'s fields, as `overturn draft` prints them), plus the ids
    to fetch it and its exports again and what staff changed since (docs/design.md, "The draft
    result"; the routes in docs/api.md)."""

    id: str
    case_id: str
    created_at: UtcTime
    letter: str
    method: Literal["llm", "template"]
    citations: list[Citation]
    excluded_pages: list[Exclusion]
    warnings: list[str]
    deadline: date | None
    attempts: list[ModelAttempt] = Field(default_factory=list)
    edited: bool = Field(default=False, description="staff changed the letter after drafting")
    findings: list[Finding] = Field(
        default_factory=list, description="what the edited letter says that does not resolve"
    )


class DraftJobView(Stamped):
    """A draft not finished when the request's wait ran out (or `Prefer: respond-async`):
    poll `GET /v1/draft-jobs/{id}` until `appeal_id` is set or `error` says why not."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "drf_5c1f0e8a9b2d4f6a7c3e1b0d",
                    "case_id": "cas_0a1b2c3d4e5f60718293a4b5",
                    "status": "queued",
                    "appeal_id": None,
                    "error": None,
                    "created_at": "2026-11-23T12:00:00Z",
                    "updated_at": "2026-11-23T12:00:00Z",
                }
            ]
        }
    )

    id: str
    case_id: str
    status: Literal["queued", "processing", "done", "failed"]
    appeal_id: str | None = None
    error: ErrorDetail | None = None


class ChatSource(BaseModel):
    marker: str = Field(examples=["[1]"])
    label: str = Field(examples=["CCM20 (Technology integration not optimized): Explanation"])
    kind: Literal["knowledge", "record"]
    text: str
    code: str | None = None
    section: str | None = None
    document: str | None = None
    page: int | None = None


class ChatView(BaseModel):
    id: str
    case_id: str | None
    question: str
    answer: str
    method: Literal["extractive", "llm"]
    citations: list[ChatSource]
    warnings: list[str]


class CodeSummary(BaseModel):
    code: str = Field(examples=["CCM20"])
    title: str = Field(examples=["Technology integration not optimized"])
    kind: Literal["payer", "carc", "rarc"]
    group: str | None = None
    services: list[str] = Field(default_factory=list)


class BackendState(BaseModel):
    kind: str = Field(examples=["sqlite"])
    ok: bool
    detail: str = ""


class HealthView(BaseModel):
    status: Literal["ok", "degraded"]
    database: BackendState
    vectors: BackendState
    jobs: BackendState
    files: BackendState


class ReviewView(BaseModel):
    """Where a letter stands in review: asked by whom and when, approved by whom and when."""

    appeal_id: str
    review_required: bool = Field(description="the practice requires a reviewer's approval before sending")
    requested_at: UtcTime | None = None
    requested_by: str | None = Field(default=None, description="'user:<id>' or 'key:<id>'")
    approved_at: UtcTime | None = None
    approved_by: str | None = None
    requested_by_email: str | None = Field(default=None, description="when a signed-in user asked")
    approved_by_email: str | None = Field(default=None, description="when a signed-in user approved")


Channel = Literal["fax", "mail", "portal"]


class SendRequest(BaseModel):
    channel: Channel
    sent_on: date | None = Field(default=None, description="the day it went out; today when left out")
    confirmation: str = Field(
        default="",
        max_length=100,
        description="the fax confirmation, mail tracking number or portal reference",
        examples=["9400 1000 0000 0000 0000 00"],
    )
    fax_number: str | None = Field(
        default=None,
        pattern=r"^\+?[0-9 ().-]{7,24}$",
        description="the payer's appeals fax; with a fax service configured the packet is faxed through it",
    )


class SendingView(BaseModel):
    """Proof of filing: what went out, how, when, and whether it beat the deadline."""

    id: str
    case_id: str
    appeal_id: str
    channel: Channel
    sent_on: date
    confirmation: str
    packet_sha256: str = Field(description="SHA-256 of the packet PDF exactly as sent")
    packet_pages: int
    deadline: date | None
    filed: Literal["on_time", "late", "no_deadline"]
    recorded_by: str
    created_at: UtcTime
