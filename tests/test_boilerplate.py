import pytest
from PIL import Image, ImageDraw

from service.models import Page
from service.records.ocr import skew_angle
from service.records.spans import split_sentences
from service.retrieval.boilerplate import is_boilerplate, repeated_lines, running_text_spans


@pytest.mark.parametrize(
    "text",
    ["Patient: Jane Roe    MRN: 100200    DOB: 01/02/1950", "Self-Management Goals", "CARE PLAN",
     "Treatment goals and expected outcomes", "Contacts this month:", "The registry query was", "Page 3 of 12"],
)
def test_headers_headings_labels_and_fragments_are_not_evidence(text):
    assert is_boilerplate(text)


@pytest.mark.parametrize(
    "text",
    ["RN call with patient, 22 minutes.", "1. Essential hypertension (I10)", "Shingles vaccine series incomplete, 1 of 2 doses",
     "Verbal consent obtained on 03/01/2026."],
)
def test_facts_are_kept(text):
    assert not is_boilerplate(text)


def test_running_headers_and_footers_are_found_by_repetition():
    notes = ["RN call, 20 minutes.", "Consent obtained by phone.", "PAM score of 61.", "Cuff sent readings on 18 days."]
    pages = [
        Page(document="a.pdf", number=n, text=f"Northside Clinic | 12 Main St\n{notes[n - 1]}\nConfidential - Page {n} of 4")
        for n in range(1, 5)
    ]
    sentences = [s for p in pages for s in split_sentences(p)]
    flagged = running_text_spans(sentences, repeated_lines(pages))
    texts = {s.text for s in sentences if (s.document, s.page, s.start) in flagged}
    assert "Confidential - Page 2 of 4" in texts and "Northside Clinic | 12 Main St" in texts
    assert not texts & set(notes)


def test_skew_of_a_tilted_scan_is_measured():
    image = Image.new("L", (800, 1000), 255)
    draw = ImageDraw.Draw(image)
    for y in range(100, 900, 40):
        draw.rectangle((80, y, 720, y + 12), fill=0)
    assert skew_angle(image) == 0.0
    assert abs(skew_angle(image.rotate(-2, fillcolor=255)) - 2.0) <= 0.25
