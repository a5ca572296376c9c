"""Speed and memory figures, ours beside the plain LangChain recipe, measured in one run.

Usage: .venv/bin/python eval/bench.py [--runs 3] [--sizes 1000,10000,100000] [--json]
(`make bench`). Prints figures only; nothing here asserts a time.

- ingest: pages/s to read, split, embed and store text pages, and image-only (OCR) pages;
- orientation: what checking which way up a scanned page is adds to reading it, in CPU seconds;
- draft: `overturn draft` as a fresh process, cold (empty home) and warm (same home again),
  p50/p95, for a 10-page and an 80-page text record; the recipe as a fresh process too;
- retrieval: one case's vector searches with 1k/10k/100k chunks of other cases in the store;
- memory: peak resident set of each process.
"""

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))

from eval.harness.recipe import load_and_split, recipe_embeddings  # noqa: E402
from eval.synth.charts import make_case  # noqa: E402
from eval.synth.sample import write_case  # noqa: E402
from service.components import Components  # noqa: E402
from service.config import Settings  # noqa: E402
from service.index.vectors import CaseVectors, VectorStore  # noqa: E402
from service.models import Chunk  # noqa: E402
from service.pipeline import index_case, read_records  # noqa: E402

TEXT_OPTIONS = dict(scanned=0, documents=1, misfiled=True, out_of_period=True, injection=True, missing=False)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summary(values: list[float]) -> dict:
    return {"p50": round(pct(values, 0.5), 3), "p95": round(pct(values, 0.95), 3), "runs": len(values)}


def run_process(args: list[str], env: dict) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of one child process; fails loudly if it fails. The peak is
    polled from /proc (VmHWM): rusage's maxrss would report this bench's own size after fork."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        child = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=errors)
        peak = 0
        while child.poll() is None:
            peak = max(peak, proc_status_kb(child.pid, "VmHWM"))
            time.sleep(0.02)
        seconds = time.perf_counter() - start
        if child.returncode != 0:
            errors.seek(0)
            raise SystemExit(f"{args[0]} failed: {errors.read().decode()[-500:]}")
    return seconds, peak / 1024


def proc_status_kb(pid: int, field: str) -> int:
    """One kB figure of /proc/<pid>/status (`VmHWM`, `VmRSS`); 0 once the process is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def scanned_copy(pdf: bytes, pages: int, dpi: int = 200) -> bytes:
    """The first `pages` pages rendered to greyscale images and saved as an image-only PDF."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    images = [document[i].render(scale=dpi / 72, grayscale=True).to_pil() for i in range(pages)]
    out = io.BytesIO()
    images[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=images[1:])
    return out.getvalue()


def bench_ingest(record: bytes, scanned: bytes, settings: Settings) -> dict:
    """Pages/s for read + split + embed + store, model already loaded (its load time is separate)."""
    figures = {}
    start = time.perf_counter()
    components = Components(settings)
    components.embedder.embed(["warm-up"])
    figures["model_load_seconds"] = round(time.perf_counter() - start, 2)
    for label, data in (("text", record), ("ocr", scanned)):
        start = time.perf_counter()
        documents, _ = read_records([(f"{label}.pdf", data)], components)
        index_case(documents, components, "bench", f"ingest-{label}")
        seconds = time.perf_counter() - start
        pages = sum(len(d.pages) for d in documents)
        figures[f"{label}_pages"] = pages
        figures[f"{label}_pages_per_s"] = round(pages / seconds, 2)
    embeddings = recipe_embeddings(settings)
    from langchain_chroma import Chroma

    for label, data in (("text", record), ("ocr", scanned)):
        start = time.perf_counter()
        with tempfile.TemporaryDirectory() as tmp:
            pages, chunks = load_and_split(Path(tmp), [(f"{label}.pdf", data)])
        store = Chroma(collection_name=f"bench-{label}", embedding_function=embeddings)
        if chunks:
            store.add_documents(chunks)
        seconds = time.perf_counter() - start
        figures[f"recipe_{label}_pages_per_s"] = round(len(pages) / seconds, 2)
        figures[f"recipe_{label}_pages_with_text"] = sum(bool(p.page_content.strip()) for p in pages)
        store.delete_collection()
    return figures


def bench_draft(folder: Path, runs: int) -> dict:
    """`overturn draft` and the recipe, each a fresh process, on one written case folder."""
    case, records = folder / "case.json", sorted(folder.glob("*.pdf"))
    ours = [str(BIN / "overturn"), "draft", "--case", str(case), "--format", "json"]
    for r in records:
        ours += ["--records", str(r)]
    recipe = [sys.executable, "-m", "eval.harness.recipe", str(case), *map(str, records)]
    out: dict = {}
    for label, command in (("overturn", ours), ("recipe", recipe)):
        cold, warm, rss = [], [], []
        for _ in range(runs):
            with tempfile.TemporaryDirectory() as home:
                env = {**os.environ, "OVERTURN_HOME": home, "PYTHONPATH": str(ROOT)}
                seconds, peak = run_process(command, env)
                cold.append(seconds)
                rss.append(peak)
                for _ in range(runs if label == "overturn" else 0):
                    seconds, peak = run_process(command, env)
                    warm.append(seconds)
                    rss.append(peak)
        out[label] = {"cold": summary(cold), "peak_rss_mb": round(max(rss))}
        if warm:
            out[label]["warm"] = summary(warm)
    return out


def bench_start(runs: int) -> dict:
    """Commands that should never load a model or Chroma, each a fresh process."""
    out = {}
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "OVERTURN_HOME": home}
        for label, args in (("help", ["--help"]), ("codes_list", ["codes", "list"])):
            out[label] = summary([run_process([str(BIN / "overturn"), *args], env)[0] for _ in range(max(runs, 5))])
    return out


SEARCHES_PER_DRAFT = 20
"""About what one template draft of a 10-page chart asks of the vector store (dense searches)."""


def bench_retrieval(sizes: list[int], queries: int = 40, url: str | None = None) -> dict:
    """Latency of one case's top-20 vector search while the store holds `size` chunks of other
    cases (random unit vectors in 384 dimensions, 50 chunks a case, 20 tenants). Ours keeps one
    collection per tenant; a draft fetches its case's vectors on its first search and answers
    the rest in memory (`CaseVectors`), so the figures are that first search, each later one, and
    a draft's `SEARCHES_PER_DRAFT` together; beside them one Chroma query filtered by tenant and
    case (what each search cost before), and the recipe's one collection of everything.
    `url`: a Chroma server instead of embedded Chroma (the recipe's row is then left out)."""
    from langchain_chroma import Chroma

    rng = np.random.default_rng(0)
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        store = VectorStore(Path(tmp) / "chroma", url=url)
        everything = (
            None
            if url
            else store.client.get_or_create_collection(
                "everything", embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
            )
        )
        filled = 0
        for size in sorted(sizes):
            start = time.perf_counter()
            while filled < size:
                batch = min(5000, size - filled)
                vectors = rng.standard_normal((batch, 384)).astype(np.float32)
                vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
                for case_at in range(0, batch, 50):
                    n = min(50, batch - case_at)
                    case = (filled + case_at) // 50
                    chunks = [
                        Chunk(
                            id=f"c{case}-{i}",
                            document="d.pdf",
                            page=1 + i // 5,
                            start=0,
                            end=10,
                            text=f"chunk {i} of case {case}",
                        )
                        for i in range(n)
                    ]
                    store.add(f"t{case % 20}", f"case{case}", "doc", chunks, vectors[case_at : case_at + n])
                    if everything is not None:
                        everything.add(
                            ids=[f"case{case}:{c.id}" for c in chunks], embeddings=vectors[case_at : case_at + n]
                        )
                filled += batch
            fill_seconds = time.perf_counter() - start
            cases = size // 50
            first, later, drafts, chroma, recipe = [], [], [], [], []
            plain = None if url else Chroma(client=store.client, collection_name="everything", embedding_function=None)
            for n in range(queries):
                case = (n * 37 + 7) % cases
                tenant, case_id = f"t{case % 20}", f"case{case}"
                probes = rng.standard_normal((SEARCHES_PER_DRAFT, 384)).astype(np.float32)
                draft = CaseVectors(store, tenant, case_id, [f"c{case}-{i}" for i in range(50)])
                began = time.perf_counter()
                for i, vector in enumerate(probes):
                    start = time.perf_counter()
                    draft.search(vector, 20)
                    (first if i == 0 else later).append((time.perf_counter() - start) * 1000)
                drafts.append((time.perf_counter() - began) * 1000)
                stored_tenant, stored_case = store._ids(tenant, case_id)
                start = time.perf_counter()
                store._collection(stored_tenant).query(
                    query_embeddings=probes[:1],
                    n_results=20,
                    include=["metadatas"],
                    where={"$and": [{"tenant": stored_tenant}, {"case": stored_case}]},
                )
                chroma.append((time.perf_counter() - start) * 1000)
                if plain is not None:
                    start = time.perf_counter()
                    plain.similarity_search_by_vector(probes[0].tolist(), k=20)
                    recipe.append((time.perf_counter() - start) * 1000)
            out[str(size)] = {
                "first_search_ms": summary(first),
                "later_search_ms": summary(later),
                "draft_ms": summary(drafts),
                "chroma_query_ms": summary(chroma),
                "fill_seconds": round(fill_seconds, 1),
            }
            if recipe:
                out[str(size)]["recipe_ms"] = summary(recipe)
    return out


def retrieval_line(r: dict) -> str:
    def both(key: str) -> str:
        return f"{r[key]['p50']} / {r[key]['p95']}"

    return (
        f"first search of a draft (fetches the case) {both('first_search_ms')}, each later search {both('later_search_ms')}, "
        f"a whole draft's {both('draft_ms')}; one filtered Chroma query {both('chroma_query_ms')}"
    )


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (tesseract): unlike wall time, not
    inflated by whatever else the machine runs."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def bench_orientation(scanned: bytes, settings: Settings) -> dict:
    """CPU seconds per upright scanned page, one page at a time: the read as the service does it
    (its first read is checked for upright text; only a page that fails is sent to orientation
    detection) beside a plain read (deskew, OCR, lay out); and the same for one turned 180."""
    from service.records.ocr import ocr_tsv, read_image, render_pages
    from service.records.ocr_layout import lay_out
    from service.records.orientation import reads_upright, turn

    images = render_pages(scanned, settings.ocr_dpi)
    plain, read, flipped, detected, turned = [], [], [], 0, 0
    for image in images:
        start = cpu_seconds()
        tsv = ocr_tsv(image, settings.ocr_lang, settings.ocr_timeout_s)
        lay_out(tsv)
        plain.append(cpu_seconds() - start)
        detected += not reads_upright(tsv)
        start = cpu_seconds()
        turned += read_image(image, settings.ocr_lang, settings.ocr_timeout_s).rotation != 0
        read.append(cpu_seconds() - start)
    for image in images[:2]:
        start = cpu_seconds()
        turned_back = read_image(turn(image, 180), settings.ocr_lang, settings.ocr_timeout_s).rotation == 180
        flipped.append(cpu_seconds() - start if turned_back else float("nan"))
    return {
        "pages": len(images),
        "plain_cpu_s": summary(plain),
        "read_cpu_s": summary(read),
        "sent_to_detection": detected,
        "wrongly_turned": turned,
        "upside_down_cpu_s": summary(flipped),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per draft figure (cold and warm each)")
    parser.add_argument("--sizes", default="1000,10000,100000", help="chunks in the store for retrieval latency")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser.add_argument(
        "--parts",
        default="start,ingest,orientation,draft,retrieval",
        help="which figures, comma-separated (all by default)",
    )
    args = parser.parse_args()
    parts = set(args.parts.split(","))
    figures: dict = {"cpus": os.cpu_count()}
    if "start" in parts:
        log("start-up ...")
        figures["start"] = bench_start(args.runs)
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        folders = {}
        for pages in (10, 80):
            made = make_case("CCM39" if pages == 10 else "CCM20", 500 + pages, pages=pages, **TEXT_OPTIONS)
            folders[pages] = work / f"text-{pages}"
            write_case(made, folders[pages])
        record80 = (folders[80] / made.documents[0][0]).read_bytes()
        scanned = scanned_copy(record80, 8)
        if "ingest" in parts:
            log("ingest ...")
            figures["ingest"] = bench_ingest(record80, scanned, Settings(home=work / "home", vector_cache=False))
        if "orientation" in parts:
            log("orientation ...")
            figures["orientation"] = bench_orientation(scanned, Settings(home=work / "home"))
        for pages, folder in folders.items():
            if "draft" in parts:
                log(f"draft, {pages}-page text record ...")
                figures[f"draft_{pages}_pages"] = bench_draft(folder, args.runs)
    if "retrieval" in parts:
        log("retrieval ...")
        figures["retrieval"] = bench_retrieval([int(s) for s in args.sizes.split(",")])
    figures["bench_peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps(figures, indent=2) if args.json else render(figures))


def log(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def ratio(a: float, b: float) -> str:
    return f"x{a / b:.2f}" if b else "-"


def orientation_line(o: dict) -> str:
    plain, read, flipped = o["plain_cpu_s"]["p50"], o["read_cpu_s"]["p50"], o["upside_down_cpu_s"]["p50"]
    return (
        f"  which way up: an upright scanned page reads in {read} CPU s against {plain} without the "
        f"check ({ratio(read, plain)}; {o['sent_to_detection']} of {o['pages']} sent to orientation "
        f"detection, {o['wrongly_turned']} turned wrongly); one sent upside down, {flipped} CPU s"
    )


def render(f: dict) -> str:
    lines = [f"Overturn bench ({f['cpus']} CPUs). Ratios are overturn / recipe."]
    if "start" in f:
        h, c = f["start"]["help"], f["start"]["codes_list"]
        lines += [
            "",
            f"Start-up (s, p50 / p95): overturn --help {h['p50']} / {h['p95']}, codes list {c['p50']} / {c['p95']}",
        ]
    if "ingest" in f:
        i = f["ingest"]
        lines += [
            "",
            f"Ingest (read, split, embed, store; model loaded beforehand in {i['model_load_seconds']} s):",
            f"  text pages: overturn {i['text_pages_per_s']} pages/s, recipe {i['recipe_text_pages_per_s']} pages/s "
            f"({ratio(i['text_pages_per_s'], i['recipe_text_pages_per_s'])})",
            f"  OCR pages:  overturn {i['ocr_pages_per_s']} pages/s; the recipe reads no text from "
            f"{i['ocr_pages'] - i['recipe_ocr_pages_with_text']} of {i['ocr_pages']} scanned pages "
            f"({i['recipe_ocr_pages_per_s']} pages/s)",
        ]
    if "orientation" in f:
        lines.append(orientation_line(f["orientation"]))
    drafts = [pages for pages in (10, 80) if f"draft_{pages}_pages" in f]
    if drafts:
        lines += ["", "Draft, fresh process each run (seconds; p50 / p95; peak memory):"]
    for pages in drafts:
        d = f[f"draft_{pages}_pages"]
        o, r = d["overturn"], d["recipe"]
        lines.append(
            f"  {pages}-page text record: overturn cold {o['cold']['p50']} / {o['cold']['p95']}, warm "
            f"{o['warm']['p50']} / {o['warm']['p95']}, {o['peak_rss_mb']} MB; recipe {r['cold']['p50']} / "
            f"{r['cold']['p95']}, {r['peak_rss_mb']} MB (cold {ratio(o['cold']['p50'], r['cold']['p50'])}, "
            f"warm {ratio(o['warm']['p50'], r['cold']['p50'])})"
        )
    if "retrieval" in f:
        lines += [
            "",
            f"Retrieval, one case's top-20 among N chunks (ms; p50 / p95; a draft = {SEARCHES_PER_DRAFT} searches):",
        ]
        for size, r in f["retrieval"].items():
            lines.append(
                f"  {int(size):>7,} chunks: {retrieval_line(r)}; recipe (no filter) {r['recipe_ms']['p50']} / "
                f"{r['recipe_ms']['p95']}; store filled in {r['fill_seconds']} s"
            )
    lines += ["", f"Peak memory of the bench process itself: {f['bench_peak_rss_mb']} MB."]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
