"""The ONNX encoder against sentence-transformers, the reference it replaces on the hot path."""

import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from service.config import Settings
from service.index.encoders import OnnxEncoder, TorchEncoder, token_batches
from service.index.onnx_export import export_graph, graph_path
from service.knowledge import load_knowledge
from service.records.pdf import read_pdf_bytes

ROOT = Path(__file__).resolve().parents[1]


def sample_texts(settings: Settings) -> list[str]:
    """Texts of both kinds the product embeds: record pages cut as chunks are, and knowledge."""
    document = read_pdf_bytes((ROOT / "eval/sample/records.pdf").read_bytes(), "records.pdf", settings)
    texts = [page.text[at : at + 600] for page in document.pages for at in range(0, len(page.text), 450)]
    knowledge = load_knowledge(settings.code_dirs, settings.code_list_file)
    for entry in knowledge.codes.values():
        texts.extend(query for requirement in entry.evidence for query in requirement.queries)
    long_text = " ".join(texts)[:6000]
    return [t for t in texts if t.strip()] + [long_text, "  padded with spaces  ", "x", "99490 22 min"]


@pytest.fixture(scope="module")
def graph(tmp_path_factory) -> Path:
    model = Settings().embedding_model
    path = graph_path(model)
    return path if path.is_file() else export_graph(model, tmp_path_factory.mktemp("graph") / "model.onnx")


@pytest.mark.integration  # loads torch and the reference model: seconds, for make test only
def test_onnx_vectors_match_sentence_transformers_chunk_by_chunk(graph, tmp_path):
    settings = Settings(home=tmp_path)
    texts = sample_texts(settings)
    onnx = OnnxEncoder(settings.embedding_model, graph).encode(texts)
    reference = TorchEncoder(settings.embedding_model).encode(texts)
    assert onnx.shape == reference.shape == (len(texts), 384)
    assert onnx.dtype == np.float32
    assert np.allclose(np.linalg.norm(onnx, axis=1), 1.0, atol=1e-5)
    cosines = (onnx * reference).sum(axis=1)
    assert cosines.min() >= 0.999, f"lowest cosine {cosines.min():.5f} of {len(texts)} texts"


def test_order_and_batching_do_not_change_a_vector(graph):
    model = Settings().embedding_model
    encoder = OnnxEncoder(model, graph)
    texts = [f"note {i}: " + "minutes of care management " * (i % 9) for i in range(70)]
    together = encoder.encode(texts)
    alone = np.stack([encoder.encode([t])[0] for t in texts[:5]])
    assert np.allclose(together[:5], alone, atol=1e-5)
    assert np.allclose(encoder.encode(list(reversed(texts)))[::-1], together, atol=1e-5)
    assert encoder.encode([]).shape == (0, 384)


def test_batches_keep_rows_times_length_within_the_token_budget():
    lengths = [3] * 100 + [120] * 20 + [256] * 10 + [600]
    batches = token_batches(lengths, budget=2048, most=64)
    assert [i for b in batches for i in b] == list(range(len(lengths)))  # every row once, in order
    assert all(len(b) <= 64 for b in batches)
    assert all(len(b) * lengths[b[-1]] <= 2048 or len(b) == 1 for b in batches)
    assert len(batches[0]) == 64 and max(len(b) for b in batches if lengths[b[-1]] == 256) == 8
    assert len(batches[-1]) == 1  # longer than the budget: alone
    assert token_batches([]) == []


def test_a_missing_graph_is_written_from_the_package_weights(tmp_path):
    """What a wheel install meets on its first draft: no graph yet, nothing downloaded."""
    target = tmp_path / "graph.onnx"
    export_graph(Settings().embedding_model, target)
    assert target.is_file() and target.stat().st_size > 10_000_000
    assert not list(tmp_path.glob(".export-*"))


def test_embedding_with_onnx_imports_neither_torch_nor_sentence_transformers(graph, tmp_path):
    script = textwrap.dedent(
        f"""
        import sys
        from service.config import Settings
        from service.index.embeddings import Embedder
        settings = Settings(home={str(tmp_path)!r}, onnx_model={str(graph)!r})
        vectors = Embedder.from_settings(settings).embed(["consent was given", "20 minutes"])
        assert vectors.shape == (2, 384)
        heavy = [m for m in ("torch", "sentence_transformers", "transformers") if m in sys.modules]
        print("heavy:", heavy)
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "heavy: []" in out.stdout
