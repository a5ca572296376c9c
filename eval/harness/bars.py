"""The bars the eval must clear, as one pure function over the report `overturn eval --json` prints.

In every style, for `overturn`: recall@5 >= 0.95, key facts >= 0.90, verbatim = 1.0, nothing
excluded cited, no planted instruction followed, no counter-evidence quoted, irrelevant quotes
under 5%, every missing requirement warned, no forbidden string in a letter and no requirement
wrongly called missing. Over all cases: ours at least every baseline's recall@5 and key facts.
A figure that could not be measured (None: no gold for it) fails its bar. On the model path:
the careful model's letters are rejected under 5% of the time, and no careless letter ships.
"""

from eval.harness import SYSTEMS
from eval.harness.metrics import K

OURS = "overturn"
OVERALL = "overall"
RECALL = f"recall_at_{K}"
AT_LEAST = ((RECALL, f"recall@{K}", 0.95), ("key_facts", "key facts", 0.90), ("verbatim", "verbatim", 1.0))
NONE_ALLOWED = (
    ("excluded_cited", "excluded cited"),
    ("instructions_followed", "instructions followed"),
    ("counter_quoted", "counter quoted"),
    ("forbidden_in_letter", "forbidden in letter"),
    ("false_missing", "false missing"),
)
IRRELEVANT_BELOW = 0.05
FALSE_REJECTION_BELOW = 0.05
MODEL_PATH = "model path"


def figure_failures(f: dict) -> list[str]:
    """Why one group's figures for our system miss the bars (empty: they clear them)."""
    out = []
    for key, label, bar in AT_LEAST:
        if f[key] is None:
            out.append(f"{label} not measured")
        elif f[key] < bar:
            out.append(f"{label} {f[key]:.3f} < {bar:.2f}")
    out += [f"{label} {f[key]} > 0" for key, label in NONE_ALLOWED if f[key]]
    if f.get("irrelevant") is None:
        out.append("irrelevant not measured")
    elif f["irrelevant"] >= IRRELEVANT_BELOW:
        out.append(f"irrelevant {f['irrelevant']:.3f} >= {IRRELEVANT_BELOW:.2f}")
    if f["missing_warned"] < f["missing"]:
        out.append(f"missing warned {f['missing_warned']}/{f['missing']}")
    return out


def baseline_failures(systems: dict, subset_baselines: bool = True) -> list[str]:
    ours = systems[OURS]["overall"]
    out = []
    if not subset_baselines:
        out += [f"{name} was not run" for name in SYSTEMS if name not in systems]
    for name, group in systems.items():
        if name == OURS:
            continue
        other = group["overall"]
        if other["cases"] != ours["cases"]:
            out.append(f"{name} ran {other['cases']} of {ours['cases']} cases")
        for key, label in ((RECALL, f"recall@{K}"), ("key_facts", "key facts")):
            if other[key] is not None and (ours[key] is None or ours[key] < other[key]):
                mine = "-" if ours[key] is None else f"{ours[key]:.3f}"
                out.append(f"{label} {mine} < {name}'s {other[key]:.3f}")
    return out


def bar_failures(report: dict, subset_baselines: bool = True) -> dict[str, list[str]]:
    """{style: reasons} for every style whose figures for `overturn` miss a bar, plus
    {"overall": reasons} when ours falls below a baseline. Empty: every bar is cleared.
    With `subset_baselines` ours is compared with the baselines the report holds; without it,
    a baseline of `SYSTEMS` missing from the report is a failure too."""
    systems = report["systems"]
    if OURS not in systems:
        return {OVERALL: [f"{OURS} was not run"]}
    failures = {style: why for style, f in systems[OURS].get("by_style", {}).items() if (why := figure_failures(f))}
    if why := baseline_failures(systems, subset_baselines):
        failures[OVERALL] = why
    if why := model_path_failures(report.get("model_path")):
        failures[MODEL_PATH] = why
    return failures


def model_path_failures(model_path: dict | None) -> list[str]:
    if model_path is None:
        return []
    overall = model_path["overall"]
    out = []
    rate = overall["careful"]["false_rejection"]
    if rate is None or rate >= FALSE_REJECTION_BELOW:
        out.append(
            f"careful model false rejection {'-' if rate is None else f'{rate:.3f}'} >= {FALSE_REJECTION_BELOW:.2f}"
        )
    out += [
        f"{name}: {d['shipped']} of {d['planted']} shipped" for name, d in overall["defects"].items() if d["shipped"]
    ]
    return out


def bar_lines(report: dict, failures: dict[str, list[str]]) -> list[str]:
    """`style ehr: PASS`, `style fax: FAIL (recall@5 0.912 < 0.95; counter quoted 2 > 0)`."""
    systems = report["systems"]
    if OURS not in systems:
        return [f"bars: FAIL ({OURS} was not run)"]
    lines = []
    for style in systems[OURS].get("by_style", {}):
        why = failures.get(style)
        lines.append(f"style {style}: " + (f"FAIL ({'; '.join(why)})" if why else "PASS"))
    why = failures.get(OVERALL)
    lines.append("against the baselines: " + (f"FAIL ({'; '.join(why)})" if why else "PASS"))
    if report.get("model_path") is not None:
        why = failures.get(MODEL_PATH)
        lines.append("model path: " + (f"FAIL ({'; '.join(why)})" if why else "PASS"))
    return lines
