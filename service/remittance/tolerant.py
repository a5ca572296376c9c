"""One 835 claim read from its raw segments, for a claim x12sdk's strict models reject.

Payers send segments the implementation guide does not allow (a corrected-patient NM1*74 with
no name, a qualifier outside the code list, an optional element left out in the wrong way), and
the strict models then reject the whole claim. The values a case needs (CLP, CAS, SVC, DTM,
NM1*QC, LQ, MOA/MIA) are still there by position, so they are read by position; only money that
is not a number, or a claim with no CLP total, still loses the claim (nothing is guessed).
"""

import re
from decimal import Decimal, InvalidOperation

from service.models import Adjustment, RemitClaim, RemitLine
from service.remittance.segments import ClaimBlock, Segment, composite, x12_date

REMARK = re.compile(r"^(M|MA|N)\d{1,4}$")
MOA_REMARKS = range(3, 8)
MIA_REMARKS = (5, 20, 21, 22, 23)
CAS_TRIPLES = range(2, 20, 3)
"""CAS02/03, 05/06 ... 17/18: reason and amount, six times."""


class TolerantReadError(ValueError):
    """The claim's money cannot be read even by position; names the segment, never a value of a
    segment that may name a person."""

    def __init__(self, segment: Segment, message: str):
        super().__init__(message)
        self.segment = segment


def read_claim(header: list[Segment], block: ClaimBlock, component: str) -> RemitClaim:
    clp = block.segments[0]
    starts = [i for i, s in enumerate(block.segments) if s.name == "SVC"] + [len(block.segments)]
    own = block.segments[: starts[0]]
    lines = [_line(block.segments[a:b], component) for a, b in zip(starts, starts[1:])]
    patient = next((s for s in own if s.name == "NM1" and s.get(1) == "QC"), None)
    dates = {s.get(1): x12_date(s.get(2)) for s in own if s.name == "DTM"}
    first_line_date = min((line.date_of_service for line in lines if line.date_of_service), default=None)
    payer = next((s for s in header if s.name == "N1" and s.get(1) == "PR"), None)
    bpr = next((s for s in header if s.name == "BPR"), None)
    production = next((s for s in header if s.name == "DTM" and s.get(1) == "405"), None)
    share = clp.get(5)
    return RemitClaim(
        claim_number=clp.get(1),
        payer_claim_number=clp.get(7) or None,
        status_code=clp.get(2),
        filing_code=clp.get(6) or None,
        charge=_money(clp, 3, required=True),
        paid=_money(clp, 4, required=True),
        patient_share=_money(clp, 5) if share else None,
        patient_name=_person(patient),
        patient_id=(patient.get(9) or None) if patient is not None else None,
        date_of_service=dates.get("232") or first_line_date,
        service_end=dates.get("233"),
        payer=payer.get(2) or None if payer is not None else None,
        payer_id=payer.get(4) or None if payer is not None else None,
        remittance_date=(x12_date(bpr.get(16)) if bpr is not None else None)
        or (x12_date(production.get(2)) if production else None),
        adjustments=[a for s in own if s.name == "CAS" for a in _adjustments(s, [], None)],
        rarcs=_remarks(block.segments),
        lines=lines,
        segment=clp.position,
    )


def _line(segments: list[Segment], component: str) -> RemitLine:
    svc = segments[0]
    parts = composite(svc.get(1), component)
    cpt = parts[1] if len(parts) > 1 and parts[1] else None
    dates = {s.get(1): x12_date(s.get(2)) for s in segments if s.name == "DTM"}
    rarcs = [s.get(2).upper() for s in segments if s.name == "LQ" and s.get(1) == "HE" and s.get(2)]
    control = next((s.get(2) for s in segments if s.name == "REF" and s.get(1) == "6R" and s.get(2)), None)
    units = svc.get(5)
    return RemitLine(
        cpt=cpt,
        modifiers=[m for m in parts[2:6] if m],
        charge=_money(svc, 2, required=True),
        paid=_money(svc, 3, required=True),
        units=float(_decimal(svc, 5)) if units else None,
        date_of_service=dates.get("472") or dates.get("150"),
        control_number=control,
        adjustments=[a for s in segments if s.name == "CAS" for a in _adjustments(s, rarcs, cpt)],
        rarcs=rarcs,
        segment=svc.position,
    )


def _adjustments(cas: Segment, rarcs: list[str], cpt: str | None) -> list[Adjustment]:
    group = cas.get(1).upper()
    return [
        Adjustment(group=group, carc=cas.get(n).upper(), amount=_money(cas, n + 1), rarcs=list(rarcs), cpt=cpt)
        for n in CAS_TRIPLES
        if cas.get(n)
    ]


def _remarks(segments: list[Segment]) -> list[str]:
    """MOA/MIA remark codes: claim-level segments, read wherever a payer put them."""
    out = []
    for s in segments:
        positions = MOA_REMARKS if s.name == "MOA" else MIA_REMARKS if s.name == "MIA" else ()
        out += [s.get(n).upper() for n in positions if REMARK.match(s.get(n).upper())]
    return out


def _person(nm1: Segment | None) -> str | None:
    if nm1 is None:
        return None
    first = " ".join(p for p in (nm1.get(4), nm1.get(5)) if p)
    last = nm1.get(3)
    return (f"{first} {last}".strip() if first else last) or None


def _money(segment: Segment, n: int, required: bool = False) -> float:
    if not segment.get(n) and not required:
        return 0.0
    return float(_decimal(segment, n))


def _decimal(segment: Segment, n: int) -> Decimal:
    try:
        value = Decimal(segment.get(n))
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise TolerantReadError(segment, f"{segment.name} element {n:02d} is not a number")
    return value
