"""The two ways of turning texts into sentence vectors: ONNX Runtime (the default) and
sentence-transformers on torch (the reference, a setting). Both give L2-normalised float32 rows
in the order of the texts; each imports its runtime only when it is built.

The ONNX encoder tokenises as sentence-transformers does for this model (texts stripped, cut at
the model's `max_seq_length`, padded per batch) and runs the graph `onnx_export` writes, so its
vectors match the reference to a cosine of 0.9999 (tests/test_encoders.py).
"""

import json
from pathlib import Path
from typing import Protocol

import numpy as np

from service.index.vector_cache import DIM

BATCH = 32


class Encoder(Protocol):
    def encode(self, texts: list[str]) -> np.ndarray: ...


class OnnxEncoder:
    def __init__(self, model_dir: Path, graph: Path, threads: int = 0):
        import onnxruntime
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=_max_tokens(model_dir))
        self.pad_id = self.tokenizer.token_to_id("[PAD]") or 0
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self.session = onnxruntime.InferenceSession(str(graph), options, providers=["CPUExecutionProvider"])
        self.inputs = {i.name for i in self.session.get_inputs()}

    def encode(self, texts: list[str]) -> np.ndarray:
        """Batches of texts of similar length (little padding), rows back in the texts' order."""
        encodings = self.tokenizer.encode_batch([t.strip() for t in texts])
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        out = np.empty((len(texts), DIM), dtype=np.float32)
        for at in range(0, len(order), BATCH):
            batch = order[at : at + BATCH]
            out[batch] = self._run([encodings[i] for i in batch])
        return out

    def _run(self, encodings) -> np.ndarray:
        width = max(len(e.ids) for e in encodings)
        ids = np.full((len(encodings), width), self.pad_id, dtype=np.int64)
        mask = np.zeros((len(encodings), width), dtype=np.int64)
        types = np.zeros((len(encodings), width), dtype=np.int64)
        for row, encoding in enumerate(encodings):
            n = len(encoding.ids)
            ids[row, :n] = encoding.ids
            mask[row, :n] = 1
            types[row, :n] = encoding.type_ids
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
        return self.session.run(None, {k: v for k, v in feed.items() if k in self.inputs})[0]


class TorchEncoder:
    """sentence-transformers itself: the reference the ONNX encoder is checked against."""

    def __init__(self, model_dir: Path):
        from sentence_transformers import SentenceTransformer

        self.model = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)

    def encode(self, texts: list[str]) -> np.ndarray:
        vectors = self.model.encode(
            texts, batch_size=16, normalize_embeddings=True, show_progress_bar=False, convert_to_numpy=True
        )
        return np.asarray(vectors, dtype=np.float32)


def _max_tokens(model_dir: Path) -> int:
    config = model_dir / "sentence_bert_config.json"
    if config.is_file():
        return int(json.loads(config.read_text()).get("max_seq_length", 256))
    return 256
