"""Everything the casework services share: settings, components, the database, the cipher.

Built once per server (and once per test) by `open_workspace`; passed explicitly to every service
function, never kept in a global.
"""

import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from service.components import Components
from service.config import Settings
from service.index.embeddings import Embedder
from service.index.vectors import VectorStore
from service.models import RecordDocument
from service.pipeline import doc_key
from service.records.pdf import read_pdf_bytes
from service.store.crypto import Cipher, derive, load_key
from service.store.db import open_database
from service.store.files import CaseFiles

PageReader = Callable[..., RecordDocument]
"""`read(data, name, settings, progress)`: an upload's pages, as `records.pdf.read_pdf_bytes` reads them."""


@dataclass
class Workspace:
    settings: Settings
    components: Components
    sessions: sessionmaker
    cipher: Cipher
    cache_secret: bytes
    """Keys the text hashes of the per-case sentence-vector caches."""
    read: PageReader = read_pdf_bytes
    """How an upload's pages are read: the product reads every file; the eval hands in a reader
    that keeps pages already read (OCR is the slow part) in a cache of its own."""

    def files(self, tenant: str, case_id: str) -> CaseFiles:
        return CaseFiles(self.settings.files_dir, tenant, case_id, self.cipher)

    @contextmanager
    def case_components(self, tenant: str, case_id: str) -> Iterator[Components]:
        """Components whose sentence-vector cache is the case's own file."""
        cache = self.files(tenant, case_id).vector_cache(self.cache_secret)
        try:
            yield self.components.with_embedder(self.components.embedder.scoped(cache))
        finally:
            cache.close()

    def erase_case(self, tenant: str, case_id: str) -> None:
        """Everything of a case outside the database: its folder (uploads, pages, vector cache)
        and its Chroma vectors. The one place a case's data is removed."""
        self.components.vectors.delete_case(tenant, case_id)
        self.files(tenant, case_id).purge()

    def erase_document(self, tenant: str, case_id: str, doc_id: str, sha256: str) -> None:
        """One document's upload, pages and vectors; the rest of its case stays."""
        self.files(tenant, case_id).remove_document(doc_id)
        self.components.vectors.delete_document(tenant, case_id, doc_key(sha256, self.components.settings))

    @property
    def engine(self) -> Engine:
        return self.sessions.kw["bind"]

    def session(self) -> Session:
        return self.sessions()

    def forget_deleted_rows(self) -> None:
        """SQLite keeps old page images in its write-ahead log until a checkpoint: fold them into
        the (secure_delete) main file and empty the log, so a deleted case leaves no trace there."""
        if self.settings.db_url.startswith("sqlite"):
            with self.sessions() as session:
                session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))


def new_id(prefix: str) -> str:
    """Opaque, unguessable ids: `cas_`, `doc_`, `apl_`, `cht_` and 24 hex digits."""
    return f"{prefix}_{secrets.token_hex(12)}"


def open_workspace(
    settings: Settings, components: Components | None = None, read: PageReader = read_pdf_bytes
) -> Workspace:
    """`components` (tests, the eval) may bring a loaded embedder; the vector store is always the
    workspace's own, keyed by a secret derived from the encryption key. `read`: see `Workspace.read`."""
    settings.home.mkdir(parents=True, exist_ok=True)
    key = load_key(settings)
    embedder = components.embedder if components is not None else Embedder.from_settings(settings)
    components = Components(settings, embedder=embedder, vectors=workspace_vectors(settings, key))
    return Workspace(
        settings, components, open_database(settings.db_url), Cipher(key), derive(key, b"sentence-cache"), read
    )


def workspace_vectors(settings: Settings, key: bytes) -> VectorStore:
    return VectorStore(settings.chroma_dir, secret=derive(key, b"vector-scope"), url=settings.chroma_url)
