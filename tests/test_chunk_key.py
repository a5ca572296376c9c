"""Vector keys follow what shapes the embedded text, so a change re-indexes by itself."""

from service.config import Settings
from service.index.chunk_key import chunk_version, shaping_version
from service.pipeline import SHAPING_MODULES, doc_key

SOURCES = {"service.records.spans": b"def chunk_page(): ...", "service.evidence.matching": b"def expand(): ..."}


def test_the_version_changes_with_the_model():
    assert shaping_version(SOURCES, "model-a", 600) != shaping_version(SOURCES, "model-b", 600)


def test_the_version_changes_with_a_shaping_modules_source_or_the_chunk_size():
    edited = {**SOURCES, "service.evidence.matching": b"def expand(): return 'more'"}
    assert shaping_version(SOURCES, "model-a", 600) != shaping_version(edited, "model-a", 600)
    assert shaping_version(SOURCES, "model-a", 600) != shaping_version(SOURCES, "model-a", 500)


def test_the_version_is_stable_and_ignores_the_order_sources_come_in():
    again = dict(reversed(list(SOURCES.items())))
    assert shaping_version(SOURCES, "model-a", 600) == shaping_version(again, "model-a", 600)


def test_a_documents_key_is_stable_and_follows_the_model_in_the_settings(tmp_path):
    sha = "ab" * 32
    settings = Settings(home=tmp_path)
    assert doc_key(sha, settings) == doc_key(sha, Settings(home=tmp_path / "other"))
    assert doc_key(sha, settings).startswith(sha[:20] + "v")
    assert doc_key(sha, settings) != doc_key(sha, Settings(home=tmp_path, embedding_model=tmp_path / "another-model"))
    version = chunk_version(SHAPING_MODULES, settings.embedding_model, settings.chunk_chars)
    assert doc_key(sha, settings) == f"{sha[:20]}v{version}"
    assert {m.__name__ for m in SHAPING_MODULES} >= {"service.records.spans", "service.evidence.matching"}


def test_erasing_a_document_removes_its_vectors_under_every_version_of_its_key(tmp_path):
    import numpy as np

    from service.index.chunk_key import document_key
    from service.index.vectors import VectorStore, collection_name
    from service.models import Chunk

    def chunks(key: str) -> list[Chunk]:
        return [Chunk(id=f"{key}:1:0", document="a.pdf", page=1, start=0, end=4, text="text")]

    sha, other = "ab" * 32, "cd" * 32
    store = VectorStore(tmp_path / "chroma")
    for key in (document_key(sha, "4"), document_key(sha, "0ld"), document_key(sha, "new"), document_key(other, "new")):
        store.add("t1", "case1", key, chunks(key), np.ones((1, 384), dtype=np.float32))
    tenant, case_id = store._ids("t1", "case1")
    legacy = document_key(sha, "3")  # stored before keys carried the document on its own
    store.client.get_collection(collection_name(tenant)).upsert(
        ids=[f"{case_id}:{legacy}:1:0"],
        embeddings=np.ones((1, 384), dtype=np.float32),
        metadatas=[{"tenant": tenant, "case": case_id, "doc_key": legacy, "chunk": f"{legacy}:1:0", "page": 1}],
    )
    assert store.count("t1", "case1") == 5
    store.delete_document("t1", "case1", document_key(sha, "new"))
    assert store.count("t1", "case1") == 1 and store.has_document("t1", "case1", document_key(other, "new"))
