"""Everything the casework services share: settings, components, the database, the cipher.

Built once per server (and once per test) by `open_workspace`; passed explicitly to every service
function, never kept in a global. The embedder, the vector store and the PDF reader are built (and
their modules imported) on first use, so `overturn cases list` and `overturn import 835` open the
database without loading Chroma, a model or pypdfium2.
"""

import secrets
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from service.components import Components
from service.config import Settings
from service.models import RecordDocument
from service.store.crypto import Cipher, derive, load_key
from service.store.db import open_database
from service.store.files import CaseFiles

if TYPE_CHECKING:
    from service.index.embeddings import Embedder
    from service.index.vectors import VectorStore

PageReader = Callable[..., RecordDocument]
"""`read(data, name, settings, progress)`: an upload's pages, as `records.pdf.read_pdf_bytes` reads them."""


def read_pdf_bytes(data: bytes, name: str, settings: Settings, progress=None) -> RecordDocument:
    """`records.pdf.read_pdf_bytes`, imported when the first upload is read."""
    from service.records.pdf import read_pdf_bytes as read

    return read(data, name, settings, progress)


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
        from service.pipeline import doc_key

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
    parts = _WorkspaceComponents(settings, key, components.embedder if components is not None else None)
    return Workspace(settings, parts, open_database(settings.db_url), Cipher(key), derive(key, b"sentence-cache"), read)


def workspace_vectors(settings: Settings, key: bytes) -> "VectorStore":
    from service.index.vectors import VectorStore

    return VectorStore(settings.chroma_dir, secret=derive(key, b"vector-scope"), url=settings.chroma_url)


class _WorkspaceComponents(Components):
    """The workspace's parts: an embedder with no disk cache of its own (each case brings one) and
    the vector store keyed by a secret from the encryption key. Built on first use, once, under a
    lock: the API's request and job threads may all reach for them at the same time."""

    def __init__(self, settings: Settings, key: bytes, embedder: "Embedder | None" = None) -> None:
        super().__init__(settings, embedder)
        self._key = key
        self._lock = threading.Lock()

    def _once(self, name: str, build: Callable[[], Any]) -> Any:
        with self._lock:
            if name not in self.__dict__:
                self.__dict__[name] = build()
            return self.__dict__[name]

    @cached_property
    def embedder(self) -> "Embedder":
        from service.index.embeddings import Embedder

        return self._once("embedder", lambda: Embedder.from_settings(self.settings))

    @cached_property
    def vectors(self) -> "VectorStore":
        return self._once("vectors", lambda: workspace_vectors(self.settings, self._key))
