"""Where one case's files live: `$OVERTURN_HOME/files/<tenant>/<case>/`.

Per document: the upload (`<doc>.pdf.sealed`) and the pages as read, OCR included
(`<doc>.pages.sealed`), both encrypted. Per case: `vectors.sqlite`, the sentence-vector cache, so
a redraft needs no model and the vectors go when the case goes. Deleting a case removes the
folder; nothing of it is kept elsewhere on disk apart from Chroma's vectors (deleted by id).
"""

import shutil
from pathlib import Path

from service.index.vector_cache import VectorCache
from service.models import RecordDocument
from service.store.crypto import Cipher


class CaseFiles:
    def __init__(self, root: Path, tenant: str, case_id: str, cipher: Cipher):
        self.folder = root / tenant / case_id
        self.cipher = cipher

    def upload_path(self, doc_id: str) -> Path:
        return self.folder / f"{doc_id}.pdf.sealed"

    def pages_path(self, doc_id: str) -> Path:
        return self.folder / f"{doc_id}.pages.sealed"

    def upload(self, doc_id: str) -> bytes:
        return self.cipher.read_file(self.upload_path(doc_id), doc_id)

    def save_pages(self, doc_id: str, document: RecordDocument) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.pages_path(doc_id).with_suffix(".tmp")
        tmp.write_bytes(self.cipher.seal(document.model_dump_json().encode(), f"pages:{doc_id}"))
        tmp.replace(self.pages_path(doc_id))

    def pages(self, doc_id: str) -> RecordDocument:
        sealed = self.pages_path(doc_id).read_bytes()
        return RecordDocument.model_validate_json(self.cipher.open(sealed, f"pages:{doc_id}"))

    def vector_cache(self, secret: bytes) -> VectorCache:
        return VectorCache(self.folder / "vectors.sqlite", secret)

    def remove_document(self, doc_id: str) -> None:
        for path in (self.upload_path(doc_id), self.pages_path(doc_id)):
            path.unlink(missing_ok=True)

    def purge(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
