"""`overturn ask`: answers cite the knowledge base (and a case), with or without a model."""

import json
import os
import subprocess
import sys

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel

from service.case_store import SavedCase, UnknownCaseError, load_case, save_case
from service.chat.answer import answer_question, check_answer, gather_sources
from service.chat.sources import named_codes
from service.config import Settings
from service.knowledge import load_knowledge
from service.llm.chat import ChatModel
from service.models import Evidence

KB = load_knowledge(Settings().code_dirs)


def test_the_code_and_the_kind_of_question_pick_the_sections():
    sources = gather_sources("What does CCM20 mean? How do we prevent it?", KB)
    assert all(s.code == "CCM20" for s in sources)
    assert {s.section for s in sources[:2]} == {"explanation", "prevention"}
    assert gather_sources("What should we attach for CO-16?", KB)[0].section == "attachments"


def test_codes_are_found_in_any_spelling_but_bare_numbers_are_not_codes():
    assert [e.code for e in named_codes("co 50 or CO-197, and ccm02", KB)] == ["CO-50", "CO-197", "CCM02"]
    assert named_codes("16 days of readings", KB) == []
    assert [e.code for e in named_codes("what is reason code 97", KB)] == ["CO-97"]


def test_without_a_model_every_line_of_the_answer_carries_a_marker_that_resolves():
    answer = answer_question("What does CCM39 mean?", KB)
    assert answer.method == "extractive"
    lines = [line for line in answer.text.splitlines() if line.startswith("  ")]
    assert lines and all(line.rstrip().endswith("]") for line in lines)
    assert check_answer(answer.text, answer.sources, answer.question) == []


def test_case_evidence_becomes_a_cited_record_source():
    evidence = [Evidence(document="r.pdf", page=4, start=0, end=20, text="Consent obtained on 03/02/2026.", requirement="consent", score=0.9)]
    answer = answer_question("What consent do we have for CCM39?", KB, evidence)
    record = [s for s in answer.sources if s.kind == "record"]
    assert record[0].document == "r.pdf" and f"[{record[0].number}]" in answer.text


def test_a_model_answer_ships_only_when_it_cites_and_invents_nothing():
    good = "CCM20 means the payer saw no proof the device transmitted readings [1]."
    answer = answer_question("What does CCM20 mean?", KB, models=[ChatModel("fake", "m", FakeListChatModel(responses=[good]))])
    assert answer.method == "llm" and answer.text == good
    invented = "CCM20 is paid only after 27 days of readings [1]."
    answer = answer_question("What does CCM20 mean?", KB, models=[ChatModel("fake", "m", FakeListChatModel(responses=[invented]))])
    assert answer.method == "extractive" and "unsupported_number" in answer.warnings[0]
    uncited = "CCM20 means the device did not sync."
    answer = answer_question("What does CCM20 mean?", KB, models=[ChatModel("fake", "m", FakeListChatModel(responses=[uncited]))])
    assert answer.method == "extractive" and answer.attempts[0].failures == ["no_citations"]


def test_saved_cases_are_per_tenant_and_ids_cannot_name_paths(tmp_path):
    save_case(tmp_path, "t1", SavedCase(case_id="abc", denial_code="CCM39", evidence=[]))
    assert load_case(tmp_path, "t1", "abc").denial_code == "CCM39"
    assert load_case(tmp_path, "t1", "latest").case_id == "abc"
    with pytest.raises(UnknownCaseError):
        load_case(tmp_path, "t2", "abc")
    with pytest.raises(UnknownCaseError):
        load_case(tmp_path, "t1", "../t1/abc")


def test_cli_ask_prints_the_answer_and_its_sources(tmp_path):
    env = {**os.environ, "OVERTURN_HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "service.cli", "ask", "How do we prevent CCM06?", "--json"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["method"] == "extractive" and out["sources"][0]["code"] == "CCM06"
    done = subprocess.run([sys.executable, "-m", "service.cli", "ask", "x", "--case-id", "nope"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 2 and "no case 'nope'" in done.stderr
