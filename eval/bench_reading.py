"""Time to read a text-layer page: pypdf's layout text alone, and with the page's regions found
from word positions (`records.regions`, PDFium). Prints figures only; nothing here asserts a time.

Usage: .venv/bin/python eval/bench_reading.py [PDF ...] [--runs 3]
Without PDFs it reads a 40-page packet: the sample record (eval/sample/records.pdf) four times.
"""

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

from pypdf import PdfReader, PdfWriter

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from service.records.page_words import DocumentGeometry  # noqa: E402
from service.records.pdf import _page_text  # noqa: E402
from service.records.regions import REGION_BREAK  # noqa: E402


def packet(paths: list[Path]) -> bytes:
    writer = PdfWriter()
    for path in paths:
        for page in PdfReader(path).pages:
            writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def read(data: bytes, regions: bool) -> tuple[float, int]:
    """Seconds to read every page's text, and how many pages were read region by region."""
    start = time.perf_counter()
    reader = PdfReader(io.BytesIO(data))
    geometry = DocumentGeometry(data) if regions else None
    split = 0
    try:
        for index, page in enumerate(reader.pages):
            split += REGION_BREAK in _page_text(page, geometry, index)
    finally:
        if geometry is not None:
            geometry.close()
    return time.perf_counter() - start, split


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdfs", nargs="*", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    data = packet(args.pdfs or [ROOT / "eval" / "sample" / "records.pdf"] * 4)
    pages = len(PdfReader(io.BytesIO(data)).pages)
    for regions in (False, True):
        times = [read(data, regions) for _ in range(args.runs)]
        per_page = statistics.median(t for t, _ in times) / pages * 1000
        label = "layout text + regions" if regions else "layout text only    "
        print(f"{label}: {per_page:6.1f} ms/page over {pages} pages ({times[0][1]} read by region)")


if __name__ == "__main__":
    main()
