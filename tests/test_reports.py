"""Outside reports (service/evidence/reports.py): which page is another clinician's report, where
its result is, and whether a quoted note names its author."""

from service.evidence.reports import (
    is_result_heading,
    letterhead,
    linked_results,
    names_party,
    read_report,
    result_ranges,
    surname,
)
from service.models import Span

REPORT = """03/09/2027 07:55  WESTGATE IMAGING  fax 555-410-9921   p 1/1
WESTGATE IMAGING PARTNERS
Lucia Ferreira, MD - Breast Imaging - 12 Elm Court

SCREENING MAMMOGRAM
Patient: Ida Moreno    DOB 04/02/1958    Exam: 03/08/2027
Ordering: Tom Becker, DO - Elmwood Primary Care

Technique: bilateral 3D tomosynthesis.
IMPRESSION
BI-RADS 1, negative. No suspicious mass or calcification.

Recommendation: routine screening in 12 months.
Lucia Ferreira, MD   03/08/2027
"""
OWN_NOTE = """Elmwood Primary Care
MORENO, IDA   DOB 04/02/1958
Assessment: BP above goal, amlodipine increased.
Plan: recheck in 2 weeks.
"""


def _spans(text: str, page: int = 4) -> list[Span]:
    out, offset = [], 0
    for line in text.splitlines(keepends=True):
        if line.strip():
            start = offset + len(line) - len(line.lstrip())
            out.append(
                Span(document="r.pdf", page=page, start=start, end=offset + len(line.rstrip()), text=line.strip())
            )
        offset += len(line)
    return out


def test_the_letterhead_is_the_first_name_line_after_the_fax_header():
    assert letterhead(REPORT) == "WESTGATE IMAGING PARTNERS"


def test_a_provider_is_known_by_the_surname():
    assert surname("Tom Becker, DO") == "becker"
    assert surname(None) == ""


def test_a_result_section_runs_from_its_heading_to_the_next_label():
    ((start, end),) = result_ranges(REPORT)
    section = REPORT[start:end]
    assert "BI-RADS 1" in section and "Recommendation" not in section and "Technique" not in section


def test_labelled_results_and_findings_are_sections_but_sentences_are_not():
    text = "Findings RT: clear.\nConclusion: normal study.\nPlan: as before.\nLabs ordered for next visit.\nResults reviewed with pt today.\n"
    ranges = result_ranges(text)
    assert [text[a:b].split(":")[0] for a, b in ranges] == ["Findings RT", "Conclusion"]
    assert all("ordered" not in text[a:b] and "reviewed" not in text[a:b] for a, b in ranges)


def test_a_bare_heading_carries_no_result_of_its_own():
    assert is_result_heading("IMPRESSION , ;")
    assert not is_result_heading("Impression: BI-RADS 1, negative.")


def test_another_practice_s_report_is_read_and_the_practice_s_own_note_is_not():
    report = read_report("r.pdf", 4, REPORT, "Elmwood Primary Care", "Tom Becker, DO")
    assert report is not None
    assert report.party == {"westgate", "imaging", "partners"}
    assert report.clinicians == {"ferreira"}  # the ordering provider is ours
    assert read_report("r.pdf", 2, OWN_NOTE, "Elmwood Primary Care", "Tom Becker, DO") is None


def test_a_note_names_the_report_s_author_by_clinician_or_by_most_of_the_letterhead():
    report = read_report("r.pdf", 4, REPORT, "Elmwood Primary Care", "Tom Becker, DO")
    assert names_party(report, "Mammogram result from Dr. Ferreira reviewed w/ pt")
    assert names_party(report, "Order faxed to Westgate Imaging, appt 3/8")
    assert not names_party(report, "Imaging due this year")
    assert not names_party(report, "Dr. Becker reviewed the care plan")


def test_results_are_quoted_only_when_a_note_elsewhere_names_the_author():
    report = read_report("r.pdf", 4, REPORT, "Elmwood Primary Care", "Tom Becker, DO")
    by_page = {("r.pdf", 4): _spans(REPORT)}
    linked = linked_results(
        [report], [("r.pdf", 1, "Screening order sent to Westgate Imaging")], by_page, lambda span: True
    )
    assert [s.text for s in linked] == ["BI-RADS 1, negative. No suspicious mass or calcification."]
    assert linked_results([report], [("r.pdf", 1, "Mammogram due, pt aware")], by_page, lambda span: True) == []
    same_page = [("r.pdf", 4, "Lucia Ferreira, MD   03/08/2027")]
    assert linked_results([report], same_page, by_page, lambda span: True) == []
    blocked = linked_results([report], [("r.pdf", 1, "seen by Dr. Ferreira")], by_page, lambda span: False)
    assert blocked == []


def test_the_practice_s_own_letterhead_is_no_other_party_even_misread_or_beside_a_title():
    page = "Elmwood Prlmary Care          Visit Summary\nMORENO, IDA\nImpression: stable.\n"
    assert letterhead(page) == "Elmwood Prlmary Care"
    assert read_report("r.pdf", 1, page, "Elmwood Primary Care", None) is None


def test_a_nurse_s_name_ties_nothing_a_physician_s_does():
    page = "LAKE ROAD CARDIOLOGY\nConclusion: normal echo.\nRead by Ana Silva, MD\nFaxed by Bo Kent, RN\nCopy to Cy Hale, NP\n"
    report = read_report("r.pdf", 3, page, "Elmwood Primary Care", None)
    assert report.clinicians == {"silva"}
