"""Uploads: stream in (API) or hand over (CLI), check at once, store sealed, then read and index
as a job.

Everything cheap is checked before the answer (type, size, password, damage, page count), so a
client gets its 4xx straight away and nothing of a refused file is kept. The same file sent again
to the same case is recognised by its SHA-256 and answered with the document already there.
"""

import functools
import hashlib
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from anyio.to_thread import run_sync
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.casework.cases import document_name, document_view, find_case, touch_case
from service.casework.jobs import Jobs
from service.casework.state import Workspace, new_id
from service.casework.upload import IncomingFile, receive
from service.casework.views import DocumentView, PageText
from service.errors import CaseNotFoundError, DocumentNotFoundError, DocumentNotReadError, InputError, PageNotFoundError
from service.pipeline import unique_names
from service.records.pdf import inspect_pdf
from service.store.db import DocumentRow, now
from service.store.files import CaseFiles

STALE_PARTIAL_S = 3600


def sweep_partial_uploads(ws: Workspace) -> int:
    """Remove uploads a killed server left half-received (`*.partial`, sealed, never registered);
    only those untouched for an hour, since another server process may be receiving one now."""
    cutoff = time.time() - STALE_PARTIAL_S
    removed = 0
    for path in ws.settings.files_dir.glob("*/*/*.partial"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            continue
    return removed


def find_document(session: Session, tenant: str, case_id: str, doc_id: str) -> DocumentRow:
    row = session.get(DocumentRow, doc_id)
    if row is None or row.tenant != tenant or row.case_id != case_id:
        raise DocumentNotFoundError("no such document")
    return row


async def upload_document(
    ws: Workspace, jobs: Jobs, tenant: str, case_id: str, incoming: IncomingFile
) -> tuple[DocumentView, bool]:
    """The document and whether it is new (False: the same file was already in the case)."""
    with _staged(ws, tenant, case_id) as (files, doc_id, partial):
        return await _store_upload(ws, jobs, files, tenant, case_id, doc_id, partial, incoming)


async def _store_upload(
    ws: Workspace,
    jobs: Jobs,
    files: CaseFiles,
    tenant: str,
    case_id: str,
    doc_id: str,
    partial: Path,
    incoming: IncomingFile,
) -> tuple[DocumentView, bool]:
    name = "the file"
    try:
        with partial.open("wb") as out:
            writer = ws.cipher.writer(out, doc_id)
            received = await receive(incoming, ws.settings.max_upload_bytes, writer.write)
            writer.close()
        name = received.name
        reader = await run_sync(functools.partial(inspect_pdf, received.data, name, ws.settings))
        pages_total = len(reader.pages)
    except InputError as exc:
        raise exc.without_name(name) from None
    del received.data
    return await run_sync(
        functools.partial(  # with inline jobs, registering also reads the document
            _register,
            ws,
            jobs,
            files,
            tenant,
            case_id,
            doc_id,
            partial,
            received.name,
            received.sha256,
            received.size,
            pages_total,
        )
    )


def add_document(
    ws: Workspace, jobs: Jobs, tenant: str, case_id: str, name: str, data: bytes
) -> tuple[DocumentView, bool]:
    """A file already in memory (the CLI): the same checks, storage and job as an upload. Errors
    keep the file's name, which the user gave on their own command line."""
    with _staged(ws, tenant, case_id) as (files, doc_id, partial):
        reader = inspect_pdf(data, name, ws.settings)
        with partial.open("wb") as out:
            writer = ws.cipher.writer(out, doc_id)
            writer.write(data)
            writer.close()
        sha = hashlib.sha256(data).hexdigest()
        return _register(ws, jobs, files, tenant, case_id, doc_id, partial, name, sha, len(data), len(reader.pages))


@contextmanager
def _staged(ws: Workspace, tenant: str, case_id: str) -> Iterator[tuple[CaseFiles, str, Path]]:
    """(the case's files, a new document id, where its sealed upload is written until it is
    kept); the case must exist, and a file not kept is removed whatever happens."""
    with ws.session() as session:
        find_case(session, tenant, case_id)
    files = ws.files(tenant, case_id)
    files.folder.mkdir(parents=True, exist_ok=True)
    doc_id = new_id("doc")
    partial = files.upload_path(doc_id).with_suffix(".partial")
    try:
        yield files, doc_id, partial
    finally:
        partial.unlink(missing_ok=True)


def _register(
    ws: Workspace,
    jobs: Jobs,
    files: CaseFiles,
    tenant: str,
    case_id: str,
    doc_id: str,
    partial: Path,
    name: str,
    sha256: str,
    size: int,
    pages_total: int,
) -> tuple[DocumentView, bool]:
    """Keep a checked upload (or answer with the same file already in the case) and submit it."""
    try:
        target, queue, same = _keep(ws, files, tenant, case_id, doc_id, partial, name, sha256, size, pages_total)
    except IntegrityError:  # the case was deleted between our check and our insert
        files.remove_document(doc_id)
        raise CaseNotFoundError("no such case") from None
    if queue:
        jobs.submit(tenant, case_id, target)
    with ws.session() as session:
        row = session.get(DocumentRow, target)
        if row is None:  # the case was deleted meanwhile
            raise CaseNotFoundError("no such case")
        view = document_view(ws, row, duplicate=same is not None)
    return view, same is None


def _keep(
    ws: Workspace,
    files: CaseFiles,
    tenant: str,
    case_id: str,
    doc_id: str,
    partial: Path,
    name: str,
    sha256: str,
    size: int,
    pages_total: int,
) -> tuple[str, bool, DocumentRow | None]:
    """(the document's id, whether it must be read, the same file already in the case)."""
    with ws.sessions.begin() as session:
        find_case(session, tenant, case_id)
        siblings = list(session.scalars(select(DocumentRow).where(DocumentRow.case_id == case_id)))
        same = next((d for d in siblings if d.sha256 == sha256), None)
        if same is None:
            name = unique_names([document_name(ws, d) for d in siblings] + [name])[-1]
            os.replace(partial, files.upload_path(doc_id))
            session.add(
                DocumentRow(
                    id=doc_id,
                    tenant=tenant,
                    case_id=case_id,
                    sha256=sha256,
                    size=size,
                    name=ws.cipher.seal(name.encode(), f"name:{doc_id}"),
                    pages_total=pages_total,
                )
            )
            touch_case(session, case_id)
            target, queue = doc_id, True
        else:
            target, queue = same.id, same.status == "failed"
            if queue:  # sent again after a failure: try again
                same.status, same.error_code, same.error_message, same.pages_done = "queued", None, None, 0
                same.attempts, same.claimed_by, same.lease_until, same.updated_at = 0, None, None, now()
    return target, queue, same


def get_document(ws: Workspace, tenant: str, case_id: str, doc_id: str) -> DocumentView:
    with ws.session() as session:
        return document_view(ws, find_document(session, tenant, case_id, doc_id))


def page_text(ws: Workspace, tenant: str, case_id: str, doc_id: str, number: int) -> PageText:
    with ws.session() as session:
        row = find_document(session, tenant, case_id, doc_id)
    if row.status != "ready":
        raise DocumentNotReadError(f"the document is {row.status}; its pages can be read once it is ready")
    document = ws.files(tenant, case_id).pages(doc_id)
    if not 1 <= number <= len(document.pages):
        raise PageNotFoundError(f"the document has pages 1 to {len(document.pages)}")
    page = document.pages[number - 1]
    return PageText(document_id=doc_id, document=page.document, number=page.number, ocr=page.ocr, text=page.text)


def delete_document(ws: Workspace, tenant: str, case_id: str, doc_id: str) -> None:
    """One upload removed (a wrong file): its row, files and vectors; the rest of the case stays."""
    with ws.sessions.begin() as session:
        row = find_document(session, tenant, case_id, doc_id)
        sha = row.sha256
        session.delete(row)
        touch_case(session, case_id)
    ws.erase_document(tenant, case_id, doc_id, sha)
