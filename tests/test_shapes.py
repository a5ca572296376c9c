"""Lines given to a requirement by their shape (knowledge `cue`), whatever scores them higher."""

from service.evidence.shapes import claim_by_shape
from service.models import EvidenceRequirement


def req(id: str, need: str, cue: str | None = None) -> EvidenceRequirement:
    return EvidenceRequirement(id=id, label=id, need=need, queries=[need], cue=cue)


PLAN = [
    req("problems", "The plan lists the chronic conditions with their ICD-10 codes."),
    req("goals", "The plan sets measurable goals.", cue="target"),
    req("symptoms", "The plan manages symptoms."),
]
GAPS = [req("actions", "Dated orders or outreach to close gaps.", cue="action"), req("status", "Preventive status.")]


def test_a_target_goes_to_the_goals_requirement_and_a_coded_goal_row_is_shared():
    bp, row, prognosis = ("p", 1, 0), ("p", 1, 40), ("p", 1, 90)
    texts = {
        bp: "Home BP < 135/85 by next visit",
        row: "Hypertension (I10) | BP below 130/80 within 90 days",
        prognosis: "Prognosis: fair",
    }
    texts = {key: (text, text) for key, text in texts.items()}
    full = {
        "problems": {bp: 0.3, row: 0.9, prognosis: 0.2},
        "goals": {bp: 0.62, row: 0.62, prognosis: 0.7},
        "symptoms": {bp: 0.7, row: 0.4, prognosis: 0.3},
    }
    best = {bp: (0.7, "symptoms"), row: (0.9, "problems"), prognosis: (0.7, "goals")}
    shared = claim_by_shape(PLAN, full, best, texts, 0.45, {})
    assert best[bp][1] == "goals"
    assert shared == {row: {"problems", "goals"}} and best[row][1] == "problems"


def test_an_act_whose_date_the_requirement_cannot_quote_stays_status():
    given, ordered = ("p", 1, 0), ("p", 2, 0)
    texts = {
        given: ("Influenza vaccine given at pharmacy 10/12/2025",) * 2,
        ordered: ("6/14/2026 urine ACR ordered, pt aware",) * 2,
    }
    full = {"actions": {given: 0.6, ordered: 0.6}, "status": {given: 0.8, ordered: 0.7}}
    best = {given: (0.8, "status"), ordered: (0.7, "status")}
    claim_by_shape(GAPS, full, best, texts, 0.45, {"actions": {given}})
    assert best[given][1] == "status" and best[ordered][1] == "actions"


def test_a_line_without_the_shape_is_left_to_its_best_requirement():
    line = ("p", 1, 0)
    best = {line: (0.8, "symptoms")}
    claim_by_shape(
        PLAN,
        {"problems": {}, "goals": {line: 0.7}, "symptoms": {line: 0.8}},
        best,
        {line: ("Call if SBP above 160",) * 2},
        0.45,
        {},
    )
    assert best[line][1] == "symptoms"


def test_a_goal_row_is_a_target_by_the_header_its_date_sits_under():
    row = ("p", 1, 0)
    printed = "Essential hypertension (I10)   Home BP below 130/80 on most readings   08/31/2026   In progress"
    scored = "Problem / Dx: Essential hypertension (I10); Goal: Home BP below 130/80 on most readings; Target date: 08/31/2026"
    full = {"problems": {row: 0.2}, "goals": {row: 0.6}, "symptoms": {row: 0.7}}
    best = {row: (0.7, "symptoms")}
    claim_by_shape(PLAN, full, best, {row: (printed, scored)}, 0.45, {})
    assert best[row][1] == "goals"
