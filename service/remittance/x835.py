"""X12 835 remittances read into `RemitClaim`s, one claim at a time.

x12sdk tokenizes the interchange (delimiters from the ISA segment) and validates each claim as a
typed 835 transaction. Its models validate a transaction whole, so one bad claim would lose every
claim beside it: each claim is therefore validated on its own, inside a copy of its
transaction's header. A claim that fails is read again by element position (`tolerant`) and kept
with a note naming the segment; only one whose money cannot be read is reported and left out,
while the others are kept. Values that name a patient are never put in an error message.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from pydantic import ValidationError
from x12sdk.io import X12ModelReader, X12SegmentReader

from service.errors import RemittanceError
from service.models import Adjustment, RemitClaim, RemitError, RemitLine
from service.remittance.segments import ClaimBlock, Envelope, Segment, Transaction, composite, x12_date
from service.remittance.tolerant import TolerantReadError, read_claim

ISA_LENGTH = 106
MAX_CLAIMS = 20_000
"""About a minute of reading (x12sdk validates some 400 claims a second here): a larger file is
refused at once rather than holding a request for many minutes."""
CLAIM_START = "CLP"
CLAIM_SEGMENTS = {"CLP", "CAS", "NM1", "MIA", "MOA", "REF", "DTM", "PER", "AMT", "QTY", "SVC", "LQ"}
NAMED_SEGMENTS = {"NM1", "N1", "N3", "N4", "PER"}
"""Segments whose values may name a person: their values are never quoted in an error."""
VERSIONS = ("005010X221", "005010X221A1")
RETIRED = "004010"
"""HIPAA's 4010 835 (004010X091, X091A1), replaced by 5010 in 2012: its loops differ."""


@dataclass
class Remittance:
    claims: list[RemitClaim] = field(default_factory=list)
    errors: list[RemitError] = field(default_factory=list)


def read_835(data: bytes, max_claims: int = MAX_CLAIMS) -> Remittance:
    """Every claim of every 835 transaction in the file; what cannot be read is in `errors`."""
    text = _decode(data)
    envelope, segments = _tokenize(text)
    count = sum(1 for segment in segments if segment.name == CLAIM_START)
    if count > max_claims:
        raise RemittanceError(
            f"the file holds {count} claims; import at most {max_claims:,} at a time (split the file by transaction)"
        )
    out = Remittance()
    for transaction in _transactions(envelope, segments, out.errors):
        out.claims += _read_transaction(envelope, transaction, out.errors)
    if not out.claims and not out.errors:
        out.errors.append(
            RemitError(claim=None, segment=None, message="the remittance holds no claims (no CLP segment)")
        )
    return out


def _decode(data: bytes) -> str:
    if not data.strip():
        raise RemittanceError("the file is empty")
    text = data.decode("utf-8-sig", errors="replace").lstrip()
    if not text.startswith("ISA"):
        raise RemittanceError("not an X12 file: an 835 begins with an ISA segment")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _tokenize(text: str) -> tuple[Envelope, list[Segment]]:
    """Delimiters from the fixed-width ISA segment (checked first: a broken one would split the
    whole file wrongly), then x12sdk's segment reader."""
    isa = text[:ISA_LENGTH]
    element = isa[3:4]
    parts = isa.split(element) if element else []
    if len(isa) < ISA_LENGTH or len(parts) != 17 or len(parts[16]) != 2:
        raise RemittanceError(
            "the ISA segment (segment 1) is not the fixed 106 characters with 16 elements, so its delimiters cannot be read"
        )
    component, terminator = parts[16][0], parts[16][1]
    if len({element, component, terminator}) < 3 or any(c.isalnum() for c in (element, component, terminator)):
        raise RemittanceError(
            "the ISA segment (segment 1) declares unusable delimiters (letters, digits or the same character twice)"
        )
    if terminator == "\n":  # x12sdk's reader drops line breaks: give the file a terminator it keeps
        terminator = next(c for c in ("~", "\x1c", "\x1d", "\x1e", "\x07") if c not in text)
        text = text.replace("\n", terminator)
    segments: list[Segment] = []
    with X12SegmentReader(text) as reader:
        for position, (name, fields) in enumerate(reader.segments(), start=1):
            name = name.strip()
            if name:
                segments.append(Segment(position, name, fields))
    gs = next((s for s in segments if s.name == "GS"), None)
    return Envelope(segments[0], gs, element, terminator, component), segments


def _transactions(envelope: Envelope, segments: list[Segment], errors: list[RemitError]) -> list[Transaction]:
    _check_version(envelope, segments)
    out: list[Transaction] = []
    current: Transaction | None = None
    lx: Segment | None = None
    open_claim = False
    """An LX ends the claim before it: its TS3/TS2 provider summaries belong to no claim."""
    for segment in segments:
        if segment.name == "ST":
            if current is not None:
                errors.append(
                    RemitError(
                        claim=None,
                        segment=segment.position,
                        message="ST before the previous transaction's SE; the previous one is read as far as it went",
                    )
                )
                out.append(current)
            current, lx, open_claim = Transaction(header=[segment]), None, False
            kind = segment.fields[1][:6] if len(segment.fields) > 1 else "(none)"
            if kind != "835":
                errors.append(
                    RemitError(
                        claim=None,
                        segment=segment.position,
                        message=f"transaction set {kind} is not an 835 remittance; skipped",
                    )
                )
                current = None
        elif current is None:
            if segment.name not in ("ISA", "GS", "GE", "IEA", "SE"):
                errors.append(
                    RemitError(
                        claim=None,
                        segment=segment.position,
                        message=f"{segment.name} outside a transaction (no ST before it)",
                    )
                )
        elif segment.name == "SE":
            out.append(current)
            current = None
        elif segment.name == "PLB":
            continue
        elif segment.name == "LX":
            lx, open_claim = segment, False
        elif segment.name == CLAIM_START:
            current.claims.append(ClaimBlock(lx, [segment]))
            open_claim = True
        elif open_claim:
            current.claims[-1].segments.append(segment)
        elif lx is None:
            current.header.append(segment)
    if current is not None:
        errors.append(
            RemitError(
                claim=None,
                segment=None,
                message="the file ends inside a transaction (no SE); its claims were read as far as they went",
            )
        )
        out.append(current)
    return out


def _check_version(envelope: Envelope, segments: list[Segment]) -> None:
    """The group's version (GS08), or an 835's own (ST03) where it gives one, must be 5010 X221: a
    4010 file is named as such, since its loops would otherwise fail as if the file were broken."""
    declared = [envelope.gs.get(8)] if envelope.gs is not None else []
    declared += [s.get(3) for s in segments if s.name == "ST" and s.get(1) == "835"]
    for version in filter(None, declared):
        if version.startswith(RETIRED):
            raise RemittanceError(
                f"the file is an X12 4010 remittance (version {version[:12]}), retired in 2012; only the 5010 835 "
                "(005010X221A1) is read: ask the payer or clearinghouse for the file in 5010"
            )
        if version not in VERSIONS:
            raise RemittanceError(f"the functional group is version {version[:12]}, not the 835 version 005010X221A1")


def _read_transaction(envelope: Envelope, transaction: Transaction, errors: list[RemitError]) -> list[RemitClaim]:
    """The whole transaction validated at once (one parse, the usual case); if it fails, each
    claim on its own, so the bad one is found and the others kept."""
    blocks = []
    for block in transaction.claims:
        stray = next((s for s in block.segments if s.name not in CLAIM_SEGMENTS), None)
        if stray is None:
            blocks.append(block)
        else:
            errors.append(
                RemitError(
                    claim=_number(block),
                    segment=stray.position,
                    message=f"segment {stray.name[:3]} is not one an 835 claim may hold",
                )
            )
    if not blocks:
        return []
    try:
        model = _validate(envelope, transaction, blocks)
        paid = list(model.claims())
    except Exception:  # noqa: BLE001  any failure here is found again, claim by claim, below
        paid = []
    if len(paid) == len(blocks):
        return [
            c for c in (_checked(_claim(p, model.header, envelope, b), b, errors) for p, b in zip(paid, blocks)) if c
        ]
    return [c for c in (_read_claim(envelope, transaction, b, errors) for b in blocks) if c]


def _number(block: ClaimBlock) -> str | None:
    clp = block.segments[0]
    return clp.fields[1][:64] if len(clp.fields) > 1 and clp.fields[1] else None


def _checked(claim: RemitClaim, block: ClaimBlock, errors: list[RemitError]) -> RemitClaim | None:
    if claim.patient_name is None:
        errors.append(
            RemitError(
                claim=_number(block),
                segment=block.segments[0].position,
                message="the claim has no patient segment (NM1*QC), which an 835 claim requires",
            )
        )
        return None
    return claim


def _read_claim(
    envelope: Envelope, transaction: Transaction, block: ClaimBlock, errors: list[RemitError]
) -> RemitClaim | None:
    """The claim through x12sdk's models; if they reject it, read by position (`tolerant`) and
    kept with the strict reading's complaint as a note, unless even its money cannot be read."""
    clp = block.segments[0]
    number = _number(block)
    try:
        model = _validate(envelope, transaction, [block])
    except ValidationError as exc:
        return _tolerated(envelope, transaction, block, _describe(exc, transaction, block, number), errors)
    except Exception:  # noqa: BLE001  x12sdk's own parse errors (a loop it cannot place, a segment it does not know) share no type
        strict = RemitError(
            claim=number, segment=clp.position, message="the claim's segments are not in an order an 835 allows"
        )
        return _tolerated(envelope, transaction, block, strict, errors)
    return _checked(_claim(next(iter(model.claims())), model.header, envelope, block), block, errors)


def _tolerated(
    envelope: Envelope, transaction: Transaction, block: ClaimBlock, strict: RemitError, errors: list[RemitError]
) -> RemitClaim | None:
    try:
        claim = read_claim(transaction.header, block, envelope.component)
    except TolerantReadError:
        errors.append(strict)
        return None
    if claim.patient_name is None:
        errors.append(strict)
        return _checked(claim, block, errors)
    errors.append(
        strict.model_copy(
            update={"kept": True, "message": f"{strict.message}; the claim was kept, read leniently: check it"}
        )
    )
    return claim


def _validate(envelope: Envelope, transaction: Transaction, blocks: list[ClaimBlock]):
    """The claims inside their transaction's header, as an 835 for x12sdk's models (a claim
    before any LX gets one: x12sdk needs the loop)."""
    body = list(transaction.header)
    last = None
    for block in blocks:
        lx = block.lx or Segment(0, "LX", ["LX", "1"])
        if lx is not last:
            body.append(lx)
            last = lx
        body += block.segments
    st = transaction.header[0].fields
    se = ["SE", str(len(body) + 1), st[2] if len(st) > 2 else "0001"]
    gs = (
        envelope.gs.fields
        if envelope.gs is not None
        else ["GS", "HP", "S", "R", "20000101", "0000", "1", "X", "005010X221A1"]
    )
    rows = [
        envelope.isa.fields,
        gs,
        *(s.fields for s in body),
        se,
        ["GE", "1", gs[6]],
        ["IEA", "1", envelope.isa.fields[13]],
    ]
    text = "".join(envelope.element.join(row) + envelope.terminator for row in rows)
    with X12ModelReader(text) as reader:
        models = list(reader.models())
    if len(models) != 1:
        raise ValueError("not one transaction")
    return models[0]


def _describe(exc: ValidationError, transaction: Transaction, block: ClaimBlock, number: str | None) -> RemitError:
    """The first validation failure as a segment position and a message naming the element."""
    problem = exc.errors()[0]
    if "segment count" in problem["msg"]:  # x12sdk set a segment aside it could not place in a loop
        return RemitError(
            claim=number,
            segment=block.segments[0].position,
            message="a segment of the claim is not where an 835 loop allows it",
        )
    loc = [str(part) for part in problem["loc"]]
    scope = block.segments
    if loc and loc[0] in ("header", "loop_1000a", "loop_1000b"):
        scope = transaction.header
    elif "loop_2110" in loc and loc.index("loop_2110") + 1 < len(loc):
        index = int(loc[loc.index("loop_2110") + 1])
        starts = [i for i, s in enumerate(block.segments) if s.name == "SVC"]
        if index < len(starts):
            end = starts[index + 1] if index + 1 < len(starts) else len(block.segments)
            scope = block.segments[starts[index] : end]
    else:
        first_svc = next((i for i, s in enumerate(block.segments) if s.name == "SVC"), len(block.segments))
        scope = block.segments[:first_svc]
    named = [part for part in loc if part.endswith("_segment")]
    name = named[-1].removesuffix("_segment").upper() if named else "CLP"
    after = loc[loc.index(named[-1]) + 1 :] if named else []
    nth = int(after[0]) if after and after[0].isdigit() else 0
    matches = [s for s in scope if s.name == name]
    if problem["type"] == "missing" and not matches:
        owner = "the transaction's header (payer, payee)" if scope is transaction.header else "the claim"
        return RemitError(
            claim=number,
            segment=block.segments[0].position,
            message=f"{owner} has no {name} segment, which an 835 requires",
        )
    segment = matches[nth] if nth < len(matches) else (matches[0] if matches else block.segments[0])
    element = next((part for part in reversed(after) if not part.isdigit()), None)
    where = f"{name} {element.replace('_', ' ')}" if element else name
    detail = "" if name in NAMED_SEGMENTS else f": {problem['msg'][:120]}"
    return RemitError(claim=number, segment=segment.position, message=f"{where} is not valid{detail}")


def _claim(paid, header, envelope: Envelope, block: ClaimBlock) -> RemitClaim:
    loop = paid.claim
    clp = loop.clp_segment
    patient = next((n for n in loop.nm1_segment if _code(n.entity_identifier_code) == "QC"), None)
    dates = {_code(d.date_time_qualifier): x12_date(d.production_date) for d in loop.dtm_segment or []}
    bpr = header.bpr_segment
    production = header.dtm_segment
    svcs = [s for s in block.segments if s.name == "SVC"]
    lines = [_line(svc, envelope, segment.position) for svc, segment in zip(paid.service_lines, svcs)]
    first_line_date = min((line.date_of_service for line in lines if line.date_of_service), default=None)
    patient_share = clp.patient_responsibility_amount
    return RemitClaim(
        claim_number=clp.patient_control_number,
        payer_claim_number=clp.payer_claim_control_number or None,
        status_code=_code(clp.claim_status_code),
        filing_code=_code(clp.claim_filing_indicator_code) or None,
        charge=_money(clp.total_claim_charge_amount),
        paid=_money(clp.claim_payment_amount),
        patient_share=_money(patient_share) if patient_share is not None else None,
        patient_name=_person(patient),
        patient_id=patient.identification_code if patient is not None else None,
        date_of_service=dates.get("232") or first_line_date,
        service_end=dates.get("233"),
        payer=paid.payer_name,
        payer_id=getattr(paid.payer.n1_segment, "identification_code", None),
        remittance_date=x12_date(bpr.eft_effective_date)
        or (x12_date(production.production_date) if production else None),
        adjustments=[a for cas in paid.adjustments for a in _adjustments(cas, [], None)],
        rarcs=_claim_remarks(loop),
        lines=lines,
        segment=block.segments[0].position,
    )


def _line(svc, envelope: Envelope, position: int) -> RemitLine:
    seg = svc.svc_segment
    parts = composite(seg.composite_medical_procedure_identifier_1 or "", envelope.component)
    cpt = parts[1] if len(parts) > 1 and parts[1] else None
    dates = {_code(d.date_time_qualifier): x12_date(d.production_date) for d in svc.dtm_segment or []}
    rarcs = [
        str(lq.form_identifier).upper()
        for lq in svc.lq_segment or []
        if _code(lq.code_list_qualifier_code) == "HE" and lq.form_identifier
    ]
    control = next(
        (
            r.reference_identification
            for r in svc.ref_segment or []
            if _code(r.reference_identification_qualifier) == "6R"
        ),
        None,
    )
    units = seg.units_of_service_paid_count
    return RemitLine(
        cpt=cpt,
        modifiers=[m for m in parts[2:6] if m],
        charge=_money(seg.line_item_charge_amount),
        paid=_money(seg.line_item_provider_payment_amount),
        units=float(units) if units is not None else None,
        date_of_service=dates.get("472") or dates.get("150"),
        control_number=control,
        adjustments=[a for cas in svc.cas_segment or [] for a in _adjustments(cas, rarcs, cpt)],
        rarcs=rarcs,
        segment=position,
    )


def _adjustments(cas, rarcs: list[str], cpt: str | None):
    group = _code(cas.adjustment_group_code)
    for n in range(1, 7):
        reason = getattr(cas, f"adjustment_reason_code_{n}", None)
        if reason:
            amount = getattr(cas, f"monetary_amount_{n}", None)
            yield Adjustment(group=group, carc=str(reason).upper(), amount=_money(amount), rarcs=list(rarcs), cpt=cpt)


def _claim_remarks(loop) -> list[str]:
    out = []
    for segment in (loop.moa_segment, loop.mia_segment):
        if segment is None:
            continue
        for name in type(segment).model_fields:
            value = getattr(segment, name, None)
            if "remark_code" in name and value:
                out.append(str(value).upper())
    return out


def _person(nm1) -> str | None:
    if nm1 is None:
        return None
    first = " ".join(p for p in (nm1.name_first, nm1.name_middle) if p)
    last = nm1.name_last_or_organization_name
    return f"{first} {last}".strip() if first else last


def _code(value) -> str:
    return str(getattr(value, "value", value) or "")


def _money(value: Decimal | None) -> float:
    return float(value) if value is not None else 0.0
