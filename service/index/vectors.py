"""Chroma adapter: chunk vectors keyed by tenant, case, document and page.

We always pass our own embeddings (`embedding_function=None`): Chroma's default embedder would
download a model. Every read and delete is filtered by tenant and case.
"""

from pathlib import Path

import chromadb
import numpy as np
from chromadb.config import Settings as ChromaSettings

from service.models import Chunk

COLLECTION = "chunks"


def _scope(tenant: str, case_id: str, **more) -> dict:
    clauses = [{"tenant": tenant}, {"case": case_id}] + [{k: v} for k, v in more.items()]
    return {"$and": clauses}


class VectorStore:
    def __init__(self, path: Path):
        path.mkdir(parents=True, exist_ok=True)
        self.client = chromadb.PersistentClient(
            path=str(path), settings=ChromaSettings(anonymized_telemetry=False, allow_reset=False)
        )
        self.collection = self.client.get_or_create_collection(
            COLLECTION, embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
        )

    def has_document(self, tenant: str, case_id: str, doc_key: str) -> bool:
        found = self.collection.get(where=_scope(tenant, case_id, doc_key=doc_key), limit=1, include=[])
        return bool(found["ids"])

    def add(self, tenant: str, case_id: str, doc_key: str, chunks: list[Chunk], vectors: np.ndarray) -> None:
        if not chunks:
            return
        self.collection.upsert(
            ids=[f"{tenant}:{case_id}:{c.id}" for c in chunks],
            embeddings=vectors,
            documents=[c.text for c in chunks],
            metadatas=[
                {
                    "tenant": tenant,
                    "case": case_id,
                    "doc_key": doc_key,
                    "chunk": c.id,
                    "document": c.document,
                    "page": c.page,
                    "start": c.start,
                    "end": c.end,
                    "ocr": c.ocr,
                }
                for c in chunks
            ],
        )

    def case_chunks(self, tenant: str, case_id: str) -> list[Chunk]:
        found = self.collection.get(where=_scope(tenant, case_id), include=["documents", "metadatas"])
        return [self._chunk(text, meta) for text, meta in zip(found["documents"], found["metadatas"])]

    def search(self, tenant: str, case_id: str, vector: np.ndarray, limit: int) -> list[str]:
        """Chunk ids of this case, nearest first."""
        total = self.collection.count()
        if total == 0:
            return []
        found = self.collection.query(
            query_embeddings=vector.reshape(1, -1),
            n_results=min(limit, total),
            where=_scope(tenant, case_id),
            include=["metadatas"],
        )
        return [meta["chunk"] for meta in found["metadatas"][0]]

    def delete_case(self, tenant: str, case_id: str) -> None:
        self.collection.delete(where=_scope(tenant, case_id))

    @staticmethod
    def _chunk(text: str, meta: dict) -> Chunk:
        return Chunk(
            id=meta["chunk"],
            document=meta["document"],
            page=int(meta["page"]),
            start=int(meta["start"]),
            end=int(meta["end"]),
            text=text,
            ocr=bool(meta.get("ocr", False)),
        )
