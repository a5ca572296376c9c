"""Quotes a reviewer can read: noise a scan leaves at a line's edges is left out of the quote by
moving its offsets, never by changing its text."""

import pytest

from service.models import Page
from service.records.quote_edges import trim_edges
from service.records.spans import split_sentences


@pytest.mark.parametrize(
    "line, quote",
    [
        ("| Faxed the med list to Dr. Oyelaran's office.", "Faxed the med list to Dr. Oyelaran's office."),
        ("Daughter Imani will drive her to dialysis ~", "Daughter Imani will drive her to dialysis"),
        ("\u2018Reviewed inhaler technique with teach-back", "Reviewed inhaler technique with teach-back"),
        ("Insulin pen supplies reordered .", "Insulin pen supplies reordered"),
        ("[ Weight 182 lb on the home scale _", "Weight 182 lb on the home scale"),
        ("Foot exam normal, monofilament intact )", "Foot exam normal, monofilament intact"),
        ("__ | Podiatry referral placed", "Podiatry referral placed"),
    ],
)
def test_noise_at_a_quotes_edges_is_left_out(line, quote):
    start, end = trim_edges(line, 0, len(line))
    assert line[start:end] == quote


@pytest.mark.parametrize(
    "line",
    [
        "(Interpreter present for the whole call)",
        "\u201cI want to garden again\u201d, she said",
        "- Ride arranged with the county van",
        "Left a message on the grandsons'",
        "[x] Consent signed by the patient",
        "== Home safety visit summary ==",
        "*** Addendum: wound photos uploaded ***",
    ],
)
def test_a_closed_bracket_a_quoted_phrase_a_bullet_and_a_framed_title_stay(line):
    """A title framed with rules on both sides stays framed: the frame is what says it is a
    heading and not a sentence of the note (trimmed, '-- Procedure note: device setup --' was
    quoted as a chart's setup evidence in place of the note under it)."""
    assert trim_edges(line, 0, len(line)) == (0, len(line))


def test_a_line_of_nothing_but_noise_is_left_as_it_is():
    assert trim_edges("| ~ |", 0, 5) == (0, 5)


def test_page_sentences_are_trimmed_and_stay_verbatim():
    text = "| Called Westbrook Pharmacy about the refill.\nBlood sugar log reviewed with the patient .\n"
    spans = split_sentences(Page(document="d.pdf", number=1, text=text, ocr=True))
    assert [s.text for s in spans] == [
        "Called Westbrook Pharmacy about the refill.",
        "Blood sugar log reviewed with the patient",
    ]
    assert all(text[s.start : s.end] == s.text for s in spans)
