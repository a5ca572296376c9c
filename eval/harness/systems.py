"""Our pipeline as an eval system, in its normal hybrid form or with one kind of similarity only.

The BM25-only and dense-only variants share our reading, exclusions and template; only the
similarity used to find chunks and score sentences changes, so their rows isolate retrieval.
Each variant indexes under its own tenant with an embedder whose text cache starts empty, so
every row's seconds cover the same work: read (OCR done beforehand), split, embed, select, draft.
"""

import time
import zlib

from eval.harness.evalset import EvalCase
from eval.harness.metrics import Run, requirements_of
from eval.harness.model_path import run_model_path
from eval.harness.pages import read_record
from service.components import Components
from service.models import CaseFields
from service.pipeline import analyse_case, write_appeal

MODES = {"overturn": "hybrid", "bm25-only": "bm25", "dense-only": "dense"}


class PipelineSystem:
    def __init__(self, name: str, components: Components):
        self.name = name
        self.base = components
        self.settings = components.settings.model_copy(update={"retrieval": MODES[name]})
        self.model_path = name == "overturn"
        """Our system also drafts each case with the scripted careful and careless models."""
        self.seen: dict[str, set[str]] = {"names": set(), "payers": set()}
        """Other cases' patients and payers: what a careless model mixes into this one."""

    def run(self, case: EvalCase) -> Run:
        components = Components(self.settings, embedder=self.base.embedder.fresh(), vectors=self.base.vectors)
        start = time.perf_counter()
        fields = CaseFields.model_validate(case.case)
        analysis = analyse_case(fields, case.documents, components, tenant=f"eval-{self.name}", read=read_record)
        result = write_appeal(fields, analysis)
        seconds = time.perf_counter() - start
        page_text = analysis.page_text
        return Run(
            letter=result.letter,
            citations=result.citations,
            ranked_pages=analysis.selection.ranked_pages,
            page_text=page_text,
            missing={r.id for r in analysis.selection.missing},
            method=result.method,
            seconds=seconds,
            pages=len(page_text),
            warnings=list(result.warnings),
            quote_requirements=requirements_of(result.citations, analysis.selection.evidence),
            model_path=self._model_path(case, fields, analysis) if self.model_path else None,
        )

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
