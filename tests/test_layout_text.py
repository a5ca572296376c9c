"""Layout text from a PDF's text layer: blank gaps dropped, side-by-side prose columns put back in
reading order, table rows kept on one line."""

import io

from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

from service.config import Settings
from service.records.layout_rows import fold_rows
from service.records.pdf import in_columns, read_pdf_bytes, side_by_side, side_labels, tidy_layout

LEFT = [
    "The nurse called the patient on May 14 to",
    "review the home blood pressure readings sent",
    "by the cellular cuff over the past two weeks.",
    "Readings averaged 138 over 84 with no values",
    "above the alert limit for this month.",
]
RIGHT = [
    "Plan: continue lisinopril 20 mg daily and",
    "keep taking readings twice a day. The nurse",
    "will call again in two weeks to review the",
    "log and the patient knows to call the office",
    "sooner if a reading is above 160.",
]
COLUMN = 50


def columns(header: list[str], footer: list[str]) -> str:
    body = [left.ljust(COLUMN) + right for left, right in zip(LEFT, RIGHT)]
    return "\n".join(header + body + footer) + "\n"


def order_of(text: str, wanted: list[str]) -> list[int]:
    lines = [line.strip() for line in text.splitlines()]
    return [lines.index(w) if w in lines else -1 for w in wanted]


def test_tidy_layout_drops_trailing_spaces_and_blank_gaps():
    assert (
        tidy_layout("  Header   \n\n\n   Body line one      \n\n   \nFooter\n")
        == "  Header\n   Body line one\nFooter\n"
    )
    assert tidy_layout("\n  \n") == ""


def test_two_prose_columns_are_read_header_left_right_footer():
    header = ["Care Management Note", "GARZA, LUIS M   MRN: 00731180   DOB: 04/22/1951"]
    footer = ["Confidential patient information: do not re-disclose without the patient's written consent."]
    text = columns(header, footer)
    found = side_by_side(text)
    assert found, "two columns not seen"
    out = in_columns(text)
    positions = order_of(out, header + LEFT + RIGHT + footer)
    assert -1 not in positions, "a line of the page went missing or was cut"
    assert positions == sorted(positions), "lines are out of reading order"


def test_a_print_stamp_footer_stays_below_both_columns():
    footer = ["Printed 06/02/2026 10:14 by JELLIS"]
    out = in_columns(columns(["Care Management Note"], footer))
    positions = order_of(out, LEFT + RIGHT + footer)
    assert -1 not in positions and positions == sorted(positions)


def test_a_header_with_a_right_aligned_page_counter_stays_above_the_columns():
    header = ["Northside Family Medicine" + " " * 40 + "Page 3 of 12", "Care Management Note"]
    out = in_columns(columns(header, []))
    first = out.splitlines()[0]
    assert "Northside Family Medicine" in first and "Page 3 of 12" in first
    positions = order_of(out, LEFT + RIGHT)
    assert -1 not in positions and positions == sorted(positions)


REGISTRY = """Care Gap Registry
Measure                         Status      Action                      Date
Colorectal cancer screening     Overdue     FIT kit mailed to home      05/06/2026
Diabetic retinal eye exam       Due         Referral to ophthalmology   05/06/2026
Hemoglobin A1c every 6 months   Met         Drawn in clinic today       04/30/2026
Influenza vaccine this season   Met         Given at pharmacy           10/12/2025
"""


def test_a_table_with_four_cells_per_row_is_not_two_columns():
    found, unchanged = side_by_side(REGISTRY), in_columns(REGISTRY) == REGISTRY
    assert not found and unchanged, "the table was read as two columns"


def test_a_single_column_page_is_left_as_it_is():
    text = "Care Management Note\n" + "\n".join(LEFT) + "\n"
    found, unchanged = side_by_side(text), in_columns(text) == text
    assert not found and unchanged, "a single column was rearranged"


MEDS = """Current Medications
Medication                                 Instructions
Metformin 500 mg tablet (Glucophage)       Take 1 tablet by mouth twice daily with meals
Lisinopril 20 mg tablet (Zestril)          Take 1 tablet by mouth once daily
Atorvastatin 40 mg tablet (Lipitor)        Take 1 tablet by mouth at bedtime
Amlodipine 5 mg tablet (Norvasc)           Take 1 tablet by mouth once daily
"""


def test_a_two_cell_medication_table_keeps_each_drug_with_its_instructions():
    lines = in_columns(MEDS).splitlines()
    torn = [
        drug
        for drug in ("Metformin", "Lisinopril", "Atorvastatin", "Amlodipine")
        if not any(drug in line and "Take 1 tablet" in line for line in lines)
    ]
    assert torn == [], "drugs split from their instructions"


def table_pdf(title: str, rows: list[list[list[str]]], xs: list[int], footer: str, step: int, gap: int = 0) -> bytes:
    """A table as EHRs draw it: every cell is its own text object. Each row is its printed
    lines, each line its cells ('' leaves a cell blank), `step` points apart, rows `gap` more."""
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=letter, invariant=1)
    c.setFont("Helvetica", 10)
    c.drawString(50, 750, title)
    y = 720
    for row in rows:
        for line in row:
            for x, cell in zip(xs, line):
                if cell:
                    c.drawString(x, y, cell)
            y -= step
        y -= gap
    c.drawString(50, y - 10, footer)
    c.showPage()
    c.save()
    return buffer.getvalue()


def log_pdf() -> bytes:
    """A time log, one printed line per row."""
    rows = [
        ["Date", "Minutes", "Staff", "Activity"],
        ["05/04/2026", "12", "J. Ellis, RN", "Call with pt re BP readings"],
        ["05/11/2026", "15", "J. Ellis, RN", "Care plan reviewed with pt"],
        ["05/20/2026", "8", "K. Ho, MA", "Refill coordination w/ pharmacy"],
        ["Total", "35"],
    ]
    return table_pdf(
        "Northside Family Medicine - CCM Time Log - May 2026",
        [[row] for row in rows],
        [50, 130, 180, 300],
        "Time reviewed and attested by the billing provider at month end.",
        step=16,
    )


def test_cells_drawn_one_at_a_time_are_read_back_as_one_line_per_row(tmp_path):
    doc = read_pdf_bytes(log_pdf(), "log.pdf", Settings(home=tmp_path, ocr_enabled=False))
    lines = [" ".join(line.split()) for line in doc.pages[0].text.splitlines() if line.strip()]
    expected = [
        "Date Minutes Staff Activity",
        "05/04/2026 12 J. Ellis, RN Call with pt re BP readings",
        "05/11/2026 15 J. Ellis, RN Care plan reviewed with pt",
        "05/20/2026 8 K. Ho, MA Refill coordination w/ pharmacy",
        "Total 35",
    ]
    missing = [row[:10] for row in expected if row not in lines]
    assert missing == [], "rows not kept on one line"
    assert not doc.pages[0].ocr


def test_a_short_first_line_of_the_left_column_is_read_with_its_column():
    body = [left.ljust(COLUMN) + right for left, right in zip(["Readings:"] + LEFT[1:], RIGHT)]
    out = in_columns("\n".join(["Care Management Note"] + body) + "\n")
    positions = order_of(out, ["Care Management Note", "Readings:"] + LEFT[1:] + RIGHT)
    assert -1 not in positions and positions == sorted(positions), out


TWO_COLUMN_OUTREACH = """Care Gap Outreach and Orders
Reporting Period: 05/01/2025 - 05/31/2025    Department: CCM Nursing
- 5/13/25 PCV20 pneumococcal vaccine given at                          - Results to registry when received
the nurse visit; pt informed by phone                                  Note: Left VM re screening 05/04/2025, no callback
- 5/17/25 FIT kit ordered and mailed to the patient;                   Signature: Shauna Kaur, RN    Date: 5/22/25
pt informed by phone                                                   Attestation: I have reviewed the documentation above and agree
- 05/22/2025 second recombinant zoster vaccine                         with its content. Shauna Kaur, RN
dose scheduled at the pharmacy; pt informed by
phone
If you received this in error, notify the sender and destroy all copies
"""


def test_terse_bullets_in_the_left_column_are_not_read_across_into_the_right_one():
    lines = in_columns(TWO_COLUMN_OUTREACH).splitlines()
    assert "the nurse visit; pt informed by phone" in lines
    assert not any("given at" in line and "registry" in line for line in lines)
    assert lines[-1].startswith("If you received this in error")
    assert lines.index("phone") < lines.index("- Results to registry when received")


def wrapped_registry_pdf() -> bytes:
    """A care-gap registry as an EHR prints it: long cells wrap under themselves, each piece its
    own text object; a note under the table starts in the first column's place."""
    rows = [
        [["Measure", "Status", "Action taken", "Date"]],
        [["Diabetic eye exam", "Overdue", "Referral placed to", "06/03/2026"], ["", "", "ophthalmology, pt aware"]],
        [
            ["Urine albumin/creatinine", "Due", "Lab order entered,", "06/14/2026"],
            ["ratio (ACR)", "", "pt to go this wk"],
        ],
        [["Influenza vaccine", "Met", "Given at pharmacy", "10/12/2025"]],
    ]
    return table_pdf(
        "Care Gap Registry - printed 06/02/2026",
        rows,
        [50, 190, 260, 400],
        "Registry reviewed with pt.",
        step=13,
        gap=3,
    )


def test_a_row_whose_cells_wrap_is_read_back_as_one_line(tmp_path):
    doc = read_pdf_bytes(wrapped_registry_pdf(), "registry.pdf", Settings(home=tmp_path, ocr_enabled=False))
    lines = [" ".join(line.split()) for line in doc.pages[0].text.splitlines() if line.strip()]
    assert "Diabetic eye exam Overdue Referral placed to ophthalmology, pt aware 06/03/2026" in lines, lines
    assert "Urine albumin/creatinine ratio (ACR) Due Lab order entered, pt to go this wk 06/14/2026" in lines, lines
    assert "Influenza vaccine Met Given at pharmacy 10/12/2025" in lines, lines
    assert "Registry reviewed with pt." in lines, lines


PROBLEMS = """Active Problem List
Problem                           ICD-10      Status      Onset
Essential hypertension            I10         Active      2014
Type 2 diabetes mellitus with     E11.22      Active      2017
diabetic chronic kidney
disease
Heart failure, chronic            I50.32      Active      2021
Reviewed at visit.
Confidential patient information
"""


def test_a_problem_list_folds_a_wrapped_problem_and_leaves_the_rest_byte_for_byte():
    out = fold_rows(PROBLEMS).splitlines()
    assert "Type 2 diabetes mellitus with diabetic chronic kidney disease   E11.22   Active   2017" in out
    untouched = [line for line in PROBLEMS.splitlines() if "diabet" not in line and line != "disease"]
    assert [line for line in out if "diabet" not in line] == untouched


def test_a_table_without_wrapped_rows_is_unchanged():
    assert fold_rows(REGISTRY) == REGISTRY
    assert fold_rows(MEDS) == MEDS


def test_a_short_line_under_a_table_is_not_taken_into_its_last_row():
    text = """Time Log
Date          Min   Staff            Activity
05/09/2026    15    J. Ellis, MA     Called pharmacy re refill of metformin
Pt aware.
"""
    assert fold_rows(text) == text


def test_a_total_under_a_rule_starts_its_own_row_even_outside_the_key_column():
    text = """Date        Staff                  Mins  Activity
06/02/2026  Carla Whitney, LPN      10   Call to pt - reviewed new inhaler, symptoms
06/22/2026  Beth Arroyo, RN          9   Called Area Agency on Aging re transport to
                                         PFT lab
                                   ----
                            Total   40   min
"""
    out = fold_rows(text).splitlines()
    assert "06/22/2026   Beth Arroyo, RN   9   Called Area Agency on Aging re transport to PFT lab" in out
    assert "                            Total   40   min" in out


def test_a_margin_column_of_labels_is_read_after_the_note_beside_it():
    text = """Care Coordination Note
Date: October 27th, 2025    Author: L. Mwangi LPN
Faxed recent labs to Northgate Kidney Care, f/u                       Time: 11 min
appt confirmed                                                        Signed: L. Mwangi LPN 2025-10-27
Brookhaven Internal Medicine Associates - Page 9 of 10
"""
    lines = [line.strip() for line in side_labels(text).splitlines()]
    assert lines == [
        "Care Coordination Note",
        "Date: October 27th, 2025    Author: L. Mwangi LPN",
        "Faxed recent labs to Northgate Kidney Care, f/u",
        "appt confirmed",
        "Time: 11 min",
        "Signed: L. Mwangi LPN 2025-10-27",
        "Brookhaven Internal Medicine Associates - Page 9 of 10",
    ]


def test_a_grid_of_header_labels_is_not_a_margin_column():
    text = """Patient: GARZA, LUIS M          MRN: 00731180
DOB: 04/22/1951                 Visit: Telephone
Med list reconciled w/ pt, 11 meds
"""
    assert side_labels(text) == text


def test_table_rows_whose_last_cell_opens_with_a_label_are_not_torn_apart():
    text = """Date          Min   Activity
05/02/2026    12    Phone call w/ pt re BP log    Note: avg 132/80
05/09/2026    15    Called pharmacy re refills    Note: 90-day supply
"""
    assert side_labels(text) == text


HM_NOTE = """HM Review
Date: 2/3/26    Author: L. Mwangi RN
HM: A1c 8.2% (2026-02-03), flu shot October 9th,                         LDL from outside lab, not verified
2025, LDL 69 on statin, Td current                                       -- L. Mwangi RN 2026-02-03 12:53
Page 21 of 44
"""


def test_two_lines_beside_a_margin_remark_are_read_as_columns_when_the_left_runs_on():
    lines = in_columns(HM_NOTE).splitlines()
    assert "HM: A1c 8.2% (2026-02-03), flu shot October 9th," in lines
    assert "2025, LDL 69 on statin, Td current" in lines
    assert "LDL from outside lab, not verified" in lines


def test_two_rows_of_a_two_cell_table_are_not_columns():
    text = (
        "Current Medications\n"
        "Metformin 500 mg tablet (Glucophage) ER     Take 1 tablet by mouth twice daily with meals\n"
        "Lisinopril 20 mg tablet (Zestril) generic   Take 1 tablet by mouth once daily\n"
    )
    assert in_columns(text) == text


def test_a_log_whose_wrapped_rows_end_on_right_aligned_minutes_is_one_column():
    """Every second line is prose with a figure far to its right, as two columns would be; the row
    lines above them run across that edge, so nothing is split (no word cut in two)."""
    log = [
        "Nurse telephone log - June",
        "06/03/2026  A. Quist, LPN  Called about swollen ankles after the new pill;",
        "                           weighed herself, up a pound; doctor told.    12 min",
        "06/17/2026  A. Quist, LPN  Pharmacy could not fill the inhaler, sorted it",
        "                           out with the insurer over the phone today.   15 min",
        "06/24/2026  A. Quist, LPN  Sugars higher this week; went over her meals and",
        "                           the timing of the evening insulin dose again.  9 min",
    ]
    text = "\n".join(log) + "\n"
    assert not side_by_side(text)
    assert in_columns(text) == text


def test_one_full_width_line_inside_two_columns_leaves_them_columns():
    body = [left.ljust(COLUMN) + right for left, right in zip(LEFT, RIGHT)]
    body.insert(2, "Phone call 05/14/2026, both notes below written by the same nurse on the same day")
    text = "\n".join(body) + "\n"
    assert side_by_side(text)
