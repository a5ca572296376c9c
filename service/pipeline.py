"""The steps of one appeal, taken by the service layer (`casework`: the CLI, the API and the eval):

records -> pages (text or OCR) -> sentences and chunks -> index (Chroma + BM25)
-> exclusions and instruction sentences -> evidence per requirement -> template letter.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date

from service.components import Components
from service.config import Settings
from service.drafting.deadline import appeal_deadline
from service.drafting.llm import (
    ModelLetter,
    draft_prompt,
    load_prompt,
    model_letter,
    number_passages,
    rejection_warnings,
)
from service.drafting.tcm import tcm_warnings
from service.drafting.template import draft_letter, ordered_evidence
from service.drafting.validator import Sources
from service.evidence import matching
from service.evidence.comparisons import cut_comparisons
from service.evidence.matching import current_texts, expand, match_texts
from service.evidence.scoring import CaseIndex
from service.evidence.selection import CaseBounds, Selection, select_evidence
from service.evidence.tuning import SelectionTuning
from service.index.chunk_key import chunk_version, document_key
from service.index.copies import find_copies
from service.index.lexical import LexicalIndex
from service.index.vectors import CaseVectors
from service.knowledge.unreviewed import review_warning
from service.llm.chat import ChatModel
from service.models import (
    CaseFields,
    Chunk,
    CodeEntry,
    DraftResult,
    Exclusion,
    RecordDocument,
    Span,
    short_quote,
    span_key,
)
from service.records import quote_edges, spans, tables
from service.records.pdf import read_pdf_bytes
from service.records.spans import chunk_page, split_sentences
from service.screening.care_events import read_events
from service.screening.exclusions import OTHER_PATIENT, OUT_OF_PERIOD
from service.screening.screening import Screening, screen

SHAPING_MODULES = (spans, tables, quote_edges, matching)
"""The modules that make the text embedded for a chunk: sentences and chunks (`spans`, with the
table rows and quote edges it keeps whole) and the expansion of shorthand (`matching.expand`)."""
Reader = Callable[[bytes, str, Settings], RecordDocument]


def unique_names(names: list[str]) -> list[str]:
    """Two uploads called 'notes.pdf' must stay distinguishable in citations: the second becomes
    'notes (2).pdf', or the next number no name already has."""
    used: set[str] = set()
    out = []
    for name in names:
        candidate, n = name, 1
        stem, dot, ext = name.rpartition(".")
        while candidate in used:
            n += 1
            candidate = f"{stem} ({n}).{ext}" if dot else f"{name} ({n})"
        used.add(candidate)
        out.append(candidate)
    return out


def read_records(
    records: list[tuple[str, bytes]], components: Components, read: Reader = read_pdf_bytes
) -> tuple[list[RecordDocument], list[str]]:
    """Pages of every distinct file; the same file sent twice is read once, with a note (for
    `analyse_case`; a case of the service layer reads each upload as a job)."""
    names = unique_names([name for name, _ in records])
    documents: list[RecordDocument] = []
    notes: list[str] = []
    first_name: dict[str, str] = {}
    for name, (_, data) in zip(names, records):
        document = read(data, name, components.settings)
        if document.sha256 in first_name:
            notes.append(same_file_note(name, first_name[document.sha256]))
            continue
        first_name[document.sha256] = name
        documents.append(document)
    return documents, notes


def same_file_note(name: str, first: str) -> str:
    """A file named twice is read once; the letter's notes say so."""
    return f"{name} is the same file as {first}; it was read once."


def case_key(case: CaseFields, file_shas: list[str]) -> str:
    """The same claim with the same files is the same case: the CLI (and the eval, drafting as
    the CLI does) finds its case again by this key."""
    key = "|".join([case.claim_number, case.patient_id, *sorted(set(file_shas))])
    return hashlib.sha256(key.encode()).hexdigest()[:24]


def doc_key(sha256: str, settings: Settings) -> str:
    """A document's key in the vector store: its content and what shapes its embedded text."""
    return document_key(
        sha256, chunk_version(SHAPING_MODULES, settings.embedding_model, settings.chunk_chars, settings.embedder)
    )


def cut_document(document: RecordDocument, settings: Settings) -> tuple[list[Span], list[Chunk]]:
    """A document's sentences and chunks, page by page, as they are indexed (the chunks keyed by
    `doc_key`); what is embedded is each chunk's `expand`ed text and the sentences' `match_texts`."""
    key = doc_key(document.sha256, settings)
    sentences: list[Span] = []
    chunks: list[Chunk] = []
    for page in document.pages:
        page_sentences = split_sentences(page)
        sentences.extend(page_sentences)
        chunks.extend(chunk_page(page, page_sentences, settings.chunk_chars, key))
    return sentences, chunks


def index_case(
    documents: list[RecordDocument], components: Components, tenant: str, case_id: str
) -> tuple[list[Span], list[Chunk]]:
    """Split every page, and embed chunks of documents this case has not indexed yet."""
    sentences: list[Span] = []
    chunks: list[Chunk] = []
    for document in documents:
        key = doc_key(document.sha256, components.settings)
        doc_sentences, doc_chunks = cut_document(document, components.settings)
        sentences.extend(doc_sentences)
        dense = components.settings.retrieval != "bm25"
        if dense and doc_chunks and not components.vectors.has_document(tenant, case_id, key):
            vectors = components.embedder.embed([expand(c.text) for c in doc_chunks])
            components.vectors.add(tenant, case_id, key, doc_chunks, vectors)
        chunks.extend(doc_chunks)
    return sentences, chunks


def prepare_index(documents: list[RecordDocument], components: Components, tenant: str, case_id: str) -> None:
    """Index the chunks and embed every sentence now, so the first draft finds its vectors
    cached (the API does this in the background as soon as a document is read)."""
    sentences, _ = index_case(documents, components, tenant, case_id)
    if components.settings.retrieval != "bm25":
        pages = [page for document in documents for page in document.pages]
        components.embedder.embed(list(match_texts(pages, sentences).values()))


@dataclass
class CaseAnalysis:
    """Everything the letter is written from: the code, the pages read, what was left out and why,
    and the evidence chosen per requirement."""

    entry: CodeEntry
    documents: list[RecordDocument]
    notes: list[str]
    excluded: list[Exclusion]
    selection: Selection
    instructions: list[str]
    """Sentences that give instructions: a model's letter must not repeat them."""
    case_id: str = ""
    counter: list[tuple[str, Span]] = field(default_factory=list)
    """(requirement label, sentence) for sentences that speak against a requirement."""
    screening: Screening | None = None
    """What was decided about the pages before evidence was chosen (a check reads withdrawals)."""

    @property
    def page_text(self) -> dict[tuple[str, int], str]:
        return {(p.document, p.number): p.text for d in self.documents for p in d.pages}

    @property
    def ocr_pages(self) -> set[tuple[str, int]]:
        return {(p.document, p.number) for d in self.documents for p in d.pages if p.ocr}


def analyse_case(
    case: CaseFields,
    records: list[tuple[str, bytes]],
    components: Components,
    tenant: str = "analysis",
    case_id: str | None = None,
    read: Reader = read_pdf_bytes,
) -> CaseAnalysis:
    """Read and analyse in one step, for tests and benchmarks; the service layer (and so the CLI,
    the API and the eval) reads documents as jobs and calls `analyse_documents`."""
    entry = components.knowledge.argument_for(case)
    documents, notes = read_records(records, components, read)
    return analyse_documents(
        case, documents, notes, components, tenant, case_id or case_key(case, [d.sha256 for d in documents]), entry
    )


def analyse_documents(
    case: CaseFields,
    documents: list[RecordDocument],
    notes: list[str],
    components: Components,
    tenant: str,
    case_id: str,
    entry: CodeEntry | None = None,
) -> CaseAnalysis:
    """The analysis of pages already read (the API reads them when they are uploaded)."""
    settings = components.settings
    entry = entry or components.knowledge.argument_for(case)
    sentences, chunks = index_case(documents, components, tenant, case_id)
    pages = [page for document in documents for page in document.pages]

    match_text = match_texts(pages, sentences)
    sentences = cut_comparisons(sentences, match_text)
    whole = {(span_key(s), s.end) for s in sentences}
    sentences, events = read_events(sentences, match_text)
    screening = screen(case, entry, pages, sentences, events)
    case_chunks = {c.id: c for c in chunks}
    index = CaseIndex(
        chunks=case_chunks,
        sentences=sentences,
        page_text={(p.document, p.number): p.text for p in pages},
        lexical=LexicalIndex(list(case_chunks), [expand(c.text) for c in case_chunks.values()]),
        dense_search=CaseVectors(components.vectors, tenant, case_id, list(case_chunks)).search,
        embed=components.embedder.embed,
        mode=settings.retrieval,
        match_text=match_text,
        current_text=current_texts(pages, sentences),
        background=components.knowledge.background,
        cut={span_key(s) for s in sentences if (span_key(s), s.end) not in whole},  # tallies cut to their billable part
        copy_of=find_copies(case_chunks.values()),
    )
    bounds = CaseBounds(
        blocked_pages={(e.document, e.page) for e in screening.excluded},
        blocked_sentences=screening.blocked_sentences,
        ocr_pages={(p.document, p.number) for p in pages if p.ocr},
        blocked_for=screening.blocked_for,
        history_for=screening.history_for,
        practice=case.practice_name,
        provider=case.provider_name,
    )
    selection = select_evidence(entry, index, SelectionTuning.from_settings(settings), bounds)
    if any(req.agreement for req in entry.evidence):
        selection = _agreed_to_this(entry, selection, components)
    excluded = screening.excluded + _unused_outside(screening, selection)
    instruction_text = [s.text for s in sentences if (s.document, s.page, s.start) in screening.instructions]
    labels = {req.id: req.label for req in entry.evidence}
    counter = [(labels[req], span) for req, span in selection.counter]
    return CaseAnalysis(
        entry, documents, notes + screening.notes, excluded, selection, instruction_text, case_id, counter, screening
    )


def _agreed_to_this(entry: CodeEntry, selection: Selection, components: Components) -> Selection:
    """A requirement shown by the patient's agreement (the consent) keeps only agreements to this
    service: 'Pt consented to the flu vaccine' is close in words to a consent, not the program's.
    One left without a line is missing."""
    from service.checks.agreements import service_sides, without_other_care
    from service.index.anchors import anchor_scorer

    score = anchor_scorer(components.embedder.embed, service_sides())
    kept, emptied = without_other_care(entry.evidence, selection.evidence, score)
    if len(kept) == len(selection.evidence):
        return selection
    gone = [req for req in entry.evidence if req.id in emptied and not req.optional and req not in selection.missing]
    return replace(selection, evidence=kept, missing=selection.missing + gone)


def _unused_outside(screening: Screening, selection: Selection) -> list[Exclusion]:
    """Pages dated outside the billing period that no requirement could use: reported as excluded."""
    cited = {(e.document, e.page) for e in selection.evidence}
    taken = {(e.document, e.page) for e in screening.excluded}
    return [
        Exclusion(document=document, page=page, reason=OUT_OF_PERIOD)
        for document, page in sorted(screening.outside - cited - taken)
    ]


def write_appeal(
    case: CaseFields, analysis: CaseAnalysis, models: list[ChatModel] | None = None, embed=None
) -> DraftResult:
    """The letter for an analysed case: a model's if one is configured and its letter passes the
    validator, else the template's; with the deadline, every warning and every model attempt.
    `embed`: the embedding model, for the validator's checks by meaning."""
    letter_date = case.letter_date or date.today()
    selection = analysis.selection
    deadline = appeal_deadline(case)
    template = draft_letter(case, analysis.entry, selection.evidence, selection.missing, letter_date)
    text, citations, method, attempts, model_warnings = template.text, template.citations, "template", [], []
    if models and selection.evidence:
        outcome = draft_with_models(case, analysis, models, letter_date, deadline, embed)
        attempts = outcome.attempts
        if outcome.letter is not None:
            text, citations, method = outcome.letter, outcome.citations, "llm"
        model_warnings = rejection_warnings(outcome)
    warnings = (
        template.warnings
        + model_warnings
        + analysis.notes
        + _record_warnings(analysis.documents, analysis.excluded)
        + _counter_warnings(analysis.counter)
    )
    page_text = {(d.name, p.number): p.text for d in analysis.documents for p in d.pages}
    warnings += tcm_warnings(case, selection.evidence, page_text) + review_warning(analysis.entry)
    if deadline and deadline < letter_date:
        warnings.append(
            f"The appeal deadline ({deadline.isoformat()}) has passed; check whether the payer accepts a late appeal."
        )
    return DraftResult(
        letter=text,
        method=method,
        citations=citations,
        excluded_pages=analysis.excluded,
        warnings=warnings,
        deadline=deadline,
        attempts=attempts,
        case_id=analysis.case_id or None,
    )


def draft_with_models(
    case: CaseFields, analysis: CaseAnalysis, models: list[ChatModel], letter_date: date, deadline, embed=None
) -> ModelLetter:
    passages = number_passages(ordered_evidence(analysis.entry, analysis.selection.evidence))
    sources = Sources(
        case=case,
        entry=analysis.entry,
        passages=passages,
        page_text=analysis.page_text,
        excluded={(e.document, e.page) for e in analysis.excluded},
        instructions=analysis.instructions,
        letter_date=letter_date,
        deadline=deadline,
        embed=embed,
    )
    prompt = draft_prompt(case, analysis.entry, passages)
    return model_letter(models, prompt, sources, analysis.ocr_pages, load_prompt("repair"))


def _counter_warnings(counter: list[tuple[str, Span]]) -> list[str]:
    """Sentences that speak against a requirement: staff should read them before sending."""
    out = []
    for label, span in counter:
        out.append(
            f'{span.document} page {span.page} may count against "{label}": "{short_quote(span.text)}" (not quoted; check it before sending).'
        )
    return list(dict.fromkeys(out))


def _record_warnings(documents: list[RecordDocument], excluded: list[Exclusion]) -> list[str]:
    warnings = []
    for e in excluded:
        what = "possibly misfiled: it names another patient" if e.reason == OTHER_PATIENT else e.reason
        warnings.append(f"{e.document} page {e.page} was not used ({what}).")
    return warnings + page_warnings(documents)


def page_warnings(documents: list[RecordDocument]) -> list[str]:
    """Pages that could not be read, or hold no text: a letter and a check both say so."""
    warnings = []
    for document in documents:
        for page in document.pages:
            if page.note:
                warnings.append(f"{document.name} page {page.number}: {page.note}.")
            elif not page.text.strip():
                warnings.append(f"{document.name} page {page.number} has no readable text.")
    return warnings
