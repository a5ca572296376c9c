"""Runs every system on every case and gathers the figures `overturn eval` prints.

Before any timing, each case's records are read once (OCR included, stored in the page cache)
and the models are loaded: the recipe does no OCR, so OCR time would only blur the comparison.
It is reported on its own as `reading_seconds`.
"""

import time
from collections.abc import Callable, Iterable
from datetime import date

from service.components import Components
from service.errors import InputError
from service.evaluation.evalset import EvalCase
from service.evaluation.metrics import K, CaseScore, add_up, score_run
from service.evaluation.recipe import LangChainRecipe
from service.evaluation.systems import MODES, PipelineSystem
from service.pipeline import read_records

from service.evaluation import SYSTEMS

OURS = "overturn"
assert set(SYSTEMS) == {*MODES, LangChainRecipe.name}
COMPARED = (f"recall_at_{K}", "key_facts", "seconds_per_case")


def make_systems(names: Iterable[str], components: Components) -> list:
    systems = []
    for name in names:
        if name == LangChainRecipe.name:
            try:
                systems.append(LangChainRecipe(components.settings))
            except ImportError:
                raise InputError(
                    "the langchain-recipe baseline needs the eval extra (pip install 'overturn[eval]'); "
                    "or leave it out with --systems overturn,bm25-only,dense-only"
                ) from None
        else:
            systems.append(PipelineSystem(name, components))
    return systems


def run_eval(
    cases: list[EvalCase], systems: list, components: Components, progress: Callable[[str], None] = lambda _: None
) -> dict:
    """`components` is the one the pipeline systems were made from (its page cache is warmed)."""
    scores: dict[str, list[tuple[EvalCase, CaseScore]]] = {s.name: [] for s in systems}
    detail = []
    components.embedder.embed(["warm-up"])
    reading = []
    for n, case in enumerate(cases, 1):
        start = time.perf_counter()
        read_records(case.documents, components)
        reading.append(time.perf_counter() - start)
        row = {"id": case.id, "code": case.code, "reading_seconds": round(reading[-1], 2)}
        for system in systems:
            score = score_run(system.run(case), case.gold)
            scores[system.name].append((case, score))
            row[system.name] = add_up([score])
        detail.append(row)
        ours = row.get(OURS) or row[systems[0].name]
        progress(
            f"[{n}/{len(cases)}] {case.id}: {ours['pages']} pages, recall@{K} {_fmt(ours[f'recall_at_{K}'])}, "
            f"key facts {_fmt(ours['key_facts'])}, {ours['seconds_per_case']:.1f} s"
        )
    codes = sorted({c.code for c in cases})
    figures = {
        name: {
            "overall": add_up([s for _, s in pairs]),
            "by_code": {code: add_up([s for c, s in pairs if c.code == code]) for code in codes},
        }
        for name, pairs in scores.items()
    }
    return {
        "date": date.today().isoformat(),
        "cases": len(cases),
        "k": K,
        "reading_seconds_per_case": round(sum(reading) / len(reading), 2) if reading else None,
        "systems": figures,
        "ratios": _ratios(figures),
        "per_case": detail,
    }


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
        out[name] = {key: round(ours[key] / other[key], 3) if ours[key] is not None and other[key] else None for key in COMPARED}
    return out


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"
