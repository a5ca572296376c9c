"""Quality sweep: generated cases through the real pipeline, with the figures the core issue
is judged on. Usage: .venv/bin/python eval/sweep.py [--seeds 0:8] [--traps]

Prints one line per case and the totals: key facts stated, evidence pages cited, quotes verbatim
on their page, citations of excluded pages, forbidden phrases in letters, missing-requirement
warnings (right / wrong). State goes to a temporary OVERTURN_HOME.
"""

import argparse
import re
import tempfile
import time
from pathlib import Path

from service.components import Components
from service.config import Settings
from service.models import CaseFields
from service.pipeline import draft_appeal
from service.records.cache import read_record
from service.synth import CODES
from service.synth.charts import make_case

TRAPS = dict(scanned=2, misfiled=True, out_of_period=True, injection=True)


def score_case(synth, result, settings) -> dict:
    gold, letter = synth.gold, " ".join(result.letter.split())
    pages = {name: read_record(data, name, settings).pages for name, data in synth.documents}
    cited = {(c.document, c.page) for c in result.citations}
    evidence = {tuple(p) for p in gold["evidence_pages"]}
    excluded = {(e["document"], e["page"]) for e in gold["excluded_pages"]}
    warned = {m.group(1) for w in result.warnings if (m := re.match(r"No evidence found for '.*?' \((\w+)\)", w))}
    missing = set(gold["missing_requirements"])
    return {
        "facts": len(gold["key_facts"]),
        "facts_stated": sum(bool(re.search(f["pattern"], letter, re.I)) for f in gold["key_facts"]),
        "evidence_pages": len(evidence),
        "evidence_cited": len(evidence & cited),
        "quotes": len(result.citations),
        "verbatim": sum(c.quote in pages[c.document][c.page - 1].text for c in result.citations),
        "excluded_cited": len(cited & excluded),
        "forbidden": sum(p.lower() in result.letter.lower() for p in gold["forbidden"]),
        "missing": len(missing),
        "missing_warned": len(missing & warned),
        "false_missing": len(warned - missing),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", default="0:8")
    parser.add_argument("--traps", action="store_true", help="force scans, misfiled, out-of-period and injection pages")
    args = parser.parse_args()
    first, last = (int(x) for x in args.seeds.split(":"))
    with tempfile.TemporaryDirectory() as home:
        settings = Settings(home=Path(home))
        components = Components(settings)
        totals: dict[str, float] = {}
        seconds = []
        for code in CODES:
            for seed in range(first, last):
                synth = make_case(code, seed, **(TRAPS if args.traps else {}))
                start = time.perf_counter()
                result = draft_appeal(CaseFields.model_validate(synth.case), synth.documents, components)
                seconds.append(time.perf_counter() - start)
                row = score_case(synth, result, settings)
                for key, value in row.items():
                    totals[key] = totals.get(key, 0) + value
                print(f"{code} seed {seed}: facts {row['facts_stated']}/{row['facts']}, pages "
                      f"{row['evidence_cited']}/{row['evidence_pages']}, excluded cited {row['excluded_cited']}, "
                      f"forbidden {row['forbidden']}, {seconds[-1]:.1f} s")
    print(f"cases {len(seconds)}; key facts {totals['facts_stated'] / totals['facts']:.3f}; "
          f"evidence pages cited {totals['evidence_cited'] / totals['evidence_pages']:.3f}; "
          f"quotes verbatim {totals['verbatim'] / max(1, totals['quotes']):.3f}; "
          f"excluded cited {totals['excluded_cited']:.0f}; forbidden {totals['forbidden']:.0f}; "
          f"missing warned {totals['missing_warned']:.0f}/{totals['missing']:.0f}, false missing {totals['false_missing']:.0f}; "
          f"median {sorted(seconds)[len(seconds) // 2]:.1f} s per case (warm model)")


if __name__ == "__main__":
    main()
