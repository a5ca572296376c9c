"""Chronic conditions counted by name as well as by code, on hand-written lines phrased unlike the
vocabulary's own examples: a disease the patient has counts once however it is named; a finding,
a relative's disease, one ruled out, screened for or given as an example does not."""

import pytest

from service.checks.conditions import condition_lines, distinct_conditions
from service.checks.verdicts import judge
from service.components import Components
from service.config import Settings
from service.models import Page
from tests.month_findings import month_findings


def _named(*lines: str) -> set[str]:
    page = Page(document="note.pdf", number=1, text="\n".join(lines))
    found = condition_lines([page])
    assert all(line.line in page.text for line in found)
    return distinct_conditions(found)


@pytest.mark.parametrize(
    "line, expected",
    [
        ("Longstanding high blood pressure, on two agents", {"hypertension"}),
        ("PMH: chronic renal insufficiency; emphysema on home O2", {"chronic kidney disease", "COPD"}),
        ("Type II DM, insulin-requiring; HFpEF with recurrent admissions", {"diabetes", "heart failure"}),
        ("Known CAD, prior heart attack 2019, persistent a-fib", {"ischemic heart disease", "atrial fibrillation"}),
        ("Memory loss from Alzheimer's; Parkinsonism", {"dementia", "parkinson"}),
        ("Dx list: GERD / BPH / OSA", {"reflux disease", "prostate enlargement", "sleep apnea"}),
        ("She is a known diabetic with stage 3 kidney disease", {"diabetes", "chronic kidney disease"}),
        ("Sugar diabetes with nerve damage in the feet (diabetic polyneuropathy)", {"diabetes"}),
        ("Problems: DM, HF, OA - all followed here", {"diabetes", "heart failure", "osteoarthritis"}),
        ("Denies dizziness; PVD with calf pain on walking", {"peripheral artery disease"}),
        ("Father: stroke at 70; her own HTN is controlled", {"hypertension"}),
        ("Son helps with his COPD inhalers and his A-fib pills", {"COPD", "atrial fibrillation"}),
        ("Type 2 diabetic; yearly screening for diabetic eye disease is due", {"diabetes"}),
        ("Worry and anxiety, plus depression, on an SSRI", {"anxiety", "depression"}),
    ],
)
def test_a_disease_named_in_words_counts(line, expected):
    assert _named(line) == expected


@pytest.mark.parametrize(
    "line",
    [
        "Low oxygen when walking; tires easily; one high sugar reading last week",
        "Dad passed from heart failure; sister has type 1 diabetes",
        "No known asthma or emphysema.",
        "Evaluate for possible sleep apnea at next visit",
        "Due for a colorectal cancer screening and a bone density screen for osteoporosis",
        "Enrolled in the program for people with long-term illnesses, e.g. kidney disease or COPD",
        "GAD-7 = 2 today; sats fine on RA",
        "Borderline, pre-diabetes per last A1c",
        "Reviewed with the pharmacist - AF",
        "Note keyed in by: HF (front desk)",
        "Cc: DM, care coordinator",
        "Uncontrolled blood pressure today, a malignant hypertension picture was ruled out",
        "Flyer from the county cancer center handed over",
        "Second dose of the hepatitis B vaccine given in clinic",
        "Had gestational diabetes with her second child",
        "Nervous, some anxiety about tomorrow's scan",
    ],
)
def test_a_finding_a_relatives_disease_or_a_test_does_not_count(line):
    assert _named(line) == set()


def test_a_code_and_a_name_of_one_disease_are_one_condition():
    assert _named("Sugar diabetes, type 2 (E11.9)", "Her diabetes is better on the new pen") == {"diabetes"}
    assert _named("Polymyalgia [M35.3] on prednisone", "Essential hypertension") == {"M35", "hypertension"}


@pytest.fixture(scope="module")
def knowledge():
    return Components(Settings()).knowledge


def _judge(knowledge, code: str, *lines: str):
    page = Page(document="note.pdf", number=2, text="\n".join(lines))
    findings = month_findings(conditions=condition_lines([page]))
    result = judge(knowledge.billable(code), "2026-05", findings)
    return next(r for r in result.requirements if r.id == "qualifying_conditions")


def test_ccm_needs_two_conditions_counted_and_says_which_it_found(knowledge):
    one = _judge(knowledge, "99490", "Impression: emphysema, moderate (J43.9); oxygen drops on the stairs")
    assert one.status == "missing"
    assert "only 1" in one.reason and "COPD" in one.reason
    assert [c.quote for c in one.citations] == ["Impression: emphysema, moderate (J43.9); oxygen drops on the stairs"]
    none = _judge(knowledge, "99490", "PHQ-9 of 12 this month; goals 1 of 3")
    assert none.status == "missing" and "no chronic condition" in none.reason and none.citations == []
    two = _judge(knowledge, "99490", "Seen for gout flares and her thyroid, underactive since 2010 (hypothyroidism)")
    assert two.status == "met" and "2 chronic conditions" in two.reason


def test_pcm_needs_one(knowledge):
    assert _judge(knowledge, "99424", "Focus of care: advanced COPD with two admissions this year").status == "met"


def test_a_page_of_one_endless_line_is_read_without_failing():
    """spaCy refuses a text over a million characters: the line is read up to a bound instead."""
    assert _named("diabetes and heart failure " * 50_000) == {"diabetes", "heart failure"}


def test_diseases_under_a_family_history_heading_are_relatives():
    page = [
        "FAMILY HX",
        "Emphysema (grandfather); stroke, both parents",
        "Kidney failure in a cousin",
        "Social: retired bus driver",
        "Family history: her brother had",
        "heart failure and gout.",
        "Medical history: asthma since childhood",
        "Family history: none known",
        "Long-standing high blood pressure",
    ]
    assert _named(*page) == {"asthma", "hypertension"}
