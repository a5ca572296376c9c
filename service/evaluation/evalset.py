"""The eval set: case specs read from `eval/set.toml`, or case folders written earlier.

A spec is (code, seed, options) for `service.synth.make_case`; generating all 45 cases takes a
few seconds, so they are made in memory on every run rather than stored.
"""

import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from service.errors import InputError
from service.synth.charts import make_case

DEFAULT_SET = Path(__file__).resolve().parents[2] / "eval" / "set.toml"


class EvalSetError(InputError):
    code = "invalid_eval_set"
    status = 422


@dataclass(frozen=True)
class CaseSpec:
    id: str
    code: str
    seed: int
    options: dict = field(default_factory=dict, hash=False)


@dataclass
class EvalCase:
    id: str
    code: str
    case: dict
    documents: list[tuple[str, bytes]]
    gold: dict


def load_specs(path: Path = DEFAULT_SET, subset: str | None = None) -> list[CaseSpec]:
    """Every code x every profile, or only the ids named in the set's `subset` list."""
    if not path.is_file():
        raise EvalSetError(f"eval set not found: {path} (pass --set, or --cases with written case folders)")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        specs = [
            CaseSpec(f"{code}/{name}", code, int(profile["seed"]) + position, dict(profile.get("options", {})))
            for name, profile in raw["profiles"].items()
            for position, code in enumerate(raw["codes"])
        ]
    except (tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as exc:
        raise EvalSetError(f"{path.name}: not a valid eval set ({exc.__class__.__name__}: {exc})") from None
    if subset is None:
        return specs
    wanted = raw.get(subset)
    if not isinstance(wanted, list):
        raise EvalSetError(f"{path.name} has no subset called '{subset}'")
    by_id = {s.id: s for s in specs}
    unknown = [w for w in wanted if w not in by_id]
    if unknown:
        raise EvalSetError(f"{path.name}: subset '{subset}' names unknown cases {unknown}")
    return [by_id[w] for w in wanted]


def generate(spec: CaseSpec) -> EvalCase:
    made = make_case(spec.code, spec.seed, **spec.options)
    return EvalCase(spec.id, spec.code, made.case, made.documents, made.gold)


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
    return EvalCase(folder.name, case.get("denial_code", "?"), case, documents, gold)


def load_folders(root: Path) -> list[EvalCase]:
    folders = sorted(p.parent for p in root.rglob("gold.json"))
    if not folders:
        raise EvalSetError(f"{root}: no case folders (each needs case.json, gold.json and PDFs)")
    return [load_folder(f) for f in folders]


def write_cases(cases: list[EvalCase], root: Path) -> list[Path]:
    """One folder per case, named after its id ('CCM02/short' -> CCM02-short)."""
    written = []
    for case in cases:
        folder = root / case.id.replace("/", "-")
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "case.json").write_text(json.dumps(case.case, indent=2) + "\n", encoding="utf-8")
        (folder / "gold.json").write_text(json.dumps(case.gold, indent=2) + "\n", encoding="utf-8")
        for name, data in case.documents:
            (folder / name).write_bytes(data)
        written.append(folder)
    return written
