import numpy as np

from service.index.fusion import reciprocal_rank_fusion
from service.index.lexical import LexicalIndex, tokens
from service.index.vectors import CaseVectors, VectorStore, collection_name
from service.models import Chunk


def test_rrf_rewards_agreement():
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["b", "a"], ["b"]])
    assert [item for item, _ in fused] == ["b", "a", "c"]


def test_bm25_finds_exact_terms():
    index = LexicalIndex(["1", "2", "3"], ["PAM score 62 recorded", "blood pressure cuff", "walked daily"])
    assert index.search("PAM score", 2)[0] == "1"
    assert index.search("zzz", 2) == []
    assert tokens("A1c 7.5% and the CPT 99490") == ["a1c", "7.5", "cpt", "99490"]


def chunk(i: int, page: int) -> Chunk:
    return Chunk(id=f"d:{page}:{i}", document="a.pdf", page=page, start=0, end=4, text=f"text {i}")


IDS = ["d:1:0", "d:2:1", "d:1:9", "d:3:3"]


def search(store, tenant, case_id, vector, limit=10):
    return CaseVectors(store, tenant, case_id, IDS).search(vector, limit)


def test_vectors_are_scoped_by_tenant_and_case_and_deletable(tmp_path):
    store = VectorStore(tmp_path / "chroma")
    rng = np.random.default_rng(0)
    vectors = rng.random((2, 384), dtype=np.float32)
    store.add("t1", "case1", "doc", [chunk(0, 1), chunk(1, 2)], vectors)
    store.add("t2", "case1", "doc", [chunk(9, 1)], vectors[:1])
    assert search(store, "t1", "case1", vectors[0]) == ["d:1:0", "d:2:1"]
    assert search(store, "t1", "case1", vectors[1]) == ["d:2:1", "d:1:0"]
    assert search(store, "t2", "case1", vectors[0]) == ["d:1:9"]
    assert search(store, "t1", "other", vectors[0]) == []
    assert CaseVectors(store, "t1", "case1", ["d:2:1"]).search(vectors[0], 10) == ["d:2:1"]
    assert store.has_document("t1", "case1", "doc") and not store.has_document("t1", "case2", "doc")
    assert store.count("t1", "case1") == 2
    store.delete_case("t1", "case1")
    assert store.count("t1", "case1") == 0 and search(store, "t2", "case1", vectors[0]) == ["d:1:9"]


def test_a_case_searched_in_memory_ranks_as_chroma_does(tmp_path):
    """The draft's in-memory search returns Chroma's own cosine ranking of the case's chunks."""
    store = VectorStore(tmp_path / "chroma")
    rng = np.random.default_rng(1)
    for case in range(4):
        vectors = rng.standard_normal((300, 384)).astype(np.float32)
        store.add("t1", f"case{case}", "doc", [chunk(i, 1 + i // 10) for i in range(300)], vectors)
    tenant, case_id = store._ids("t1", "case2")
    collection = store.client.get_collection(collection_name(tenant))
    ours = CaseVectors(store, "t1", "case2", [f"d:{1 + i // 10}:{i}" for i in range(300)])
    for probe in rng.standard_normal((20, 384)).astype(np.float32):
        theirs = collection.query(
            query_embeddings=probe.reshape(1, -1), n_results=20, where={"case": case_id}, include=["metadatas"]
        )
        assert ours.search(probe, 20) == [m["chunk"] for m in theirs["metadatas"][0]]


def test_vectors_hold_no_record_text(tmp_path):
    store = VectorStore(tmp_path / "chroma")
    store.add("t1", "case1", "doc", [chunk(0, 1)], np.ones((1, 384), dtype=np.float32))
    found = store.client.get_collection(collection_name("t1")).get(include=["documents", "metadatas"])
    assert found["documents"] == [None]
    assert "text 0" not in str(found["metadatas"]) and "a.pdf" not in str(found["metadatas"])
