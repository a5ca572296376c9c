"""Appeal deadlines from the denial date and the kind of payer (see shared domain facts).

Medicare: redetermination within 120 days of receiving the notice, presumed received 5 days
after its date. Commercial (ERISA) plans: at least 180 days from the adverse determination.
Anything else depends on the plan, so we give no date rather than a wrong one.
"""

import re
from datetime import date, timedelta

from service.models import CaseFields

MEDICARE = re.compile(r"\bmedicare\b|\bMAC\b|noridian|palmetto|novitas|\bWPS\b|\bCGS\b|first coast|\bNGS\b", re.I)
NOT_ORIGINAL_MEDICARE = re.compile(r"advantage|\bMA\b|medicaid|replacement", re.I)


def payer_type(case: CaseFields) -> str:
    if case.payer_type:
        return case.payer_type
    if MEDICARE.search(case.payer) and not NOT_ORIGINAL_MEDICARE.search(case.payer):
        return "medicare"
    if re.search(r"medicaid|advantage", case.payer, re.I):
        return "other"
    return "commercial"


def appeal_deadline(case: CaseFields) -> date | None:
    if case.denial_date is None:
        return None
    kind = payer_type(case)
    if kind == "medicare":
        return case.denial_date + timedelta(days=5 + 120)
    if kind == "commercial":
        return case.denial_date + timedelta(days=180)
    return None


def appeal_level(case: CaseFields) -> str:
    return "redetermination" if payer_type(case) == "medicare" else "first-level appeal"
