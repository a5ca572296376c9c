"""What the checks API answers with and is sent: requests, a stored check in the list, a batch."""

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from service.casework.views import UtcTime
from service.models import MONTH, CheckResult

Code = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=16),
    Field(examples=["99490"], description="the billable code (GET /v1/codes)"),
]
Month = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=32),
    Field(examples=["2026-04"], description="YYYY-MM (422 invalid_month otherwise)"),
]


class CheckRequest(BaseModel):
    """A stored case's month checked (`POST /v1/checks` as JSON)."""

    model_config = ConfigDict(extra="forbid")

    code: Code
    month: Month
    case_id: str = Field(min_length=1, max_length=40, examples=["cas_0123456789abcdef01234567"])
    store: bool = Field(default=False, description="keep the result (the list, the CSV, the stats read it)")


MAX_BATCH = 1000
"""Cases one batch may check: a month of a large practice's care-management panel."""


class BatchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: Code
    month: Month
    case_ids: list[Annotated[str, Field(min_length=1, max_length=40)]] | None = Field(
        default=None,
        max_length=MAX_BATCH,
        description="the cases to check; null: every case of the practice with a ready document",
    )


class StoredCheck(BaseModel):
    """The newest kept check of a case for the month and code, with whose it is."""

    id: str = Field(examples=["chk_0123456789abcdef01234567"])
    case_id: str
    claim_number: str
    patient_name: str
    assignee: str | None = Field(default=None, description="the user id of the case's assignee")
    assignee_email: str | None = None
    checked_at: UtcTime
    result: CheckResult


class BatchError(BaseModel):
    """A case the batch could not check: its id and the error's code, never a message."""

    case_id: str
    code: str = Field(examples=["no_documents"])


class BatchView(BaseModel):
    id: str = Field(examples=["chb_0123456789abcdef01234567"])
    status: Literal["running", "done"]
    done: int = Field(description="cases checked so far, failed ones included")
    total: int
    failed: int
    code: str
    month: str = Field(pattern=MONTH)
    errors: list[BatchError] = Field(default_factory=list)
