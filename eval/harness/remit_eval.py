"""End-to-end eval of imported denials: X12 835 -> triaged case -> the patient's chart -> letter.

Per case (scenario x chart style, `eval.synth.denials`): the action the triage chose (every
scenario should be appealed), the denial code, requirement recall (the share of the gold
requirements whose gold words are inside some cited quote), citations of the other patient's
misfiled page (must be 0), whether the letter names the adjustment ("This appeal concerns the
CO-50"), and for TCM that no "TCM:" timing warning appears (the charts' dates are in time).
The chart is added to the imported case and drafted along the product's road
(`casework.local.draft_with_files`: read by the reading job, stored sealed, a draft job), with
template letters (a configured chat model is not called).
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from eval.synth.denials import DenialCase, denial_cases
from service.casework.local import draft_with_files
from service.casework.remittances import import_remittance
from service.casework.state import Workspace, open_workspace
from service.components import Components

TENANT = "eval"


def _norm(text: str) -> str:
    return " ".join(text.split()).lower()


def run_case(ws: Workspace, case: DenialCase) -> dict:
    started = time.perf_counter()
    imported = import_remittance(ws, TENANT, case.remittance)
    if len(imported.cases) != 1:
        return {
            "id": case.id,
            "error": f"{len(imported.cases)} cases imported (errors: {[e.message for e in imported.errors]})",
        }
    made = imported.cases[0]
    result = draft_with_files(ws, TENANT, made.id, [(case.chart_name, case.chart)]).result
    quotes = [_norm(c.quote) for c in result.citations]
    found = {req: any(_norm(gold) in q for q in quotes) for req, gold in case.gold.items()}
    misfiled = sum(1 for c in result.citations if (c.document, c.page) == case.misfiled)
    tcm_warnings = [w for w in result.warnings if w.startswith("TCM:")]
    return {
        "id": case.id,
        "scenario": case.scenario,
        "style": case.style,
        "cpt": case.cpt,
        "action": made.action,
        "action_ok": made.action == "appeal",
        "code": made.denial_code,
        "expected_code": case.code,
        "code_ok": made.denial_code == case.code,
        "requirements": len(found),
        "found": sum(found.values()),
        "missed": [r for r, ok in found.items() if not ok],
        "recall": round(sum(found.values()) / len(found), 3) if found else 1.0,
        "misfiled_citations": misfiled,
        "misfiled_excluded": any((e.document, e.page) == case.misfiled for e in result.excluded_pages),
        "concerns_ok": f"This appeal concerns the {case.code}" in result.letter,
        "tcm": case.tcm,
        "tcm_warnings": tcm_warnings,
        "tcm_ok": (not tcm_warnings) if case.tcm else None,
        "citations": len(result.citations),
        "quotes": [[c.page, c.quote] for c in result.citations],
        "seconds": round(time.perf_counter() - started, 1),
    }


def run_remit_eval(components: Components, progress: Callable[[str], None] | None = None) -> dict:
    """Every scenario in both chart styles, on a throwaway OVERTURN_HOME (its own workspace)."""
    say = progress or (lambda _line: None)
    rows = []
    with tempfile.TemporaryDirectory(prefix="overturn-remit-eval-") as home:
        settings = components.settings.model_copy(
            update={"home": Path(home), "vector_cache": False, "llm": None, "llm_fallbacks": []}
        )
        ws = open_workspace(settings, components)
        for case in denial_cases():
            row = run_case(ws, case)
            rows.append(row)
            say(
                f"{case.id}: "
                + (
                    row.get("error")
                    or f"{row['action']} {row['code']} recall {row['found']}/{row['requirements']} misfiled {row['misfiled_citations']}"
                )
            )
    good = [r for r in rows if "error" not in r]
    gold = sum(r["requirements"] for r in good)
    tcm = [r for r in good if r["tcm"]]
    overall = {
        "cases": len(rows),
        "errors": len(rows) - len(good),
        "action_correct": sum(r["action_ok"] for r in good),
        "code_correct": sum(r["code_ok"] for r in good),
        "requirement_recall": round(sum(r["found"] for r in good) / gold, 3) if gold else 0.0,
        "misfiled_citations": sum(r["misfiled_citations"] for r in good),
        "concerns_ok": sum(r["concerns_ok"] for r in good),
        "tcm_cases": len(tcm),
        "tcm_no_warning": sum(bool(r["tcm_ok"]) for r in tcm),
    }
    return {"cases": rows, "overall": overall}


def render_remit_table(report: dict) -> str:
    head = f"{'case':<26} {'action':<16} {'code':<7} {'recall':>7} {'misfiled':>8} {'concerns':>8} {'tcm':>4}"
    lines = ["Imported denials: 835 -> case -> chart -> letter", head, "-" * len(head)]
    for r in report["cases"]:
        if "error" in r:
            lines.append(f"{r['id']:<26} ERROR {r['error']}")
            continue
        action = r["action"] + ("" if r["action_ok"] else " (!)")
        code = r["code"] + ("" if r["code_ok"] else "!")
        tcm = "-" if r["tcm_ok"] is None else ("ok" if r["tcm_ok"] else "WARN")
        lines.append(
            f"{r['id']:<26} {action:<16} {code:<7} {r['found']:>3}/{r['requirements']:<3} {r['misfiled_citations']:>8} "
            f"{'yes' if r['concerns_ok'] else 'no':>8} {tcm:>4}"
        )
    o = report["overall"]
    lines += [
        "-" * len(head),
        f"cases {o['cases']} (errors {o['errors']}), action correct {o['action_correct']}, code correct {o['code_correct']}, "
        f"requirement recall {o['requirement_recall']:.3f}, misfiled citations {o['misfiled_citations']}, "
        f"'This appeal concerns' {o['concerns_ok']}, TCM without timing warning {o['tcm_no_warning']}/{o['tcm_cases']}",
    ]
    missed = [f"  {r['id']}: missed {', '.join(r['missed'])}" for r in report["cases"] if r.get("missed")]
    return "\n".join(lines + (["missed requirements:", *missed] if missed else []))
