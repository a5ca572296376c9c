"""The two sets of month-charts: ours (eval/checks/charts/<id>/, text + gold) and the foreign
charts (../shared/foreign/charts/fcNN/, their PDF with our gold in foreign_gold.json)."""

import json
from dataclasses import dataclass
from pathlib import Path

from eval.checks.pdf import pages_of, text_pdf
from service.models import CheckPatient

HERE = Path(__file__).parent
CHARTS = HERE / "charts"
FOREIGN_GOLD = HERE / "foreign_gold.json"
FOREIGN_CHARTS = HERE.parents[2] / "shared" / "foreign" / "charts"


@dataclass
class CheckCase:
    id: str
    set: str  # 'ours' or 'foreign'
    patient: CheckPatient
    files: list[tuple[str, bytes]]
    gold: dict


def load_ours(root: Path = CHARTS) -> list[CheckCase]:
    cases = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        patient = CheckPatient.model_validate_json((folder / "case.json").read_text())
        pdf = text_pdf(pages_of((folder / "chart.txt").read_text()))
        gold = json.loads((folder / "gold.json").read_text())
        cases.append(CheckCase(folder.name, "ours", patient, [("chart.pdf", pdf)], gold))
    return cases


def load_foreign(root: Path = FOREIGN_CHARTS, gold_file: Path = FOREIGN_GOLD) -> list[CheckCase]:
    """The foreign charts with our gold (an RPM chart may be checked for two codes, so a gold
    entry names its chart folder); none when the shared folder is not beside the clone."""
    if not root.is_dir():
        return []
    golds = json.loads(gold_file.read_text())
    cases = []
    for case_id, gold in sorted(golds.items()):
        folder = root / gold.get("chart", case_id)
        patient = CheckPatient.model_validate_json((folder / "case.json").read_text())
        files = [(p.name, p.read_bytes()) for p in sorted(folder.glob("*.pdf"))]
        cases.append(CheckCase(case_id, "foreign", patient, files, gold))
    return cases
