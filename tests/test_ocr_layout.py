"""Scanned tables read back one row per line: real tesseract on drawn pages, and the layout
rules on word boxes as tesseract reports them."""

import shutil
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from service.records.ocr import read_image
from service.records.ocr_layout import lay_out
from service.records.tables import find_tables, row_context

MONO = Path("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf")
needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None or not MONO.exists(), reason="tesseract or the DejaVu font is not installed"
)


def scan(lines: list[tuple[int, str]], size: int = 34) -> Image.Image:
    """A letter page at 300 dpi; each (x in characters, text) is drawn on its own line, and a
    line with x < 0 is the previous line's continuation (a wrapped cell) one line-height down."""
    font = ImageFont.truetype(str(MONO), size)
    width = font.getlength("M")
    image = Image.new("L", (2550, 3300), 255)
    draw = ImageDraw.Draw(image)
    y = 200
    for column, text in lines:
        if text == "":
            y += int(size * 1.6)
            continue
        draw.text((150 + column * width, y), text, font=font, fill=0)
        y += int(size * 1.6)
    return image


def cells(*placed: tuple[int, str]) -> list[tuple[int, str]]:
    return list(placed)


TIME_LOG = [
    (0, "BRIGHTWATER INTERNAL MEDICINE - CCM TIME LOG"),
    (0, "Patient: NGUYEN, THANH V   DOB 03/14/1948   MRN 5520931"),
    (0, ""),
    (0, "Date        Min   Staff             Activity                  Note"),
    (0, "03/04/2026  18    Dana Whitfield,   Phone call w/ pt re       BP 150s, reinforced"),
    (0, "                  RN                home BP log               low-salt diet"),
    (0, "03/11/2026  22    Omar Castillo,    Care plan review          goals updated,"),
    (0, "                  LPN               with pt and daughter      copy mailed"),
    (0, "03/25/2026  12    Dana Whitfield,   Med reconciliation        9 meds, no changes"),
    (0, "                  RN"),
    (0, "Total       52"),
    (0, ""),
    (0, ""),
    (0, "Time logged by clinical staff under general supervision of the billing provider, as"),
    (0, "documented in each entry above; entries are not double counted."),
]


@needs_tesseract
def test_a_scanned_time_log_with_wrapped_cells_reads_one_row_per_line():
    text = read_image(scan(TIME_LOG), "eng", 120).text
    lines = [" ".join(line.split()) for line in text.splitlines()]
    assert "03/04/2026 18 Dana Whitfield, RN Phone call w/ pt re home BP log BP 150s, reinforced low-salt diet" in lines
    assert "03/11/2026 22 Omar Castillo, LPN Care plan review with pt and daughter goals updated, copy mailed" in lines
    assert "03/25/2026 12 Dana Whitfield, RN Med reconciliation 9 meds, no changes" in lines
    assert "Total 52" in lines
    prose = [line for line in lines if line.startswith("Time logged by clinical staff")]
    assert prose and "03/25" not in prose[0], "the prose under the table stayed prose"
    tables = find_tables(text)
    assert tables, "the rebuilt log is found as a table"
    context = row_context(text, tables)
    assert any("Staff: Omar Castillo, LPN" in c for c in context.values()), "each cell sits under its header"


@needs_tesseract
def test_prose_pages_read_as_before():
    page = [
        (0, "Telephone - 03/12/2026 - Sandra Loy, RN"),
        (0, "BMP 03/10: Cr 1.6. Dr. Reyes ok to restart lisinopril 5 mg."),
        (0, ""),
        (0, ""),
        (0, "CCM consent: written, signed 11/04/2025, scanned to Media tab."),
    ]
    text = read_image(scan(page), "eng", 120).text
    assert text.splitlines()[:2] == [
        "Telephone - 03/12/2026 - Sandra Loy, RN",
        "BMP 03/10: Cr 1.6. Dr. Reyes ok to restart lisinopril 5 mg.",
    ]
    assert "\n\nCCM consent: written, signed 11/04/2025, scanned to Media tab." in text


HEADER = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"


def tsv(*words: tuple[int, int, int, int, str]) -> str:
    """Word boxes as tesseract's TSV reports them: (block, line, left, top, text); characters
    are 20 px wide and 30 px tall."""
    rows = [HEADER]
    for n, (block, line, left, top, text) in enumerate(words):
        rows.append(f"5\t1\t{block}\t1\t{line}\t{n}\t{left}\t{top}\t{20 * len(text)}\t30\t95\t{text}")
    return "\n".join(rows)


def words_from(block: int, line: int, left: int, top: int, text: str) -> list[tuple[int, int, int, int, str]]:
    """A line of prose: words one space (20 px) apart."""
    out = []
    for word in text.split():
        out.append((block, line, left, top, word))
        left += 20 * (len(word) + 1)
    return out


def test_two_prose_columns_read_as_separate_blocks_stay_in_reading_order():
    text = lay_out(
        tsv(
            *words_from(1, 1, 100, 100, "Pt seen for follow-up of diabetes and"),
            *words_from(1, 2, 100, 150, "hypertension, doing well on metformin."),
            *words_from(2, 1, 1300, 100, "Plan: continue current meds and recheck"),
            *words_from(2, 2, 1300, 150, "A1c in three months."),
        )
    )
    assert text.splitlines() == [
        "Pt seen for follow-up of diabetes and",
        "hypertension, doing well on metformin.",
        "",
        "Plan: continue current meds and recheck",
        "A1c in three months.",
    ]


def test_a_problem_list_with_a_wrapped_problem_reads_one_row_per_problem():
    text = lay_out(
        tsv(
            (1, 1, 100, 100, "Problem"),
            (1, 1, 700, 100, "ICD-10"),
            (1, 1, 1000, 100, "Status"),
            (1, 2, 100, 150, "Hypertension"),
            (1, 2, 700, 151, "I10"),
            (1, 2, 1000, 150, "active"),
            *words_from(1, 3, 100, 200, "Type 2 diabetes w/"),
            (1, 3, 700, 201, "E11.40"),
            (1, 3, 1000, 200, "active"),
            *words_from(1, 4, 100, 250, "neuropathy"),
        )
    )
    assert text.splitlines() == [
        "Problem   ICD-10   Status",
        "Hypertension   I10   active",
        "Type 2 diabetes w/ neuropathy   E11.40   active",
    ]


def test_a_line_of_prose_in_the_same_block_ends_the_table():
    text = lay_out(
        tsv(
            (1, 1, 100, 100, "Date"),
            (1, 1, 400, 100, "Minutes"),
            (1, 2, 100, 150, "03/04/2026"),
            (1, 2, 400, 150, "18"),
            *words_from(1, 3, 100, 200, "Pt asked about the cost of the program again"),
        )
    )
    assert text.splitlines()[-1] == "Pt asked about the cost of the program again"
    assert "03/04/2026   18" in text.splitlines()


def test_a_row_dated_by_month_in_the_key_column_is_a_row_of_its_own():
    text = lay_out(
        tsv(
            (1, 1, 100, 100, "Measure"),
            (1, 1, 600, 100, "Value"),
            (1, 1, 1000, 100, "Date"),
            *words_from(1, 2, 100, 150, "Portal messages"),
            (1, 2, 600, 150, "4"),
            (1, 2, 1000, 150, "04/28/2026"),
            *words_from(1, 3, 100, 200, "Portal logins"),
            *words_from(1, 3, 600, 200, "9 logins"),
            *words_from(1, 3, 1000, 200, "April 2026"),
            *words_from(1, 4, 100, 250, "Class attendance"),
            *words_from(1, 4, 600, 250, "2 of 4"),
            (1, 4, 1000, 250, "04/21/2026"),
            *words_from(1, 5, 100, 300, "(diabetes ed)"),
        )
    )
    assert text.splitlines() == [
        "Measure   Value   Date",
        "Portal messages   4   04/28/2026",
        "Portal logins   9 logins   April 2026",
        "Class attendance (diabetes ed)   2 of 4   04/21/2026",
    ]


def test_short_cells_read_as_blocks_of_their_own_join_their_row():
    text = lay_out(
        tsv(
            (1, 1, 100, 100, "Date"),
            (1, 1, 600, 100, "Minutes"),
            (1, 1, 1000, 100, "Activity"),
            (2, 1, 100, 150, "05/04/2026"),
            (3, 1, 600, 151, "12"),
            *words_from(4, 1, 1000, 150, "Call w/ pt"),
            (5, 1, 100, 200, "05/11/2026"),
            (6, 1, 600, 199, "15"),
            *words_from(7, 1, 1000, 200, "Care plan review"),
        )
    )
    assert "05/04/2026   12   Call w/ pt" in text.splitlines()
    assert "05/11/2026   15   Care plan review" in text.splitlines()


def test_a_signature_line_read_as_its_own_block_under_a_table_stays_prose():
    text = lay_out(
        tsv(
            (1, 1, 100, 100, "Date"),
            (1, 1, 600, 100, "Glucose"),
            (1, 1, 1000, 100, "Source"),
            (1, 2, 100, 150, "07/02/2025"),
            (1, 2, 600, 150, "171"),
            (1, 2, 1000, 150, "Device"),
            *words_from(2, 1, 100, 200, "Signature: Colin Achebe,"),
            (2, 1, 700, 200, "RN"),
            *words_from(2, 1, 900, 200, "Date: 7/31/25"),
        )
    )
    assert text.splitlines()[-1] == "Signature: Colin Achebe, RN Date: 7/31/25"
    assert "07/02/2025   171   Device" in text.splitlines()


def test_a_table_read_column_by_column_is_put_back_row_by_row():
    """Once a grid's rules are gone tesseract may take its columns for text columns: one block
    per column, read top to bottom."""
    text = lay_out(
        tsv(
            (1, 1, 100, 100, "Date"),
            (1, 2, 100, 150, "03/02/2026"),
            (1, 3, 100, 200, "03/09/2026"),
            (2, 1, 500, 100, "Minutes"),
            (2, 2, 500, 150, "12"),
            (2, 3, 500, 200, "25"),
            (3, 1, 800, 100, "Activity"),
            *words_from(3, 2, 800, 150, "Inhaler teaching"),
            *words_from(3, 3, 800, 200, "Care plan update"),
            *words_from(4, 1, 100, 300, "Both calls were with the patient and lasted as logged above."),
        )
    )
    assert text.splitlines()[:3] == [
        "Date   Minutes   Activity",
        "03/02/2026   12   Inhaler teaching",
        "03/09/2026   25   Care plan update",
    ]
    assert text.splitlines()[-1] == "Both calls were with the patient and lasted as logged above."


def test_a_grid_read_again_on_its_own_replaces_the_pages_words_inside_it():
    page = tsv(
        *words_from(1, 1, 100, 50, "Wound care log"),
        (2, 1, 100, 100, "Date"),
        (2, 2, 100, 150, "04/06/2026"),
        (3, 1, 800, 100, "Dressing"),
        (3, 2, 800, 150, "foam"),
        *words_from(4, 1, 100, 300, "Measured weekly by the visiting nurse."),
    )
    grid = tsv(
        (1, 1, 10, 10, "Date"),
        (1, 1, 310, 10, "cm"),
        (1, 1, 710, 10, "Dressing"),
        (1, 2, 10, 60, "04/06/2026"),
        (1, 2, 310, 60, "3"),
        (1, 2, 710, 60, "foam"),
    )
    text = lay_out(page, [((90, 90, 1200, 200), grid)])
    assert text.splitlines() == [
        "Wound care log",
        "",
        "Date   cm   Dressing",
        "04/06/2026   3   foam",
        "",
        "Measured weekly by the visiting nurse.",
    ]


def test_rules_read_into_a_scanned_tables_cells_are_left_out():
    """A rule beside a cell's first or last letter reads as '|', '(', '[' or a stray quote; a
    cell's own brackets stay."""
    text = lay_out(
        tsv(
            (1, 1, 80, 100, "|"),
            (1, 1, 100, 100, "Visit"),
            (1, 1, 600, 100, "'Length"),
            (1, 1, 1000, 100, "Seen"),
            (1, 1, 1100, 100, "by]"),
            (1, 2, 100, 150, "(05/06/2026"),
            (1, 2, 600, 150, "|20"),
            (1, 2, 1000, 150, "Omar"),
            (1, 2, 1100, 150, "Haddad"),
            (1, 2, 1300, 150, "|"),
            (1, 3, 100, 200, "[05/20/2026"),
            (1, 3, 600, 200, "‘35"),
            *words_from(1, 3, 1000, 200, "Ana (float RN)"),
        )
    )
    assert text.splitlines() == [
        "Visit   Length   Seen by",
        "05/06/2026   20   Omar Haddad",
        "05/20/2026   35   Ana (float RN)",
    ]
