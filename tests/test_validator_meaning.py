"""A sentence must mean what its quotes mean: polarity, actor, modality, amounts, always and never.

One hand-written letter in its own words is accepted (partial verbatim quotes, dates written out,
small numbers and exact minutes in words); each sentence added after it turns one quote around
and must be named. The passages and the letter are invented for these tests.
"""

from datetime import date

import pytest

from service.config import Settings
from service.drafting.validator import Passage, Sources, validate
from service.knowledge import load_knowledge
from service.models import CaseFields

CASE = CaseFields(
    claim_number="NG-7731-05528",
    patient_name="Tobias K. Varga",
    patient_id="QX40417763",
    date_of_service="2026-03-31",
    payer="Northgate Medicare Plus",
    denial_code="CCM06",
    provider_name="Imelda Stroud, DO",
    practice_name="Birchfield Family Health",
    denial_date="2026-04-09",
    billed_cpt=["99490"],
)
LINES = {
    1: "03/03/2026  12 min  Priya Nandakumar, LPN  Telephone outreach to pt: went over home glucose log, no hypoglycemia",
    2: "03/11/2026  17 min  Priya Nandakumar, LPN  Telephone: arranged podiatry referral; pt agreed to referral",
    3: "Enrollment: pt agreed to CCM services on 02/18/2026; agreement taken orally during a phone visit. "
    "Electronically signed by Imelda Stroud, DO",
    4: "Care plan revised 03/05/2026; copy NOT sent to patient - mailing address on file out of date.",
    5: "MONTHLY SUM OF STAFF TIME: 29 min",
    6: "BP check-ins by phone: 03/02/2026, 03/09/2026, 03/16/2026, 03/23/2026, 03/30/2026 (R. Osei, MA)",
    7: "Outreach: 03/19/2026 unreachable; 03/24/2026 unreachable; 03/26/2026 reached, med list gone over",
    8: "Program agreement  [X] takes part  [ ] refuses\nHow given:  [ ] on paper  [X] spoken, by phone",
    10: "Written plan handed to patient: No\nFollow-up booked: yes",
    11: "03/06/2026   Lakeview Pharmacy   no dose change   Wren Abara, RN\n"
    "03/09/2026   Lakeview Pharmacy   refills aligned to one date   Wren Abara, RN",
    9: "Home visit cancelled - no transport available\nMedication list reconciled 03/20/2026\nDiet handout not\ngiven, pt in a hurry",
}
PAGES = {("record.pdf", n): text for n, text in LINES.items()}
PASSAGES = {n: Passage(n, "record.pdf", n, text) for n, text in LINES.items()}

GOOD = """Birchfield Family Health
April 15, 2026

Northgate Medicare Plus
Appeals Unit

RE: Claim NG-7731-05528
Patient: Tobias K. Varga (ID QX40417763)
Date of service: March 31, 2026
Denial code: CCM06

Dear Appeals Reviewer,

We are writing on behalf of Tobias K. Varga to ask you to reconsider claim NG-7731-05528, denied on April 9, 2026 with code CCM06.

Mr. Varga agreed to the program orally, by telephone, on February 18, 2026 [3]. Priya Nandakumar, LPN phoned him on March 3, 2026 about his home glucose log [1]. The LPN telephoned him twice in March [1][2]. His care plan was revised on March 5, 2026 [4]. Staff time for the month came to twenty-nine minutes [5], close to half an hour. His blood pressure was checked by phone every week [6]. The log notes "no hypoglycemia" [1]. He was unreachable twice before he was reached on March 26, 2026 [7].

For these reasons, we ask that you reverse the denial and reprocess claim NG-7731-05528 for payment.

Sincerely,

Imelda Stroud, DO
Birchfield Family Health
"""


def sources(embed=None) -> Sources:
    entry = load_knowledge(Settings().code_dirs).get("CCM06")
    return Sources(
        case=CASE,
        entry=entry,
        passages=PASSAGES,
        page_text=PAGES,
        instructions=[],
        letter_date=date(2026, 4, 15),
        embed=embed,
    )


def names(letter: str, embed=None) -> set[str]:
    return {f.name for f in validate(letter, sources(embed))}


def adding(sentence: str) -> str:
    return GOOD.replace("For these reasons,", f"{sentence}\n\nFor these reasons,")


def test_the_careful_letter_is_accepted(embedder):
    assert validate(GOOD, sources()) == []
    assert validate(GOOD, sources(embedder.embed)) == []


@pytest.mark.parametrize(
    "sentence, name",
    [
        ("A copy of the revised care plan was sent to him [4].", "polarity_mismatch"),
        ("Mr. Varga did not agree to the podiatry referral [2].", "polarity_mismatch"),
        ("Dr. Stroud telephoned him herself about his glucose log [1].", "actor_mismatch"),
        ("Imelda Stroud, DO went over his glucose log with him [1].", "actor_mismatch"),
        ("A pharmacist arranged his podiatry referral [2].", "actor_mismatch"),
        ("He gave his agreement to the program in writing [3].", "modality_mismatch"),
        ("He enrolled through the online portal [3].", "modality_mismatch"),
        ("The LPN met him face to face to arrange the podiatry referral [2].", "modality_mismatch"),
        ("Staff devoted more than an hour to his care this month [5].", "quantity_mismatch"),
        ("Staff time came to over half an hour [5].", "quantity_mismatch"),
        ("Staff time was at least forty minutes [5].", "quantity_mismatch"),
        ("Staff time ran to more than two hours [5].", "quantity_mismatch"),
        ("The LPN telephoned him four times in March [1][2].", "quantity_mismatch"),
        ("The LPN phoned him three times in March [1][2].", "quantity_mismatch"),
        ("She phoned him on a weekly basis, once a week [1][2].", "quantity_mismatch"),
        ("His glucose log was gone over daily [1].", "quantity_mismatch"),
        ("He has never once missed checking his glucose [1].", "unsupported_universal"),
        ("Every outreach call reached him [7].", "unsupported_universal"),
        ("There were no lapses in his podiatry follow-up [2].", "unsupported_universal"),
    ],
)
def test_a_sentence_that_turns_its_quote_around_is_named(sentence, name):
    assert name in names(adding(sentence))


@pytest.mark.parametrize(
    "sentence",
    [
        "The plan was revised, but no copy was sent to him [4].",
        "He did not miss his podiatry referral [2].",
        "The LPN reached him by phone on March 3, 2026 [1].",
        "His care manager went over the home glucose log with him [1].",
        "Staff time came to under half an hour [5].",
        "The MA checked in with him by phone weekly [6].",
        "R. Osei, MA checked his blood pressure by phone [6].",
        "He reported no hypoglycemia at all [1].",
        "The LPN telephoned him two times in March [1][2].",
        "The record shows a copy of the plan was not sent [4].",
    ],
)
def test_a_sentence_that_keeps_its_quotes_meaning_is_accepted(sentence):
    assert names(adding(sentence)) == set()


def test_a_signature_line_is_not_how_consent_was_given():
    """'Electronically signed by' ends many chart notes; it makes no consent electronic."""
    assert names(adding("He agreed to the program orally [3].")) == set()
    assert "modality_mismatch" in names(adding("He agreed to the program electronically [3]."))


def test_meaning_failures_are_dropped_not_shipped():
    from service.drafting.abstain import DROPPABLE

    assert {
        "polarity_mismatch",
        "actor_mismatch",
        "modality_mismatch",
        "quantity_mismatch",
        "unsupported_universal",
    } <= DROPPABLE


def test_failures_name_the_sentence_and_never_its_words():
    failures = [
        f
        for f in validate(adding("A copy of the revised care plan was sent to him [4]."), sources())
        if f.name == "polarity_mismatch"
    ]
    assert failures and all(f.sentence for f in failures)
    assert all("copy" not in f.detail and "Varga" not in f.detail for f in failures)


def test_an_unticked_option_is_not_what_the_form_records():
    assert names(adding("He agreed to take part, by phone [8].")) == set()
    assert "modality_mismatch" in names(adding("He agreed to take part in writing [8]."))


def test_a_heading_before_a_quotation_claims_nothing_but_what_follows_it_does():
    assert names(adding('Enrollment: "agreement taken orally during a phone visit" [3].')) == set()
    assert "modality_mismatch" in names(adding("Enrollment: he put his agreement in writing [3]."))


def test_each_chart_row_is_read_on_its_own():
    """The negation on one row does not reach the next row."""
    assert "polarity_mismatch" not in names(adding("His medication list was reconciled on March 20, 2026 [9]."))
    assert "polarity_mismatch" in names(adding("His medication list was not reconciled [9]."))
    assert "polarity_mismatch" in names(adding("A diet handout was given to him [9]."))  # a wrapped line goes on


def test_a_form_question_answered_no_is_a_denial():
    assert "polarity_mismatch" in names(adding("He was handed the written plan [10]."))
    assert names(adding("His follow-up was booked [10].")) == set()


def test_a_negation_reaches_a_few_words_not_the_rest_of_a_table_run_together():
    sentence = (
        "On March 6, 2026 there was no dose change per Wren Abara, RN, and on March 9, 2026 his refills were "
        "aligned to one date with Lakeview Pharmacy [11]."
    )
    assert names(adding(sentence)) == set()
    assert "polarity_mismatch" in names(adding("His refills were not aligned [11]."))
