"""The chat eval: answer precision and recall against gold sentences, per kind of question."""

import pytest

from eval.harness import chat_eval
from eval.harness.chat_eval import (
    KINDS,
    CaseContext,
    ChatQuestion,
    add_up,
    answer_sentences,
    load_questions,
    render_chat_table,
    run_chat_eval,
    score_answer,
)
from eval.harness.evalset import EvalSetError


def test_the_question_file_has_thirty_questions_over_every_kind_and_code():
    questions = load_questions()
    assert len(questions) == 30 and {q.kind for q in questions} == set(KINDS)
    assert sum(q.kind == "case" for q in questions) >= 8
    for code in ("CCM02", "CCM06", "CCM20", "CCM31", "CCM39"):
        assert any(code in q.question or (q.case or "").startswith(code) for q in questions)


def test_answer_lines_are_read_without_markers_and_quotation_marks():
    text = 'The payer found no record. [1]\nFrom the record: "Total time: 51 minutes." [2]\n'
    assert answer_sentences(text) == ["The payer found no record.", "Total time: 51 minutes."]


def test_precision_counts_answer_sentences_and_recall_counts_gold_sentences():
    sentences = [
        "Verbal consent obtained on 01/02/2025 by the RN.",
        "Total time: 51  MINUTES this month.",
        "Unrelated.",
    ]
    gold = ("consent obtained on 01/02/2025", "51 minutes", "coinsurance of 20%", "Unrelated. And more.")
    counts = score_answer(sentences, gold)
    assert counts == {"sentences": 3, "matched": 3, "gold": 4, "covered": 3}  # the last by the answer inside the gold
    rows = [{**counts, "from_record": 2}, {**score_answer(["Nothing here."], ("else",)), "from_record": 0}]
    total = add_up(rows)
    assert total["questions"] == 2 and total["precision"] == round(3 / 4, 3) and total["recall"] == round(3 / 5, 3)
    assert total["from_record"] == 2 and add_up([])["precision"] is None


def test_a_few_questions_run_through_the_real_answer_and_pipeline(components):
    wanted = {"meaning-ccm31", "prevention-ccm06", "case-ccm02-shared"}
    report = run_chat_eval(components, [q for q in load_questions() if q.id in wanted])
    rows = {r["id"]: r for r in report["per_question"]}
    assert set(rows) == wanted and set(report["kinds"]) == {"meaning", "prevention", "case"}
    for row in rows.values():
        assert (
            2 <= row["sentences"] <= 5
            and 0 <= row["matched"] <= row["sentences"]
            and 0 <= row["covered"] <= row["gold"]
        )
    assert rows["meaning-ccm31"]["covered"] == rows["meaning-ccm31"]["gold"] == 3  # the whole explanation
    assert rows["prevention-ccm06"]["from_record"] == 0 and rows["meaning-ccm31"]["from_record"] == 0
    assert rows["case-ccm02-shared"]["from_record"] >= 1 and rows["case-ccm02-shared"]["covered"] >= 1
    overall = report["overall"]
    assert overall["sentences"] == sum(r["sentences"] for r in rows.values())
    assert overall["precision"] == round(sum(r["matched"] for r in rows.values()) / overall["sentences"], 3)
    assert overall["recall"] == round(sum(r["covered"] for r in rows.values()) / overall["gold"], 3)
    table = render_chat_table(report)
    assert "prevention" in table and "case" in table and f"{overall['recall']:.3f}" in table.splitlines()[-4]


def test_a_case_question_whose_gold_is_not_a_key_fact_of_its_case_is_refused(components, monkeypatch):
    monkeypatch.setattr(chat_eval, "case_context", lambda case_id, c: CaseContext("CCM06", [], [], [r"51\s+minutes"]))
    question = ChatQuestion("x", "case", "How many minutes were logged?", ("52 minutes",), "CCM06/split/prose")
    with pytest.raises(EvalSetError, match="not key facts"):
        run_chat_eval(components, [question])
