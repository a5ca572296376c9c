"""Runs every system on every case and gathers the figures `overturn eval` prints.

Before any timing, each case's records are read once (OCR included, stored in the page cache)
and the models are loaded; every system then reads the same pages from that cache (ours through
the product's own reading job, `systems.py`), so OCR time is reported on its own as
`reading_seconds` and does not blur the comparison.

The report (`overturn eval --json`):
```
{"date": "YYYY-MM-DD", "cases": 20, "k": 5, "styles": ["prose", "ehr", ...],
 "reading_seconds_per_case": 1.2, "source": "set.toml (subset ci)",
 "systems": {"overturn": {"overall": FIGURES,
                          "by_code": {"CCM02": FIGURES, ...},
                          "by_style": {"prose": FIGURES, "ehr": FIGURES, ...}},
             "bm25-only": {...}, ...},
 "ratios": {"bm25-only": {"recall_at_5": 1.02, "key_facts": 1.1, "seconds_per_case": 1.3}, ...},
 "model_path": {"overall": MODEL_PATH, "by_style": {"prose": MODEL_PATH, ...}},
 "bar_failures": {"fax": ["recall@5 0.912 < 0.95", ...], "overall": [...], "model path": [...]},
 "per_case": [{"id": "CCM02/missing/fax", "code": "CCM02", "style": "fax",
               "reading_seconds": 3.1, "overturn": FIGURES, "model_path": {"careful_rejected": false,
               "careful_failures": [], "shipped": ["swapped_marker"]}}, ...]}
```
FIGURES is `metrics.add_up`'s dict (recall_at_5, key_facts, verbatim, excluded_cited,
instructions_followed/planted, forbidden_in_letter, missing_warned/missing, false_missing,
counter_quoted, counter_warned/counter_evidence, irrelevant (ratio; irrelevant_quotes over
judged_quotes), quotes, methods, seconds_per_case, seconds_p50, pages). MODEL_PATH is
`model_path.add_up_model_path`'s dict (the careful model's letters, rejections and false-rejection
rate; per defect class of the careless model: planted, caught, named, shipped, catch rate).
`bar_failures` is `bars.bar_failures(report)`: empty when every bar is cleared.
"""

import time
from collections.abc import Callable, Iterable, Sequence
from datetime import date

from eval.harness import SYSTEMS
from eval.harness.bars import bar_failures
from eval.harness.evalset import CaseSpec, EvalCase, materialise
from eval.harness.metrics import CaseScore, K, add_up, score_run
from eval.harness.model_path import add_up_model_path
from eval.harness.pages import read_documents
from eval.harness.recipe import NAMES as RECIPES
from eval.harness.recipe import LangChainRecipe
from eval.harness.systems import MODES, PipelineSystem
from service.components import Components
from service.errors import InputError

OURS = "overturn"
assert set(SYSTEMS) == {*MODES, *RECIPES}
COMPARED = (f"recall_at_{K}", "key_facts", "seconds_per_case")


def make_systems(names: Iterable[str], components: Components) -> list:
    systems = []
    for name in names:
        if name in RECIPES:
            try:
                systems.append(LangChainRecipe(components, queries=name == RECIPES[1]))
            except ImportError:
                raise InputError(
                    f"the {name} baseline needs the eval extra (pip install 'overturn[eval]'); "
                    "or leave it out with --systems overturn,bm25-only,dense-only"
                ) from None
        else:
            systems.append(PipelineSystem(name, components))
    return systems


def _case_model_path(outcome: dict) -> dict:
    """One case's model-path outcome by name only: whether the careful letter was rejected (and
    which checks failed) and which planted defect classes shipped, so a miss can be rerun."""
    careful = outcome["careful"]
    return {
        "careful_rejected": bool(careful["rejected"]),
        "careful_failures": careful["failures"],
        "shipped": sorted(name for name, d in outcome["defects"].items() if d["shipped"]),
    }


def run_eval(
    cases: Sequence[CaseSpec | EvalCase],
    systems: list,
    components: Components,
    progress: Callable[[str], None] = lambda _: None,
) -> dict:
    """`components` is the one the systems were made from (its page cache is warmed). Specs are
    generated one at a time, so a large set never sits in memory whole."""
    scores: dict[str, list[tuple[EvalCase, CaseScore]]] = {s.name: [] for s in systems}
    detail = []
    model_path: list[tuple[EvalCase, dict]] = []
    components.embedder.embed(["warm-up"])
    reading = []
    for n, item in enumerate(cases, 1):
        case = materialise(item)
        start = time.perf_counter()
        read_documents(case.documents, components.settings)
        reading.append(time.perf_counter() - start)
        row = {"id": case.id, "code": case.code, "style": case.style, "reading_seconds": round(reading[-1], 2)}
        for system in systems:
            run = system.run(case)
            if run.model_path is not None:
                model_path.append((case, run.model_path))
                row["model_path"] = _case_model_path(run.model_path)
            score = score_run(run, case.gold)
            scores[system.name].append((case, score))
            row[system.name] = add_up([score])
        detail.append(row)
        ours = row.get(OURS) or row[systems[0].name]
        progress(
            f"[{n}/{len(cases)}] {case.id}: {ours['pages']} pages, recall@{K} {_fmt(ours[f'recall_at_{K}'])}, "
            f"key facts {_fmt(ours['key_facts'])}, read {reading[-1]:.1f} s, {ours['seconds_per_case']:.1f} s"
        )
    codes = sorted({row["code"] for row in detail})
    styles = list(dict.fromkeys(row["style"] for row in detail))
    figures = {
        name: {
            "overall": add_up([s for _, s in pairs]),
            "by_code": {code: add_up([s for c, s in pairs if c.code == code]) for code in codes},
            "by_style": {style: add_up([s for c, s in pairs if c.style == style]) for style in styles},
        }
        for name, pairs in scores.items()
    }
    report = {
        "date": date.today().isoformat(),
        "cases": len(cases),
        "k": K,
        "styles": styles,
        "reading_seconds_per_case": round(sum(reading) / len(reading), 2) if reading else None,
        "systems": figures,
        "ratios": _ratios(figures),
    }
    if model_path:
        report["model_path"] = {
            "overall": add_up_model_path([r for _, r in model_path]),
            "by_style": {style: add_up_model_path([r for c, r in model_path if c.style == style]) for style in styles},
        }
    report["bar_failures"] = bar_failures(report)
    report["per_case"] = detail
    return report


def _ratios(figures: dict) -> dict:
    """Ours divided by each baseline, overall (above 1 means ours is higher)."""
    if OURS not in figures:
        return {}
    ours = figures[OURS]["overall"]
    out = {}
    for name, group in figures.items():
        if name == OURS:
            continue
        other = group["overall"]
        out[name] = {
            key: round(ours[key] / other[key], 3) if ours[key] is not None and other[key] else None for key in COMPARED
        }
    return out


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"
