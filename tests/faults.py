"""The eval's scripted models pointed at a test case: the careful letter (eval/harness/
careful.py) and the careless model's planted defects (eval/harness/defects.py)."""

import random

from eval.harness.careful import careful_letter
from eval.harness.defects import DEFECTS, DefectContext
from eval.harness.model_path import defect_context
from eval.synth.charts import make_case
from service.drafting.llm import number_passages
from service.drafting.template import ordered_evidence

__all__ = ["DEFECTS", "careful_body", "context"]


def careful_body(fields, analysis, gold: dict, seed: int = 0) -> str:
    passages = number_passages(ordered_evidence(analysis.entry, analysis.selection.evidence))
    return careful_letter(fields, analysis.entry, passages, gold["key_facts"], fields.letter_date, random.Random(seed))


def context(fields, analysis) -> DefectContext:
    """Another synthetic case supplies the other patient, payer and code a careless model mixes in."""
    other = make_case("CCM02" if fields.denial_code != "CCM02" else "CCM06", 5, pages=5, documents=1, scanned=0).case
    others = {"names": [other["patient_name"]], "payers": [other["payer"]], "codes": [other["denial_code"]]}
    passages = number_passages(ordered_evidence(analysis.entry, analysis.selection.evidence))
    return defect_context(fields, analysis, passages, others)
