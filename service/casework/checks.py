"""Before you bill: a month's documentation checked against a billable code's requirements, by
the same road a letter takes (pages read, screened, evidence chosen per requirement), with the
month's minutes and reading days counted from the rows themselves.

A check of a case reads the documents the case already holds; a check of files (`overturn
check`, an upload to `POST /v1/checks`) reads them in memory under a throwaway case id and
removes their vectors afterwards: nothing is stored unless asked. The reading road (the pipeline, the PDF reader) is imported by the
functions that check: `cases list` and the stats need only what this module names.
"""

from datetime import date
from typing import TYPE_CHECKING

from service.casework.cases import case_fields, document_name
from service.casework.state import Workspace, new_id
from service.checks.months import month_bounds
from service.components import Components
from service.errors import DocumentsNotReadyError
from service.models import CaseFields, CheckPatient, CheckResult, RecordDocument
from service.store.db import DocumentRow

if TYPE_CHECKING:
    from service.checks.written_plans import WrittenPlan
    from service.evidence.selection import Selection
    from service.index.anchors import Scorer
    from service.models import Evidence, EvidenceRequirement, Page

CHECK_TENANT = "check"
"""The vector-store scope of checks of files: each gets its own case id, erased after the check."""


def check_fields(patient: CheckPatient | CaseFields, code: str, month: str) -> CaseFields:
    """The claim the month would be billed as: the patient's, dated the month's last day."""
    _, last = month_bounds(month)
    return CaseFields(
        claim_number=f"check {month}",
        patient_name=patient.patient_name,
        patient_id=patient.patient_id,
        date_of_service=last,
        payer="not billed yet",
        denial_code=code,
        billed_cpt=[code],
        provider_name=patient.provider_name,
        practice_name=patient.practice_name,
        patient_dob=patient.patient_dob,
        mrn=patient.mrn,
    )


def check_documents(
    fields: CaseFields,
    code: str,
    month: str,
    documents: list[RecordDocument],
    notes: list[str],
    components: Components,
    tenant: str,
    case_id: str,
) -> CheckResult:
    """The check itself, on pages already read."""
    from service.checks.agreements import service_sides, without_other_care
    from service.checks.conditions import condition_lines
    from service.checks.minutes import count_minutes
    from service.checks.patient import identity_confirmed
    from service.checks.reading_days import ReadingDays, reading_days
    from service.checks.verdicts import COUNTED, MonthFindings, judge
    from service.index.anchors import anchor_scorer
    from service.models import span_key
    from service.pipeline import analyse_documents, page_warnings

    first, last = month_bounds(month)
    billable = components.knowledge.billable(code)
    fields = check_fields(fields, billable.code.code, month)
    selected = [req for req in billable.requirements if req.id not in COUNTED]
    entry = billable.entry.model_copy(update={"evidence": selected, "billing_period": "calendar_month"})
    analysis = analyse_documents(fields, documents, notes, components, tenant, case_id, entry)
    screening = analysis.screening
    set_aside = {(e.document, e.page) for e in screening.excluded} if screening else set()
    withdrawals = sorted(
        ((s, d) for s, d in (screening.withdrawals if screening else []) if d is None or d <= last),
        key=lambda found: (found[1] is None, found[1] or first),
    )
    inside = [d for _, d in withdrawals if d is not None and d >= first]
    until = min(inside) if inside else None  # an earlier withdrawal puts consent at risk; it cuts no minutes
    pages = [page for document in documents for page in document.pages]
    minutes = count_minutes(pages, month, set_aside, until)
    wants_days = any(req.id == "data_days" for req in billable.requirements)
    days = reading_days(pages, month, set_aside).until(until)
    second = _second_look(analysis.selection, components.settings.evidence_presence_score)
    plans = _written_plans(billable.requirements, pages, set_aside, last, components)
    second.update(
        _said_in_plans(billable.requirements, plans, analysis.selection, components.settings.min_evidence_score, second)
    )
    sides = anchor_scorer(components.embedder.embed, service_sides())
    # the selection's own quotes went through this gate in the pipeline; the check's added lines have not
    added, emptied = without_other_care(billable.requirements, [e for quotes in second.values() for e in quotes], sides)
    evidence = analysis.selection.evidence + added
    left = {req.id for req in analysis.selection.missing if req.id not in second} | emptied
    agreed = _agreed(
        billable.requirements, analysis.selection, components.settings.min_evidence_score, left, set_aside, sides
    )
    evidence += [e for quotes in agreed.values() for e in quotes]
    findings = MonthFindings(
        evidence=evidence,
        missing=[req for req in billable.requirements if req.id in left and req.id not in agreed],
        counter=_still_against(
            analysis.selection,
            billable.requirements,
            evidence,
            days.set_aside,
            (first, last),
            screening.days if screening else {},
        ),
        withdrawals=withdrawals,
        minutes=minutes,
        days=days if wants_days else ReadingDays(),
        identity_confirmed=identity_confirmed(fields, pages, set_aside),
        warnings=analysis.notes + minutes.warnings + page_warnings(documents),
        conditions=condition_lines(pages, set_aside),
        plans=plans,
        counter_scores={
            (req_id, *span_key(span)): analysis.selection.scores.get(req_id, {}).get(span_key(span), 0.0)
            for req_id, span in analysis.selection.counter
        },
    )
    result = judge(billable, month, findings)
    return result.model_copy(update={"excluded_pages": analysis.excluded})


READINGS = ("device", "data_days")
"""Requirements about the device's readings: a reading the day count left out (typed in, phoned
in) is weighed by the count, not held against them."""


def _still_against(
    selection: "Selection",
    requirements: list["EvidenceRequirement"],
    evidence: list["Evidence"],
    readings_out: list[tuple[str, int, str]],
    month: tuple[date, date],
    days: dict[tuple[str, int, int], list[date]],
) -> list:
    """Counter-evidence about its requirement that the check has not already weighed (a reading
    the day count left out, a tally of codes, another month's event, a doubt answered later)."""
    from service.checks.counter_lines import line_days, weighed
    from service.checks.verdicts import WITHDRAWAL_REQUIREMENTS
    from service.models import span_key

    by_id = {req.id: req for req in requirements}
    support: dict[str, list[list[date]]] = {}
    for e in evidence:
        support.setdefault(e.requirement, []).append(days.get(span_key(e)) or line_days(e.text, month[0]))
    return [
        (req_id, span)
        for req_id, span in _about_their_requirement(selection)
        if req_id not in by_id
        or not weighed(
            span.text,
            by_id[req_id],
            (span.document, span.page),
            readings_out if req_id in READINGS else [],
            month,
            days.get(span_key(span)),
            support.get(req_id, []),
            lasting_consent=req_id in WITHDRAWAL_REQUIREMENTS,
        )
    ]


def _about_their_requirement(selection: "Selection") -> list:
    """Counter-evidence that is about the requirement it speaks against: a letter warns of any line
    near an `against` phrase, but a check marks a requirement at risk only for a line that scores
    best for that requirement ('declined physical therapy' is not a refused consent)."""
    from service.models import span_key

    return [
        (req_id, span)
        for req_id, span in selection.counter
        if selection.about.get(span_key(span), (0, ""))[1] == req_id
    ]


NEARLY = 0.15
"""A line another requirement quoted proves this one too only when it scores this close to its
best: a plan rewritten this month is as much a plan as a revision; a plan handed over is not a
consent, however near the words."""


def _lines_for(selection: "Selection", req_id: str, floor: float) -> list[tuple[float, tuple[str, int, int]]]:
    """(score, sentence key) of the lines reaching `floor` for a requirement that it may quote and
    that do not speak against it, best first: what a check may add beside the selection's quotes."""
    from service.models import span_key

    against = {span_key(span) for rid, span in selection.counter if rid == req_id}
    blocked = selection.blocked.get(req_id, set())
    return sorted(
        (
            (score, key)
            for key, score in selection.scores.get(req_id, {}).items()
            if score >= floor and key not in blocked and key not in against and key in selection.sentences
        ),
        reverse=True,
    )


def _quoted(selection: "Selection", req_id: str, lines: list[tuple[float, tuple[str, int, int]]]) -> list["Evidence"]:
    from service.models import Evidence

    return [Evidence(**selection.sentences[key].model_dump(), requirement=req_id, score=score) for score, key in lines]


def _second_look(selection: "Selection", presence: float, most: int = 2) -> dict[str, list["Evidence"]]:
    """Requirement id -> its best lines, for a requirement the letter's selection left missing
    although a line scores above the presence bar for it: a letter quotes each line once, for the
    requirement it is most about, but a check asks of every requirement whether the records show
    it, and one line may show two (a care plan rewritten this month is a care plan)."""
    out: dict[str, list[Evidence]] = {}
    for req in selection.missing:
        lines = [
            (score, key)
            for score, key in _lines_for(selection, req.id, presence)[:most]
            if score >= selection.about.get(key, (0.0, ""))[0] - NEARLY
        ]
        if lines:
            out[req.id] = _quoted(selection, req.id, lines)
    return out


def _written_plans(
    requirements: list["EvidenceRequirement"], pages: list["Page"], set_aside: set, last: date, components: Components
) -> dict[str, list["WrittenPlan"]]:
    """requirement id -> the documents it asks for found in the pages, written by the month's end."""
    from service.checks.written_plans import written_plans
    from service.index.anchors import anchor_scorer

    out = {}
    for req in requirements:
        if req.document is None:
            continue
        score = anchor_scorer(components.embedder.embed, req.document.elements)
        out[req.id] = [
            p for p in written_plans(pages, req.document, score, set_aside) if p.dated is None or p.dated <= last
        ]
    return out


PLAN_LINES = 3
"""Lines inside a plan kept for a requirement resting on it: enough to date the handover."""


def _said_in_plans(
    requirements: list["EvidenceRequirement"],
    plans: dict[str, list["WrittenPlan"]],
    selection: "Selection",
    floor: float,
    found: dict[str, list["Evidence"]],
) -> dict[str, list["Evidence"]]:
    """Requirement id -> lines inside a plan found that show a requirement resting on it (the plan
    handed to the patient): under the plan's heading a line need only reach `floor` (the evidence
    bar), not the presence bar, since the plan it speaks of is there. Added beside what the selection chose:
    the plan's own 'sent to her on the 15th' is the line that dates the handover."""
    from service.models import span_key

    chosen = {(e.requirement, span_key(e)) for e in selection.evidence}
    out: dict[str, list[Evidence]] = {}
    for req in requirements:
        if req.id in found:
            continue
        bodies = [plan for need in req.needs for plan in plans.get(need, [])]
        text: dict[tuple[str, int], str] = {}
        for plan in bodies:
            for page, line in plan.body:
                text[(plan.document, page)] = f"{text.get((plan.document, page), '')} {' '.join(line.split())}"
        inside = [
            (score, key)
            for score, key in _lines_for(selection, req.id, floor)
            if (req.id, key) not in chosen
            and " ".join(selection.sentences[key].text.split()) in text.get((key[0], key[1]), "")
        ]
        if inside:
            out[req.id] = _quoted(selection, req.id, inside[:PLAN_LINES])
    return out


AGREEMENT_LINES = 2


def _agreed(
    requirements: list["EvidenceRequirement"],
    selection: "Selection",
    floor: float,
    left: set[str],
    set_aside: set,
    score: "Scorer",
) -> dict[str, list["Evidence"]]:
    """Requirement id -> lines saying the patient agreed, for a requirement shown by an agreement
    (`agreement`: the consent) still left without proof (`left`): a line reaching `floor` (the
    evidence bar) for it that says the agreement happened ('she agreed, out loud; consent entered
    in the chart') shows it, though its words are further from the requirement's descriptions
    than the presence bar asks, when it is about this service rather than other care (`score`:
    'consented to the flu vaccine' is not the program's consent). A line the screening keeps
    from it, or that speaks against it, never does."""
    from service.checks.agreements import for_this_service, states_agreement

    out: dict[str, list[Evidence]] = {}
    for req in requirements:
        if not req.agreement or req.id not in left:
            continue
        scored = [
            (value, key) for value, key in _lines_for(selection, req.id, floor) if (key[0], key[1]) not in set_aside
        ]
        said = states_agreement([selection.sentences[key].text for _, key in scored])
        agreed = [pair for pair, yes in zip(scored, said) if yes]
        ours = for_this_service([selection.sentences[key].text for _, key in agreed], score)
        lines = [pair for pair, yes in zip(agreed, ours) if yes][:AGREEMENT_LINES]
        if lines:
            out[req.id] = _quoted(selection, req.id, lines)
    return out


def check_files(
    ws: Workspace, patient: CheckPatient | CaseFields, code: str, month: str, files: list[tuple[str, bytes]]
) -> CheckResult:
    """Files read in memory and checked; their vectors are erased afterwards and nothing else is
    kept. A file that cannot be read stops the check with its own error."""
    from service.pipeline import read_records

    month_bounds(month)
    ws.components.knowledge.billable(code)  # an unknown code is refused before any file is read
    case_id = new_id("chk")
    try:
        with ws.case_components(CHECK_TENANT, case_id) as components:
            documents, notes = read_records(files, components, ws.read)
            fields = check_fields(patient, code, month)
            return check_documents(fields, code, month, documents, notes, components, CHECK_TENANT, case_id)
    finally:
        ws.erase_case(CHECK_TENANT, case_id)


def check_case(ws: Workspace, tenant: str, case_id: str, code: str, month: str) -> CheckResult:
    """A stored case's documents checked for a month (the case's fields say whose they are)."""
    from service.casework.appeals import draftable

    month_bounds(month)
    ws.components.knowledge.billable(code)
    case_row, rows = draftable(ws, tenant, case_id)
    ready = [r for r in rows if r.status == "ready"]
    fields = case_fields(ws, case_row)
    notes = [_failed_note(ws, r) for r in rows if r.status == "failed"]
    files = ws.files(tenant, case_id)
    try:
        documents = [files.pages(r.id) for r in ready]
    except FileNotFoundError:
        raise DocumentsNotReadyError("a document was removed while checking; check again") from None
    with ws.case_components(tenant, case_id) as components:
        result = check_documents(fields, code, month, documents, notes, components, tenant, case_id)
    return result.model_copy(update={"case_id": case_id})


def _failed_note(ws: Workspace, row: DocumentRow) -> str:
    return f"{document_name(ws, row)} was not used ({row.error_message or row.error_code})."
