"""The command line as a client of the service layer: one local tenant, documents read inline.

A CLI case is named after its claim and its files, so drafting the same claim from the same
files again finds their pages already read (OCR is the slow part) and adds another appeal to it.

The drafting road (documents, jobs, the pipeline, the PDF reader) is imported inside the functions
that draft: `overturn cases` and `overturn import 835` need only `LOCAL_TENANT` from here.
"""

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from service.casework.cases import delete_case, find_case, put_case
from service.casework.state import Workspace
from service.casework.views import AppealView
from service.config import Settings
from service.errors import CaseNotFoundError, DraftFailedError, InputError
from service.models import CaseFields, DraftResult
from service.store.db import CaseRow

if TYPE_CHECKING:
    from service.pipeline import CaseAnalysis

LOCAL_TENANT = "local"


class UnknownCaseError(CaseNotFoundError):
    code = "unknown_case"


class DocumentUnreadableError(InputError):
    code = "document_unreadable"


@dataclass
class LocalDraft:
    result: DraftResult
    """As the API answers it: the appeal stored sealed and read back."""
    case_id: str
    appeal_id: str
    analysis: "CaseAnalysis | None" = None
    """What the letter was written from (pages read, evidence ranked and chosen): the eval scores it."""


def read_files(paths: list[Path], settings: Settings) -> list[tuple[str, bytes]]:
    """Every named file, refused (missing, a folder, too large) before any is stored."""
    from service.records.pdf import load_pdf_file

    return [(path.name, load_pdf_file(path, settings)) for path in paths]


def local_case_id(fields: CaseFields, files: list[tuple[str, bytes]]) -> str:
    from service.pipeline import case_key

    return "cas_" + case_key(fields, [hashlib.sha256(data).hexdigest() for _, data in files])


def draft_files(ws: Workspace, fields: CaseFields, files: list[tuple[str, bytes]]) -> LocalDraft:
    """Claim fields and record PDFs -> the analysis and the letter, the CLI's and the eval's one
    road: the claim's case of the local tenant (found again by claim and files), each file added
    and read, a draft job drafted here. A file that cannot be read stops the draft with its own
    error (nothing is drafted from part of what the user named); a case this call created is then
    removed again."""
    from service.casework.drafts import warm_up

    warm_up()
    case_id = local_case_id(fields, files)
    created = put_case(ws, LOCAL_TENANT, case_id, fields)
    try:
        return draft_with_files(ws, LOCAL_TENANT, case_id, files)
    except InputError:
        if created:
            delete_case(ws, LOCAL_TENANT, case_id)
        raise


def draft_with_files(ws: Workspace, tenant: str, case_id: str, files: list[tuple[str, bytes]]) -> LocalDraft:
    """Add each file to a case that exists (made by the CLI, or imported from a remittance), read
    it inline as the API's job runner would, then draft the case."""
    from service.casework.documents import add_document
    from service.casework.drafts import await_draft, draft_here, queue_draft
    from service.casework.jobs import InlineJobs
    from service.pipeline import same_file_note

    jobs = InlineJobs(ws)
    notes: list[str] = []
    first: dict[str, str] = {}
    for name, data in files:
        view, _ = add_document(ws, jobs, tenant, case_id, name, data)
        if view.status == "failed" and view.error is not None:
            raise DocumentUnreadableError(f"{name}: {view.error.message}")
        if view.id in first:
            notes.append(same_file_note(name, first[view.id]))
        first.setdefault(view.id, name)
    job_id = queue_draft(ws, tenant, case_id)
    analysis = draft_here(ws, jobs.worker, job_id)
    appeal = await_draft(ws, tenant, job_id, wait_s=0)
    if not isinstance(appeal, AppealView):  # never: the draft ran in this thread just above
        raise DraftFailedError(f"the draft of case {case_id} did not finish")
    result = DraftResult.model_validate(
        {
            **appeal.model_dump(include=set(DraftResult.model_fields)),
            "warnings": notes + appeal.warnings,
            "case_id": case_id,
        }
    )
    return LocalDraft(result, case_id, appeal.id, analysis)


def resolve_case(ws: Workspace, case_id: str) -> str:
    """A case id the user typed, or 'latest': the local case drafted or changed last."""
    with ws.session() as session:
        if case_id == "latest":
            found = session.scalar(
                select(CaseRow.id).where(CaseRow.tenant == LOCAL_TENANT).order_by(CaseRow.updated_at.desc()).limit(1)
            )
            if found is None:
                raise UnknownCaseError("no case drafted yet")
            return found
        try:
            return find_case(session, LOCAL_TENANT, case_id).id
        except CaseNotFoundError:
            raise UnknownCaseError(
                f"no case '{case_id}' (draft it first; overturn draft --format text prints its case id, and 'latest' names the last one)"
            ) from None
