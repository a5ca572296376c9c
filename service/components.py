"""The heavy, long-lived parts (knowledge, embedder, vector store), built once from settings.

The CLI and the API each make one `Components`; tests make their own with a temp home and may
hand in an already-loaded embedder so the model loads once per test session; the eval hands in
both so retrieval variants share one index.

Each part is built, and its modules imported, on first use: `overturn codes list` reads the
knowledge without loading Chroma, numpy or a model.
"""

from functools import cached_property
from typing import TYPE_CHECKING

from service.config import Settings
from service.knowledge import KnowledgeBase, load_knowledge

if TYPE_CHECKING:
    from service.index.embeddings import Embedder
    from service.index.vectors import VectorStore
    from service.llm.chat import ChatModel


class Components:
    def __init__(
        self, settings: Settings, embedder: "Embedder | None" = None, vectors: "VectorStore | None" = None
    ) -> None:
        self.settings = settings
        if embedder is not None:
            self.embedder = embedder
        if vectors is not None:
            self.vectors = vectors

    def with_embedder(self, embedder: "Embedder") -> "Components":
        """The same parts (knowledge, vector store, chat models) with another embedder: the API
        hands each case an embedder whose vector cache lives, and dies, with the case."""
        _ = self.knowledge, self.vectors, self.chat_models  # built once here, shared by the copy
        other = Components.__new__(Components)
        other.__dict__.update(self.__dict__)
        other.embedder = embedder
        return other

    @cached_property
    def knowledge(self) -> KnowledgeBase:
        return load_knowledge(self.settings.code_dirs, self.settings.code_list_file)

    @cached_property
    def embedder(self) -> "Embedder":
        from service.index.embeddings import Embedder
        from service.index.vector_cache import VectorCache, embedding_identity

        model = self.settings.embedding_model
        disk = None
        if self.settings.vector_cache and model is not None and model.is_dir():
            identity = embedding_identity(model, self.settings.embedder)
            disk = VectorCache(self.settings.home / "vectors" / f"{identity}.sqlite")
        return Embedder.from_settings(self.settings, disk)

    @cached_property
    def chat_models(self) -> "list[ChatModel]":
        """Configured chat models, primary first; empty means template letters only."""
        from service.llm.chat import load_chat_models

        return load_chat_models(self.settings)

    @cached_property
    def vectors(self) -> "VectorStore":
        from service.index.vectors import VectorStore

        return VectorStore(self.settings.chroma_dir, url=self.settings.chroma_url)
