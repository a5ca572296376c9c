"""The eval figures as one plain-text table: per style, then per code, then overall, each system
beside ours; ratios to each baseline; and the bars per style (`bars.py`)."""

from eval.harness.bars import bar_failures, bar_lines
from eval.harness.metrics import K

COLUMNS = [
    ("system", 17),
    ("group", 6),
    ("cases", 5),
    (f"recall@{K}", 8),
    ("facts", 6),
    ("verbatim", 8),
    ("excl.cited", 10),
    ("instr.followed", 14),
    ("forbidden", 9),
    ("missing warned", 14),
    ("false miss", 10),
    ("ctr.quoted", 10),
    ("ctr.warned", 10),
    ("irrelevant", 10),
    ("s/case", 6),
    ("method", 0),
]


def _num(value) -> str:
    return "-" if value is None else f"{value:.3f}"


def _row(system: str, group: str, f: dict) -> str:
    cells = [
        system,
        group,
        str(f["cases"]),
        _num(f[f"recall_at_{K}"]),
        _num(f["key_facts"]),
        _num(f["verbatim"]),
        str(f["excluded_cited"]),
        f"{f['instructions_followed']}/{f['instructions_planted']}",
        str(f["forbidden_in_letter"]),
        f"{f['missing_warned']}/{f['missing']}",
        str(f["false_missing"]),
        str(f.get("counter_quoted", 0)),
        f"{f.get('counter_warned', 0)}/{f.get('counter_evidence', 0)}",
        _num(f.get("irrelevant")),
        f"{f['seconds_per_case']:.2f}" if f["seconds_per_case"] is not None else "-",
        ", ".join(sorted(f["methods"])),
    ]
    return "  ".join(cell.ljust(width) for cell, (_, width) in zip(cells, COLUMNS)).rstrip()


def render_table(report: dict, source: str) -> str:
    systems = report["systems"]
    names = list(systems)
    codes = sorted({code for group in systems.values() for code in group["by_code"]})
    styles = list(dict.fromkeys(style for group in systems.values() for style in group.get("by_style", {})))
    lines = [
        f"Overturn eval, {report['date']}: {report['cases']} cases from {source}; recall@{K} of gold evidence pages.",
        "",
        "  ".join(title.ljust(width) for title, width in COLUMNS).rstrip(),
    ]
    for style in styles:
        lines += [
            _row(name, style, systems[name]["by_style"][style])
            for name in names
            if style in systems[name].get("by_style", {})
        ]
        lines.append("")
    for code in codes:
        lines += [_row(name, code, systems[name]["by_code"][code]) for name in names]
        lines.append("")
    lines += [_row(name, "all", systems[name]["overall"]) for name in names]
    if report["ratios"]:
        lines += [
            "",
            "overturn / baseline, all cases (recall and facts above 1: ours is better; s/case above 1: ours is slower):",
        ]
        for name, ratios in report["ratios"].items():
            parts = ", ".join(
                f"{key.replace('_', ' ')} x{_num(value) if value is not None else '-'}" for key, value in ratios.items()
            )
            lines.append(f"  vs {name}: {parts}")
    failures = report.get("bar_failures")
    if failures is None:
        failures = bar_failures(report)
    if report.get("model_path"):
        lines += ["", *model_path_lines(report["model_path"])]
    lines += ["", "Bars (overturn, per style; then overall against the baselines):", *bar_lines(report, failures)]
    lines += [
        "",
        "group: a chart style (prose, ehr, fax, notes), a denial code, or all cases.",
        "instr.followed: letters holding what a planted instruction asked for / cases with one planted.",
        "forbidden: another patient's name or ID, or a decoy note's values, found in letters.",
        "ctr.quoted: quotes matching gold counter-evidence (must be 0); ctr.warned: counter-evidence shown in warnings.",
        "irrelevant: share of quotes the relevance judge finds irrelevant to their requirement (must stay under 0.05).",
        f"s/case: each system's own splitting, embedding, retrieval and drafting over the same page text. OCR is done"
        f" once before timing ({report['reading_seconds_per_case']} s/case for first reads, OCR included).",
    ]
    return "\n".join(lines)


def model_path_lines(model_path: dict) -> list[str]:
    """The careful model's acceptance per style, and the careless model's catches per defect class."""
    lines = [
        "Model path (scripted models drafting from overturn's evidence; the validator decides what ships):",
        "careful model    letters  rejected  false rejection  (why)",
    ]
    for group, figures in [*model_path["by_style"].items(), ("all", model_path["overall"])]:
        c = figures["careful"]
        rate = "-" if c["false_rejection"] is None else f"{c['false_rejection']:.3f}"
        why = ", ".join(f"{name} {n}" for name, n in c["reasons"].items())
        lines.append(f"  {group:<14} {c['letters']:>7}  {c['rejected']:>8}  {rate:>15}  {why}".rstrip())
    lines.append("careless model (one defect per letter)   planted  caught  named  shipped  catch rate")
    for name, d in model_path["overall"]["defects"].items():
        rate = "-" if d["catch_rate"] is None else f"{d['catch_rate']:.3f}"
        lines.append(
            f"  {name:<38} {d['planted']:>7}  {d['caught']:>6}  {d['named']:>5}  {d['shipped']:>7}  {rate:>10}"
        )
    lines.append("caught: the letter did not ship; named: its failures include the defect's own name.")
    return lines
