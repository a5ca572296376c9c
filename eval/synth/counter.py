"""Counter-evidence: sentences staff write that weaken a requirement without removing it
(a failed call, a non-clinical minute, a form not yet back, readings phoned in).

They go on legitimate pages, next to the evidence they undercut, are never gold facts or
relevant quotes, and are listed in the gold so a letter that quotes them as support is caught.
Each entry is (terse, prose); {d} is a day in the month, {a}-{b} a gap in device data.
"""

from __future__ import annotations

import random

from .compose import Para
from .model import Ctx, Section, phrase_pattern
from .voice import Voice

C = {
    "consent": [
        (
            "Written consent form mailed {d}, not yet returned",
            "The written consent form mailed on {d} has not been returned yet.",
        ),
        (
            "Signed consent form not scanned into chart - requested from front desk",
            "The signed consent form is not yet scanned into the chart.",
        ),
        (
            "Pt asked to think over the cost before signing the paper form",
            "The patient asked for time to think over the cost before signing the paper form.",
        ),
    ],
    "time_log": [
        (
            "{d} front desk scheduling call 6 min - time not counted, non-clinical staff",
            "A 6-minute scheduling call by front desk staff on {d} was not counted (non-clinical staff).",
        ),
        (
            "{d} call attempted x2, no answer, VM left - not counted",
            "On {d} two call attempts went unanswered and a voicemail was left; not counted.",
        ),
        (
            "Billing office call re statement {d} not counted - non-clinical staff",
            "A billing office call about a statement on {d} was not counted as care time.",
        ),
    ],
    "coordination_activities": [
        (
            "Fax to specialist office failed x2 {d}, will resend",
            "A fax to the specialist office failed twice on {d} and will be resent.",
        ),
        (
            "Called home health agency {d} - no answer, msg left, no callback yet",
            "A call to the home health agency on {d} went unanswered; no callback yet.",
        ),
    ],
    "care_transitions": [
        (
            "D/C summary not available at time of call - requested from hospital",
            "The discharge summary was not available at the time of the call and was requested.",
        ),
        (
            "First call attempt after d/c: no answer, VM left",
            "The first call attempt after discharge was not answered; a voicemail was left.",
        ),
    ],
    "device_order": [
        (
            "Vendor shipment delayed 3 days, pt notified",
            "The vendor shipment was delayed by 3 days and the patient was notified.",
        ),
        (
            "Pt also keeps a paper log as backup per his/her preference",
            "The patient also keeps a paper log as a backup.",
        ),
    ],
    "automatic_transmission": [
        (
            "Pt phoned in {what} while the hub was offline {a}-{b} - not counted",
            "The patient phoned in {what} while the hub was offline {a}-{b}; these were not counted.",
        ),
        (
            "Readings entered manually by MA from pt's paper log for {a} - excluded from device days",
            "Readings for {a} were entered manually by the MA from the patient's paper log and excluded.",
        ),
    ],
    "ehr_integration": [
        (
            "Interface down {d}, readings backfilled next day by vendor",
            "The interface was down on {d}; readings were backfilled by the vendor the next day.",
        ),
        (
            "2 readings visible in vendor portal only, not in flowsheet - ticket open",
            "Two readings show in the vendor portal only, not in the flowsheet; a ticket is open.",
        ),
    ],
    "setup_education": [
        (
            "Caregiver not present for teaching - will need review",
            "The caregiver was not present for the teaching, which will need review.",
        ),
        (
            "Pt needed reminders on technique - re-teach planned",
            "The patient needed reminders on technique; a re-teach is planned.",
        ),
    ],
    "treatment_management": [
        (
            "Call attempted x2 {d}, no answer, VM left - not counted",
            "Two call attempts on {d} were not answered; a voicemail was left and no time was counted.",
        ),
        (
            "Pt declined to discuss readings {d}, call ended after 2 min - not counted",
            "On {d} the patient declined to discuss readings and the call ended after 2 minutes; not counted.",
        ),
    ],
    "problem_list": [
        (
            "Problem list not fully reconciled - outside records pending",
            "The problem list is not fully reconciled; outside records are pending.",
        ),
        (
            "Osteoporosis per pt report, not confirmed - not added",
            "Osteoporosis was reported by the patient but not confirmed and was not added.",
        ),
    ],
    "measurable_goals": [
        ("Pt declined to set a weight loss goal", "The patient declined to set a weight loss goal."),
        (
            "Goals not discussed w/ pt at last visit - pt too tired",
            "Goals were not discussed at the last visit because the patient was too tired.",
        ),
    ],
    "assessments": [
        ("Home safety visit offered, pt declined", "A home safety visit was offered and declined."),
        (
            "Caregiver not available for caregiver assessment, deferred",
            "The caregiver was not available, so the caregiver assessment was deferred.",
        ),
    ],
    "medication_management": [
        (
            "Pt did not bring pill bottles to last visit - list per pt report",
            "The patient did not bring pill bottles to the last visit; the list is per patient report.",
        ),
        (
            "Pharmacy fill hx incomplete - mail order pharmacy not connected",
            "Pharmacy fill history is incomplete because the mail order pharmacy is not connected.",
        ),
    ],
    "plan_shared_reviewed": [
        (
            "Care plan review visit {d} cancelled by pt - rescheduled",
            "The care plan review visit on {d} was cancelled by the patient and rescheduled.",
        ),
        (
            "Paper copy of care plan returned by USPS - undeliverable",
            "The mailed paper copy of the care plan came back as undeliverable.",
        ),
    ],
    "gap_registry": [
        (
            "Registry cannot read outside reports - some gaps may be closed elsewhere",
            "The registry cannot read outside reports, so some gaps may be closed elsewhere.",
        ),
        (
            "Registry run {d} missed pts w/o a visit in 12 mo",
            "The registry run on {d} missed patients without a visit in 12 months.",
        ),
    ],
    "gap_actions": [
        (
            "Pt declined one screening referral, wants to wait",
            "The patient declined one screening referral and wants to wait.",
        ),
        ("Left VM re screening {d}, no callback", "A voicemail about screening left on {d} got no callback."),
    ],
    "preventive_status": [
        (
            "Flu vaccine per pt report only, no record on file",
            "The flu vaccine is per patient report only; no record is on file.",
        ),
        ("LDL from outside lab, not verified", "The LDL result is from an outside lab and not verified."),
    ],
    "review_process": [
        (
            "Huddle cancelled one week this month - gaps reviewed by RN only",
            "One weekly huddle was cancelled this month; gaps were reviewed by the RN only.",
        )
    ],
    "interactive_time": [
        (
            "Call attempted x2 {d}, no answer, VM left",
            "Two call attempts on {d} went unanswered and a voicemail was left.",
        ),
        (
            "Portal message sent {d}, no reply - not interactive time",
            "A portal message sent on {d} got no reply and is not interactive time.",
        ),
    ],
    "engagement_measures": [
        ("Portal logins include caregiver proxy access", "The portal login count includes caregiver proxy access."),
        (
            "Pt reports skipping evening doses - adherence may be lower than fill data",
            "The patient reports skipping evening doses, so adherence may be lower than fill data.",
        ),
    ],
    "patient_goals": [
        (
            "Pt unsure of goals - says daughter set them",
            "The patient was unsure of the goals and said the daughter set them.",
        ),
        (
            "Goal progress per pt report only, not verified",
            "Goal progress is per patient report only and not verified.",
        ),
    ],
}
WHAT = {"bp": "BP values", "scale": "weights", "glucose": "glucose values"}


def _gap(readings: list, last: int) -> tuple[int, int] | None:
    have = {d for d, *_ in readings}
    for a in range(3, last - 2):
        if a not in have and a + 1 not in have:
            b = a + 1
            while b + 1 <= last and b + 1 not in have and b - a < 3:
                b += 1
            return a, b
    return None


def _text(tpl: tuple[str, str], ctx: Ctx, v: dict, vo: Voice, rng: random.Random) -> str | None:
    readings = v["readings"] if isinstance(v.get("readings"), list) else []
    taken = {r[0] for r in readings} | {c[0] for c in v.get("contacts", [])}
    free = [d for d in range(3, ctx.last_day.day - 1) if d not in taken] or [3]
    fill = {"d": vo.ds(ctx.day(rng.choice(free))), "what": WHAT.get(v.get("kind"), "readings")}
    if "{a}" in tpl[0]:
        if "{b}" in tpl[0]:
            gap = _gap(readings, ctx.last_day.day)
            if gap is None:
                return None
            fill["a"], fill["b"] = vo.ds(ctx.day(gap[0])), vo.ds(ctx.day(gap[1]))
        else:
            fill["a"] = fill["d"]
    if vo.style == "prose":
        return tpl[1].format(**fill)
    text = tpl[0].format(**fill)
    return text.replace("his/her", "pt's")


def plant(
    sections: list[Section], ctx: Ctx, v: dict, vo: Voice, rng: random.Random, page_for
) -> list[tuple[str, str, Para]]:
    """Add 1-2 counter sentences to sections of present requirements;
    returns (requirement, pattern, paragraph) for each."""
    reqs = sorted({s.requirement for s in sections if s.requirement in C})
    rng.shuffle(reqs)
    want, out = rng.choice([1, 2]), []
    for req in reqs:
        if len(out) >= want:
            break
        secs = [s for s in sections if s.requirement == req]
        sec = rng.choice(secs)
        tpls = list(C[req])
        rng.shuffle(tpls)
        for tpl in tpls:
            text = _text(tpl, ctx, v, vo, rng)
            if text is None:
                continue
            shown = {"ehr": f"- {text}", "fax": f"Note: {text}"}.get(vo.style, text)
            para = Para(shown, req=None)
            sec.blocks.append(para)
            if vo.fits(page_for([sec], ctx)):
                out.append((req, phrase_pattern(text), para))
                break
            sec.blocks.pop()
    return out
