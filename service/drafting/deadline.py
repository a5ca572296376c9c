"""Appeal deadlines from the denial date, the kind of payer and the appeal level, each from a rule
in `knowledge/deadlines.yaml` that names the regulation it comes from and was checked against it.

Medicare: redetermination within 120 days of receiving the notice, receipt presumed 5 days after
its date (42 CFR 405.942). Medicare Advantage: reconsideration within 60 days of receipt, presumed
5 days after the notice, so 65 days from its date since 2025 (42 CFR 422.582(b); before 2025, 60
days from the notice date). Commercial plans (ERISA group plans, ACA individual and group
plans): at least 180 days from the adverse determination (29 CFR 2560.503-1(h)(3)(i), 45 CFR
147.136(b)); the plan may allow more. Medicaid managed care: 60 days from the notice date (42 CFR
438.402(c)(2)(ii)). Fee-for-service Medicaid provider appeals are set by each state, and no
state's rule has been verified yet, so no date is given rather than a wrong one.
"""

import re
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from service.models import CaseFields
from service.resources import KNOWLEDGE, load_yaml

RULES_FILE = KNOWLEDGE / "deadlines.yaml"
MEDICARE = re.compile(r"\bmedicare\b|\bMAC\b|noridian|palmetto|novitas|\bWPS\b|\bCGS\b|first coast|\bNGS\b", re.I)
ADVANTAGE = re.compile(r"advantage|\bMA\b|\bMAPD\b|senior (?:care|choice|plan)|medicare (?:hmo|ppo)|\bD-?SNP\b", re.I)
MEDICAID = re.compile(r"medicaid|medi-cal|\bCHIP\b", re.I)
MANAGED = re.compile(r"\bMCO\b|managed care|health plan|\bHMO\b|\bplan\b", re.I)
FIRST_RULE = {
    "medicare": "medicare_redetermination",
    "medicare_advantage": "medicare_advantage_reconsideration",
    "commercial": "erisa_internal_appeal",
    "medicaid_managed_care": "medicaid_managed_care_appeal",
}
LEVEL_NAMES = {
    "medicare": "redetermination",
    "medicare_advantage": "reconsideration",
    "medicaid_managed_care": "plan appeal",
    "commercial": "first-level appeal",
}


class DeadlineRule(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="ignore")

    id: str
    payer_type: str
    level: int
    name: str
    days: int | None = None
    months: int | None = None
    start: str | None = Field(default=None, alias="from")
    receipt_presumed_days: int = 0
    at_least: bool = False
    regulation: str
    url: str = ""
    effective: date | None = None
    previous_days: int | None = None

    def due(self, notice: date) -> date | None:
        """The last day to file, counted from the notice's date. A rule that changed applies to
        notices dated from its effective date; older ones keep the count they were given."""
        if self.days is None:
            return None
        if self.effective is not None and notice < self.effective and self.previous_days is not None:
            return notice + timedelta(days=self.previous_days)
        return notice + timedelta(days=self.receipt_presumed_days + self.days)

    def basis(self) -> str:
        start = {"receipt_of_notice": "receipt of the notice", "notice_date": "the notice date"}.get(
            self.start or "", "the notice"
        )
        presumed = f", presumed {self.receipt_presumed_days} days after its date" if self.receipt_presumed_days else ""
        minimum = "at least " if self.at_least else ""
        return f"{self.regulation}: {minimum}{self.days} days from {start}{presumed}"


@lru_cache(maxsize=4)
def deadline_rules(path: Path = RULES_FILE) -> dict[str, DeadlineRule]:
    rows = (load_yaml(path.read_text(encoding="utf-8")) or {}).get("rules", [])
    return {row["id"]: DeadlineRule.model_validate(row) for row in rows}


def payer_type(case: CaseFields) -> str:
    if case.payer_type:
        return case.payer_type
    if MEDICAID.search(case.payer):
        return "medicaid_managed_care" if MANAGED.search(case.payer) else "medicaid"
    if MEDICARE.search(case.payer) or ADVANTAGE.search(case.payer):
        return (
            "medicare_advantage"
            if ADVANTAGE.search(case.payer) or re.search(r"replacement", case.payer, re.I)
            else "medicare"
        )
    return "commercial"


def first_level_rule(case: CaseFields) -> DeadlineRule | None:
    rule_id = FIRST_RULE.get(payer_type(case))
    return deadline_rules().get(rule_id) if rule_id else None


def appeal_deadline(case: CaseFields) -> date | None:
    rule = first_level_rule(case)
    if case.denial_date is None or rule is None:
        return None
    return rule.due(case.denial_date)


def deadline_basis(case: CaseFields) -> str | None:
    """The regulation and count behind `appeal_deadline`, for staff to check."""
    rule = first_level_rule(case)
    return rule.basis() if rule is not None else None


def appeal_level(case: CaseFields) -> str:
    return LEVEL_NAMES.get(payer_type(case), "first-level appeal")
