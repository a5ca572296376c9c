"""Checks through the API: a stored case's month checked (and kept, sealed, when asked), uploaded
files checked without keeping anything, and the kept checks read back: the newest of each case
for a month and code, as a list or CSV, and the requirements they miss most often.

A kept result holds quotes of the record, so it is sealed like an appeal; only the code, the
month and whether the month is ready stay clear, for the filters.
"""

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from service.casework.cases import case_fields, find_case
from service.casework.check_report import checks_csv, missing_counts
from service.casework.check_views import CheckRequest, StoredCheck
from service.casework.checks import check_case, check_files, month_bounds
from service.casework.staff import emails
from service.casework.state import Workspace, new_id
from service.casework.views import MissingRequirement
from service.errors import BadUploadError, CaseNotFoundError, CheckFieldsError, InputError
from service.models import CheckPatient, CheckResult
from service.store.db import CaseRow, CheckRow

MAX_FILES = 20
"""Files one check of uploads may read."""


def billable_code(ws: Workspace, code: str, month: str) -> str:
    """The code as the billing rules spell it; 422 `invalid_month` or 404 `unknown_code` first."""
    month_bounds(month)
    return ws.components.knowledge.billable(code).code.code


def check_stored_case(ws: Workspace, tenant: str, actor: str, request: CheckRequest) -> tuple[CheckResult, str | None]:
    """The case's month checked; (the result, the kept check's id when `store` asked for it)."""
    result = check_case(ws, tenant, request.case_id, request.code, request.month)
    check_id = keep_check(ws, tenant, actor, request.case_id, result) if request.store else None
    return result, check_id


def keep_check(ws: Workspace, tenant: str, actor: str, case_id: str, result: CheckResult) -> str:
    check_id = new_id("chk")
    sealed = ws.cipher.seal(result.model_dump_json().encode(), f"check:{check_id}")
    try:
        with ws.sessions.begin() as session:
            find_case(session, tenant, case_id)
            session.add(
                CheckRow(
                    id=check_id,
                    tenant=tenant,
                    case_id=case_id,
                    code=result.code,
                    month=result.month,
                    ready=result.ready,
                    result=sealed,
                    created_by=actor,
                )
            )
    except IntegrityError:  # the case was deleted while it was being checked
        raise CaseNotFoundError("no such case") from None
    return check_id


def patient_of(fields: str) -> CheckPatient:
    """The `fields` form part: JSON of the patient's fields (a claim's case fields also do)."""
    try:
        return CheckPatient.model_validate_json(fields)
    except ValidationError as exc:
        errors = exc.errors()
        if not errors or errors[0]["type"] == "json_invalid":
            raise CheckFieldsError("'fields' is not JSON: send the patient's fields as a JSON object") from None
        where = ".".join(str(p) for p in errors[0]["loc"]) or "fields"
        raise CheckFieldsError(f"fields '{where}': {errors[0]['msg']}") from None


def check_uploads(ws: Workspace, code: str, month: str, fields: str, files: list[tuple[str, bytes]]) -> CheckResult:
    """Uploaded PDFs checked in memory: each refused as a document upload would be (type,
    password, damage, pages) before any is read; nothing is kept. File names stay out of errors."""
    code, month = code.strip(), month.strip()
    billable_code(ws, code, month)
    patient = patient_of(fields)
    if not files:
        raise BadUploadError("send the record PDFs as one or more 'files' parts")
    if len(files) > MAX_FILES:
        raise BadUploadError(f"send at most {MAX_FILES} files in one check")
    from service.records.pdf import inspect_pdf  # the PDF reader only when files come

    for name, data in files:
        try:
            inspect_pdf(data, name, ws.settings)
        except InputError as exc:
            raise exc.without_name(name) from None
    try:
        return check_files(ws, patient, code, month, files)
    except InputError as exc:
        for name, _ in files:
            exc.without_name(name)
        raise exc from None


def _open(ws: Workspace, row: CheckRow) -> CheckResult:
    return CheckResult.model_validate_json(ws.cipher.open(row.result, f"check:{row.id}"))


def _newest(rows: list[CheckRow]) -> list[CheckRow]:
    """The newest row of each case, code and month (rows come newest first)."""
    seen: dict[tuple[str, str, str], CheckRow] = {}
    for row in rows:
        seen.setdefault((row.case_id, row.code, row.month), row)
    return list(seen.values())


def newest_checks(ws: Workspace, tenant: str, month: str, code: str) -> list[StoredCheck]:
    """The newest kept check of each of the tenant's cases for the month and code; months not
    ready first, then by patient."""
    code, month = billable_code(ws, code, month), month.strip()
    query = (
        select(CheckRow)
        .where(CheckRow.tenant == tenant, CheckRow.month == month, CheckRow.code == code)
        .order_by(CheckRow.created_at.desc())
    )
    with ws.session() as session:
        rows = _newest(list(session.scalars(query)))
        cases = {c.id: c for c in session.scalars(select(CaseRow).where(CaseRow.id.in_([r.case_id for r in rows])))}
        staff = emails(session, tenant)
    out = []
    for row in rows:
        case = cases.get(row.case_id)
        if case is None:  # deleted since the query
            continue
        fields = case_fields(ws, case)
        out.append(
            StoredCheck(
                id=row.id,
                case_id=row.case_id,
                claim_number=fields.claim_number,
                patient_name=fields.patient_name,
                assignee=case.assignee,
                assignee_email=staff.get(case.assignee or ""),
                checked_at=row.created_at,
                result=_open(ws, row),
            )
        )
    return sorted(out, key=lambda c: (c.result.ready, c.patient_name.lower(), c.claim_number))


def label(check: StoredCheck) -> str:
    """The patient as the queue names them: name, then the claim number."""
    return f"{check.patient_name} ({check.claim_number})"


def newest_checks_csv(ws: Workspace, tenant: str, month: str, code: str) -> str:
    return checks_csv((label(c), c.result) for c in newest_checks(ws, tenant, month, code))


def missing_requirements(ws: Workspace, tenant: str, month: str | None = None) -> list[MissingRequirement]:
    """The prevention report over the newest kept check of each case, code and month."""
    query = select(CheckRow).where(CheckRow.tenant == tenant).order_by(CheckRow.created_at.desc())
    if month is not None:
        month_bounds(month)
        query = query.where(CheckRow.month == month.strip())
    with ws.session() as session:
        rows = _newest(list(session.scalars(query)))
    counts = missing_counts(_open(ws, row) for row in rows)
    return [MissingRequirement(id=req_id, title=title, count=n) for req_id, title, n in counts]
