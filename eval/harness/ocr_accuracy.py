"""How well scanned pages read: OCR's characters against the text drawn into each page image.

Character accuracy is 1 - (edit distance / length of the drawn text), both with runs of white
space made one space, so a page laid out row by row and a page printed string by string compare
on their characters alone. Each page is read the product's way (rendered at `ocr_dpi`,
straightened, OCR'd by tesseract, laid out) twice: with the scan cleanup of
`service.records.scan_cleanup` (what the product does) and without it, so the figures say what
the cleanup is worth on each kind of scan.

Two sets, reported apart:
- foreign: the scanned pages of the charts written by others (`expect.json` `scanned_pages`,
  the drawn text in `pages`); the kind is read off the page's embedded image (bilevel or grey,
  its resolution);
- ours: the scanned pages of our generator's cases (gold `scans`: the drawn text and how the page
  was scanned: tilt, speckle, a ruled table on it), from the bundled sample and the eval set's
  CI subset.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
from rapidfuzz.distance import Levenshtein

from service.config import Settings
from service.records.ocr import PDFIUM, read_image, render_pages

BORDER = "|[]()'‘’"
"""Characters a table's rules are misread as."""


@dataclass
class ScanPage:
    source: str  # "foreign" or "ours"
    id: str  # case/document/page
    kind: str
    truth: str
    pdf: bytes
    index: int  # 0-based page index in `pdf`
    figures: dict = field(default_factory=dict)


def flat(text: str) -> str:
    return " ".join(text.split())


def accuracy(read: str, truth: str) -> float:
    """1 - edit distance / length of the truth (white space runs made one space); at least 0."""
    a, b = flat(read), flat(truth)
    if not b:
        return 1.0 if not a else 0.0
    return max(0.0, 1.0 - Levenshtein.distance(a, b) / len(b))


def stray_borders(read: str, truth: str) -> int:
    """Rule characters the reading has beyond those drawn on the page."""
    return sum(max(0, read.count(c) - truth.count(c)) for c in BORDER)


def _image_kind(pdf: bytes, index: int) -> str:
    """'bilevel 200 dpi' or 'grey 300 dpi': the page's largest embedded image."""
    with PDFIUM:
        document = pdfium.PdfDocument(pdf)
        try:
            page = document[index]
            best = None
            for obj in page.get_objects():
                if obj.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE:
                    meta = obj.get_metadata()
                    if best is None or meta.width * meta.height > best.width * best.height:
                        best = meta
            page.close()
        finally:
            document.close()
    if best is None:
        return "no image"
    depth = "bilevel" if best.bits_per_pixel == 1 else "grey" if best.bits_per_pixel <= 8 else "colour"
    return f"{depth} {round(best.horizontal_dpi)} dpi"


def foreign_pages(root: Path) -> list[ScanPage]:
    """The scanned pages of every case folder under `root` (expect.json `scanned_pages`)."""
    out = []
    for expect_path in sorted(root.rglob("expect.json")):
        expect = json.loads(expect_path.read_text(encoding="utf-8"))
        for document, numbers in sorted((expect.get("scanned_pages") or {}).items()):
            pdf = (expect_path.parent / document).read_bytes()
            for number in numbers:
                truth = expect["pages"][document][number - 1]
                kind = _image_kind(pdf, number - 1) + " fax"
                out.append(
                    ScanPage("foreign", f"{expect_path.parent.name}/{document}/{number}", kind, truth, pdf, number - 1)
                )
    return out


def _our_kind(scan: dict, style: str) -> str:
    what = "ruled table" if scan.get("table") else "text"
    fax = ", fax style" if style == "fax" else ""
    return f"grey {scan.get('dpi', 200)} dpi speckled, {what}{fax}"


def our_pages(subset: str | None = "ci", per_kind: int = 8, sample: Path | None = None) -> list[ScanPage]:
    """Scanned pages of our generator: the bundled sample's, then those of the eval set's `subset`
    cases (none for None), at most `per_kind` pages of each kind (in the set's order)."""
    from eval.harness.evalset import generate, load_specs

    out: list[ScanPage] = []
    counts: dict[str, int] = {}

    def add(case_id: str, gold: dict, documents: dict[str, bytes], style: str, capped: bool = True) -> None:
        for scan in gold.get("scans", []):
            kind = _our_kind(scan, style)
            if capped and counts.get(kind, 0) >= per_kind:
                continue
            counts[kind] = counts.get(kind, 0) + 1
            page_id = f"{case_id}/{scan['document']}/{scan['page']}"
            out.append(ScanPage("ours", page_id, kind, scan["text"], documents[scan["document"]], scan["page"] - 1))

    if sample is not None and (sample / "gold.json").is_file():
        gold = json.loads((sample / "gold.json").read_text(encoding="utf-8"))
        add(
            "sample",
            gold,
            {p.name: p.read_bytes() for p in sample.glob("*.pdf")},
            gold.get("style", "prose"),
            capped=False,
        )
    for spec in load_specs(subset=subset) if subset else []:
        case = generate(spec)
        add(case.id, case.gold, dict(case.documents), case.style)
    return out


def read_page(page: ScanPage, settings: Settings) -> None:
    """OCR the page with and without the scan cleanup; fills `page.figures`."""
    image = render_pages(page.pdf, settings.ocr_dpi, [page.index])[0]
    for label, cleanup in (("before", False), ("after", True)):
        start = time.perf_counter()
        text = read_image(image, settings.ocr_lang, settings.ocr_timeout_s, cleanup=cleanup).text
        page.figures[label] = {
            "accuracy": round(accuracy(text, page.truth), 4),
            "stray_borders": stray_borders(text, page.truth),
            "seconds": round(time.perf_counter() - start, 2),
        }


def measure(pages: list[ScanPage], settings: Settings, progress: Callable[[str], None] = lambda _: None) -> dict:
    """Per page and per (set, kind): character accuracy before and after the cleanup."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        for page, _ in zip(pages, pool.map(lambda p: read_page(p, settings), pages)):
            progress(
                f"{page.source} {page.id}: {page.figures['before']['accuracy']:.3f} -> {page.figures['after']['accuracy']:.3f}"
            )
    groups: dict[tuple[str, str], list[ScanPage]] = {}
    for page in pages:
        groups.setdefault((page.source, page.kind), []).append(page)
        groups.setdefault((page.source, "all"), []).append(page)
    summary = []
    for (source, kind), members in sorted(
        groups.items(), key=lambda kv: (kv[0][0] != "foreign", kv[0][0], kv[0][1] == "all", kv[0][1])
    ):
        row = {"set": source, "kind": kind, "pages": len(members), "chars": sum(len(flat(p.truth)) for p in members)}
        for label in ("before", "after"):
            weights = [len(flat(p.truth)) for p in members]
            row[f"accuracy_{label}"] = round(
                sum(p.figures[label]["accuracy"] * w for p, w in zip(members, weights)) / max(1, sum(weights)), 4
            )
            row[f"stray_borders_{label}"] = sum(p.figures[label]["stray_borders"] for p in members)
            row[f"seconds_{label}"] = round(sum(p.figures[label]["seconds"] for p in members) / len(members), 2)
        summary.append(row)
    return {
        "summary": summary,
        "pages": [{"set": p.source, "id": p.id, "kind": p.kind, **p.figures} for p in pages],
    }


def render(report: dict) -> str:
    lines = [
        "Character accuracy of OCR on scanned pages (1 - edit distance / drawn length), without and with the scan cleanup",
        f"{'set':8} {'kind':46} {'pages':>5} {'chars':>7} {'before':>7} {'after':>7} {'change':>7} {'stray |([ before/after':>24}",
    ]
    for row in report["summary"]:
        change = row["accuracy_after"] - row["accuracy_before"]
        lines.append(
            f"{row['set']:8} {row['kind']:46} {row['pages']:>5} {row['chars']:>7} {row['accuracy_before']:>7.3f} "
            f"{row['accuracy_after']:>7.3f} {change:>+7.3f} {row['stray_borders_before']:>12}/{row['stray_borders_after']}"
        )
    return "\n".join(lines)
