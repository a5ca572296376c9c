"""Which denials on a remittance become cases, and what to do about each (pure functions).

A claim paid as expected (its only adjustments the contractual write-off, sequestration, the
patient's deductible, coinsurance or copay, or a prior payer's share, with money paid) is not a
denial. What is left becomes one case per claim, or one per group of lines when the lines of a
claim were denied for different reasons (each wants its own letter or correction). Each case gets
an action and the rule that chose it, in this order: a remark that alone decides (MA130: send a
corrected claim, no appeal rights); only the patient's share left; the CARCs' own default actions,
a claim fix before a rebill before an appeal; a CARC not in the table is appealed until reviewed.
"""

from dataclasses import dataclass, field, replace

from service.knowledge.adjustments import CodeTable
from service.models import Action, Adjustment, RemitClaim, RemitLine

ROUTINE = {("CO", "45"), ("CO", "253"), ("PR", "1"), ("PR", "2"), ("PR", "3"), ("OA", "23")}
"""Adjustments every paid claim carries; on a line that was paid they are not a denial."""
REVERSAL = "22"
PREDETERMINATION = "25"
"""A pricing answer before the service, not a payment decision: nothing to appeal."""
DENIED = "4"
ORDER: tuple[Action, ...] = ("corrected_claim", "rebill", "appeal", "patient_responsibility", "no_action")
"""Fix the claim before anything else: an appeal of a claim with a data error is lost."""


@dataclass(frozen=True)
class Decision:
    action: Action
    rule: str
    """Why, in words staff can check: 'CO-16: ... (code table default)'."""
    code: str
    """The adjustment the case is about ('CO-50'): the knowledge entry its letter argues."""
    review: bool = False
    """A contested CARC or a remark is not in the code table: someone must look it up."""


@dataclass
class Denial:
    """One future case: a claim, or the lines of it denied for the same reasons."""

    claim: RemitClaim
    lines: list[RemitLine]
    adjustments: list[Adjustment]
    """Every adjustment of these lines and of the claim, routine ones included."""
    contested: list[Adjustment] = field(default_factory=list)
    """The ones that made it a denial."""
    part: str = ""
    """'' for a whole claim; the lines' codes when the claim was split."""

    @property
    def amount(self) -> float:
        """What is at stake: the contested adjustments, less contractual write-offs and the
        patient's usual share beside them (those are not recovered by any appeal)."""
        at_stake = [a for a in self.contested if (a.group, a.carc) not in ROUTINE] or self.contested
        return round(sum(a.amount for a in at_stake), 2)


def denials(claim: RemitClaim) -> list[Denial]:
    """The claim's denials: none when it was paid as expected, is a reversal or a predetermination."""
    if claim.status_code in (REVERSAL, PREDETERMINATION):
        return []
    claim_level = [a for a in claim.adjustments if not _routine(a, claim.paid > 0)]
    by_reason: dict[tuple, list[RemitLine]] = {}
    for line in claim.lines:
        contested = [a for a in line.adjustments if not _routine(a, line.paid > 0)]
        if contested:
            by_reason.setdefault(_reasons(contested), []).append(line)
    if not by_reason and not claim_level:
        if claim.status_code != DENIED:
            return []
        return [Denial(claim, claim.lines, claim.all_adjustments(), [])]
    groups = list(by_reason.values())
    if len(groups) <= 1:
        lines = groups[0] if groups else claim.lines
        every = [*claim.adjustments, *(a for line in lines for a in line.adjustments)]
        contested = claim_level + [a for line in lines for a in line.adjustments if not _routine(a, line.paid > 0)]
        return [Denial(claim, lines, every, contested)]
    out = []
    for n, lines in enumerate(groups):
        mine = [a for line in lines for a in line.adjustments]
        contested = [a for a in mine if not _routine(a, any(line.paid > 0 for line in lines))]
        if n == 0:
            mine, contested = [*claim.adjustments, *mine], [*claim_level, *contested]
        out.append(Denial(claim, lines, mine, contested, part="+".join(line.cpt or "?" for line in lines)))
    return out


def decide(denial: Denial, table: CodeTable) -> Decision:
    """The action, and whether a code the table lacks leaves it for review (an unknown remark
    may take appeal rights away, as MA130 does, so even a known CARC's action is then checked)."""
    decision = _decide(denial, table)
    unknown = unknown_codes(denial, table)
    if not unknown:
        return decision
    note = (
        ""
        if "not in the code table" in decision.rule
        else f"; not in the code table: {', '.join(unknown)[:80]} (review)"
    )
    return replace(decision, rule=decision.rule + note, review=True)


def unknown_codes(denial: Denial, table: CodeTable) -> list[str]:
    """The contested CARCs and the remarks of this denial that the code table does not hold."""
    remarks = [*denial.claim.rarcs, *(r for a in denial.contested for r in a.rarcs)]
    carcs = [a.code for a in denial.contested if a.carc not in table.carc]
    return list(dict.fromkeys([*carcs, *(r for r in remarks if r not in table.rarc)]))


def _decide(denial: Denial, table: CodeTable) -> Decision:
    remarks = list(dict.fromkeys([*denial.claim.rarcs, *(r for a in denial.contested for r in a.rarcs)]))
    ruled = [(action, table.rarc[r], r) for r in remarks if r in table.rarc and (action := table.rarc[r].action)]
    first = _first(denial)
    if ruled:
        action, row, code = min(ruled, key=lambda ruling: ORDER.index(ruling[0]))
        return Decision(action, f"remark {code}: {row.title} (the remark decides)", first)
    if not denial.contested:
        return Decision(
            "appeal", "the claim was denied (CLP02 = 4) without a reason code: appeal or ask the payer", first
        )
    if all(a.group == "PR" for a in denial.contested):
        top = max(denial.contested, key=lambda a: a.amount)
        return Decision("patient_responsibility", f"{top.code}: only the patient's share is left (group PR)", top.code)
    payer_side = [a for a in denial.contested if a.group != "PR"]
    known = [
        (action, table.carc[a.carc], a)
        for a in payer_side
        if a.carc in table.carc and (action := table.carc[a.carc].action)
    ]
    unknown = [a for a in payer_side if a.carc not in table.carc]
    if known:
        action, row, adjustment = min(known, key=lambda ruling: (ORDER.index(ruling[0]), -ruling[2].amount))
        return Decision(action, f"{adjustment.code}: {row.title} (code table default)", adjustment.code)
    top = max(unknown or payer_side, key=lambda a: a.amount)
    return Decision("appeal", f"{top.code}: not in the code table; appeal until someone reviews it", top.code)


def _first(denial: Denial) -> str:
    if denial.contested:
        return max(denial.contested, key=lambda a: a.amount).code
    every = denial.adjustments
    return max(every, key=lambda a: a.amount).code if every else "OA-A1"


def _routine(adjustment: Adjustment, paid: bool) -> bool:
    """A negative or zero adjustment (the payer paid more) is never a denial."""
    if adjustment.amount <= 0:
        return True
    return paid and (adjustment.group, adjustment.carc) in ROUTINE


def _reasons(adjustments: list[Adjustment]) -> tuple:
    return tuple(sorted({(a.group, a.carc) for a in adjustments}))
