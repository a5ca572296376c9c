"""Sections of a page: which heading frames a line, and which requirement a heading names."""

from service.evidence.sections import (
    FieldLabel,
    declared_by_heading,
    frames,
    is_note_heading,
    note_title,
    section_headings,
)
from service.models import Page, Span, span_key
from service.records.spans import split_sentences


def _framing(text: str) -> tuple[list, dict]:
    page = Page(document="a.pdf", number=1, text=text)
    spans = split_sentences(page)
    return spans, section_headings({("a.pdf", 1): spans}, {("a.pdf", 1): text})


def _find(spans, fragment):
    return next(s for s in spans if fragment in s.text)


def test_a_section_ends_where_the_next_note_begins():
    text = (
        "Harborview Internal Medicine\n"
        "Encounter: Telephone   01/09/2026 10:15   Author: Tanya Brooks, RN\n"
        "Called pt to discuss the program.\n"
        "Reviewed the monthly program and what it costs.\n"
        "CCM ENROLLMENT / CONSENT\n"
        "Pt agrees to enroll in chronic care management. Verbal consent obtained by phone.\n\n"
        "Encounter: Telephone   05/18/2026 14:02   Author: Tanya Brooks, RN\n"
        "ED f/u call.\n"
    )
    spans, headings = _framing(text)
    heading = _find(spans, "ENROLLMENT")
    first = headings.get(("a.pdf", 1, _find(spans, "Pt agrees").start), (None, None))
    after = headings.get(("a.pdf", 1, _find(spans, "ED f/u").start), (None, None))
    assert first[1] == heading
    assert after[1] is None


def test_items_under_a_heading_that_names_one_requirement_belong_to_it():
    text = "Comprehensive Care Plan\nPlan started 10/21/2025 with the patient.\n\nGoals\n- Keep walking independently: TUG < 14 sec\n- eGFR stable >= 45\nPrognosis: good\n"
    spans, headings = _framing(text)
    pool = [s for s in spans if "TUG" in s.text or "eGFR" in s.text]

    def score(req_id, heads):
        return [{"goals": 0.9, "assessments": 0.5}[req_id] for _ in heads]

    declared = declared_by_heading(["goals", "assessments"], headings, pool, score)
    tug = ("a.pdf", 1, _find(spans, "TUG").start)
    assert declared.get(tug) == "goals"

    def tie(req_id, heads):
        return [0.9 for _ in heads]

    assert declared_by_heading(["goals", "assessments"], headings, pool, tie) == {}


def test_items_right_under_a_page_title_that_names_one_requirement_belong_to_it():
    """A page that is one protocol ('Care Gap Closure Workflow') holds no section heading: its
    title says what its bullets are. A full sentence there still speaks for itself."""
    text = (
        "Marion Primary Care | Care Management\n"
        "Care Gap Closure Workflow\n"
        "- Open gaps assigned to RN care manager, reviewed at Tuesday huddle\n"
        "- Outreach on each gap w/in 5 business days\n"
        "The patient was called on 06/04/2025 and agreed to schedule her retinal exam this month.\n"
    )
    spans, headings = _framing(text)

    def score(req_id, heads):
        return [{"process": 0.8, "actions": 0.6}[req_id] for _ in heads]

    declared = declared_by_heading(["process", "actions"], headings, spans, score)
    assert declared.get(("a.pdf", 1, _find(spans, "Outreach on each").start)) == "process"
    assert ("a.pdf", 1, _find(spans, "The patient was called").start) not in declared


def _near(spans, headings, fragment):
    return headings.get(("a.pdf", 1, _find(spans, fragment).start), (None, None))[1]


def test_a_list_ends_at_a_line_set_further_left_than_its_items():
    """The PDF text layer keeps indents, not blank lines: a paragraph back at the margin is no
    longer an item of the indented list above it, and its own opening label frames the rest."""
    text = (
        "Heart & Vascular Clinic Note\n"
        "Office Visit 04/21/2026 - Gregory Lindahl, MD\n"
        "A/P: Resistant HTN. Enroll in RPM.\n"
        "Patient instructions:\n"
        "  Do not take ibuprofen - use acetaminophen for pain\n"
        "  Please bring all pill bottles to next visit\n"
        "RPM setup 04/24/2026 (Nina Park, RN): devices unboxed at home w/ RN on video. Pt repeated\n"
        "steps correctly.\n"
    )
    spans, headings = _framing(text)
    assert _near(spans, headings, "Please bring") == _find(spans, "Patient instructions")
    assert _near(spans, headings, "RPM setup") is None
    assert _near(spans, headings, "Pt repeated") == _find(spans, "RPM setup")


def test_a_list_with_no_indent_is_not_cut_by_its_own_items():
    text = "Diabetes Clinic\nSeen 5/1 w/ pt and wife.\nGoals:\nWalk 20 min daily\nA1c < 8 by 11/2026\nNo ED visits\n"
    spans, headings = _framing(text)
    heading = _find(spans, "Goals")
    assert all(_near(spans, headings, item) == heading for item in ("Walk", "A1c", "No ED"))


def test_a_blank_line_ends_a_list_when_the_text_keeps_it():
    text = "Care Plan Review\nPlan updated 5/19 w/ pt.\nGoals:\n- Walk 20 min daily\n- A1c < 8 by 11/2026\n\nPt seen today for a cough and sore throat, no fever.\n"
    spans, headings = _framing(text)
    assert _near(spans, headings, "A1c") == _find(spans, "Goals")
    assert _near(spans, headings, "Pt seen") is None


def test_a_blank_line_under_a_heading_does_not_cut_it_from_its_items():
    text = "Clinic Note\nSeen 5/1 w/ pt.\nGoals:\n\nWalk 20 min daily\nA1c < 8 by 11/2026\n"
    spans, headings = _framing(text)
    heading = _find(spans, "Goals")
    assert _near(spans, headings, "Walk") == heading and _near(spans, headings, "A1c") == heading


def test_a_note_titled_with_its_date_and_author_heads_the_lines_below_it():
    text = (
        "Riverside Family Practice                      Clinical Notes\n"
        "Med Reconciliation | Mar 3, 2026 | Dana Whitfield PharmD\n"
        "- 9 meds reviewed w/ pt, lisinopril stopped\n"
        "- list sent to pharmacy\n\n"
        "Telephone Encounter \u2013 03/09/2026 14:20 \u2013 Dr. Ana Ruiz\n"
        "- BP log reviewed\n"
    )
    spans, headings = _framing(text)
    assert (
        _find(spans, "Med Reconciliation") in headings[("a.pdf", 1, _find(spans, "9 meds").start)]
    )  # the page's title
    assert headings[("a.pdf", 1, _find(spans, "BP log").start)][1] == _find(spans, "Telephone Encounter")


def test_a_line_that_says_more_than_when_and_who_is_no_note_title():
    assert is_note_heading("Care Coordination - 04/20/2026 - Grace Liu, RN")
    assert is_note_heading("Care Plan Review - 2026-04-14")
    assert not is_note_heading("Called Dr. Kumar - 04/20/2026 - refill sent")
    assert not is_note_heading("Pt called - 04/20/2026 - Grace Liu, RN")
    assert not is_note_heading("Med rec - 04/14/2026 - 11 meds")
    assert not is_note_heading("Care Coordination - Grace Liu, RN")


def test_a_note_heading_may_carry_its_date_in_the_title_and_scores_by_its_title():
    assert note_title("Setup/education 03/11/2026 - Kyle Brandt, RN") == "Setup/education"
    assert note_title("Office Visit 04/21/2026 - Gregory Lindahl, MD") == "Office Visit"
    assert note_title("Telephone Encounter | May 3, 2026 | J. Ortiz RN") == "Telephone Encounter"
    assert note_title("BMP 03/10 - Cr 1.6 - Dr. Reyes ok") is None
    assert note_title("Telephone 05/06/2026 10:14  Nina Park, RN   12 min") is None
    spans, framing = _framing(
        "GREAT PLAINS CLINIC  |  Orders & Procedures\nSOKOLOV, ERNEST L  | DOB 02/21/1944 | MRN 611904 | M\n"
        "Order date 03/09/2026   Ordering: Ines Albarran, MD\n"
        "RPM enrollment - pulse oximeter + BP: Smart Meter iPulseOx (cellular) and Smart\n"
        "Meter iBloodPressure (cellular). Daily SpO2/HR and BP. Data transmits automatically.\n"
        "Setup/education 03/11/2026 - Kyle Brandt, RN\n"
        "Devices activated at clinic, pt took 1 test reading on each - both received on\n"
        "the Smart Meter portal. Taught finger placement, rest 5 min, don't use on cold\n"
        "fingers, what SpO2 < 88% means, when to call. Pt and wife verbalized understanding.\n"
    )
    assert framing[span_key(_find(spans, "verbalized"))][1] == _find(spans, "Setup/education")


def test_a_faxed_pages_title_is_found_under_the_fax_header_stamp_and_patient_label():
    text = (
        "06/13/2026 13:43  NORTHSIDE FAMILY MEDICINE  5552013300  p.4\n"
        "GARZA, LUIS M    MRN: 00731180    DOB: 04/22/1951\n"
        "RECEIVED JUN 13 2026\n"
        "Northside Family Medicine  |  (555) 201-3300\n"
        "Care Gap Outreach and Orders\n"
        "- 6/03/26 FIT kit mailed to pt; pt informed by phone\n"
    )
    spans, headings = _framing(text)
    title, _ = headings[span_key(_find(spans, "FIT kit"))]
    assert title is not None and title.text == "Care Gap Outreach and Orders"


def test_a_later_sentence_of_a_form_field_is_framed_by_the_field_label():
    text = (
        "Hobbies:         paints watercolours weekly.\n"
        "Household:       shares a flat with her brother. Her cousin Tove collects her\n"
        "                 prescriptions and checks the fridge each Friday.\n"
        "Diet:            low salt. Avoids grapefruit.\n"
        "Free text line. Another free sentence here.\n"
    )
    spans, headings = _framing(text)
    _, label = headings[span_key(_find(spans, "cousin Tove"))]
    assert isinstance(label, FieldLabel) and label.text == "Household"
    assert not isinstance(headings.get(span_key(_find(spans, "shares a flat")), (None, None))[1], FieldLabel)
    _, diet = headings[span_key(_find(spans, "Avoids grapefruit"))]
    assert isinstance(diet, FieldLabel) and diet.text == "Diet"
    assert not isinstance(headings.get(span_key(_find(spans, "Another free")), (None, None))[1], FieldLabel)


def test_a_field_ends_at_a_line_no_deeper_than_its_label():
    text = "  Caregiver:   son visits. He drives her.\n  Next visit in May. Bring the meter.\n"
    spans, headings = _framing(text)
    assert isinstance(headings[span_key(_find(spans, "He drives"))][1], FieldLabel)
    assert not isinstance(headings.get(span_key(_find(spans, "Bring the meter")), (None, None))[1], FieldLabel)


def test_a_full_sentence_is_framed_only_by_a_field_label():
    sentence = _span("Her nephew phones every evening and does the weekly shopping for her.")
    heading = _span("Support")
    label = FieldLabel(document="a.pdf", page=1, start=0, end=1, text="Support")
    assert frames(sentence, label) and not frames(sentence, heading)
    assert frames(_span("nephew phones daily"), heading) and not frames(sentence, None)


def _span(text: str) -> Span:
    return Span(document="a.pdf", page=1, start=5, end=5 + len(text), text=text)
