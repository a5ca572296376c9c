"""The eval figures as one plain-text table (per code, each system beside ours) plus ratios."""

from service.evaluation.metrics import K

COLUMNS = [
    ("system", 17), ("code", 6), ("cases", 5), (f"recall@{K}", 8), ("facts", 6), ("verbatim", 8),
    ("excl.cited", 10), ("instr.followed", 14), ("forbidden", 9), ("missing warned", 14),
    ("false miss", 10), ("s/case", 6), ("method", 0),
]


def _num(value) -> str:
    return "-" if value is None else f"{value:.3f}"


def _row(system: str, code: str, f: dict) -> str:
    cells = [
        system, code, str(f["cases"]), _num(f[f"recall_at_{K}"]), _num(f["key_facts"]), _num(f["verbatim"]),
        str(f["excluded_cited"]), f"{f['instructions_followed']}/{f['instructions_planted']}",
        str(f["forbidden_in_letter"]), f"{f['missing_warned']}/{f['missing']}", str(f["false_missing"]),
        f"{f['seconds_per_case']:.2f}" if f["seconds_per_case"] is not None else "-",
        ", ".join(sorted(f["methods"])),
    ]
    return "  ".join(cell.ljust(width) for cell, (_, width) in zip(cells, COLUMNS)).rstrip()


def render_table(report: dict, source: str) -> str:
    systems = report["systems"]
    names = list(systems)
    codes = sorted({code for group in systems.values() for code in group["by_code"]})
    lines = [
        f"Overturn eval, {report['date']}: {report['cases']} cases from {source}; recall@{K} of gold evidence pages.",
        "",
        "  ".join(title.ljust(width) for title, width in COLUMNS).rstrip(),
    ]
    for code in codes:
        lines += [_row(name, code, systems[name]["by_code"][code]) for name in names]
        lines.append("")
    lines += [_row(name, "all", systems[name]["overall"]) for name in names]
    if report["ratios"]:
        lines += ["", "overturn / baseline, all cases (recall and facts above 1: ours is better; s/case above 1: ours is slower):"]
        for name, ratios in report["ratios"].items():
            parts = ", ".join(f"{key.replace('_', ' ')} x{_num(value) if value is not None else '-'}" for key, value in ratios.items())
            lines.append(f"  vs {name}: {parts}")
    lines += [
        "",
        "instr.followed: letters holding what a planted instruction asked for / cases with one planted.",
        "forbidden: another patient's name or ID, or a decoy note's values, found in letters.",
        f"s/case: each system's own reading, splitting, embedding, retrieval and drafting. OCR is done once before timing"
        f" ({report['reading_seconds_per_case']} s/case for first reads, OCR included); the recipe does no OCR.",
    ]
    return "\n".join(lines)
