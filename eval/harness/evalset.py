"""The eval set: case specs read from `eval/set.toml`, or case folders written earlier.

A spec is (code, seed, style, legends, options) for `eval.synth.make_case`. Every code is
crossed with every profile and every style of the set's `styles` list (["prose"] when the set
has none); the case id is `CODE/profile/style` and the seed is the profile's seed plus the
code's position in `codes`, so one underlying case is rendered once per style. A profile's
`legends` is a bool for every style or a table per style (`{ fax = false }`); left out, the
generator chooses. Subsets (`ci = [...]`) name `CODE/profile` (all selected styles) or full ids.
Cases are generated in memory, one at a time, when the runner reaches them.
"""

import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from eval.synth.charts import make_case
from service.errors import InputError

CHECKOUT_EVAL = Path(__file__).resolve().parents[1]
DEFAULT_STYLE = "prose"


class EvalSetError(InputError):
    code = "invalid_eval_set"
    status = 422


def eval_file(name: str, folder: Path | None = None) -> Path:
    """`name` in the lab's folder: `folder`, else the eval/ of the checkout this code runs from.
    An installed wheel has no such folder, so its absence is said plainly, not met as a missing file."""
    folder = CHECKOUT_EVAL if folder is None else folder
    if not folder.is_dir():
        raise EvalSetError(
            f"no eval folder at {folder}: the eval's sets come with a checkout of the repository, "
            "not with the installed package (run from a checkout, or pass the set with --set)"
        )
    return folder / name


def default_set() -> Path:
    return eval_file("set.toml")


@dataclass(frozen=True)
class CaseSpec:
    id: str
    code: str
    seed: int
    style: str = DEFAULT_STYLE
    legends: bool | None = None
    options: dict = field(default_factory=dict, hash=False)


@dataclass
class EvalCase:
    id: str
    code: str
    case: dict
    documents: list[tuple[str, bytes]]
    gold: dict
    style: str = DEFAULT_STYLE


def _legends(profile: dict, style: str) -> bool | None:
    value = profile.get("legends")
    if isinstance(value, dict):
        value = value.get(style)
    if value is not None and not isinstance(value, bool):
        raise ValueError(f"legends must be true, false or a table of them per style, not {value!r}")
    return value


def set_styles(raw: dict) -> list[str]:
    styles = raw.get("styles", [DEFAULT_STYLE])
    if not isinstance(styles, list) or not styles or not all(isinstance(s, str) for s in styles):
        raise ValueError("styles must be a non-empty list of names")
    return styles


def _choose_styles(path: Path, have: list[str], wanted: list[str] | None) -> list[str]:
    if not wanted:
        return have
    unknown = [s for s in wanted if s not in have]
    if unknown:
        raise EvalSetError(f"{path.name} has no style(s) {unknown} (styles: {', '.join(have)})")
    return [s for s in have if s in wanted]


def load_specs(path: Path | None = None, subset: str | None = None, styles: list[str] | None = None) -> list[CaseSpec]:
    """Every code x profile x style of the set at `path` (the checkout's eval/set.toml by
    default), or only the cases the set's `subset` list names; `styles` keeps only those styles."""
    path = default_set() if path is None else path
    if not path.is_file():
        raise EvalSetError(f"eval set not found: {path} (pass --set, or --cases with written case folders)")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        have = set_styles(raw)
        specs = [
            CaseSpec(
                f"{code}/{name}/{style}",
                code,
                int(profile["seed"]) + position,
                style,
                _legends(profile, style),
                dict(profile.get("options", {})),
            )
            for name, profile in raw["profiles"].items()
            for position, code in enumerate(raw["codes"])
            for style in have
        ]
    except (tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as exc:
        raise EvalSetError(f"{path.name}: not a valid eval set ({exc.__class__.__name__}: {exc})") from None
    chosen = _choose_styles(path, have, styles)
    specs = [s for s in specs if s.style in chosen]
    if subset is None:
        return specs
    wanted = raw.get(subset)
    if not isinstance(wanted, list):
        raise EvalSetError(f"{path.name} has no subset called '{subset}'")
    known = {s.id for s in load_specs(path, styles=None)} if styles else {s.id for s in specs}
    picked, unknown = [], []
    for name in wanted:
        ids = [name] if name in known else [f"{name}/{style}" for style in have if f"{name}/{style}" in known]
        if not ids:
            unknown.append(name)
        picked += [i for i in ids if i not in picked]
    if unknown:
        raise EvalSetError(f"{path.name}: subset '{subset}' names unknown cases {unknown}")
    by_id = {s.id: s for s in specs}
    return [by_id[i] for i in picked if i in by_id]


def generate(spec: CaseSpec) -> EvalCase:
    extra: dict = {}
    if spec.style != DEFAULT_STYLE:  # the default style needs no argument (older generators lack it)
        extra["style"] = spec.style
    if spec.legends is not None:
        extra["legends"] = spec.legends
    made = make_case(spec.code, spec.seed, **extra, **spec.options)
    return EvalCase(spec.id, spec.code, made.case, made.documents, made.gold, spec.style)


def materialise(item: "CaseSpec | EvalCase") -> EvalCase:
    return generate(item) if isinstance(item, CaseSpec) else item


def load_folder(folder: Path) -> EvalCase:
    """A written case: case.json, gold.json and the record PDFs beside them."""
    try:
        case = json.loads((folder / "case.json").read_text(encoding="utf-8"))
        gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise EvalSetError(f"{folder.name}: needs case.json and gold.json ({exc.__class__.__name__})") from None
    documents = [(p.name, p.read_bytes()) for p in sorted(folder.glob("*.pdf"))]
    if not documents:
        raise EvalSetError(f"{folder.name}: no record PDFs")
    style = gold.get("style") or DEFAULT_STYLE
    return EvalCase(folder.name, case.get("denial_code", "?"), case, documents, gold, str(style))


def load_folders(root: Path) -> list[EvalCase]:
    folders = sorted(p.parent for p in root.rglob("gold.json"))
    if not folders:
        raise EvalSetError(f"{root}: no case folders (each needs case.json, gold.json and PDFs)")
    return [load_folder(f) for f in folders]


def write_cases(cases: list["CaseSpec | EvalCase"], root: Path) -> list[Path]:
    """One folder per case, named after its id ('CCM02/short/fax' -> CCM02-short-fax)."""
    written = []
    for item in cases:
        case = materialise(item)
        folder = root / case.id.replace("/", "-")
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "case.json").write_text(json.dumps(case.case, indent=2) + "\n", encoding="utf-8")
        (folder / "gold.json").write_text(json.dumps(case.gold, indent=2) + "\n", encoding="utf-8")
        for name, data in case.documents:
            (folder / name).write_bytes(data)
        written.append(folder)
    return written
