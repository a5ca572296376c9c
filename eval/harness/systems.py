"""Our product as an eval system, in its normal hybrid form or with one kind of similarity only.

Each case is drafted along the product's own road, as `overturn draft` drafts it
(`casework.local.draft_files`: a case of the local tenant, each file added, read by the reading
job and its pages stored sealed, then a draft job that reloads those pages and analyses them),
on a workspace of the system's own under the eval's throwaway home. The eval's page cache is that
workspace's page reader, so OCR is done once, beforehand, for every system.

The BM25-only and dense-only variants share our reading, exclusions and template; only the
similarity used to find chunks and score sentences changes, so their rows isolate retrieval.
Letters are the template's (a configured chat model is not called: the model path is measured
with scripted models, `model_path.py`). Every case's embedder starts with an empty text cache (the
product gives each case its own), so every row's seconds cover the same work: store, read (from
the cache), split, embed, select, draft, store the appeal.
"""

import time
import zlib

from eval.harness.evalset import EvalCase
from eval.harness.metrics import Run
from eval.harness.model_path import run_model_path
from eval.harness.road import eval_workspace, run_of
from service.casework.local import draft_files
from service.components import Components
from service.models import CaseFields

MODES = {"overturn": "hybrid", "bm25-only": "bm25", "dense-only": "dense"}


class PipelineSystem:
    def __init__(self, name: str, components: Components):
        self.name = name
        self.base = components
        self.ws = eval_workspace(components, f"systems/{name}", retrieval=MODES[name])
        self.settings = self.ws.settings
        self.model_path = name == "overturn"
        """Our system also drafts each case with the scripted careful and careless models."""
        self.seen: dict[str, set[str]] = {"names": set(), "payers": set()}
        """Other cases' patients and payers: what a careless model mixes into this one."""

    def run(self, case: EvalCase) -> Run:
        start = time.perf_counter()
        fields = CaseFields.model_validate(case.case)
        drafted = draft_files(self.ws, fields, case.documents)
        run = run_of(drafted, time.perf_counter() - start)
        if self.model_path:
            run.model_path = self._model_path(case, fields, drafted.analysis)
        return run

    def _model_path(self, case: EvalCase, fields: CaseFields, analysis) -> dict:
        others = {
            "names": sorted(self.seen["names"]),
            "payers": sorted(self.seen["payers"]),
            "codes": sorted(self.base.knowledge.codes),
        }
        self.seen["names"].add(fields.patient_name)
        self.seen["payers"].add(fields.payer)
        key_facts = case.gold.get("key_facts", [])
        return run_model_path(
            fields, analysis, key_facts, others, self.base.embedder.embed, zlib.crc32(case.id.encode())
        )
