"""The plain LangChain recipe a user would build instead of Overturn, as two eval baselines.

Both read the SAME page text our product read (pypdf, OCR for scanned pages, from the same
page cache, `pages.read_documents`), so their rows measure retrieval and drafting, not reading. Pages
become LangChain `Document`s (metadata: document, 1-based page), RecursiveCharacterTextSplitter
(1000/200, the tutorials' numbers) cuts them, and Chroma similarity with the same
all-MiniLM-L6-v2 model (through HuggingFaceEmbeddings) searches them:

- `langchain-recipe`: one query per evidence requirement, its `need`;
- `recipe+queries`: the `need` and each of the requirement's `queries` from the knowledge file,
  the chunk lists merged by reciprocal rank fusion (1 / (60 + rank)).

For recall@5 a search keeps pulling chunks (k doubles from 5) until five distinct pages are
ranked or the store is exhausted. The top three chunks per requirement are pasted under our
template. No exclusions, no sentence selection, no missing-evidence check, no warnings.

`python -m eval.harness.recipe case.json record.pdf...` (used by `make bench`) runs the
recipe as a user would: PyPDFLoader, no OCR.
"""

import tempfile
import time
from datetime import date
from pathlib import Path

import chromadb
from chromadb.config import Settings as ChromaSettings

from eval.harness.evalset import EvalCase
from eval.harness.metrics import K, Run, requirements_of
from eval.harness.pages import read_documents
from service.components import Components
from service.config import Settings
from service.drafting.template import draft_letter
from service.index.embeddings import offline_environment
from service.models import CaseFields, Evidence, RecordDocument

RRF_K = 60
NAMES = ("langchain-recipe", "recipe+queries")


def recipe_embeddings(settings: Settings):
    """The same model file our pipeline uses, loaded the way LangChain's docs show."""
    offline_environment()
    from langchain_huggingface import HuggingFaceEmbeddings

    return HuggingFaceEmbeddings(
        model_name=str(settings.embedding_model),
        model_kwargs={"device": "cpu", "local_files_only": True},
        encode_kwargs={"normalize_embeddings": True},
    )


def _splitter(chunk_size: int, overlap: int):
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    return RecursiveCharacterTextSplitter(chunk_size=chunk_size, chunk_overlap=overlap, add_start_index=True)


def load_and_split(folder: Path, documents: list[tuple[str, bytes]], chunk_size: int = 1000, overlap: int = 200):
    """Pages as PyPDFLoader reads them (no OCR), and the splitter's chunks (with start offsets)."""
    from langchain_community.document_loaders import PyPDFLoader

    pages = []
    for name, data in documents:
        path = folder / name
        path.write_bytes(data)
        for page in PyPDFLoader(str(path)).load():
            page.metadata["document"] = name
            page.metadata["page_number"] = page.metadata["page"] + 1
            pages.append(page)
    return pages, _splitter(chunk_size, overlap).split_documents(pages)


def split_pages(documents: list[RecordDocument], chunk_size: int = 1000, overlap: int = 200):
    """Our pages as LangChain documents, and the splitter's chunks (with start offsets)."""
    from langchain_core.documents import Document

    pages = [
        Document(page_content=p.text, metadata={"document": p.document, "page_number": p.number})
        for d in documents
        for p in d.pages
    ]
    return pages, _splitter(chunk_size, overlap).split_documents(pages)


def _where(chunk) -> tuple[str, int, int]:
    return chunk.metadata["document"], chunk.metadata["page_number"], chunk.metadata["start_index"]


def fuse(lists: list[list]) -> list:
    """Reciprocal rank fusion of chunk lists; ties keep the order of first appearance."""
    if len(lists) == 1:
        return lists[0]
    scores: dict[tuple, float] = {}
    chunks: dict[tuple, object] = {}
    for hits in lists:
        for rank, chunk in enumerate(hits, 1):
            key = _where(chunk)
            chunks.setdefault(key, chunk)
            scores[key] = scores.get(key, 0.0) + 1.0 / (RRF_K + rank)
    order = sorted(chunks, key=lambda key: -scores[key])  # sorted is stable
    return [chunks[key] for key in order]


def distinct_pages(chunks: list) -> list[tuple[str, int]]:
    return list(dict.fromkeys(_where(c)[:2] for c in chunks))


class LangChainRecipe:
    def __init__(
        self, components: Components, queries: bool = False, k: int = K, pasted: int = 3, reader: str = "ours"
    ):
        self.name = NAMES[1] if queries else NAMES[0]
        self.components = components
        self.queries = queries
        self.k = k
        self.pasted = pasted
        self.reader = reader
        self.knowledge = components.knowledge
        self.embeddings = recipe_embeddings(components.settings)
        self.client = chromadb.EphemeralClient(settings=ChromaSettings(anonymized_telemetry=False))
        self._runs = 0

    def _pages_and_chunks(self, case: EvalCase):
        if self.reader == "ours":
            documents = read_documents(case.documents, self.components.settings)
            return split_pages(documents)
        with tempfile.TemporaryDirectory() as tmp:
            return load_and_split(Path(tmp), case.documents)

    def search(self, store, texts: list[str], size: int) -> list:
        """Chunks for these query texts (fused when several), pulled until k distinct pages."""
        vectors = self.embeddings.embed_documents(texts)
        k = self.k
        while True:
            take = min(k, size)
            hits = fuse([store.similarity_search_by_vector(v, k=take) for v in vectors])
            if len(distinct_pages(hits)) >= self.k or take >= size:
                return hits
            k *= 2

    def run(self, case: EvalCase) -> Run:
        from langchain_chroma import Chroma

        start = time.perf_counter()
        fields = CaseFields.model_validate(case.case)
        entry = self.knowledge.argument_for(fields)
        pages, chunks = self._pages_and_chunks(case)
        self._runs += 1
        store = Chroma(collection_name=f"recipe-{self._runs}", embedding_function=self.embeddings, client=self.client)
        try:
            if chunks:
                store.add_documents(chunks)
            ranked, evidence, seen = {}, [], set()
            for req in entry.evidence:
                texts = [req.need, *req.queries] if self.queries else [req.need]
                hits = self.search(store, texts, len(chunks)) if chunks else []
                ranked[req.id] = distinct_pages(hits)
                for hit in hits[: self.pasted]:
                    where = _where(hit)
                    if where in seen:
                        continue
                    seen.add(where)
                    evidence.append(
                        Evidence(
                            requirement=req.id,
                            document=where[0],
                            page=where[1],
                            start=where[2],
                            end=where[2] + len(hit.page_content),
                            text=hit.page_content,
                            score=0.0,
                        )
                    )
        finally:
            store.delete_collection()
        letter = draft_letter(fields, entry, evidence, [], fields.letter_date or date.today())
        page_text = {(p.metadata["document"], p.metadata["page_number"]): p.page_content for p in pages}
        return Run(
            letter=letter.text,
            citations=letter.citations,
            ranked_pages=ranked,
            page_text=page_text,
            missing=set(),
            method="template (top chunks pasted)",
            seconds=time.perf_counter() - start,
            pages=len(pages),
            warnings=[],
            quote_requirements=requirements_of(letter.citations, evidence),
        )


def main(argv: list[str] | None = None) -> int:
    """`python -m eval.harness.recipe case.json record.pdf...`: the recipe's letter, for the bench."""
    import json
    import sys

    args = sys.argv[1:] if argv is None else argv
    fields = json.loads(Path(args[0]).read_text(encoding="utf-8"))
    documents = [(Path(p).name, Path(p).read_bytes()) for p in args[1:]]
    recipe = LangChainRecipe(Components(Settings.from_env()), reader="pypdf")
    run = recipe.run(EvalCase("recipe", fields["denial_code"], fields, documents, {}))
    sys.stdout.write(run.letter + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
