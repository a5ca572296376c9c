"""One function per user job. `draft_appeal` is the whole flow of one appeal:

records -> pages (text or OCR) -> sentences and chunks -> index (Chroma + BM25)
-> exclusions and instruction sentences -> evidence per requirement -> template letter.
"""

import hashlib
from dataclasses import dataclass
from datetime import date

from service.components import Components
from service.drafting.deadline import appeal_deadline
from service.drafting.template import draft_letter
from service.index.lexical import LexicalIndex
from service.models import CaseFields, Chunk, CodeEntry, DraftResult, Exclusion, RecordDocument, Span
from service.records.cache import read_record
from service.records.spans import chunk_page, split_sentences
from service.retrieval.boilerplate import repeated_lines, running_text_spans
from service.retrieval.evidence import CaseIndex, Selection, select_evidence
from service.retrieval.exclusions import OTHER_PATIENT, find_exclusions
from service.retrieval.instructions import instruction_pages, instruction_spans

CHUNKER_VERSION = "1"
LOCAL_TENANT = "local"


def unique_names(names: list[str]) -> list[str]:
    """Two uploads called 'notes.pdf' must stay distinguishable in citations."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        if seen[name] == 1:
            out.append(name)
        else:
            stem, dot, ext = name.rpartition(".")
            out.append(f"{stem} ({seen[name]}).{ext}" if dot else f"{name} ({seen[name]})")
    return out


def read_records(records: list[tuple[str, bytes]], components: Components) -> tuple[list[RecordDocument], list[str]]:
    """Pages of every distinct file; the same file sent twice is read once, with a note."""
    names = unique_names([name for name, _ in records])
    documents: list[RecordDocument] = []
    notes: list[str] = []
    first_name: dict[str, str] = {}
    for name, (_, data) in zip(names, records):
        document = read_record(data, name, components.settings)
        if document.sha256 in first_name:
            notes.append(f"{name} is the same file as {first_name[document.sha256]}; it was read once.")
            continue
        first_name[document.sha256] = name
        documents.append(document)
    return documents, notes


def local_case_id(case: CaseFields, documents: list[RecordDocument]) -> str:
    key = "|".join([case.claim_number, case.patient_id, *sorted(d.sha256 for d in documents)])
    return hashlib.sha256(key.encode()).hexdigest()[:24]


def index_case(
    documents: list[RecordDocument], components: Components, tenant: str, case_id: str
) -> tuple[list[Span], list[Chunk]]:
    """Split every page, and embed chunks of documents this case has not indexed yet."""
    sentences: list[Span] = []
    chunks: list[Chunk] = []
    chunk_chars = components.settings.chunk_chars
    for document in documents:
        doc_key = f"{document.sha256[:20]}v{CHUNKER_VERSION}"
        doc_chunks: list[Chunk] = []
        for page in document.pages:
            page_sentences = split_sentences(page)
            sentences.extend(page_sentences)
            doc_chunks.extend(chunk_page(page, page_sentences, chunk_chars, doc_key))
        dense = components.settings.retrieval != "bm25"
        if dense and doc_chunks and not components.vectors.has_document(tenant, case_id, doc_key):
            vectors = components.embedder.embed([" ".join(c.text.split()) for c in doc_chunks])
            components.vectors.add(tenant, case_id, doc_key, doc_chunks, vectors)
        chunks.extend(doc_chunks)
    return sentences, chunks


@dataclass
class CaseAnalysis:
    """Everything the letter is written from: the code, the pages read, what was left out and why,
    and the evidence chosen per requirement."""

    entry: CodeEntry
    documents: list[RecordDocument]
    notes: list[str]
    excluded: list[Exclusion]
    selection: Selection


def analyse_case(
    case: CaseFields,
    records: list[tuple[str, bytes]],
    components: Components,
    tenant: str = LOCAL_TENANT,
    case_id: str | None = None,
) -> CaseAnalysis:
    settings = components.settings
    entry = components.knowledge.get(case.denial_code)
    documents, notes = read_records(records, components)
    case_id = case_id or local_case_id(case, documents)
    sentences, chunks = index_case(documents, components, tenant, case_id)
    pages = [page for document in documents for page in document.pages]

    instructions = instruction_spans(sentences)
    excluded: list[Exclusion] = find_exclusions(pages, case, entry.billing_period, instruction_pages(instructions))
    running = running_text_spans(sentences, repeated_lines(pages))
    case_chunks = {c.id: c for c in chunks}
    index = CaseIndex(
        chunks=case_chunks,
        sentences=sentences,
        page_text={(p.document, p.number): p.text for p in pages},
        lexical=LexicalIndex(list(case_chunks), [c.text for c in case_chunks.values()]),
        dense_search=lambda vector, limit: components.vectors.search(tenant, case_id, vector, limit),
        embed=components.embedder.embed,
        mode=settings.retrieval,
    )
    selection = select_evidence(
        entry,
        index,
        blocked_pages={(e.document, e.page) for e in excluded},
        blocked_sentences=instructions | running,
        ocr_pages={(p.document, p.number) for p in pages if p.ocr},
        per_requirement=settings.quotes_per_requirement,
        threshold=settings.min_evidence_score,
        presence=settings.evidence_presence_score,
    )
    return CaseAnalysis(entry, documents, notes, excluded, selection)


def write_appeal(case: CaseFields, analysis: CaseAnalysis) -> DraftResult:
    """The template letter for an analysed case, with its deadline and every warning."""
    letter_date = case.letter_date or date.today()
    selection = analysis.selection
    letter = draft_letter(case, analysis.entry, selection.evidence, selection.missing, letter_date)
    deadline = appeal_deadline(case)
    warnings = letter.warnings + analysis.notes + _record_warnings(analysis.documents, analysis.excluded)
    if deadline and deadline < letter_date:
        warnings.append(f"The appeal deadline ({deadline.isoformat()}) has passed; check whether the payer accepts a late appeal.")
    return DraftResult(
        letter=letter.text,
        method="template",
        citations=letter.citations,
        excluded_pages=analysis.excluded,
        warnings=warnings,
        deadline=deadline,
    )


def draft_appeal(
    case: CaseFields,
    records: list[tuple[str, bytes]],
    components: Components,
    tenant: str = LOCAL_TENANT,
    case_id: str | None = None,
) -> DraftResult:
    return write_appeal(case, analyse_case(case, records, components, tenant, case_id))


def _record_warnings(documents: list[RecordDocument], excluded: list[Exclusion]) -> list[str]:
    warnings = []
    for e in excluded:
        what = "possibly misfiled: it names another patient" if e.reason == OTHER_PATIENT else e.reason
        warnings.append(f"{e.document} page {e.page} was not used ({what}).")
    for document in documents:
        for page in document.pages:
            if page.note:
                warnings.append(f"{document.name} page {page.number}: {page.note}.")
            elif not page.text.strip():
                warnings.append(f"{document.name} page {page.number} has no readable text.")
    return warnings
