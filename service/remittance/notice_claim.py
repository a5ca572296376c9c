"""The claim fields a language model is asked for, as a schema it can be held to, and the
lenient reading of a reply that came back as text: a model without structured output answers
in prose, in a code fence or with a field of the wrong type, and what can be read is kept."""

import json
import re

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator


class NoticeClaim(BaseModel):
    """Each field as the letter prints it, or null when the letter does not give it."""

    model_config = ConfigDict(extra="ignore")

    claim_number: str | None = Field(
        default=None, description="the payer's claim number (ICN, DCN, claim #), as printed"
    )
    patient_name: str | None = Field(default=None, description="the patient's name (not the subscriber's), as printed")
    patient_id: str | None = Field(
        default=None, description="the patient's member / beneficiary / MBI number, as printed"
    )
    date_of_service: str | None = Field(default=None, description="the denied service's date, as printed")
    payer: str | None = Field(default=None, description="the name of the insurer or plan that wrote the letter")
    denial_code: str | None = Field(default=None, description="the reason code of the denial, e.g. CO-50, as printed")
    denial_date: str | None = Field(default=None, description="the date of the letter or decision, as printed")
    billed_cpt: list[str] = Field(default_factory=list, description="CPT/HCPCS codes of the denied service lines")
    amount_denied: str | None = Field(default=None, description="the amount denied, as printed")
    rarcs: list[str] = Field(default_factory=list, description="remark codes (RARCs such as N130, MA130), as printed")

    @field_validator(
        "claim_number",
        "patient_name",
        "patient_id",
        "date_of_service",
        "payer",
        "denial_code",
        "denial_date",
        "amount_denied",
        mode="before",
    )
    @classmethod
    def _text(cls, value):
        """A number where text was asked for is still the value; anything else is no value."""
        if isinstance(value, bool) or value is None:
            return None
        if isinstance(value, (int, float)):
            return str(value)
        return (value.strip() or None) if isinstance(value, str) else None

    @field_validator("billed_cpt", "rarcs", mode="before")
    @classmethod
    def _codes(cls, value):
        """One code as a string, or several in one string ('99490, 99439'), is still a list."""
        if value is None:
            return []
        if isinstance(value, str):
            return [part for part in re.split(r"[\s,;]+", value) if part]
        if isinstance(value, list):
            return [str(part).strip() for part in value if isinstance(part, (str, int)) and str(part).strip()]
        return []


def claim_from_text(text: str) -> NoticeClaim | None:
    """The first JSON object in a reply that reads as a claim; None when there is none."""
    decoder = json.JSONDecoder()
    for start in (m.start() for m in re.finditer(r"\{", text)):
        try:
            data, _ = decoder.raw_decode(text, start)
        except ValueError:
            continue
        if isinstance(data, dict):
            claim = claim_from_data(data)
            if claim is not None:
                return claim
    return None


def claim_from_data(data) -> NoticeClaim | None:
    """A parsed object as a claim: None unless it names at least one field with a value."""
    if isinstance(data, NoticeClaim):
        claim = data
    elif isinstance(data, dict):
        try:
            claim = NoticeClaim.model_validate(data)
        except ValidationError:
            return None
    else:
        return None
    return claim if any(v not in (None, []) for v in claim.model_dump().values()) else None
