"""Domain types, in one place, passed explicitly between the pure functions of the pipeline."""

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema, field_validator, model_validator

TEXT = r"[^\s\u001c-\u001f\u0085\ufeff]"
"""Required text must hold something besides white space. Spelled so that Python's regexes and
JSON Schema's (ECMAScript) agree: they disagree on whether U+001C-001F, U+0085 and U+FEFF are
white space, so none of them counts as text in either."""
CPT_LIST = WithJsonSchema(
    {
        "anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}, {"type": "null"}],
        "description": "CPT/HCPCS codes billed: a list, or one comma-separated string",
        "examples": [["99490", "99439"]],
    }
)


class Adjustment(BaseModel):
    """One CAS reason on a remittance: who bears it (group), why (CARC), how much, and the remark
    codes (RARCs) that explain it; `cpt` is the service line's code, None at claim level."""

    group: str = Field(examples=["CO"])
    carc: str = Field(examples=["50"])
    # strict: a number, not a numeric string or a boolean (the API's schema says number)
    amount: float = Field(strict=True, examples=[112.5])
    rarcs: list[str] = Field(default_factory=list, examples=[["N115"]])
    cpt: str | None = Field(default=None, examples=["99490"])

    @property
    def code(self) -> str:
        return f"{self.group}-{self.carc}"


class CaseFields(BaseModel):
    """The denial as billing staff know it (`case.json`)."""

    claim_number: str = Field(min_length=1, max_length=64, pattern=TEXT, examples=["CLM-2026-000417"])
    patient_name: str = Field(min_length=1, max_length=200, pattern=TEXT, examples=["Maria L. Gonzalez"])
    patient_id: str = Field(min_length=1, max_length=64, pattern=TEXT, examples=["1EG4-TE5-MK72"])
    date_of_service: date
    payer: str = Field(min_length=1, max_length=200, pattern=TEXT, examples=["Medicare Part B (Noridian JF)"])
    denial_code: str = Field(min_length=1, max_length=32, pattern=TEXT, examples=["CCM39"])
    provider_name: str | None = None
    practice_name: str | None = None
    denial_date: date | None = None
    billed_cpt: Annotated[list[str], CPT_LIST] = Field(default_factory=list)
    payer_type: (
        Literal["medicare", "medicare_advantage", "commercial", "medicaid", "medicaid_managed_care", "other"] | None
    ) = None
    """Sets the appeal level and deadline; guessed from the payer's name when absent."""
    letter_date: date | None = None
    patient_dob: date | None = None
    """Optional: the chart's date of birth; a page with another DOB is another patient's."""
    mrn: str | None = Field(default=None, max_length=64)
    """Optional: the practice's medical record number, when `patient_id` is the payer's member ID."""
    adjustments: list[Adjustment] = Field(default_factory=list, max_length=60)
    """Optional: the remittance's adjustments for this claim (set by an 835 import): the letter
    argues the one named by `denial_code` and says it does not contest the others."""

    @field_validator("billed_cpt", mode="before")
    @classmethod
    def _split_cpt(cls, value):
        if value is None:
            return []
        if isinstance(value, str):
            return [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
        return value

    @field_validator("date_of_service", "denial_date", "letter_date", "patient_dob", mode="before")
    @classmethod
    def _iso_date(cls, value):
        """Dates as YYYY-MM-DD text (or date objects): a number is refused, not read as a timestamp."""
        if isinstance(value, (int, float, bool)):
            raise ValueError("must be a date as YYYY-MM-DD")
        return value

    @field_validator("claim_number", "patient_name", "patient_id", "payer", "denial_code")
    @classmethod
    def _strip(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("must not be blank")
        return value


class DocumentShape(BaseModel):
    """A document a requirement asks for, known by its structure: a heading or label that names
    it and a body holding its elements (a care plan's goals, interventions, review date)."""

    names: list[str] = Field(min_length=1)
    """What a heading calls the document ('care plan')."""
    elements: dict[str, list[str]] = Field(min_length=2)
    """element -> descriptions of what a line holding it says."""
    least: int = Field(default=3, ge=1)
    """How many distinct elements the body must hold to be the document."""

    @model_validator(mode="after")
    def _reachable(self) -> "DocumentShape":
        if self.least > len(self.elements):
            raise ValueError(f"least ({self.least}) is more than the {len(self.elements)} elements described")
        return self


class EvidenceRequirement(BaseModel):
    id: str
    label: str
    need: str
    queries: list[str]
    period: Literal["service_period", "episode", "before_or_during", "any"] = "service_period"
    """When the evidence must be dated: in the billing period (time-bound work: minutes, calls,
    readings, monthly summaries), in the code's episode (RPM's 30-day device period), before or
    during the period (standing documents: consent, orders, setup, a care plan), or any time."""
    against: list[str] = Field(default_factory=list)
    """How a chart says the requirement was NOT met ('readings phoned in by the patient'):
    such sentences are never quoted as support and are shown to staff as warnings."""
    cue: Literal["outside_contact", "target", "action", "recurring"] | None = None
    """A shape the scorer recognises beyond wording: `outside_contact` is a call, fax or message
    exchanged with someone outside the practice (a clinician, pharmacy, agency) about the patient,
    however tersely charted ('Spoke w/ Kelly RN at Valley Pulm (Dr. Vik)'); `target` is a
    measurable goal, a value with a deadline or named as a goal ('A1c <7.5% in 6 months');
    `action` is a dated act of care ('6/14/2026 urine ACR ordered, pt aware'); `recurring` is a
    process on a schedule, shown only by a line stating the schedule or the written rule
    ('registry run 1st business day of each month', 'Policy QI-12'), never by one dated run."""
    gaps_are_findings: bool = False
    """What it asks for is a list of what is missing (a care-gap registry, preventive status):
    'pneumococcal vax - not on record' is its finding, not a line saying it was not met. Only
    its `against` phrases ('registry not run') speak against it."""
    outside_results: bool = False
    """What another clinician sent back proves it: the result, findings or assessment of an
    outside report (an eye exam, a screening read, a consultation) closes a gap or completes a
    referral, and is quoted beside the practice's note that names that clinician."""
    optional: bool = False
    """Not what the denial disputes but what the billed service rests on (the consent, the
    month's time): quoted when the record shows it, never reported missing, never borrowed."""
    conditions: int | None = Field(default=None, ge=1)
    """Conditions counted, not chosen: in a check, this many distinct chronic conditions named on
    the patient's pages (by ICD-10-CM code or in words, `checks/conditions.py`) prove the
    requirement and fewer leave it missing (two for CCM, one for PCM)."""
    document: DocumentShape | None = None
    """A document of several parts: a check counts it shown only where its structure is found
    (`checks/written_plans.py`); a line that mentions it ('care plan updated') is not the document."""
    needs: list[str] = Field(default_factory=list)
    """Requirements of the same entry this one rests on (a care plan given to the patient needs a
    care plan): a check reports it missing while one of them is missing, at risk while one is at risk."""
    agreement: bool = False
    """Shown by the patient's agreement: in a check, a line saying the patient (or a proxy) agreed
    (`checks/agreements.py`) that also reaches the evidence bar for this requirement shows it,
    though its words fall under the presence bar."""
    standing: bool = False
    """A standing statement proves it: a written protocol, the terms the patient agreed to, what
    the device is. Other requirements ask for something that happened, and a line stating a rule
    or a habit ('Outreach on each gap w/in 5 business days') is never their only evidence."""
    source: str | None = None
    """The CMS or CPT source the requirement comes from, by name ('CMS MLN booklet Chronic Care
    Management Services (MLN909188)'): never its wording. Required in the billing rules of a
    service entry (`billing:`), optional elsewhere."""


class BillableCode(BaseModel):
    """One billable code of a service (`billing:` in `knowledge/services/` and
    `knowledge/billing/`): what the documentation must show before it is billed."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(pattern=r"^(?:\d{4}[0-9A-Z]|[A-Z]\d{4})$")
    title: str = Field(min_length=1)
    base: str | None = None
    """For an add-on code, the primary code it is billed with (99439 -> 99490); None for a
    primary code."""
    minutes: int | None = Field(default=None, ge=1)
    """Time threshold: the minutes the primary code needs in its period, or for an add-on the
    minutes of each unit beyond the primary's."""
    max_units: int | None = Field(default=None, ge=1)
    """Most units of the code in one period, where a source states a limit; None when none is
    stated here."""
    who: Literal["clinical_staff", "practitioner"] | None = None
    """Whose time counts: clinical staff directed by the billing practitioner, or the physician
    or qualified health professional personally; None when the code is not time-based or the
    source named gives no such rule."""
    days_of_data: tuple[int, int] | None = None
    """[fewest, most] distinct days of device readings in the 30-day period (RPM device supply)."""
    requires: list[str] = Field(default_factory=list)
    """Ids of the entry's evidence requirements that must be met before this code is billed."""

    @field_validator("days_of_data")
    @classmethod
    def _days_in_order(cls, value: tuple[int, int] | None) -> tuple[int, int] | None:
        if value is not None and not 1 <= value[0] <= value[1] <= 31:
            raise ValueError("must be [fewest, most] days, 1 <= fewest <= most <= 31")
        return value


class CodeEntry(BaseModel):
    """One denial code from `knowledge/codes/<CODE>.md`."""

    code: str
    title: str
    kind: Literal["payer", "carc", "rarc", "service"]
    """`service`: the argument for a kind of service (`knowledge/services/`, e.g. TCM), used with
    whichever denial code hit it."""
    group: str | None = None
    services: list[str] = Field(default_factory=list)
    billing_period: Literal["calendar_month", "none"] = "none"
    episode_days: int | None = None
    """Length of the code's episode (30 for RPM device supply), ending at the date of service."""
    evidence: list[EvidenceRequirement]
    explanation: str
    common_causes: list[str] = Field(default_factory=list)
    prevention: list[str] = Field(default_factory=list)
    appeal_argument: str
    attachments: list[str] = Field(default_factory=list)
    source: str = ""
    billing: list[BillableCode] = Field(default_factory=list)
    """The service's billable codes and the requirements each must meet (`kind: service` only;
    empty for denial codes)."""


class Page(BaseModel):
    document: str
    number: int  # 1-based
    text: str
    ocr: bool = False
    note: str | None = None  # why a page has no text (OCR unavailable, render failed)
    rotation: int = 0  # degrees clockwise that show the page upright (0, 90, 180, 270): a scan sent turned


class RecordDocument(BaseModel):
    name: str
    sha256: str
    pages: list[Page]

    @property
    def ocr_pages(self) -> list[int]:
        return [page.number for page in self.pages if page.ocr]


class Span(BaseModel):
    """A verbatim slice of one page's text: `page.text[start:end] == text`."""

    document: str
    page: int
    start: int
    end: int
    text: str


def short_quote(text: str, limit: int = 160) -> str:
    """A record line as a warning shows it to staff: on one line, cut to `limit` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


def span_key(span: Span) -> tuple[str, int, int]:
    """Where a sentence starts: its identity within a case, whatever its text was trimmed to."""
    return (span.document, span.page, span.start)


class Chunk(Span):
    id: str
    ocr: bool = False


class Exclusion(BaseModel):
    document: str
    page: int
    reason: str


class Evidence(Span):
    requirement: str
    score: float
    ocr: bool = False


class Citation(BaseModel):
    marker: str
    document: str
    page: int
    quote: str


class ModelAttempt(BaseModel):
    """One call to a chat model while drafting: kept with the appeal for audit."""

    provider: str
    model: str
    round: Literal["draft", "repair"]
    seconds: float
    accepted: bool
    failures: list[str] = Field(default_factory=list)
    error: str | None = None


class DraftResult(BaseModel):
    letter: str
    method: Literal["llm", "template"] = "template"
    citations: list[Citation]
    excluded_pages: list[Exclusion]
    warnings: list[str]
    deadline: date | None = None
    attempts: list[ModelAttempt] = Field(default_factory=list)
    case_id: str | None = None


Action = Literal["appeal", "corrected_claim", "rebill", "patient_responsibility", "no_action"]

Role = Literal["biller", "reviewer", "admin"]
"""A staff member's (or an API key's) role: a biller works cases, documents and drafts; a reviewer
also approves letters; an admin also manages users and keys and reads the audit trail."""

ROLES: tuple[Role, ...] = ("biller", "reviewer", "admin")


@dataclass(frozen=True)
class Principal:
    """Who is asking: a signed-in user, a portal's API key or the local command line. Passed to
    whatever records an audit event or decides by role; never holds PHI."""

    tenant: str
    role: Role
    actor: str
    """'user:<id>', 'key:<id>' or 'cli': what an audit event names."""
    user_id: str | None = None
    client: str = ""
    """The caller's address as the server saw it; empty on the command line."""


class RemitLine(BaseModel):
    """One service line (SVC loop) of a paid or denied claim."""

    cpt: str | None
    modifiers: list[str] = Field(default_factory=list)
    charge: float
    paid: float
    units: float | None = None
    date_of_service: date | None = None
    control_number: str | None = None
    adjustments: list[Adjustment] = Field(default_factory=list)
    rarcs: list[str] = Field(default_factory=list)
    segment: int


class RemitClaim(BaseModel):
    """One claim (CLP loop) of an 835, with the remittance context a case needs."""

    claim_number: str
    payer_claim_number: str | None
    status_code: str
    filing_code: str | None = None
    """CLP06, the kind of coverage: MB Medicare Part B, 16 Medicare Advantage, MC Medicaid, 12 PPO, HM HMO..."""
    charge: float
    paid: float
    patient_share: float | None = None
    patient_name: str | None = None
    patient_id: str | None = None
    date_of_service: date | None = None
    service_end: date | None = None
    payer: str | None = None
    payer_id: str | None = None
    remittance_date: date | None = None
    adjustments: list[Adjustment] = Field(default_factory=list)
    rarcs: list[str] = Field(default_factory=list)
    lines: list[RemitLine] = Field(default_factory=list)
    segment: int

    @property
    def reversal(self) -> bool:
        return self.status_code == "22"

    def all_adjustments(self) -> list[Adjustment]:
        return [*self.adjustments, *(a for line in self.lines for a in line.adjustments)]


class RemitError(BaseModel):
    """A part of a remittance that could not be read; `segment` counts from ISA = 1."""

    claim: str | None = Field(examples=["PCN000002"])
    segment: int | None = Field(examples=[14])
    message: str = Field(examples=["CAS03 (amount) is not a number"])
    kept: bool = Field(
        default=False, description="true: a note, not a refusal; the claim was read leniently and imported"
    )


MONTH = r"^[0-9]{4}-(?:0[1-9]|1[0-2])$"


class CheckPatient(BaseModel):
    """Whose month a check reads (`case.json` of `overturn check`): no claim exists yet, so only who
    the patient is matters (another patient's pages stay out); a claim's case.json works as is."""

    model_config = ConfigDict(extra="ignore")

    patient_name: str = Field(min_length=1, max_length=200, pattern=TEXT, examples=["Maria L. Gonzalez"])
    patient_id: str = Field(min_length=1, max_length=64, pattern=TEXT, examples=["1EG4-TE5-MK72"])
    patient_dob: date | None = None
    mrn: str | None = Field(default=None, max_length=64)
    provider_name: str | None = None
    practice_name: str | None = None


class CheckCitation(BaseModel):
    document: str
    page: int
    quote: str  # verbatim: the page's text holds it
    against: bool = False
    """True for a line that puts the requirement at risk (a withdrawal), not one that proves it."""


class RequirementCheck(BaseModel):
    id: str = Field(examples=["consent"])
    title: str
    status: Literal["met", "missing", "at_risk"]
    reason: str
    citations: list[CheckCitation] = Field(default_factory=list)


class MinuteRow(BaseModel):
    """One time entry of the chart, counted or set aside with its reason."""

    document: str
    page: int
    quote: str  # verbatim: the page's text holds it
    date: date | None
    minutes: int
    who: str
    counted: bool
    reason: str = ""  # why not counted, or the flag on a counted row


class MonthMinutes(BaseModel):
    total: int = Field(description="countable minutes in the month")
    needed: int | None = Field(default=None, description="the minutes the code asked about needs")
    rows: list[MinuteRow] = Field(default_factory=list)


class CheckResult(BaseModel):
    """A month's documentation against a billable code's requirements (`overturn check`, `POST /v1/checks`)."""

    code: str = Field(examples=["99490"])
    month: str = Field(pattern=MONTH, examples=["2026-04"])
    ready: bool = Field(description="every requirement met and the time or days reach the code")
    requirements: list[RequirementCheck]
    minutes: MonthMinutes
    data_days: int | None = Field(default=None, description="days with device readings in the month (RPM)")
    supported_codes: list[str] = Field(
        description="the highest codes the documentation supports, add-ons repeated per unit",
        examples=[["99490", "99439"]],
    )
    warnings: list[str] = Field(default_factory=list)
    excluded_pages: list[Exclusion] = Field(default_factory=list)
    case_id: str | None = None


class FieldReading(BaseModel):
    """One claim field read from a denial letter, with where it was read."""

    value: str | float | date | list[str] | None
    confidence: float
    page: int | None = None
    quote: str = Field(default="", description="the text the value was read from, verbatim")
    review: bool = Field(description="under the confidence bar: check it before using it")
    note: str | None = Field(
        default=None, description="why a reader doubts the value, e.g. a language model read it differently"
    )


class NoticeReading(BaseModel):
    """The claim fields a denial letter gave (a field it did not give is absent)."""

    fields: dict[str, FieldReading]
    bar: float
