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
    assert "The patient was contacted by telephone by Dr. Smith and we reviewed her blood pressure\nreadings for the month." in texts
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
