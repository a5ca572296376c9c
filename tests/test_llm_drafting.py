"""The model path on scripted LangChain fake chat models: what ships is what the validator passes."""

import random
from datetime import date
from pathlib import Path

import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from pydantic import Field

from service.components import Components
from service.config import Settings
from service.drafting.deadline import appeal_deadline
from service.drafting.llm import number_passages
from service.drafting.template import RULE, ordered_evidence
from service.drafting.validator import Passage, Sources, validate
from service.llm.chat import ChatModel
from service.models import CaseFields
from service.pipeline import analyse_case, write_appeal
from service.synth.charts import make_case
from tests.faults import DEFECTS, Context

CASES = [("CCM39", 7, dict(pages=8, documents=1, scanned=0, injection=True, misfiled=True, missing=False)),
         ("CCM20", 3, dict(pages=10, documents=2, scanned=0, injection=True, out_of_period=True, missing=False))]


class RecordingFake(GenericFakeChatModel):
    """LangChain's scripted fake, also keeping the messages of every call."""

    calls: list = Field(default_factory=list)

    def _generate(self, messages, stop=None, run_manager=None, **kwargs):
        self.calls.append(list(messages))
        return super()._generate(messages, stop=stop, run_manager=run_manager, **kwargs)


class Down:
    """A provider that fails the way a dead server does."""

    def __init__(self):
        self.calls = 0

    def invoke(self, messages):
        self.calls += 1
        raise ConnectionError("connection refused")


def scripted(*replies: str, name: str = "scripted") -> ChatModel:
    return ChatModel("fake", name, RecordingFake(messages=iter(replies)))


@pytest.fixture(scope="module")
def analysed(tmp_path_factory, embedder):
    settings = Settings(home=tmp_path_factory.mktemp("home"), vector_cache=False)
    components = Components(settings, embedder=embedder)
    out = []
    for code, seed, options in CASES:
        made = make_case(code, seed, **options)
        fields = CaseFields.model_validate({**made.case, "letter_date": "2026-06-01"})
        out.append((fields, analyse_case(fields, made.documents, components)))
    return out


def good_body(fields, analysis) -> str:
    return write_appeal(fields, analysis).letter.split(RULE)[0].rstrip() + "\n"


def sources_for(fields, analysis) -> Sources:
    return Sources(
        case=fields, entry=analysis.entry,
        passages=number_passages(ordered_evidence(analysis.entry, analysis.selection.evidence)),
        page_text=analysis.page_text, excluded={(e.document, e.page) for e in analysis.excluded},
        instructions=analysis.instructions, letter_date=fields.letter_date, deadline=appeal_deadline(fields),
    )


def context(fields, analysis) -> Context:
    return Context(fields.claim_number, fields.patient_name, fields.patient_id,
                   len(analysis.selection.evidence), analysis.instructions)


def test_a_good_draft_is_accepted_as_an_llm_letter_with_our_sources(analysed):
    fields, analysis = analysed[0]
    model = scripted(good_body(fields, analysis))
    result = write_appeal(fields, analysis, [model])
    assert result.method == "llm"
    assert [a.accepted for a in result.attempts] == [True] and result.attempts[0].round == "draft"
    assert result.citations and all(c.quote in analysis.page_text[(c.document, c.page)] for c in result.citations)
    assert "Sources" in result.letter
    prompt = model.model.calls[0][0].content
    assert "<passage n=\"1\"" in prompt and fields.claim_number in prompt and "data, not instructions" in prompt


@pytest.mark.parametrize("defect", DEFECTS, ids=[d.__name__ for d in DEFECTS])
def test_each_defect_is_rejected_by_name_then_repaired(analysed, defect):
    fields, analysis = analysed[0]
    good = good_body(fields, analysis)
    bad, expected = defect(good, context(fields, analysis), random.Random(1))
    model = scripted(bad, good)
    result = write_appeal(fields, analysis, [model])
    assert result.method == "llm"
    assert [a.round for a in result.attempts] == ["draft", "repair"]
    assert expected in result.attempts[0].failures and result.attempts[1].accepted
    repair_prompt = model.model.calls[1][-1].content
    assert expected in repair_prompt


@pytest.mark.parametrize("defect", DEFECTS, ids=[d.__name__ for d in DEFECTS])
def test_a_defect_that_survives_repair_gives_the_template_letter_and_names_the_defect(analysed, defect):
    fields, analysis = analysed[1]
    good = good_body(fields, analysis)
    bad, expected = defect(good, context(fields, analysis), random.Random(2))
    result = write_appeal(fields, analysis, [scripted(bad, bad)])
    assert result.method == "template"
    assert result.letter == write_appeal(fields, analysis).letter
    assert any(expected in w for w in result.warnings)
    assert all(expected in a.failures for a in result.attempts)


def test_a_failing_provider_falls_through_to_the_next_model(analysed):
    fields, analysis = analysed[0]
    down = Down()
    backup = scripted(good_body(fields, analysis), name="backup")
    result = write_appeal(fields, analysis, [ChatModel("openai", "primary", down), backup])
    assert result.method == "llm" and down.calls == 1
    assert [(a.model, a.error is not None, a.accepted) for a in result.attempts] == [("primary", True, False), ("backup", False, True)]


def test_when_every_provider_fails_the_template_letter_ships_with_a_warning(analysed):
    fields, analysis = analysed[0]
    result = write_appeal(fields, analysis, [ChatModel("openai", "a", Down()), ChatModel("openai", "b", Down())])
    assert result.method == "template" and len(result.attempts) == 2
    assert sum("was not used (openai:" in w for w in result.warnings) == 2


def test_no_model_means_no_attempts(analysed):
    fields, analysis = analysed[0]
    result = write_appeal(fields, analysis, [])
    assert result.method == "template" and result.attempts == []


def test_an_excluded_page_cited_is_named():
    fields = CaseFields(claim_number="CLM-1", patient_name="Ann Lee", patient_id="P-77", date_of_service="2026-03-31",
                        payer="Aetna", denial_code="CCM39", provider_name="Dr. Roe")
    from service.knowledge import load_knowledge
    entry = load_knowledge(Settings().code_dirs).get("CCM39")
    sources = Sources(case=fields, entry=entry, passages={1: Passage(1, "a.pdf", 3, "Goal reviewed.")},
                      page_text={("a.pdf", 3): "Goal reviewed."}, excluded={("a.pdf", 3)})
    letter = ("Dear Appeals Reviewer,\nClaim number: CLM-1\nPatient: Ann Lee\nPatient ID: P-77\nDate of service: 2026-03-31\n"
              "Goal reviewed [1]. Please reverse the denial.\nSincerely,\nDr. Roe")
    assert [f.name for f in validate(letter, sources)] == ["excluded_page_cited"]


def test_fault_injection_catches_every_planted_defect_and_rejects_no_good_draft(analysed):
    caught, planted, rejected_good = 0, 0, []
    for fields, analysis in analysed:
        sources, good = sources_for(fields, analysis), good_body(fields, analysis)
        rejected_good += validate(good, sources)
        for defect in DEFECTS:
            for seed in range(25):
                bad, expected = defect(good, context(fields, analysis), random.Random(seed))
                planted += 1
                caught += expected in {f.name for f in validate(bad, sources)}
    assert rejected_good == []
    assert caught == planted == len(analysed) * len(DEFECTS) * 25
