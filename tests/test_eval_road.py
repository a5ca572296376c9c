"""The eval drafts along the product's road: a case of the local tenant in a workspace of the
system's own, its uploads read by the reading job through the eval's page cache, a draft job."""

import pytest

from eval.harness import pages
from eval.harness.evalset import CaseSpec, generate
from eval.harness.pages import PageCache, read_documents
from eval.harness.systems import PipelineSystem
from service.casework.appeals import latest_appeal
from service.casework.local import LOCAL_TENANT, draft_files, local_case_id
from service.models import CaseFields

SPEC = CaseSpec(
    "CCM02/road/prose",
    "CCM02",
    7,
    "prose",
    None,
    {"pages": 6, "documents": 2, "tables": False, "two_column": False, "missing": False, "counter_evidence": False},
)


@pytest.mark.integration
def test_a_system_drafts_through_casework_and_reads_through_the_eval_cache(components, monkeypatch):
    made = generate(SPEC)
    made.documents.append(made.documents[0])  # the same file named twice: read once, with a note
    read_documents(made.documents, components.settings)  # the runner's reading pass fills the cache

    def no_reading(*_args, **_kwargs):
        raise AssertionError("a page was read again instead of taken from the eval's cache")

    monkeypatch.setattr(pages, "read_pdf_bytes", no_reading)
    system = PipelineSystem("bm25-only", components)
    assert system.ws.settings.home == components.settings.home / "systems" / "bm25-only"
    assert system.ws.settings.retrieval == "bm25" and system.ws.settings.llm is None
    run = system.run(made)
    assert run.method == "template" and run.citations and run.ranked_pages
    assert run.pages == sum(len(d.pages) for d in read_documents(made.documents[:-1], components.settings))
    assert any("is the same file as" in w for w in run.warnings)

    case_id = local_case_id(CaseFields.model_validate(made.case), made.documents)
    stored = latest_appeal(system.ws, LOCAL_TENANT, case_id)
    assert stored is not None and stored.result.letter == run.letter
    assert stored.evidence and [c.quote for c in stored.result.citations] == [c.quote for c in run.citations]


@pytest.mark.integration
def test_draft_files_hands_back_the_analysis_its_stored_appeal_was_written_from(components, tmp_path):
    from service.casework.state import open_workspace

    made = generate(SPEC)
    settings = components.settings.model_copy(update={"home": tmp_path / "ws", "retrieval": "bm25"})
    ws = open_workspace(settings, components, read=PageCache(tmp_path / "cache"))
    drafted = draft_files(ws, CaseFields.model_validate(made.case), made.documents)
    assert drafted.analysis is not None and drafted.case_id == drafted.result.case_id
    stored = latest_appeal(ws, LOCAL_TENANT, drafted.case_id)
    assert stored is not None and stored.evidence == drafted.analysis.selection.evidence
    assert stored.instructions == drafted.analysis.instructions
    assert list((tmp_path / "cache" / "pages").glob("*.json"))  # the reading job read through the given reader
