"""A document's key in the vector store: its content and a version derived from what shapes the
text embedded for it (the chunking and expansion code, the chunk size, the model).

A change to any of them gives new keys, so a home re-indexes by itself; a hand-bumped number was
forgotten once (`evidence/matching.expand` changed after the last bump, leaving stale vectors).
"""

import hashlib
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from types import ModuleType

from service.index.vector_cache import embedding_identity


def shaping_version(sources: Mapping[str, bytes], model: str, chunk_chars: int) -> str:
    """The hash of the shaping modules' sources (by name, in any order), the model and the chunk size."""
    digest = hashlib.sha256()
    for name in sorted(sources):
        digest.update(f"{name}\0{len(sources[name])}\0".encode())
        digest.update(sources[name])
    digest.update(f"\0{model}\0{chunk_chars}".encode())
    return digest.hexdigest()[:12]


def module_sources(modules: tuple[ModuleType, ...]) -> dict[str, bytes]:
    """Each module's file as installed (source, or compiled code where only that ships)."""
    return {module.__name__: Path(str(module.__file__)).read_bytes() for module in modules}


def model_identity(model: Path | None, backend: str = "onnx") -> str:
    """The model's fingerprint (its config and weights, wherever it is installed) and runtime; its
    path when there is no model folder to read."""
    if model is not None and model.is_dir():
        return embedding_identity(model, backend)
    return str(model)


@cache
def chunk_version(modules: tuple[ModuleType, ...], model: Path | None, chunk_chars: int, backend: str = "onnx") -> str:
    """`shaping_version` of the running code, computed once per process and settings."""
    return shaping_version(module_sources(modules), model_identity(model, backend), chunk_chars)


LEGACY_VERSIONS = ("1", "2", "3", "4")
"""The hand-bumped versions keys had before: erasing a document removes vectors kept under them."""


def document_key(sha256: str, version: str) -> str:
    return f"{sha256[:20]}v{version}"


def document_of(key: str) -> str:
    """The content part of a key, the same under every version."""
    return key.partition("v")[0]


def every_version(key: str) -> list[str]:
    """`key` and the legacy keys of the same document (vectors stored before versions were derived)."""
    return [key, *(document_key(document_of(key), old) for old in LEGACY_VERSIONS)]
