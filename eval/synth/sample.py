"""The bundled demo case: a CCM39 denial with a 10-page record holding every trap once.

Run `python -m eval.synth.sample eval/sample`; the output is byte-identical each run.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .charts import SynthCase, make_case

SAMPLE_CODE, SAMPLE_SEED = "CCM39", 7
SAMPLE_OPTIONS = dict(
    pages=10,
    documents=1,
    scanned=1,
    misfiled=True,
    out_of_period=True,
    injection=True,
    split_evidence=False,
    missing=False,
    two_column=False,
    tables=True,
)


def sample_case() -> SynthCase:
    return make_case(SAMPLE_CODE, SAMPLE_SEED, **SAMPLE_OPTIONS)


def _dump(obj) -> str:
    return json.dumps(obj, indent=2, ensure_ascii=False) + "\n"


def write_case(case: SynthCase, out_dir: str | Path) -> list[Path]:
    """Write case.json, gold.json and each record PDF into out_dir; returns the paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / "case.json", out / "gold.json"]
    paths[0].write_text(_dump(case.case), encoding="utf-8")
    paths[1].write_text(_dump(case.gold), encoding="utf-8")
    for name, data in case.documents:
        (out / name).write_bytes(data)
        paths.append(out / name)
    return paths


def write_sample(out_dir: str | Path) -> list[Path]:
    """Write the demo (case.json, records.pdf, gold.json) into out_dir."""
    return write_case(sample_case(), out_dir)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    for p in write_sample(args[0] if args else "eval/sample"):
        print(p)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
