"""The on-disk vector cache: a redraft must not need the embedding model at all."""

import numpy as np

from service.index.embeddings import Embedder
from service.index.vector_cache import VectorCache, model_fingerprint


def test_vectors_round_trip_exactly_and_unknown_texts_are_absent(tmp_path):
    cache = VectorCache(tmp_path / "v.sqlite")
    vector = np.random.default_rng(1).standard_normal(384).astype(np.float32)
    cache.put({"a sentence": vector})
    found = cache.get(["a sentence", "another"])
    assert list(found) == ["a sentence"]
    assert np.array_equal(found["a sentence"], vector)


def test_an_embedder_with_every_text_on_disk_does_not_load_its_model(tmp_path):
    cache = VectorCache(tmp_path / "v.sqlite")
    cache.put({"x": np.ones(384, dtype=np.float32), "y": np.zeros(384, dtype=np.float32)})
    embedder = Embedder(tmp_path / "no-such-model", cache)
    vectors = embedder.embed(["y", "x", "y"])
    assert vectors.shape == (3, 384) and vectors[1, 0] == 1.0
    assert not embedder.loaded


def test_fresh_vectors_are_written_to_disk(tmp_path, embedder):
    cache = VectorCache(tmp_path / "v.sqlite")
    mine = embedder.fresh()
    mine.disk = cache
    vector = mine.embed(["chronic care management consent"])[0]
    assert np.allclose(cache.get(["chronic care management consent"])["chronic care management consent"], vector)


def test_the_fingerprint_changes_with_the_model_config(tmp_path):
    (tmp_path / "config.json").write_text('{"hidden_size": 384}')
    before = model_fingerprint(tmp_path)
    (tmp_path / "config.json").write_text('{"hidden_size": 768}')
    assert model_fingerprint(tmp_path) != before
