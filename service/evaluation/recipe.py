"""The plain LangChain recipe a user would build instead of Overturn, as an eval baseline.

PyPDFLoader (one document per page, no OCR), RecursiveCharacterTextSplitter (1000/200, the
tutorials' numbers), Chroma similarity top-k with the same all-MiniLM-L6-v2 model through
HuggingFaceEmbeddings, one query per evidence requirement, and the top chunks pasted under our
own template. No exclusions, no sentence selection, no missing-evidence check.
"""

import tempfile
import time
from datetime import date
from pathlib import Path

import chromadb
from chromadb.config import Settings as ChromaSettings

from service.config import Settings
from service.drafting.template import draft_letter
from service.evaluation.evalset import EvalCase
from service.evaluation.metrics import Run
from service.index.embeddings import offline_environment
from service.knowledge import load_knowledge
from service.models import CaseFields, Evidence


def recipe_embeddings(settings: Settings):
    """The same model file our pipeline uses, loaded the way LangChain's docs show."""
    offline_environment()
    from langchain_huggingface import HuggingFaceEmbeddings

    return HuggingFaceEmbeddings(
        model_name=str(settings.embedding_model),
        model_kwargs={"device": "cpu", "local_files_only": True},
        encode_kwargs={"normalize_embeddings": True},
    )


def load_and_split(folder: Path, documents: list[tuple[str, bytes]], chunk_size: int = 1000, overlap: int = 200):
    """Pages as PyPDFLoader reads them, and the splitter's chunks (with start offsets)."""
    from langchain_community.document_loaders import PyPDFLoader
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    pages = []
    for name, data in documents:
        path = folder / name
        path.write_bytes(data)
        for page in PyPDFLoader(str(path)).load():
            page.metadata["document"] = name
            pages.append(page)
    splitter = RecursiveCharacterTextSplitter(chunk_size=chunk_size, chunk_overlap=overlap, add_start_index=True)
    return pages, splitter.split_documents(pages)


class LangChainRecipe:
    name = "langchain-recipe"

    def __init__(self, settings: Settings, k: int = 5, pasted: int = 3):
        self.settings = settings
        self.k = k
        self.pasted = pasted
        self.knowledge = load_knowledge(settings.code_dirs)
        self.embeddings = recipe_embeddings(settings)
        self.client = chromadb.EphemeralClient(settings=ChromaSettings(anonymized_telemetry=False))
        self._runs = 0

    def run(self, case: EvalCase) -> Run:
        from langchain_chroma import Chroma

        start = time.perf_counter()
        fields = CaseFields.model_validate(case.case)
        entry = self.knowledge.get(fields.denial_code)
        with tempfile.TemporaryDirectory() as tmp:
            pages, chunks = load_and_split(Path(tmp), case.documents)
        self._runs += 1
        store = Chroma(collection_name=f"recipe-{self._runs}", embedding_function=self.embeddings, client=self.client)
        try:
            if chunks:
                store.add_documents(chunks)
            ranked, evidence, seen = {}, [], set()
            for req in entry.evidence:
                hits = store.similarity_search(req.need, k=self.k) if chunks else []
                ranked[req.id] = list(dict.fromkeys((h.metadata["document"], h.metadata["page"] + 1) for h in hits))
                for hit in hits[: self.pasted]:
                    where = (hit.metadata["document"], hit.metadata["page"] + 1, hit.metadata["start_index"])
                    if where in seen:
                        continue
                    seen.add(where)
                    evidence.append(Evidence(
                        requirement=req.id, document=where[0], page=where[1], start=where[2],
                        end=where[2] + len(hit.page_content), text=hit.page_content, score=0.0,
                    ))
        finally:
            store.delete_collection()
        letter = draft_letter(fields, entry, evidence, [], fields.letter_date or date.today())
        page_text = {(p.metadata["document"], p.metadata["page"] + 1): p.page_content for p in pages}
        return Run(
            letter=letter.text,
            citations=letter.citations,
            ranked_pages=ranked,
            page_text=page_text,
            missing=set(),
            method="template (top chunks pasted)",
            seconds=time.perf_counter() - start,
            pages=len(pages),
        )


def main(argv: list[str] | None = None) -> int:
    """`python -m service.evaluation.recipe case.json record.pdf...`: the recipe's letter, for the bench."""
    import json
    import sys

    args = sys.argv[1:] if argv is None else argv
    fields = json.loads(Path(args[0]).read_text(encoding="utf-8"))
    documents = [(Path(p).name, Path(p).read_bytes()) for p in args[1:]]
    run = LangChainRecipe(Settings.from_env()).run(EvalCase("recipe", fields["denial_code"], fields, documents, {}))
    sys.stdout.write(run.letter + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
