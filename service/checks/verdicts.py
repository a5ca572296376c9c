"""A month's verdict on each requirement of a billable code: met (with the quotes that prove it),
missing (nothing in the records shows it) or at risk (something found speaks against it, the
minutes or days fall short of the code, or no page confirms whose records these are).

The evidence comes from the same selection that writes appeal letters, so the same pages are
never counted (another patient's, meta-text, out-of-month notes) and the same lines never prove
anything (withdrawals, unanswered calls, unbillable minutes). Minutes and days are counted, not
selected: `minutes.py` and `reading_days.py`.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from service.checks.codes import supported_codes
from service.checks.conditions import ConditionLine, distinct_conditions
from service.checks.minutes import Minutes
from service.checks.reading_days import ReadingDays
from service.checks.staff import is_practitioner
from service.checks.written_plans import WrittenPlan
from service.knowledge.loader import Billable
from service.models import (
    BillableCode,
    CheckCitation,
    CheckResult,
    Evidence,
    EvidenceRequirement,
    MinuteRow,
    MonthMinutes,
    RequirementCheck,
    Span,
    short_quote,
    span_key,
)

COUNTED = ("time", "data_days")
"""Requirements decided by counting rows and days, not by choosing quotes."""
WITHDRAWAL_REQUIREMENTS = ("consent",)
"""A patient leaving the program puts these at risk: the consent no longer covers the month."""
NO_UNIT_LIMIT = 99
PLAN_CITATIONS = 6
"""A plan is shown by its heading and the lines holding its first elements, not by every line."""
PROOF_SHARE = 0.85
"""A quote scoring under this share of its requirement's best quote is not shown as proof."""


@dataclass
class MonthFindings:
    """What the pipeline found in one patient's records for one month."""

    evidence: list[Evidence]
    missing: list[EvidenceRequirement]
    counter: list[tuple[str, Span]]
    """(requirement id, line) for lines that speak against a requirement."""
    withdrawals: list[tuple[Span, date | None]]
    minutes: Minutes
    days: ReadingDays
    identity_confirmed: bool = True
    warnings: list[str] = field(default_factory=list)
    conditions: list[ConditionLine] = field(default_factory=list)
    """Lines naming the patient's chronic conditions, by code or in words: they are counted."""
    plans: dict[str, list[WrittenPlan]] = field(default_factory=dict)
    """requirement id -> the documents found for a requirement that asks for one (the care plan)."""
    counter_scores: dict[tuple[str, str, int, int], float] = field(default_factory=dict)
    """(requirement id, document, page, start) -> how strongly a counter line is about it."""


DESCRIBES = re.compile(
    r"\b(?:may|can|could|might|should)\b(?!\s+\d)|"  # lower case only: 'his May office visit' is a month
    r"(?i:\b(?:if|whenever|right\s+to|free\s+to|at\s+any\s+time|anytime)\b)"
)
"""A line that states a right or a possibility ('I may revoke this consent at any time') says
what could happen, not that it did: it puts nothing at risk."""


def _cite(span: Span, against: bool = False) -> CheckCitation:
    return CheckCitation(document=span.document, page=span.page, quote=span.text, against=against)


def _row_cite(row: MinuteRow) -> CheckCitation:
    return CheckCitation(document=row.document, page=row.page, quote=row.quote)


def family(billable: Billable) -> tuple[BillableCode, BillableCode | None]:
    """The primary code the asked code belongs to, and its add-on (None when it has none)."""
    root = billable.base or billable.code
    add_on = next((b for b in billable.entry.billing if b.base == root.code), None)
    return root, add_on


def minutes_needed(billable: Billable) -> int | None:
    """The month's minutes the asked code needs: an add-on needs its primary code's and one block more."""
    if billable.code.minutes is None:
        return None
    base = billable.base
    return billable.code.minutes + ((base.minutes or 0) if base else 0)


NOT_OWN_TIME = "not the practitioner's own time"


def own_time(rows: list[MinuteRow], billable: Billable) -> list[MinuteRow]:
    """The rows as the asked code counts them: for a practitioner's code (99491, 99437) a row
    counts only when its author (the first person it names) is the practitioner, and the others
    are shown set aside with the reason; for the other codes the rows stand as counted."""
    if (billable.base or billable.code).who != "practitioner":
        return rows
    return [
        r
        if not r.counted or is_practitioner(r.who.split(" / ")[0])
        else r.model_copy(update={"counted": False, "reason": NOT_OWN_TIME})
        for r in rows
    ]


def _time_check(req: EvidenceRequirement, rows: list[MinuteRow], needed: int | None) -> RequirementCheck:
    total = sum(r.minutes for r in rows)
    cites = [_row_cite(r) for r in rows]
    if not rows:
        return RequirementCheck(
            id=req.id, title=req.label, status="missing", reason="no countable time entry dated in the month"
        )
    if needed is not None and total < needed:
        return RequirementCheck(
            id=req.id,
            title=req.label,
            status="at_risk",
            reason=f"{total} countable minutes logged of the {needed} the code needs",
            citations=cites,
        )
    return RequirementCheck(
        id=req.id, title=req.label, status="met", reason=f"{total} countable minutes in the month", citations=cites
    )


def _days_check(req: EvidenceRequirement, days: ReadingDays, wanted: tuple[int, int] | None) -> RequirementCheck:
    count = days.count
    cites = [CheckCitation(document=d, page=p, quote=q) for d, p, q in days.days.values()] or [
        CheckCitation(document=d, page=p, quote=q) for d, p, q, _ in days.stated
    ]
    low = wanted[0] if wanted else 1
    if count == 0:
        return RequirementCheck(id=req.id, title=req.label, status="missing", reason="no dated reading in the month")
    reason = f"readings on {count} days of the month" + ("" if days.days else " (as the record states them)")
    status = "met" if count >= low else "at_risk"
    if status == "at_risk":
        reason += f"; the code needs {low}"
    return RequirementCheck(id=req.id, title=req.label, status=status, reason=reason, citations=cites)


def _brief(need: str, limit: int = 160) -> str:
    """The rule's first sentence, cut on a word: what to look for, not the whole rule."""
    first = need.split(". ")[0].rstrip(".")
    if len(first) > limit:
        first = first[:limit].rsplit(" ", 1)[0] + " ..."
    return f"it needs: {first[0].lower()}{first[1:]}"


def _selected_check(
    req: EvidenceRequirement,
    evidence: list[Evidence],
    missing: set[str],
    against: list[Span],
    withdrawals: list[tuple[Span, date | None]],
    plans: list[WrittenPlan] | None = None,
    strength: dict[tuple[str, int, int], float] | None = None,
) -> RequirementCheck:
    """`evidence`: the proof shown; `plans`: for a requirement that asks for a document, the
    documents found (the mentions in `evidence` do not show it)."""
    strength = strength or {}
    shown = bool(plans) if req.document is not None else bool(evidence) and req.id not in missing
    cites = _plan_cites(plans[0]) if req.document is not None and plans else [_cite(e) for e in evidence]
    if req.id in WITHDRAWAL_REQUIREMENTS and withdrawals:
        span, day = withdrawals[0]
        when = f" on {day.isoformat()}" if day else ""
        return RequirementCheck(
            id=req.id,
            title=req.label,
            status="at_risk",
            reason=f"the patient left the program{when}: the consent may no longer cover the month, and minutes after it do not count",
            citations=cites + [_cite(s, against=True) for s, _ in withdrawals],
        )
    if not evidence and req.optional and not against:
        return RequirementCheck(
            id=req.id,
            title=req.label,
            status="met",
            reason="not stated in the records, and nothing in them says otherwise",
        )
    if not shown and req.document is not None and evidence:
        return RequirementCheck(
            id=req.id,
            title=req.label,
            status="missing",
            reason=f'the records refer to it ("{short_quote(evidence[0].text)}"), but no page holds the document '
            f"itself (a heading naming it over its {', '.join(list(req.document.elements)[:3])} ...); attach it",
            citations=cites,
        )
    if not shown:
        return RequirementCheck(
            id=req.id, title=req.label, status="missing", reason=f"nothing in the records shows it; {_brief(req.need)}"
        )
    # A document found is proof in full: a line against it makes it at risk, never missing.
    best = 1.0 if req.document is not None else max(e.score for e in evidence)
    if against and max(strength.get(span_key(s), 0.0) for s in against) >= best:
        return RequirementCheck(
            id=req.id,
            title=req.label,
            status="missing",
            reason=f'the records say it was not done: "{short_quote(against[0].text)}"',
            citations=[_cite(s, against=True) for s in against],
        )
    if against:
        return RequirementCheck(
            id=req.id,
            title=req.label,
            status="at_risk",
            reason=f'the records also say "{short_quote(against[0].text)}"',
            citations=cites + [_cite(s, against=True) for s in against],
        )
    return RequirementCheck(id=req.id, title=req.label, status="met", reason="documented", citations=cites)


def _plan_cites(plan: WrittenPlan) -> list[CheckCitation]:
    lines = [(plan.page, plan.heading), *plan.elements.values()]
    seen: set[tuple[int, str]] = set()
    out: list[CheckCitation] = []
    for page, line in lines:
        if (page, line) not in seen and len(out) < PLAN_CITATIONS:
            seen.add((page, line))
            out.append(CheckCitation(document=plan.document, page=page, quote=line))
    return out


def _conditions_check(
    req: EvidenceRequirement, check: RequirementCheck, lines: list[ConditionLine]
) -> RequirementCheck:
    """The conditions are counted, not chosen by meaning: as many distinct chronic conditions
    named as the rule asks (`conditions`: two for CCM) prove it whatever the wording, fewer leave
    it missing however eligible a line says the patient is. Something said against conditions
    that were counted keeps it at risk."""
    if req.conditions is None or _said_not(check):
        return check
    named = distinct_conditions(lines)
    seen: set[str] = set()
    cites = []
    for line in sorted(lines, key=lambda line: not line.coded):  # a problem list's coded lines first
        if line.conditions - seen:
            seen |= line.conditions
            cites.append(CheckCitation(document=line.document, page=line.page, quote=line.line))
    listed = ", ".join(sorted(named))
    if len(named) >= req.conditions:
        if check.status == "at_risk":
            return check
        return check.model_copy(
            update={
                "status": "met",
                "reason": f"{len(named)} chronic conditions named ({listed})",
                "citations": cites[:6],
            }
        )
    if not named:
        reason = "no chronic condition is named in these pages, by diagnosis or ICD-10 code"
    else:
        reason = f"only {len(named)} chronic condition named ({listed})"
    return check.model_copy(
        update={
            "status": "missing",
            "reason": f"{reason}; {req.conditions} needed: attach the problem list or the note that names them.",
            "citations": cites[:6],
        }
    )


def _said_not(check: RequirementCheck) -> bool:
    """Missing because the records say it was not done (its citations are all against it)."""
    return check.status == "missing" and bool(check.citations) and all(c.against for c in check.citations)


def _with_needs(billable: Billable, checks: list[RequirementCheck]) -> list[RequirementCheck]:
    """A requirement resting on one the records do not hold is missing too (a plan 'given' when
    no plan is in the pages: what reached the patient cannot be shown); on one at risk, at risk."""
    status = {c.id: c for c in checks}
    by_id = {req.id: req for req in billable.requirements}
    out = []
    for c in checks:
        needs = [status[n] for n in by_id[c.id].needs if n in status]
        missing = [n.title.lower() for n in needs if n.status == "missing"]
        shaky = [n.title.lower() for n in needs if n.status == "at_risk"]
        if c.status != "missing" and missing:
            c = c.model_copy(
                update={"status": "missing", "reason": f"{missing[0]} is not in the records, so this cannot be shown"}
            )
        elif c.status == "met" and shaky:
            c = c.model_copy(update={"status": "at_risk", "reason": f"{c.reason}, but {shaky[0]} is not shown"})
        out.append(c)
    return out


def strongest(evidence: list[Evidence]) -> list[Evidence]:
    """The quotes that prove a requirement: those near its best. A letter may add weaker lines
    to cover a page; a check shows only the proof."""
    if not evidence:
        return []
    best = max(e.score for e in evidence)
    return [e for e in evidence if e.score >= PROOF_SHARE * best]


def supported(billable: Billable, checks: list[RequirementCheck], total: int, days: int) -> list[str]:
    """The highest codes of the asked code's family the documentation supports: none while a
    requirement other than the count is missing."""
    if any(c.status == "missing" and c.id not in COUNTED for c in checks):
        return []
    root, add_on = family(billable)
    if root.minutes is not None:
        unit = add_on.minutes if add_on and add_on.minutes else 0
        limit = (add_on.max_units if add_on else None) or NO_UNIT_LIMIT
        return supported_codes(total, root.code, add_on.code if add_on else None, root.minutes, unit, limit)
    if root.days_of_data is not None:
        fits = [b for b in billable.entry.billing if b.days_of_data and b.days_of_data[0] <= days]
        return [max(fits, key=lambda b: b.days_of_data[0] if b.days_of_data else 0).code] if fits else []
    return [billable.code.code]


def judge(billable: Billable, month: str, found: MonthFindings) -> CheckResult:
    """Every requirement of the asked code, in the order the code lists them, and the month's verdict."""
    by_req: dict[str, list[Evidence]] = {}
    for e in found.evidence:
        by_req.setdefault(e.requirement, []).append(e)
    missing = {req.id for req in found.missing}
    shown = own_time(found.minutes.rows, billable)
    rows = [r for r in shown if r.counted]
    total = sum(r.minutes for r in rows)
    needed = minutes_needed(billable)
    checks = []
    for req in billable.requirements:
        if req.id == "time":
            checks.append(_time_check(req, rows, needed))
        elif req.id == "data_days":
            checks.append(_days_check(req, found.days, billable.code.days_of_data))
        else:
            against = [span for req_id, span in found.counter if req_id == req.id and not DESCRIBES.search(span.text)]
            quotes = by_req.get(req.id, [])
            strength = {key[1:]: score for key, score in found.counter_scores.items() if key[0] == req.id}
            check = _selected_check(
                req, strongest(quotes), missing, against, found.withdrawals, found.plans.get(req.id), strength
            )
            checks.append(_conditions_check(req, check, found.conditions))
    checks = _with_needs(billable, checks)
    warnings = list(found.warnings)
    if found.withdrawals and not any(r.id in WITHDRAWAL_REQUIREMENTS for r in billable.requirements):
        when = found.withdrawals[0][1]
        warnings.insert(
            0,
            "The patient left the program"
            + (f" on {when.isoformat()}" if when else "")
            + ": minutes and readings after it are not counted; check the enrollment before billing.",
        )
    if not found.identity_confirmed:
        warnings.insert(0, "No page names the patient or the patient's ID: confirm these records are the patient's.")
        checks = [
            c.model_copy(update={"status": "at_risk", "reason": f"{c.reason}; the patient's identity is not confirmed"})
            if c.status == "met"
            else c
            for c in checks
        ]
    codes = supported(billable, checks, total, found.days.count)
    root, add_on = family(billable)
    if add_on is not None and add_on.max_units is None and codes.count(add_on.code) > 1:
        warnings.append(
            f"The knowledge base states no unit limit for {add_on.code}; check the payer's limit before billing {codes.count(add_on.code)} units."
        )
    asked = billable.code.code
    ready = all(c.status == "met" for c in checks) and asked in codes
    if billable.code.days_of_data and codes and asked not in codes:
        warnings.append(
            f"{found.days.count} days of readings support {', '.join(codes)}, not {asked} "
            f"({billable.code.days_of_data[0]}-{billable.code.days_of_data[1]} days)."
        )
    for c in checks:
        if c.status == "missing":
            warnings.append(f"Not billable yet: {c.title.lower()} is missing.")
    return CheckResult(
        code=asked,
        month=month,
        ready=ready,
        requirements=checks,
        minutes=MonthMinutes(total=total, needed=needed, rows=shown),
        data_days=found.days.count if any(r.id == "data_days" for r in billable.requirements) else None,
        supported_codes=codes,
        warnings=warnings,
    )
