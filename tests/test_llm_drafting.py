"""The model path on scripted LangChain fake chat models: what ships is what the validator passes."""

import random

import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from pydantic import Field

from eval.harness.model_path import defect_shipped
from eval.synth.charts import make_case
from service.components import Components
from service.config import Settings
from service.drafting.deadline import appeal_deadline
from service.drafting.llm import number_passages
from service.drafting.statements import split_statements
from service.drafting.template import RULE, ordered_evidence
from service.drafting.validator import Passage, Sources, validate
from service.llm.chat import ChatModel
from service.models import CaseFields
from service.pipeline import analyse_case, write_appeal
from tests.faults import DEFECTS, careful_body, context

CASES = [
    ("CCM39", 7, dict(pages=8, documents=1, scanned=0, injection=True, misfiled=True, missing=False)),
    ("CCM20", 3, dict(pages=10, documents=2, scanned=0, injection=True, out_of_period=True, missing=False)),
]


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
        analysis = analyse_case(fields, made.documents, components)
        out.append((fields, analysis, made.gold, context(fields, analysis)))
    return out


def good_body(fields, analysis) -> str:
    return write_appeal(fields, analysis).letter.split(RULE)[0].rstrip() + "\n"


def sources_for(fields, analysis, embed=None) -> Sources:
    return Sources(
        case=fields,
        entry=analysis.entry,
        passages=number_passages(ordered_evidence(analysis.entry, analysis.selection.evidence)),
        page_text=analysis.page_text,
        excluded={(e.document, e.page) for e in analysis.excluded},
        instructions=analysis.instructions,
        letter_date=fields.letter_date,
        deadline=appeal_deadline(fields),
        embed=embed,
    )


def planted(defect, good, ctx, seed):
    made = defect(good, ctx, random.Random(seed))
    if made is None:
        pytest.skip(f"this case offers nothing to plant for {defect.__name__}")
    return made


def test_a_good_draft_is_accepted_as_an_llm_letter_with_our_sources(analysed):
    fields, analysis, _, _ = analysed[0]
    model = scripted(good_body(fields, analysis))
    result = write_appeal(fields, analysis, [model])
    assert result.method == "llm"
    assert [a.accepted for a in result.attempts] == [True] and result.attempts[0].round == "draft"
    assert result.citations and all(c.quote in analysis.page_text[(c.document, c.page)] for c in result.citations)
    assert "Sources" in result.letter
    prompt = model.model.calls[0][0].content
    assert '<passage n="1"' in prompt and fields.claim_number in prompt and "data, not instructions" in prompt


def test_a_careful_models_fluent_letter_is_accepted(analysed, embedder):
    for fields, analysis, gold, _ in analysed:
        result = write_appeal(fields, analysis, [scripted(careful_body(fields, analysis, gold))], embedder.embed)
        assert result.method == "llm", [a.failures for a in result.attempts]


@pytest.mark.parametrize("defect", DEFECTS, ids=[d.__name__ for d in DEFECTS])
def test_each_defect_is_rejected_by_name_then_repaired(analysed, defect, embedder):
    fields, analysis, gold, ctx = analysed[0]
    good = careful_body(fields, analysis, gold)
    bad, expected = planted(defect, good, ctx, 1)
    model = scripted(bad, good)
    result = write_appeal(fields, analysis, [model], embedder.embed)
    assert result.method == "llm"
    assert [a.round for a in result.attempts] == ["draft", "repair"]
    assert expected & set(result.attempts[0].failures) and result.attempts[1].accepted
    repair_prompt = model.model.calls[1][-1].content
    assert any(name in repair_prompt for name in expected)


@pytest.mark.parametrize("defect", DEFECTS, ids=[d.__name__ for d in DEFECTS])
def test_a_defect_that_survives_repair_never_ships(analysed, defect, embedder):
    """The template letter ships, or (cite or abstain) the model's letter without the failing
    sentence, with a warning naming the sentence by number."""
    fields, analysis, gold, ctx = analysed[1]
    good = careful_body(fields, analysis, gold)
    bad, expected = planted(defect, good, ctx, 2)
    result = write_appeal(fields, analysis, [scripted(bad, bad)], embedder.embed)
    assert all(expected & set(a.failures) for a in result.attempts)
    if result.method == "template":
        assert result.letter == write_appeal(fields, analysis).letter
        assert any(name in w for w in result.warnings for name in expected)
    else:
        assert not defect_shipped(good, bad, result.letter)
        dropped = next(w for w in result.warnings if "shipped without" in w)
        assert any(name in dropped for name in expected) and "sentence " in dropped


def test_abstaining_keeps_a_whole_letter_or_none(analysed, embedder):
    """Dropping a sentence that carries the only citation of a requirement would leave that
    requirement unargued: the template letter ships instead."""
    fields, analysis, gold, _ = analysed[0]
    good = careful_body(fields, analysis, gold)
    uncited = good.replace("Please contact our office", "The patient consented in writing. Please contact our office")
    result = write_appeal(fields, analysis, [scripted(uncited, uncited)], embedder.embed)
    assert result.method == "llm" and "consented in writing" not in result.letter
    assert any("shipped without 1 sentence(s)" in w and "uncited_claim" in w for w in result.warnings)
    passages = number_passages(ordered_evidence(analysis.entry, analysis.selection.evidence))
    alone = [n for n, p in passages.items() if [q.requirement for q in passages.values()].count(p.requirement) == 1]
    if not alone:
        pytest.skip("every requirement of this case has several passages")
    sentence = next(s for s in split_statements(good) if s.part != "frame" and s.markers == [alone[0]])
    head = sentence.text.split(f" [{alone[0]}]")[0]
    broken = good.replace(head, "Our medical director, Dr. Quill, confirmed that " + head[0].lower() + head[1:], 1)
    result = write_appeal(fields, analysis, [scripted(broken, broken)], embedder.embed)
    assert result.method == "template"


def test_a_failing_provider_falls_through_to_the_next_model(analysed):
    fields, analysis, _, _ = analysed[0]
    down = Down()
    backup = scripted(good_body(fields, analysis), name="backup")
    result = write_appeal(fields, analysis, [ChatModel("openai", "primary", down), backup])
    assert result.method == "llm" and down.calls == 1
    assert [(a.model, a.error is not None, a.accepted) for a in result.attempts] == [
        ("primary", True, False),
        ("backup", False, True),
    ]


def test_when_every_provider_fails_the_template_letter_ships_with_a_warning(analysed):
    fields, analysis, _, _ = analysed[0]
    result = write_appeal(fields, analysis, [ChatModel("openai", "a", Down()), ChatModel("openai", "b", Down())])
    assert result.method == "template" and len(result.attempts) == 2
    assert sum("was not used (openai:" in w for w in result.warnings) == 2


def test_no_model_means_no_attempts(analysed):
    fields, analysis, _, _ = analysed[0]
    result = write_appeal(fields, analysis, [])
    assert result.method == "template" and result.attempts == []


def test_an_excluded_page_cited_is_named():
    fields = CaseFields(
        claim_number="CLM-1",
        patient_name="Ann Lee",
        patient_id="P-77",
        date_of_service="2026-03-31",
        payer="Aetna",
        denial_code="CCM39",
        provider_name="Dr. Roe",
    )
    from service.knowledge import load_knowledge

    entry = load_knowledge(Settings().code_dirs).get("CCM39")
    sources = Sources(
        case=fields,
        entry=entry,
        passages={1: Passage(1, "a.pdf", 3, "Goal reviewed.")},
        page_text={("a.pdf", 3): "Goal reviewed."},
        excluded={("a.pdf", 3)},
    )
    letter = (
        "Aetna\nClaim number: CLM-1\nPatient: Ann Lee\nPatient ID: P-77\nDate of service: 2026-03-31\nDenial code: CCM39\n"
        "Dear Appeals Reviewer,\nGoal reviewed [1]. Please reverse the denial.\nSincerely,\nDr. Roe"
    )
    assert [f.name for f in validate(letter, sources)] == ["excluded_page_cited"]


def test_fault_injection_catches_every_planted_defect_and_rejects_no_good_draft(analysed, embedder):
    caught, planted_count, rejected_good = 0, 0, []
    for fields, analysis, gold, ctx in analysed:
        sources = sources_for(fields, analysis, embedder.embed)
        rejected_good += validate(good_body(fields, analysis), sources)
        for seed in range(5):
            good = careful_body(fields, analysis, gold, seed)
            rejected_good += validate(good, sources)
            for defect in DEFECTS:
                made = defect(good, ctx, random.Random(seed))
                if made is None:
                    continue
                bad, expected = made
                planted_count += 1
                caught += bool(expected & {f.name for f in validate(bad, sources)})
    assert rejected_good == []
    assert planted_count >= len(analysed) * 5 * (len(DEFECTS) - 3)
    assert caught == planted_count
