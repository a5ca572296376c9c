"""The text a sentence is scored by: chart shorthand spelled out, table rows framed by their
header. Quotes stay verbatim."""

import pytest

from service.evidence.matching import expand, match_texts
from service.models import Page
from service.records.spans import split_sentences


@pytest.mark.parametrize(
    "note, expanded",
    [
        ("Spoke w/ pt re BP, f/u x2", "Spoke with patient regarding blood pressure, follow up 2 times"),
        ("Pt seen w/o cg", "patient seen without caregiver"),
        ("D/C'd from hosp 4/28, f/u appt made", "discharged from hospital 4/28, follow up appointment made"),
        ("Pt to ED after fall", "patient to emergency department after fall"),
        ("Call x 3, LVM", "Call 3 times, left voicemail"),
        ("hx of CHF, c/o fatigue", "history of heart failure, complains of fatigue"),
        ("Pt's dtr present", "patient's daughter present"),
        ("Hospital d/c summary reviewed", "Hospital discharge summary reviewed"),
        ("Rx refilled; dx HTN", "prescription refilled; diagnosis hypertension"),
    ],
    ids=["w-pt-re-fu-x2", "w-o", "dc-d", "ed", "x-space-3", "hx-co", "possessive", "d-c", "rx-dx"],
)
def test_chart_shorthand_is_spelled_out_for_scoring(note, expanded):
    assert expand(note) == expanded


@pytest.mark.parametrize(
    "note",
    ["Box of 2x2 gauze", "A1c 7.4% on 04/30/2026", "Lisinopril 20 mg"],
    ids=["gauze-size", "lab-value", "dose"],
)
def test_words_that_are_not_shorthand_are_left_alone(note):
    assert expand(note) == note


def test_line_breaks_and_runs_of_spaces_are_flattened():
    assert expand("Spoke w/\n  pt   re meds") == "Spoke with patient regarding medications"


def test_pt_ed_means_patient_education_not_the_emergency_department():
    assert "emergency" not in expand("Pt ed on low-salt diet and cuff use")


def test_a_referral_to_pt_is_not_a_referral_to_the_patient():
    assert "to patient" not in expand("Referred to PT for gait training")


def test_q_d_dosing_is_not_garbled():
    assert "every.d." not in expand("Metoprolol 25 mg q.d.")


LOG_PAGE = """Time Log - May 2026
Date        Minutes   Staff            Activity
05/04/2026  12        J. Ellis, RN     Call w/ pt re BP readings
05/11/2026  15        J. Ellis, RN     Care plan reviewed with pt
Total       27
The nurse called the pt on 05/28/2026 and left a VM for her.
"""


def matched():
    page = Page(document="log.pdf", number=2, text=LOG_PAGE)
    sentences = split_sentences(page)
    texts = match_texts([page], sentences)
    return {" ".join(s.text.split()): texts[(s.document, s.page, s.start)] for s in sentences}, sentences, page


def test_table_rows_are_scored_framed_by_their_header_and_expanded():
    by_text, _, _ = matched()
    assert by_text["05/04/2026 12 J. Ellis, RN Call w/ pt re BP readings"] == (
        "Date: 05/04/2026; Minutes: 12; Staff: J. Ellis, RN; Activity: Call with patient regarding blood pressure readings"
    )
    assert by_text["Total 27"] == "Date Minutes Staff Activity: Total 27"


def test_prose_outside_the_table_is_only_expanded():
    by_text, _, _ = matched()
    assert by_text["The nurse called the pt on 05/28/2026 and left a VM for her."] == (
        "The nurse called the patient on 05/28/2026 and left a voicemail for her."
    )


def test_every_sentence_gets_a_match_text_and_its_quote_stays_verbatim():
    by_text, sentences, page = matched()
    assert len(by_text) == len(sentences)
    assert all(page.text[s.start : s.end] == s.text for s in sentences)


def test_sentences_of_pages_not_given_are_left_out():
    _, sentences, _ = matched()
    other = Page(document="other.pdf", number=1, text="Unrelated page.")
    assert match_texts([other], sentences) == {}


@pytest.mark.parametrize(
    "text, meaning",
    [
        ("PHQ-2 1; Mini-Cog 5/5", "depression screening"),
        ("Mini-Cog 5/5", "cognitive screening"),
        ("MoCA 25/30", "cognitive screening"),
        ("TUG 13.8 s", "fall risk"),
        ("PROBLEMS: T2DM w/ hyperglycemia (E11.65)", "type 2 diabetes mellitus"),
        ("COPD (J44.9)", "chronic obstructive pulmonary disease"),
    ],
)
def test_instruments_and_condition_shorthand_are_named_for_what_they_are(text, meaning):
    assert meaning in expand(text)


def test_an_instrument_keeps_its_name_beside_its_meaning():
    assert expand("PHQ-9 score 5") == "PHQ-9 (depression screening) score 5"


def test_a_bare_pam_in_capitals_is_the_activation_measure_and_pam_the_nurse_is_not():
    assert expand("PAM repeated: 51.0 (level 2)") == "PAM (patient activation measure) repeated: 51.0 (level 2)"
    assert expand("Spoke w/ Pam RN") == "Spoke with Pam RN"


def test_service_words_match_a_service_short_and_as_scored_text_spells_it_out():
    from service.evidence.matching import service_words

    words = service_words(["RPM", "99454"])
    assert words.sub("", expand("RPM Call")).strip() == "Call"
    assert words.sub("", "Remote Physiologic Monitoring Order").strip() == "Order"
    assert service_words(["99490"]) is None


def test_billing_codes_are_named_for_what_they_pay_for():
    """'Codes 99454, 99458 x1' bills days of device data and an added 20 minutes of treatment
    management; a code inside another number or a date is left alone."""
    assert "treatment management, additional 20 minutes" in expand("Codes 99454, 99457 x1, 99458 x1")
    assert "set-up of the monitoring device" in expand("kit paired (99453 billed 06/2026)")
    assert "care planning" in expand("g0506 done")
    for text in ("IMEI 35-99454-3", "fax 555-99457", "acct 994580", "no. 99453/2"):
        assert expand(text) == text
