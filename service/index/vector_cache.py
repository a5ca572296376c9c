"""Sentence vectors kept on disk, keyed by a hash of the model and the text.

A redraft of the same record then needs no model at all, not even its ONNX session. SQLite
because it is in the standard library, safe across processes and fast for a few thousand keyed
blobs.
"""

import hashlib
import hmac
import sqlite3
from pathlib import Path

import numpy as np

DIM = 384


def model_fingerprint(model_path: Path) -> str:
    """Changes when the model's config or weights change, so old vectors are never reused."""
    digest = hashlib.sha256(str(Path(model_path).name).encode())
    for name in ("config.json", "modules.json", "sentence_bert_config.json"):
        file = Path(model_path) / name
        if file.is_file():
            digest.update(file.read_bytes())
    for weights in sorted(Path(model_path).glob("*.safetensors")) + sorted(Path(model_path).glob("*.bin")):
        digest.update(f"{weights.name}:{weights.stat().st_size}".encode())
    return digest.hexdigest()[:16]


def embedding_identity(model_path: Path, backend: str) -> str:
    """The model's fingerprint and the runtime that computes its vectors: the ONNX graph agrees
    with torch to a cosine of 0.9999, not bit for bit, so vectors of one are never mixed with the
    other's (torch keeps the bare fingerprint it always had)."""
    fingerprint = model_fingerprint(model_path)
    return fingerprint if backend == "torch" else f"{fingerprint}-{backend}"


def text_key(text: str, secret: bytes | None = None) -> bytes:
    if secret is None:
        return hashlib.sha256(text.encode("utf-8")).digest()
    return hmac.new(secret, text.encode("utf-8"), hashlib.sha256).digest()


class VectorCache:
    """`secret` keys the text hashes (the API's per-case caches), so a guessed sentence
    ("Patient: ...") cannot be confirmed against the file without the server's key."""

    def __init__(self, path: Path, secret: bytes | None = None):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.secret = secret
        self._db = sqlite3.connect(str(path), timeout=30, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS vectors (key BLOB PRIMARY KEY, vector BLOB NOT NULL)")
        self._db.commit()

    def get(self, texts: list[str]) -> dict[str, np.ndarray]:
        keys = {text_key(t, self.secret): t for t in texts}
        found: dict[str, np.ndarray] = {}
        items = list(keys)
        for at in range(0, len(items), 500):
            batch = items[at : at + 500]
            marks = ",".join("?" * len(batch))
            for key, blob in self._db.execute(f"SELECT key, vector FROM vectors WHERE key IN ({marks})", batch):
                vector = np.frombuffer(blob, dtype=np.float32)
                if vector.shape == (DIM,):
                    found[keys[bytes(key)]] = vector
        return found

    def put(self, vectors: dict[str, np.ndarray]) -> None:
        rows = [(text_key(t, self.secret), np.asarray(v, dtype=np.float32).tobytes()) for t, v in vectors.items()]
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO vectors (key, vector) VALUES (?, ?)", rows)

    def close(self) -> None:
        self._db.close()
