"""A remittance (X12 835) imported as triaged cases: one per denied claim, or per group of lines
denied for different reasons. The same claim imported again (same payer claim control number)
updates its case, keeping its documents, appeals and tracking."""

import hashlib
import hmac
import json

from pydantic import ValidationError
from sqlalchemy import select

from service.casework.state import Workspace, new_id
from service.casework.views import ImportedCase, RemittanceImport
from service.drafting.deadline import appeal_deadline
from service.errors import UnknownCodeError
from service.knowledge.unreviewed import needs_review
from service.models import CaseFields, RemitClaim, RemitError
from service.remittance.triage import PREDETERMINATION, REVERSAL, Decision, Denial, decide, denials
from service.remittance.x835 import read_835
from service.store.db import CaseRow, now

PAYER_TYPES = {"MA": "medicare", "MB": "medicare", "MC": "medicaid", "16": "medicare_advantage"}
"""CLP06 claim filing indicator to the payer types deadlines know (16 is Medicare Advantage)."""


def import_remittance(ws: Workspace, tenant: str, data: bytes) -> RemittanceImport:
    remittance = read_835(data)
    errors = list(remittance.errors)
    cases: list[ImportedCase] = []
    paid = 0
    for claim in remittance.claims:
        found = denials(claim)
        if not found:
            paid += claim.status_code not in (REVERSAL, PREDETERMINATION)
            continue
        for denial in found:
            decision = decide(denial, ws.components.knowledge.table)
            try:
                fields = case_fields(denial, decision)
                cases.append(_save(ws, tenant, denial, decision, fields))
            except (ValueError, UnknownCodeError) as exc:
                errors.append(RemitError(claim=claim.claim_number[:64], segment=claim.segment, message=_message(exc)))
    reversals = sum(1 for c in remittance.claims if c.status_code == REVERSAL)
    predeterminations = sum(1 for c in remittance.claims if c.status_code == PREDETERMINATION)
    return RemittanceImport(
        cases=cases,
        errors=errors,
        claims=len(remittance.claims),
        paid=paid,
        reversals=reversals,
        predeterminations=predeterminations,
    )


def _message(exc: Exception) -> str:
    """Why a claim made no case, naming the field but never its value (it may name a patient)."""
    if isinstance(exc, UnknownCodeError):
        return exc.message
    if isinstance(exc, ValidationError):
        where = ".".join(str(part) for part in exc.errors()[0]["loc"]) or "a field"
        return f"the claim's {where} cannot make a case: {exc.errors()[0]['msg'][:80]}"
    return str(exc)


def case_fields(denial: Denial, decision: Decision) -> CaseFields:
    """The claim fields a letter needs, from the remittance alone; a claim without a service
    date or patient cannot be a case (nothing is guessed)."""
    claim = denial.claim
    served = (
        min((line.date_of_service for line in denial.lines if line.date_of_service), default=None)
        or claim.date_of_service
    )
    if served is None:
        raise ValueError("the claim has no service date (DTM*472 on its lines or DTM*232 on the claim)")
    if not claim.patient_name or not claim.patient_id:
        raise ValueError("the claim names no patient with an ID (NM1*QC)")
    return CaseFields(
        claim_number=claim.claim_number[:64],
        patient_name=claim.patient_name[:200],
        patient_id=claim.patient_id[:64],
        date_of_service=served,
        payer=(claim.payer or "unknown payer")[:200],
        denial_code=decision.code,
        denial_date=claim.remittance_date,
        billed_cpt=list(dict.fromkeys(line.cpt for line in denial.lines if line.cpt)),
        payer_type=_payer_type(claim),
        adjustments=denial.adjustments,
    )


def _payer_type(claim: RemitClaim) -> str | None:
    if claim.filing_code in PAYER_TYPES:
        return PAYER_TYPES[claim.filing_code]
    return "commercial" if claim.filing_code else None


def claim_key(ws: Workspace, tenant: str, denial: Denial) -> str:
    claim = denial.claim
    identity = "|".join(
        [tenant, claim.payer_id or claim.payer or "", claim.payer_claim_number or _without_icn(claim), denial.part]
    )
    return hmac.new(ws.cache_secret, identity.encode(), hashlib.sha256).hexdigest()


def _without_icn(claim: RemitClaim) -> str:
    """A claim without the payer's control number (CLP07) is told apart by what else it holds:
    a patient account number (CLP01) is often shared, even by every claim of a file."""
    served = claim.date_of_service.isoformat() if claim.date_of_service else ""
    return "|".join([claim.claim_number, claim.patient_id or "", served, f"{claim.charge:.2f}"])


def _save(ws: Workspace, tenant: str, denial: Denial, decision: Decision, fields: CaseFields) -> ImportedCase:
    entry = ws.components.knowledge.for_case(decision.code)
    fields = fields.model_copy(update={"denial_code": entry.code})
    deadline = appeal_deadline(fields) if decision.action == "appeal" else None
    key = claim_key(ws, tenant, denial)
    adjustments = json.dumps([a.model_dump() for a in denial.adjustments])
    with ws.sessions.begin() as session:
        row = session.scalar(select(CaseRow).where(CaseRow.tenant == tenant, CaseRow.claim_key == key))
        created = row is None
        if created:
            row = CaseRow(id=new_id("cas"), tenant=tenant, claim_key=key, source="835", fields=b"")
            session.add(row)
        row.fields = ws.cipher.seal(fields.model_dump_json().encode(), f"case:{row.id}")
        row.denial_code, row.action, row.action_rule = entry.code, decision.action, decision.rule[:300]
        row.payer, row.deadline, row.amount_denied, row.adjustments = fields.payer, deadline, denial.amount, adjustments
        row.updated_at = now()
        case_id = row.id
    return ImportedCase(
        id=case_id,
        claim_number=fields.claim_number,
        adjustments=denial.adjustments,
        action=decision.action,
        action_rule=decision.rule,
        denial_code=entry.code,
        deadline=deadline,
        amount_denied=denial.amount,
        created=created,
        review=decision.review or needs_review(entry),
    )
