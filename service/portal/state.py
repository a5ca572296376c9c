"""Everything the portal services share: settings, components, the database, the cipher.

Built once per server (and once per test) by `open_portal`; passed explicitly to every service
function, never kept in a global.
"""

import secrets
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator

from sqlalchemy.orm import Session, sessionmaker

from service.components import Components
from service.config import Settings
from service.store.crypto import Cipher, load_key
from service.store.db import open_database
from service.store.files import CaseFiles


@dataclass
class Portal:
    settings: Settings
    components: Components
    sessions: sessionmaker
    cipher: Cipher
    write_lock: threading.RLock = field(default_factory=threading.RLock)
    """Held while a case is deleted and while the worker commits a document, so neither sees
    the other half done."""

    def files(self, tenant: str, case_id: str) -> CaseFiles:
        return CaseFiles(self.settings.files_dir, tenant, case_id, self.cipher)

    @contextmanager
    def case_components(self, tenant: str, case_id: str) -> Iterator[Components]:
        """Components whose sentence-vector cache is the case's own file."""
        cache = self.files(tenant, case_id).vector_cache()
        try:
            yield self.components.with_embedder(self.components.embedder.scoped(cache))
        finally:
            cache.close()

    def session(self) -> Session:
        return self.sessions()


def new_id(prefix: str) -> str:
    """Opaque, unguessable ids: `cas_`, `doc_`, `apl_`, `cht_` and 24 hex digits."""
    return f"{prefix}_{secrets.token_hex(12)}"


def open_portal(settings: Settings, components: Components | None = None) -> Portal:
    settings.home.mkdir(parents=True, exist_ok=True)
    components = components or Components(settings, embedder=_plain_embedder(settings))
    return Portal(settings, components, open_database(settings.db_url), Cipher(load_key(settings)))


def _plain_embedder(settings: Settings):
    """The server's embedder keeps no shared disk cache: vectors are cached per case instead."""
    from service.index.embeddings import Embedder

    return Embedder(settings.embedding_model)
