import pytest

from service.models import Page
from service.records.spans import chunk_page, split_sentences

TEXT = """Patient: Jane Roe    MRN: 100200
Date of service: 03/14/2026
The patient was contacted by telephone by Dr. Smith and we reviewed her blood pressure
readings for the month. She said "I feel better." Total time: 22 minutes.
- Medication reconciliation completed
Interactive communication time: 25 minutes (RN)
"""


def page(text=TEXT, number=3):
    return Page(document="a.pdf", number=number, text=text)


def test_sentences_are_verbatim_slices_of_the_page():
    sentences = split_sentences(page())
    assert all(page().text[s.start : s.end] == s.text for s in sentences)
    texts = [s.text for s in sentences]
    assert (
        "The patient was contacted by telephone by Dr. Smith and we reviewed her blood pressure\nreadings for the month."
        in texts
    )
    assert 'She said "I feel better."' in texts
    assert "Total time: 22 minutes." in texts
    assert "Interactive communication time: 25 minutes (RN)" in texts
    assert all(s.page == 3 and s.document == "a.pdf" for s in sentences)


def test_labels_and_bullets_are_not_glued_to_the_line_before():
    texts = [s.text for s in split_sentences(page())]
    assert "- Medication reconciliation completed" in texts


def test_very_long_runs_are_cut_at_word_boundaries():
    long = " ".join(["reading"] * 200)
    sentences = split_sentences(page(long))
    assert len(sentences) > 1 and all(len(s.text) <= 400 for s in sentences)
    assert all(long[s.start : s.end] == s.text for s in sentences)


def test_chunks_stay_on_their_page_and_cover_every_sentence():
    p = page()
    sentences = split_sentences(p)
    chunks = chunk_page(p, sentences, 120, "doc")
    assert all(c.page == 3 and p.text[c.start : c.end] == c.text for c in chunks)
    for s in sentences:
        assert any(c.start <= s.start and s.end <= c.end for c in chunks)
    assert len({c.id for c in chunks}) == len(chunks)


def test_empty_page_has_no_spans():
    p = page("   \n\n  ")
    assert split_sentences(p) == [] and chunk_page(p, [], 500, "doc") == []


def texts_of(text):
    return [" ".join(s.text.split()) for s in split_sentences(page(text))]


def not_own_sentences(texts, lines):
    """The first words of each line that is not a sentence of its own (short, for the failure message)."""
    return [line[:16] for line in lines if line not in texts]


NOTE_WITH_PROSE = """Care Management Note
The nurse called the patient to review the blood pressure log for the month and discussed
the readings with her daughter, who manages the medications at home and fills the organizer.
RN call w/ pt re home BP readings
Meds reviewed, taking as prescribed
F/u call 2 wks
"""


def test_terse_lines_under_prose_are_not_joined_to_each_other():
    texts = texts_of(NOTE_WITH_PROSE)
    lines = ("RN call w/ pt re home BP readings", "Meds reviewed, taking as prescribed", "F/u call 2 wks")
    glued = not_own_sentences(texts, lines)
    assert glued == []


TERSE_NOTE = """Encounter Date: 05/14/2026   Type: Telephone   Department: Care Management
RN call w/ pt re home BP readings
Pt reports BP 130s/80s, no dizziness
Meds reviewed, taking as prescribed
F/u call 2 wks
Total time 22 min
"""


def test_a_page_of_terse_note_lines_keeps_each_line_its_own_sentence():
    texts, lines = texts_of(TERSE_NOTE), TERSE_NOTE.splitlines()[1:]
    glued = not_own_sentences(texts, lines)
    assert glued == [], "terse lines glued together"


def test_a_wrapped_line_takes_its_continuation_even_when_it_starts_with_a_capital():
    text = """Care Management Note
Care plan reviewed with the patient and her daughter on 05/11/2026 and a copy mailed to the
Patient at her home address; she asked about the diet handout and the walking goal.
"""
    joined = any(t.startswith("Care plan reviewed") and "Patient at her home address" in t for t in texts_of(text))
    assert joined, "the wrapped sentence was cut at the line break"


def test_goals_heading_starts_a_section_of_its_own_lines():
    text = """Care Management Note
The patient agreed to continue the current dose and to call if readings rise above 160 at home
Goals:
BP below 130/80 by 09/30/2026
Walk 20 minutes 5 days a week
"""
    texts = texts_of(text)
    glued = not_own_sentences(texts, ["Goals:", "BP below 130/80 by 09/30/2026", "Walk 20 minutes 5 days a week"])
    assert glued == []


LOG = """Time Log - May 2026
Date        Minutes   Staff            Activity
05/04/2026  12        J. Ellis, RN     Call with pt re BP readings and
                                       med side effects
05/11/2026  15        J. Ellis, RN     Care plan reviewed with pt
05/20/2026  8         K. Ho, MA        Refill coordination w/ pharmacy
Total       35
"""


def test_each_table_row_is_its_own_sentence_and_a_wrapped_cell_joins_its_row():
    sentences = split_sentences(page(LOG))
    rows = [
        "Date Minutes Staff Activity",
        "05/04/2026 12 J. Ellis, RN Call with pt re BP readings and med side effects",
        "05/11/2026 15 J. Ellis, RN Care plan reviewed with pt",
        "05/20/2026 8 K. Ho, MA Refill coordination w/ pharmacy",
        "Total 35",
    ]
    texts = [" ".join(s.text.split()) for s in sentences]
    glued = not_own_sentences(texts, rows)
    assert glued == []
    verbatim = all(LOG[s.start : s.end] == s.text for s in sentences)
    assert verbatim


def test_each_ruled_row_of_a_problem_list_is_its_own_sentence():
    text = "Problem | ICD-10 | Onset | Status\nEssential hypertension | I10 | 2014 | Active\nType 2 diabetes mellitus | E11.9 | 2017 | Active\n"
    texts = texts_of(text)
    glued = not_own_sentences(texts, text.splitlines())
    assert len(texts) == 3 and glued == []


def test_an_initial_inside_brackets_ends_no_sentence():
    text = "05/06/26 phone w/ pt 12 min (G. Novak RN) - wt +2.4 lb, extra torsemide x1\n"
    assert [s.text for s in split_sentences(page(text))] == [text.strip()]


def test_a_line_ending_on_to_was_wrapped_even_on_a_page_of_tables():
    text = (
        "Medication                 Dose            Change\n"
        "apixaban                   5 mg bid        none\n"
        "Total active: 9   Discrepancies resolved: 1 (duplicate vit D)\n"
        "Care plan reviewed with pt and son 06/09/2026; copy handed to pt, copy sent to\n"
        "Dr. Leah Moss (cardiology) via Direct msg 06/10/2026.\n"
    )
    sentences = [s.text for s in split_sentences(Page(document="a.pdf", number=1, text=text))]
    assert any(s.startswith("Care plan reviewed") and s.endswith("06/10/2026.") for s in sentences), sentences


@pytest.mark.parametrize(
    "text, label, value",
    [
        (
            "[X] Reviewed with patient [X] Caregiver present Date reviewed/revised:\n03/10/2025\n\n[X] Copy mailed\n",
            "Date reviewed/revised:",
            "03/10/2025",
        ),
        ("Care Plan\nDate of service:\n05/14/2026\nPlan reviewed with pt by phone\n", "Date of service:", "05/14/2026"),
        ("CCM Time Log\nTotal minutes this month:\n42\nStaff: K. Lee, RN\n", "Total minutes this month:", "42"),
    ],
)
def test_a_value_wrapped_below_its_label_stays_with_it(text, label, value):
    assert any(label in t and value in t for t in texts_of(text)), texts_of(text)


def test_a_page_written_in_sentences_still_joins_a_wrapped_line_that_opens_with_a_name():
    """Prose wrapped at the page's width may break before a product name: the sentence ending
    inside a line shows the page is running text, so 'Body Cardio scale ...' stays with its start."""
    text = """Office Visit
Plan: start home monitoring. Devices ordered: Omron cellular cuff BP7450 and Withings
Body Cardio scale, both sending readings to the clinic daily. Dx: I10, I50.22 on file.
Recheck of the home log at the next visit in four weeks, sooner for weight gain.
"""
    texts = texts_of(text)
    assert any("Withings Body Cardio" in " ".join(t.split()) for t in texts), texts


def test_terse_lines_of_similar_width_are_each_their_own_sentence():
    """A setup note of three terse lines, the longest two nearly as wide as each other."""
    text = """RPM Setup Note
Date: 7/2/2025    Author: C. Achebe RN
Cellular scale set up at home visit today, pt + spouse shown how to weigh
Pt demonstrated a reading with the new scale, teach-back ok for both
Out of range plan reviewed, written instructions + clinic number given
"""
    texts = texts_of(text)
    glued = not_own_sentences(texts, text.splitlines()[2:])
    assert glued == [], texts


def test_a_two_sentence_footer_does_not_make_a_terse_page_prose():
    """One legend line with a sentence ending inside it sits under terse charting lines of similar
    width: the lines stay their own sentences."""
    text = """CCM Phone Note 05/12/2026
Interventions: med list reconciled w/ pt, 11 meds, no changes made
BP log reviewed re home readings, avg 132/80 this wk per pt report
F/u call 2 wks w/ RN, pt agrees, care plan copy mailed to home addr
Contains protected health information. Do not re-disclose without authorization.
"""
    texts = texts_of(text)
    glued = not_own_sentences(texts, text.splitlines()[1:4])
    assert glued == [], texts


def test_a_terse_line_ending_on_a_comma_runs_on_into_the_next():
    """'flu shot October 9th,' / '2025, LDL 69 on statin': no line ends a sentence on a comma."""
    text = (
        "Date: 2/3/26    Author: L. Mwangi RN\n"
        "HM: A1c 8.2% (2026-02-03), flu shot October 9th,\n"
        "2025, LDL 69 on statin, Td current\n"
        "LDL from outside lab, not verified\n"
    )
    sentences = [s.text for s in split_sentences(page(text))]
    assert any("flu shot October 9th,\n2025, LDL 69" in s for s in sentences), sentences
    assert "LDL from outside lab, not verified" in sentences
