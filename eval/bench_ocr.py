"""OCR character accuracy on scanned pages, without and with the scan cleanup, in one run.

Usage: .venv/bin/python eval/bench_ocr.py [--foreign ../shared/foreign/charts] [--subset ci]
[--per-kind 8] [--pages] [--json]  (part of `make bench`). Prints figures only; nothing here
asserts an accuracy (tests/test_scan_cleanup.py holds the floors).

The foreign set (charts written by others: their scanned faxes and the text drawn on them) is
reported apart from ours (our generator's scanned pages: the bundled sample's and the eval set's
subset's). See eval/harness/ocr_accuracy.py for how a page is read and scored.
"""

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from eval.harness.ocr_accuracy import foreign_pages, measure, our_pages, render  # noqa: E402
from service.config import Settings  # noqa: E402
from service.records.tesseract import tesseract_available  # noqa: E402

FOREIGN = ROOT.parent / "shared" / "foreign" / "charts"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--foreign", type=Path, default=FOREIGN, help="folder of foreign case folders (skipped if absent)"
    )
    parser.add_argument("--subset", default="ci", help="eval set subset whose scanned pages are ours ('' for none)")
    parser.add_argument("--per-kind", type=int, default=8, help="at most this many of our pages of each kind")
    parser.add_argument("--pages", action="store_true", help="print every page's figures too")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    args = parser.parse_args()
    if not tesseract_available():
        raise SystemExit("tesseract is not installed (make setup installs it)")
    pages = foreign_pages(args.foreign) if args.foreign.is_dir() else []
    if not pages:
        print(f"no foreign scanned pages under {args.foreign}: reporting ours only", file=sys.stderr)
    pages += our_pages(args.subset or None, args.per_kind, ROOT / "eval" / "sample")
    settings = Settings()
    report = measure(pages, settings, lambda line: print(line, file=sys.stderr) if args.pages else None)
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(render(report))
    if args.pages:
        for page in report["pages"]:
            print(
                f"  {page['set']:8} {page['id']:40} {page['kind']:46} {page['before']['accuracy']:.3f} -> {page['after']['accuracy']:.3f}"
            )


if __name__ == "__main__":
    main()
