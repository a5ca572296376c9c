"""`python -m eval.checks.run` (or `overturn eval --checks`): every month-chart through the check
engine, one shared workspace on a throwaway home, figures per set (ours and foreign apart)."""

import argparse
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from eval.checks.cases import CheckCase, load_foreign, load_ours
from eval.checks.score import Scored, figures, score
from service.casework.checks import check_files
from service.casework.state import Workspace, open_workspace
from service.config import Settings
from service.models import CheckResult


def run_case(ws: Workspace, case: CheckCase) -> tuple[CheckResult, Scored]:
    started = time.perf_counter()
    result = check_files(ws, case.patient, case.gold["code"], case.gold["month"], case.files)
    return result, score(case.id, case.gold, result, time.perf_counter() - started)


def run_set(ws: Workspace, cases: list[CheckCase], progress: Callable[[str], None] | None = None) -> dict:
    scored = []
    for case in cases:
        _, s = run_case(ws, case)
        scored.append(s)
        if progress:
            progress(f"{case.set} {case.id}: done")
    return figures(scored)


def run_checks(progress: Callable[[str], None] | None = None, only: str | None = None) -> dict:
    """Figures per set; the foreign set is left out (with the reason) when ../shared is absent."""
    sets = {"ours": load_ours(), "foreign": load_foreign()}
    with tempfile.TemporaryDirectory(prefix="overturn-check-eval-") as home:
        ws = open_workspace(Settings(home=Path(home)))
        report: dict = {}
        for name, cases in sets.items():
            cases = [c for c in cases if not only or only in c.id]
            report[name] = run_set(ws, cases, progress) if cases else {"charts": 0, "note": "no charts found"}
    return report


ROWS = (
    ("charts", "charts"),
    ("missing found / labelled", ("missing_found", "missing_labelled")),
    ("at risk found / labelled", ("at_risk_found", "at_risk_labelled")),
    ("met labels flagged", "met_flagged"),
    ("ready months flagged / ready months", ("ready_flagged", "ready_months")),
    ("not-ready months passed as ready", "not_ready_passed"),
    ("minutes within one row", ("minutes_within_one_row", "minutes_charts")),
    ("supported codes exact", ("codes_exact", "charts")),
    ("reading days exact (RPM device charts)", ("days_exact", "days_charts")),
    ("seconds per chart", "seconds_per_chart"),
)


def render(report: dict) -> str:
    lines = []
    for name, figs in report.items():
        lines.append(f"== {name} ==")
        if not figs.get("charts"):
            lines.append(f"  {figs.get('note', 'no charts')}")
            continue
        for label, key in ROWS:
            value = f"{figs[key[0]]}/{figs[key[1]]}" if isinstance(key, tuple) else str(figs[key])
            lines.append(f"  {label:<40} {value}")
        for case_id, line in figs["cases"].items():
            problems = _problems(line)
            if problems:
                lines.append(f"  {case_id}: {'; '.join(problems)}")
    return "\n".join(lines)


def _problems(line: dict) -> list[str]:
    out = []
    if line["missing_lost"]:
        out.append(f"missing not found: {', '.join(line['missing_lost'])}")
    if line["at_risk_lost"]:
        out.append(f"at risk not found: {', '.join(line['at_risk_lost'])}")
    if line["met_flagged"]:
        out.append(f"met but flagged: {', '.join(line['met_flagged'])}")
    if line["ready_flagged"]:
        out.append("ready month flagged")
    if line["not_ready_passed"]:
        out.append("not-ready month passed as ready")
    if line["minutes_ok"] is False:
        out.append(f"minutes {line['minutes'][0]} vs gold {line['minutes'][1]}")
    if line["days_ok"] is False:
        out.append("reading days differ from gold")
    if not line["codes_ok"]:
        out.append(f"codes {line['codes'][0]} vs gold {line['codes'][1]}")
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--only", help="only charts whose id contains this")
    args = parser.parse_args(argv)
    report = run_checks(only=args.only)
    print(json.dumps(report, indent=2) if args.json else render(report))


if __name__ == "__main__":
    main()
