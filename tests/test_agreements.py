"""The patient's agreement told as an event, on hand-written lines worded unlike the vocabulary's
own comments: said in many ways it counts; refused, planned, doubted or left in an empty box it
does not. And in a check, a line that says so and reaches the evidence bar for the consent shows
the consent the letter's selection left under its presence bar, unless screened out for it."""

import pytest

from service.casework.checks import _agreed
from service.checks.agreements import service_sides, states_agreement
from service.components import Components
from service.config import Settings
from service.evidence.selection import Selection
from service.index.anchors import anchor_scorer
from service.models import Span, span_key


@pytest.mark.parametrize(
    "line",
    [
        "Mr. Li gave his OK by telephone for the monthly nurse calls.",
        "Wife consented on his behalf; he cannot decide for himself any more.",
        "Verbal permission obtained from the patient to start the program.",
        "Patient happy to proceed with the care management calls.",
        "Consent: yes (verbal) 3/2/26",
        "[X] I consent to the chronic care management services of this office",
        "She said yes once the monthly copay was explained.",
        "I agree to take part in the monthly care program",
        "Patient agreeable to the care management calls",
    ],
)
def test_an_agreement_said_in_other_words_counts(line):
    assert states_agreement([line]) == [True]


@pytest.mark.parametrize(
    "line",
    [
        "Patient refused to sign the consent.",
        "Pt declined to consent to the monthly calls.",
        "Not willing to join the program at this time.",
        "Consent not yet obtained; will ask at the next visit.",
        "If she agrees, we will enroll her next month.",
        "[ ] I agree to receive chronic care management services",
        "Patient was handed a copy of the agreement to read at home.",
        "Has not yet consented; the daughter wants to talk it over first.",
        "Never consented to the program.",
        "Consented: N",
        "Consent for the nurse calls not obtained.",
    ],
)
def test_a_refusal_a_plan_or_an_empty_box_is_no_agreement(line):
    assert states_agreement([line]) == [False]


@pytest.fixture(scope="module")
def consent():
    billable = Components(Settings()).knowledge.billable("99490")
    return next(req for req in billable.requirements if req.id == "consent")


@pytest.fixture(scope="module")
def sides(embedder):
    """Agreement lines against this service and other care, by the real embedding model."""
    return anchor_scorer(embedder.embed, service_sides())


def _selection(consent, lines: list[tuple[str, float]], blocked: set = frozenset()) -> Selection:
    spans = []
    start = 0
    for text, _ in lines:
        spans.append(Span(document="c.pdf", page=1, start=start, end=start + len(text), text=text))
        start += len(text) + 1
    keys = [span_key(s) for s in spans]
    return Selection(
        missing=[consent],
        scores={"consent": {k: score for k, (_, score) in zip(keys, lines)}},
        sentences=dict(zip(keys, spans)),
        blocked={"consent": {keys[i] for i in blocked}},
    )


def test_a_line_saying_she_agreed_shows_the_consent_at_the_evidence_bar(consent, sides):
    sel = _selection(
        consent,
        [
            ("Part B coinsurance may be owed every month.", 0.56),
            ("She said yes, with her husband listening; noted in the chart.", 0.52),
            ("Agreed to try the new inhaler.", 0.30),
        ],
    )
    found = _agreed([consent], sel, 0.45, {"consent"}, set(), sides)
    assert [e.text for e in found["consent"]] == ["She said yes, with her husband listening; noted in the chart."]
    assert found["consent"][0].score == 0.52


def test_no_agreement_line_no_consent_and_a_screened_line_never_shows_it(consent, sides):
    sel = _selection(consent, [("Part B coinsurance may be owed every month.", 0.56)])
    assert _agreed([consent], sel, 0.45, {"consent"}, set(), sides) == {}
    screened = _selection(consent, [("She said yes; noted in the chart.", 0.6)], blocked={0})
    assert _agreed([consent], screened, 0.45, {"consent"}, set(), sides) == {}
    plain = _selection(consent, [("She said yes; noted in the chart.", 0.6)])
    assert _agreed([consent], plain, 0.45, {"consent"}, {("c.pdf", 1)}, sides) == {}
    assert _agreed([consent], plain, 0.45, {"consent"}, set(), sides), "the same line, not screened, shows it"


@pytest.mark.parametrize(
    "line",
    [
        "He consented to the shingles shot today, given in the left arm.",
        "Written consent signed for the knee injection after risks were explained.",
        "Consented to endoscopy.",
        "She agreed to a referral to the orthopedic surgeons",
    ],
)
def test_an_agreement_to_other_care_is_not_the_programs_consent(consent, sides, line):
    assert states_agreement([line]) == [True]
    assert _agreed([consent], _selection(consent, [(line, 0.5)]), 0.45, {"consent"}, set(), sides) == {}


def test_a_quote_agreeing_to_other_care_is_dropped_from_the_consent(consent, sides):
    from service.checks.agreements import without_other_care
    from service.models import Evidence

    def ev(req: str, text: str) -> Evidence:
        return Evidence(document="c.pdf", page=1, start=0, end=len(text), text=text, requirement=req, score=0.77)

    shot = ev("consent", "He consented to the shingles shot today, given in the left arm.")
    plan = ev("care_plan", "He agreed to the goals written in his plan of care.")
    kept, emptied = without_other_care([consent], [shot, plan], sides)
    assert kept == [plan] and emptied == {"consent"}
    ours = ev("consent", "Verbal consent to the monthly care management calls, noted today.")
    kept, emptied = without_other_care([consent], [shot, ours], sides)
    assert kept == [ours] and emptied == set()


def test_what_was_agreed_to_ends_with_its_clause(consent, sides):
    """'agreed to the calls, declined the vaccine': the calls were agreed to."""
    line = "Agreed to the monthly nurse calls, declined the pneumonia vaccine"
    assert _agreed([consent], _selection(consent, [(line, 0.5)]), 0.45, {"consent"}, set(), sides)
