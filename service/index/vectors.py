"""Chroma adapter: chunk vectors keyed by tenant, case, document and page.

We always pass our own embeddings (`embedding_function=None`): Chroma's default embedder would
download a model. Each tenant has its own collection, so a search never scans another practice's
vectors, and every read and delete is still scoped to tenant and case (a filter, or ids that
carry both). Chroma holds vectors and offsets only, never record text or file names: the text
stays in the (encrypted) page store.
Given a secret (the API's), tenant and case are stored as keyed hashes, so nothing in Chroma's
files names a tenant or a case, and what a deleted case leaves in Chroma's own log or free pages
cannot be tied to it.
"""

import hashlib
import hmac
import threading
from pathlib import Path
from urllib.parse import urlsplit

import chromadb
import numpy as np
from chromadb.config import Settings as ChromaSettings

from service.index.chunk_key import document_of, every_version
from service.models import Chunk


def _scope(tenant: str, case_id: str, **more) -> dict:
    clauses = [{"tenant": tenant}, {"case": case_id}] + [{k: v} for k, v in more.items()]
    return {"$and": clauses}


def collection_name(tenant: str) -> str:
    """Chroma's names are 3-512 of [A-Za-z0-9._-]; a hash keeps any tenant name valid and distinct."""
    return "t-" + hashlib.sha256(tenant.encode()).hexdigest()[:32]


def store_kind(url: str | None) -> str:
    """`chroma-server` for a Chroma server's URL, `embedded` for Chroma in the home folder."""
    return "chroma-server" if url else "embedded"


class VectorStore:
    def __init__(self, path: Path, secret: bytes | None = None, url: str | None = None):
        """Embedded Chroma in `path` (one process), or a Chroma server at `url` (`chroma run`;
        several API and job workers share it)."""
        self._secret = secret
        settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
        if url:
            where = urlsplit(url)
            self.client = chromadb.HttpClient(
                host=where.hostname or "127.0.0.1",
                port=where.port or (443 if where.scheme == "https" else 8000),
                ssl=where.scheme == "https",
                settings=settings,
            )
        else:
            path.mkdir(parents=True, exist_ok=True)
            self.client = chromadb.PersistentClient(path=str(path), settings=settings)
        self.kind = store_kind(url)
        self._collections: dict[str, object] = {}
        self._lock = threading.Lock()

    def _pseudonym(self, value: str) -> str:
        if self._secret is None:
            return value
        return hmac.new(self._secret, value.encode(), hashlib.sha256).hexdigest()[:32]

    def _ids(self, tenant: str, case_id: str) -> tuple[str, str]:
        return self._pseudonym(tenant), self._pseudonym(f"{tenant}/{case_id}")

    def _collection(self, tenant: str):
        """`tenant` here is already the stored form (see `_ids`)."""
        with self._lock:
            if tenant not in self._collections:
                self._collections[tenant] = self.client.get_or_create_collection(
                    collection_name(tenant), embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
                )
            return self._collections[tenant]

    def heartbeat(self) -> None:
        """Raises when the store cannot be reached (a Chroma server that is down)."""
        self.client.heartbeat()

    def has_document(self, tenant: str, case_id: str, doc_key: str) -> bool:
        tenant, case_id = self._ids(tenant, case_id)
        found = self._collection(tenant).get(where=_scope(tenant, case_id, doc_key=doc_key), limit=1, include=[])
        return bool(found["ids"])

    def add(self, tenant: str, case_id: str, doc_key: str, chunks: list[Chunk], vectors: np.ndarray) -> None:
        if not chunks:
            return
        tenant, case_id = self._ids(tenant, case_id)
        self._collection(tenant).upsert(
            ids=[f"{case_id}:{c.id}" for c in chunks],
            embeddings=vectors,
            metadatas=[
                {
                    "tenant": tenant,
                    "case": case_id,
                    "doc_key": doc_key,
                    "document": document_of(doc_key),
                    "chunk": c.id,
                    "page": c.page,
                }
                for c in chunks
            ],
        )

    def count(self, tenant: str, case_id: str) -> int:
        tenant, case_id = self._ids(tenant, case_id)
        return len(self._collection(tenant).get(where=_scope(tenant, case_id), include=[])["ids"])

    def case_vectors(self, tenant: str, case_id: str, chunk_ids: list[str]) -> tuple[list[str], np.ndarray]:
        """These chunks' vectors, those stored, in one request. Looked up by id, which carries
        the keyed hash of tenant and case (in the tenant's own collection): cheaper on a Chroma
        server than a metadata filter, and scoped just as tightly."""
        if not chunk_ids:
            return [], np.zeros((0, 0), dtype=np.float32)
        tenant, case_id = self._ids(tenant, case_id)
        found = self._collection(tenant).get(ids=[f"{case_id}:{c}" for c in chunk_ids], include=["embeddings"])
        ids = [stored.partition(":")[2] for stored in found["ids"]]
        if not ids:
            return [], np.zeros((0, 0), dtype=np.float32)
        position = {c: i for i, c in enumerate(chunk_ids)}
        order = sorted(range(len(ids)), key=lambda i: position[ids[i]])  # the caller's order breaks ties
        return [ids[i] for i in order], np.asarray(found["embeddings"], dtype=np.float32)[order]

    def delete_case(self, tenant: str, case_id: str) -> None:
        tenant, case_id = self._ids(tenant, case_id)
        self._collection(tenant).delete(where=_scope(tenant, case_id))

    def delete_document(self, tenant: str, case_id: str, doc_key: str) -> None:
        """The document's vectors under every version of its key: the version follows the code,
        and vectors indexed by an older one must not outlive the document."""
        tenant, case_id = self._ids(tenant, case_id)
        any_version = {"$or": [{"document": document_of(doc_key)}, {"doc_key": {"$in": every_version(doc_key)}}]}
        self._collection(tenant).delete(where={"$and": [{"tenant": tenant}, {"case": case_id}, any_version]})


class CaseVectors:
    """One case's chunk vectors, fetched from the store on the first search of a draft and then
    searched exactly in memory: a draft asks dozens of questions of a few hundred chunks, and
    one fetch costs less than two round trips to a Chroma server (`eval/bench.py` measures it)."""

    def __init__(self, store: VectorStore, tenant: str, case_id: str, chunk_ids: list[str]):
        self._fetch = lambda: store.case_vectors(tenant, case_id, chunk_ids)
        self._loaded: tuple[list[str], np.ndarray] | None = None
        self._lock = threading.Lock()

    def _matrix(self) -> tuple[list[str], np.ndarray]:
        with self._lock:
            if self._loaded is None:
                ids, vectors = self._fetch()
                norms = np.linalg.norm(vectors, axis=1, keepdims=True)
                self._loaded = ids, vectors / np.where(norms == 0, 1, norms)
            return self._loaded

    def search(self, vector: np.ndarray, limit: int) -> list[str]:
        """Chunk ids, nearest (cosine) first."""
        ids, matrix = self._matrix()
        if not ids:
            return []
        scores = matrix @ (vector / (np.linalg.norm(vector) or 1.0))
        return [ids[i] for i in np.argsort(-scores, kind="stable")[:limit]]
