"""The care plan found by its structure (a heading or label naming it over its elements), on
hand-written pages in words of their own, scored by the real embedding model."""

import pytest

from service.checks.written_plans import written_plans
from service.components import Components
from service.config import Settings
from service.index.anchors import anchor_scorer
from service.models import Page


@pytest.fixture(scope="module")
def ccm():
    components = Components(Settings())
    req = next(r for r in components.knowledge.billable("99490").requirements if r.document is not None)
    assert req.document is not None
    return req.document, anchor_scorer(components.embedder.embed, req.document.elements)


def _page(text: str, number: int = 1, document: str = "chart.pdf") -> Page:
    return Page(document=document, number=number, text=text)


TITLED = """Lakeview Clinic                                   printed 06/30/2026
INDIVIDUAL CARE PLAN - CHRONIC CONDITIONS (v2, 05/11/2026)
Conditions: COPD (J44.1), atrial fibrillation (I48.20), stage 3b kidney disease (N18.32)
Outlook: guarded; two admissions this winter, wants to stay in her own flat
Targets: no admission for 6 months; resting oxygen 90% or higher; INR 2-3 each check
Tasks / owner: inhaler teaching - clinic nurse Tamsin, every call; INR clinic every 2 weeks;
  pulmonologist Dr. Ferro visit in July
Her medicines: apixaban 5 mg twice a day, tiotropium 18 mcg daily, furosemide 20 mg
Home: ground-floor flat, no stairs, bath board fitted
Helper: niece Oona comes 3 evenings a week, says she is coping
Look at this plan again: November 2026
"""

PROSE = """Visit 05/11/2026, Dr. Anand Mistry
Long talk with Mr. Oyelowo and his son about the next year. Plan of care (drawn up with them
today): aim for fasting sugars under 140 by August and no foot ulcers; podiatry every 6 weeks;
nurse Priya phones monthly; metformin 1000 mg twice daily kept; son sorts the pill box and drives
him; walks with a stick, memory test normal; revisit everything in October.
"""

MENTIONS = """Visit 05/11/2026, Dr. Anand Mistry
BP 142/86. Feet checked, no sores. Sugars a little high at home.
The plan of care was gone over again at today's visit and nothing changed.
Metformin 1000 mg twice daily continued. Podiatry in 6 weeks. Back in 3 months.
"""

VISIT_PLAN = """Telephone encounter 05/20/2026 - nurse Priya
S: feeling well, one low sugar reading last week.
PLAN
1. Keep metformin 1000 mg twice daily.
2. Recheck A1c at the August visit, goal under 7.5 by then.
3. Dr. Mistry to see him in 3 months.
"""

NAMED_IN_A_REMARK = """Office visit 05/11/2026 (care plan revision) - Dr. Anand Mistry
Goals: A1c under 7.5 by August. Weight down 3 kg by October.
Metformin 1000 mg twice daily. Podiatry every 6 weeks with nurse Priya.
Next look at all of it in October.
"""


def test_a_plan_under_its_own_heading_is_found_with_its_elements(ccm):
    shape, score = ccm
    plans = written_plans([_page(TITLED)], shape, score)
    assert plans, "a titled plan with labelled parts was not found"
    plan = plans[0]
    assert plan.heading.startswith("INDIVIDUAL CARE PLAN")
    assert len(plan.elements) >= shape.least
    assert {"goals", "medications"} <= set(plan.elements)
    for page, line in plan.elements.values():
        assert line in TITLED and page == 1


def test_a_plan_written_as_one_paragraph_after_a_label_is_found(ccm):
    shape, score = ccm
    plans = written_plans([_page(PROSE)], shape, score)
    assert plans, "a prose plan introduced by its label was not found"
    assert "Plan of care (drawn up with them" in plans[0].heading
    assert len(plans[0].elements) >= shape.least


LABELLED_REMARK = """Telephone note 05/14/2026  Nurse: D. Alvarez RN
Care plan: gone over with him by phone, nothing to change.
He reads 128/76 at home, takes lisinopril 20 mg daily and metformin 500 mg twice a day.
His daughter fills the pill box. Uses a cane; no falls since March.
Podiatry referral sent for nail care. Phone again in 4 weeks.
Next visit with Dr. Kim 06/2026.
"""

VISIT_TREATMENT = """Office visit 05/02/2026 Dr. Kim
Assessment: hypertension (I10), type 2 diabetes (E11.9), CKD 3a (N18.31)
Treatment plan: lisinopril 20 mg daily; metformin 500 mg twice a day; A1c under 7.5 by August;
podiatry referral; nurse to phone monthly; back in 3 months.
"""


def test_a_plan_set_aside_with_its_page_is_never_read(ccm):
    shape, score = ccm
    pages = [_page(TITLED, number=4)]
    assert written_plans(pages, shape, score, {("chart.pdf", 4)}) == []


def test_a_titled_plan_runs_onto_the_next_page_of_its_document(ccm):
    shape, score = ccm
    head, _, rest = TITLED.partition("Targets:")
    pages = [_page(head, 1), _page("Targets:" + rest, 2), _page("Targets:" + rest, 1, "other.pdf")]
    plans = written_plans(pages[:2], shape, score)
    assert plans and plans[0].page == 1 and any(page == 2 for page, _ in plans[0].elements.values())
    alone = written_plans([pages[0], pages[2]], shape, score)
    assert all(len(p.elements) < len(plans[0].elements) for p in alone)


def test_a_line_inside_the_plan_shows_it_handed_over_at_the_lower_bar():
    """Under the plan's heading, 'copy went home with the niece' need only reach the evidence bar:
    the plan it speaks of is on the page. The same line elsewhere is left to the presence bar."""
    from service.casework.checks import _said_in_plans
    from service.checks.written_plans import WrittenPlan
    from service.evidence.selection import Selection
    from service.models import Span

    settings = Settings()
    reqs = Components(settings).knowledge.billable("99490").requirements
    line = "Copy went home with the niece."
    span = Span(document="chart.pdf", page=1, start=400, end=400 + len(line), text=line)
    key = ("chart.pdf", 1, 400)
    between = (settings.min_evidence_score + settings.evidence_presence_score) / 2
    selection = Selection(scores={"care_plan_shared": {key: between}}, sentences={key: span})
    plan = WrittenPlan("chart.pdf", 1, "Plan of care", None, body=[(1, "Targets: walk daily"), (1, line)])
    found = _said_in_plans(reqs, {"care_plan": [plan]}, selection, settings.min_evidence_score, {})
    assert [e.text for e in found["care_plan_shared"]] == [line]
    elsewhere = WrittenPlan("chart.pdf", 1, "Plan of care", None, body=[(1, "Targets: walk daily")])
    assert _said_in_plans(reqs, {"care_plan": [elsewhere]}, selection, settings.min_evidence_score, {}) == {}
    refused = Selection(
        scores={"care_plan_shared": {key: between}}, sentences={key: span}, counter=[("care_plan_shared", span)]
    )
    assert _said_in_plans(reqs, {"care_plan": [plan]}, refused, settings.min_evidence_score, {}) == {}


BLANK_TEMPLATE = """COMPREHENSIVE CARE PLAN
Problem list:
Prognosis:
Measurable goals:
Interventions / responsible:
Medications:
Caregiver:
Home safety:
Review date:
"""

CONTENTS = """Chart index
Care plan ........................ 2
Medication list .................. 3
Goals and targets ................ 4
Caregiver questionnaire .......... 5
Referral letters ................. 6
"""

COLUMNS = """Date        Staff          Care plan activity            Min
05/02/2026  T. Ng RN       goals reviewed, A1c target   12
05/09/2026  T. Ng RN       med list reconciled, 3 meds   9
05/16/2026  T. Ng RN       podiatry referral sent        6
05/23/2026  T. Ng RN       daughter coping, respite info 8
"""

FAX_COVER = """FAX  To: Dr. Osei, nephrology   From: Lakeview Clinic
RE: CARE PLAN
Pages: 3 including cover
Please find our patient's updated plan attached; call the nurse line with questions.
Her daughter helps at home; next review is due in November.
"""

FORM = """Your Care Plan
Your care team will write a plan that lists your health problems and your goals.
You will get a copy of your plan and your medicines will be reviewed with you.
Your plan will be looked at again at least once a year.
"""


NUMBERED_VISIT = """Progress note 05/06/2026 Dr. Lee
S: doing ok. O: BP 138/84.
Plan of care:
1. Continue lisinopril 20 mg daily.
2. Recheck A1c in 3 months.
3. Follow up in 3 months.
"""


@pytest.mark.parametrize(
    "text",
    [
        MENTIONS,
        VISIT_PLAN,
        LABELLED_REMARK,
        VISIT_TREATMENT,
        NAMED_IN_A_REMARK,
        NUMBERED_VISIT,
        BLANK_TEMPLATE,
        CONTENTS,
        COLUMNS,
        FAX_COVER,
        FORM,
    ],
    ids=[
        "sentence-about-the-plan",
        "visit-plan-section",
        "label-over-a-remark-then-the-note",
        "visit-treatment-plan",
        "named-only-in-a-remark",
        "visit-numbered-plan-of-care",
        "blank-template",
        "contents",
        "column-header",
        "fax-cover",
        "consent-form",
    ],
)
def test_pages_that_name_a_plan_without_holding_one(ccm, text):
    shape, score = ccm
    assert written_plans([_page(text)], shape, score) == []


BARRED = """Shared Care Plan | reviewed 05/04/2026
Concern              Goal                               Who / when
Heart failure        weight within 2 kg of 70 by July    RN calls weekly
Type 2 diabetes      A1c under 8 by September            Dr. Weiss every 3 months
Medicines            furosemide 40 mg, metformin 500 mg  pharmacist review monthly
Home                 lives alone, stairs to bedroom       OT visit booked
"""

ONE_WORD = """CCM CAREPLAN - Lakeview Clinic
Goals: weight within 2 kg of 70 by July; A1c under 8 by September
Actions: RN calls weekly; Dr. Weiss every 3 months; furosemide 40 mg daily
Home: lives alone, stairs to bedroom; son visits on Sundays
Revisit: October 2026
"""

TAGGED = """CARE PLAN: Mrs. Adeyemi, 05/2026

Goals: weight within 2 kg of 70 by July; A1c under 8 by September
Actions: RN calls weekly; Dr. Weiss every 3 months
Medicines: furosemide 40 mg daily, metformin 500 mg twice a day
Home: lives alone, stairs to bedroom; son visits on Sundays
"""

NEXT_DUE = """Chronic Care Management (CCM) Plan - next review 11/2026
Goals: weight within 2 kg of 70 by July; A1c under 8 by September
Actions: RN calls weekly; Dr. Weiss every 3 months
Medicines: furosemide 40 mg daily, metformin 500 mg twice a day
Home: lives alone, stairs to bedroom; son visits on Sundays
"""


@pytest.mark.parametrize(
    "text", [BARRED, ONE_WORD, TAGGED, NEXT_DUE], ids=["barred-title", "one-word-name", "tagged-title", "next-due"]
)
def test_plans_in_other_house_styles_are_found_and_dated_by_their_writing(ccm, text):
    shape, score = ccm
    plans = written_plans([_page(text)], shape, score)
    assert plans, "a plan in another style was not found"
    assert plans[0].dated is None or plans[0].dated.year < 2026 or plans[0].dated.month <= 5


def test_a_page_of_one_endless_line_is_read_in_bounded_time(ccm):
    shape, score = ccm
    text = "Care plan: " + "; ".join(f"item {i} of the list, with a word or two" for i in range(3000))
    assert written_plans([_page(text)], shape, score) == []


def test_a_shape_asking_more_elements_than_it_describes_is_refused():
    from pydantic import ValidationError

    from service.models import DocumentShape

    with pytest.raises(ValidationError):
        DocumentShape(names=["care plan"], elements={"goals": ["targets"], "review": ["when next"]}, least=3)


def test_a_handover_sentence_wrapped_over_two_lines_of_the_plan_counts():
    from service.casework.checks import _said_in_plans
    from service.checks.written_plans import WrittenPlan
    from service.evidence.selection import Selection
    from service.models import Span

    settings = Settings()
    reqs = Components(settings).knowledge.billable("99490").requirements
    text = "A copy went home with\n  her niece today."
    span = Span(document="chart.pdf", page=1, start=200, end=200 + len(text), text=text)
    key = ("chart.pdf", 1, 200)
    selection = Selection(scores={"care_plan_shared": {key: settings.min_evidence_score + 0.01}}, sentences={key: span})
    plan = WrittenPlan(
        "chart.pdf",
        1,
        "Plan of care",
        None,
        body=[(1, "Targets: walk daily; A copy went home with"), (1, "  her niece today.")],
    )
    assert _said_in_plans(reqs, {"care_plan": [plan]}, selection, settings.min_evidence_score, {})


TABLED = """Harbor Clinic                                    Care Plan
Problem            Goal                          Intervention                    Responsible     Target date
Hypertension       home BP < 135/85              log BP daily, titrate meds      RN / Dr. Lee    08/2026
Diabetes type 2    A1c < 8%                      diet class, metformin 1000 mg   RD / Dr. Lee    09/2026
Depression         PHQ-9 < 10                    counseling every 2 weeks        LCSW            07/2026
Plan reviewed every 6 months; next 11/2026.
"""

SCANNED = """care pian - chronic care management
problems: chf (150.22), copd (j44.9), dm2 (e11.9)
goals: no er visits 3 mo; wt < 180 lb by 7/2026
rn calls weekly x 4 then monthly; cardiology q3 mo
meds: lasix 40 mg qd, metformin 500 mg bid
wife helps w/ meds. next review 10/2026
"""

FOR_THE_PATIENT = """Your Care Plan Summary
Your health problems: high blood pressure, diabetes
Your goals: walk 20 minutes a day, A1c under 8 by autumn
Your medicines: lisinopril 20 mg, metformin 500 mg
Who helps: your son Dev drives you to visits
"""


@pytest.mark.parametrize(
    "text", [TABLED, SCANNED, FOR_THE_PATIENT], ids=["table-under-a-title", "ocr-lower-case", "copy-for-the-patient"]
)
def test_plans_set_out_as_a_table_scanned_or_written_for_the_patient_are_found(ccm, text):
    shape, score = ccm
    assert written_plans([_page(text)], shape, score), "a plan was not found"
