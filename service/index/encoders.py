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

TOKENS_PER_BATCH = 512
"""How many tokens (rows x the longest row) one run of the graph takes. Attention's working
memory grows with rows x length squared and ONNX Runtime's arena keeps its peak: 32 chunks of 256
tokens at once left 260 MB in a server for good. Within 512 tokens a server that has read,
drafted and answered a chat about a 10-page chart holds 452 MB instead of 686 MB, and encoding
is faster (less padding). Short sentences still go many at a time."""
MAX_BATCH = 64


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
        """Batches of texts of similar length (little padding) within `TOKENS_PER_BATCH`, rows
        back in the texts' order."""
        encodings = self.tokenizer.encode_batch([t.strip() for t in texts])
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        out = np.empty((len(texts), DIM), dtype=np.float32)
        for batch in token_batches([len(encodings[i].ids) for i in order]):
            rows = [order[i] for i in batch]
            out[rows] = self._run([encodings[i] for i in rows])
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


def token_batches(lengths: list[int], budget: int = TOKENS_PER_BATCH, most: int = MAX_BATCH) -> list[range]:
    """Consecutive runs of `lengths` (sorted, shortest first) whose rows x longest row stays
    within `budget` tokens (a row longer than the budget goes alone), at most `most` rows each."""
    batches: list[range] = []
    start = 0
    for at, length in enumerate(lengths):
        rows = at - start + 1
        if at > start and (rows > most or rows * length > budget):
            batches.append(range(start, at))
            start = at
    if lengths:
        batches.append(range(start, len(lengths)))
    return batches


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
