"""Scanned pages with regions side by side (two columns, a metrics sidebar, a SOAP grid, a table
under columns) read one region at a time: each region's lines stand whole in the page text and
no sentence of the project's splitter holds words of two regions. Real tesseract on drawn 200 dpi
pages, and the gutter rules on word boxes as tesseract reports them."""

import re
import shutil
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from service.models import Page
from service.records.ocr import read_image
from service.records.ocr_layout import lay_out
from service.records.spans import split_sentences
from service.records.tables import find_tables
from tests.test_ocr_layout import tsv, words_from

SANS = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None or not SANS.exists(), reason="tesseract or the DejaVu font is not installed"
)


@dataclass
class Region:
    x: int
    y: int
    lines: list[str]
    size: int = 30
    pitch: int = 46
    title: bool = False
    """The first line is a title, set in bold."""


def draw_page(regions: list[Region], boxes: list[tuple[int, int, int, int]] = (), fax: bool = False) -> Image.Image:
    """A letter page at 200 dpi (1700 x 2200) with each region's lines drawn from (x, y) down;
    `boxes` are outlines drawn around regions; `fax` makes it bilevel, as a fax machine sends it."""
    image = Image.new("L", (1700, 2200), 255)
    draw = ImageDraw.Draw(image)
    for region in regions:
        font = ImageFont.truetype(str(SANS), region.size)
        bold = ImageFont.truetype(str(BOLD), region.size)
        for i, line in enumerate(region.lines):
            draw.text(
                (region.x, region.y + i * region.pitch), line, font=bold if region.title and i == 0 else font, fill=0
            )
    for box in boxes:
        draw.rectangle(box, outline=0, width=3)
    if fax:
        image = image.convert("1", dither=Image.Dither.NONE).convert("L")
    return image


def flat(text: str) -> str:
    return " ".join(text.split())


def standing_lines(text: str, region: Region) -> list[str]:
    """The region's drawn lines that do not stand as a line of the page text (allowing a stray
    misread character)."""
    read = [flat(line) for line in text.splitlines() if line.strip()]
    missing = []
    for line in region.lines:
        if line and not any(SequenceMatcher(None, flat(line), r).ratio() >= 0.9 for r in read):
            missing.append(line)
    return missing


def own_words(regions: list[Region]) -> list[set[str]]:
    """Each region's words that no other region holds (lowercase, four letters or more)."""
    words = [{w.lower() for w in re.findall(r"[A-Za-z]{4,}", " ".join(r.lines))} for r in regions]
    return [w - set().union(*(o for j, o in enumerate(words) if j != i)) for i, w in enumerate(words)]


def mixed_sentences(text: str, regions: list[Region]) -> list[str]:
    """Sentences of the page text that hold words of two regions."""
    owned = own_words(regions)
    out = []
    for span in split_sentences(Page(document="scan.pdf", number=1, text=text)):
        words = {w.lower() for w in re.findall(r"[A-Za-z]{4,}", span.text)}
        if sum(bool(words & own) for own in owned) >= 2:
            out.append(span.text)
    return out


def assert_regions_read_apart(text: str, regions: list[Region]) -> None:
    for region in regions:
        assert not standing_lines(text, region), (standing_lines(text, region), text)
    assert not mixed_sentences(text, regions), (mixed_sentences(text, regions), text)


HEADER = Region(
    120,
    110,
    ["LAKESIDE PRIMARY CARE - CARE COORDINATION", "Patient: Dubois, Marguerite   DOB 02/09/1950   Seen 05/06/2026"],
    title=True,
)

TWO_COLUMNS = [
    HEADER,
    Region(
        120,
        260,
        [
            "Telephone outreach",
            "Spoke with Mrs. Dubois about the new",
            "water pill. She has been weighing each",
            "morning and her weight has come down",
            "two pounds since Tuesday. Breathing is",
            "easier on the stairs at home.",
            "",
            "Her son now fills the weekly pill box",
            "on Sunday evenings.",
        ],
        title=True,
    ),
    Region(
        880,
        260,
        [
            "Follow-up plan",
            "Continue the current dose and keep the",
            "weight chart by the scale. Nurse to",
            "phone again next Thursday to review",
            "readings. Cardiology visit is booked",
            "for the end of the month.",
            "",
            "Total call time was 18 minutes with",
            "the patient and her son.",
        ],
        title=True,
    ),
]


@needs_tesseract
@pytest.mark.parametrize("fax", [False, True], ids=["clean", "fax"])
def test_a_scanned_two_column_note_reads_one_column_after_the_other(fax):
    text = read_image(draw_page(TWO_COLUMNS, fax=fax), "eng", 120).text
    assert_regions_read_apart(text, TWO_COLUMNS)


SIDEBAR = [
    HEADER,
    Region(
        120,
        260,
        [
            "This month",
            "Home BP readings: 27/30 days",
            "Avg home BP: 134/82",
            "Weight today: 188 lb",
            "Portal messages: 4",
            "Calls completed: 3 of 3",
            "Med adherence: 96%",
        ],
        size=26,
        pitch=44,
        title=True,
    ),
    Region(
        640,
        260,
        [
            "Reached her by phone for the monthly check-in.",
            "She walks twenty minutes after lunch most",
            "days and has cut back on salty soups. No",
            "dizziness when she stands up quickly.",
            "Went over the blood pressure log together",
            "and praised the steady readings. Goal for",
            "next month is a second walk on weekends.",
            "She agreed and will call with questions.",
        ],
    ),
]


@needs_tesseract
@pytest.mark.parametrize("fax", [False, True], ids=["clean", "fax"])
def test_a_scanned_note_with_a_metrics_sidebar_keeps_each_metric_on_its_own_line(fax):
    text = read_image(draw_page(SIDEBAR, fax=fax), "eng", 120).text
    assert_regions_read_apart(text, SIDEBAR)
    assert "Home BP readings: 27/30 days" in [flat(line) for line in text.splitlines()]


SOAP = [
    HEADER,
    Region(
        130,
        280,
        ["Subjective", "Sleeping poorly", "No fever or chills", "Ankles puffy by evening", "Using inhaler at night"],
        title=True,
    ),
    Region(
        760, 280, ["Objective", "BP 142/88", "Pulse 76 regular", "SpO2 95% room air", "Trace ankle edema"], title=True
    ),
    Region(130, 560, ["Assessment", "Heart failure stable", "Insomnia from inhaler", "BP above goal"], title=True),
    Region(760, 560, ["Plan", "Inhaler to mornings", "Recheck BP in 2 wks", "Nurse visit 05/20/2026"], title=True),
]
"""A grid of terse boxes: tesseract reads each row of the grid as one line across both boxes."""
SOAP_BOXES = [(105, 260, 730, 510), (745, 260, 1610, 510), (105, 540, 730, 770), (745, 540, 1610, 770)]


@needs_tesseract
@pytest.mark.parametrize("boxes", [False, True], ids=["gutters", "boxes"])
def test_a_scanned_soap_grid_reads_one_box_at_a_time(boxes):
    text = read_image(draw_page(SOAP, SOAP_BOXES if boxes else [], fax=True), "eng", 120).text
    assert_regions_read_apart(text, SOAP)


COLUMNS_OVER_TABLE = [
    HEADER,
    Region(
        120,
        260,
        [
            "Summary",
            "Monthly care coordination for heart",
            "failure and diabetes. Three calls this",
            "month, all reached the patient.",
        ],
        title=True,
    ),
    Region(
        880,
        260,
        [
            "Barriers",
            "Lives alone; her son visits on weekends",
            "and helps with the pill box. Hearing",
            "is poor on the phone in the evening.",
        ],
        title=True,
    ),
]
TABLE_ROWS = [
    ("05/04/2026", "16", "Lena Park, RN", "Call about refill timing"),
    ("05/12/2026", "12", "Lena Park, RN", "Reviewed the home BP log"),
    ("05/21/2026", "19", "Tom Iles, LPN", "Care plan sent to cardiology"),
]


def draw_columns_over_table(fax: bool) -> Image.Image:
    """Two short columns, then a ruled time log across the page, then a closing line."""
    image = draw_page(COLUMNS_OVER_TABLE[:3], fax=False)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(SANS), 30)
    edges = [100, 330, 440, 760, 1500]
    rows = [("Date", "Min", "Staff", "Activity"), *TABLE_ROWS, ("Total", "47", "", "")]
    top = 540
    for i, row in enumerate(rows):
        y = top + i * 60
        draw.line((edges[0], y, edges[-1], y), fill=0, width=2)
        for x, cell in zip(edges, row):
            draw.text((x + 15, y + 14), cell, font=font, fill=0)
    bottom = top + len(rows) * 60
    draw.line((edges[0], bottom, edges[-1], bottom), fill=0, width=2)
    for x in edges:
        draw.line((x, top, x, bottom), fill=0, width=2)
    draw.text(
        (120, bottom + 60), "Time above was spent by clinical staff under the direction of Dr. Hale.", font=font, fill=0
    )
    if fax:
        image = image.convert("1", dither=Image.Dither.NONE).convert("L")
    return image


@needs_tesseract
@pytest.mark.parametrize("fax", [False, True], ids=["clean", "fax"])
def test_a_ruled_table_under_two_columns_still_reads_row_by_row(fax):
    text = read_image(draw_columns_over_table(fax), "eng", 120).text
    table = Region(0, 0, ["Date   Min   Staff   Activity", *("   ".join(row) for row in TABLE_ROWS), "Total   47"])
    regions = [*COLUMNS_OVER_TABLE[:3], table]
    assert_regions_read_apart(text, regions)
    lines = [flat(line) for line in text.splitlines()]
    assert "Date Min Staff Activity" in lines
    assert "05/12/2026 12 Lena Park, RN Reviewed the home BP log" in lines
    assert find_tables(text), "the time log is still found as a table"


def column(
    block: int, left: int, top: int, lines: list[str], first_line: int = 1
) -> list[tuple[int, int, int, int, str]]:
    """Lines of prose set 50 px apart, each one a line of `block`."""
    out = []
    for i, line in enumerate(lines):
        out += words_from(block, first_line + i, left, top + 50 * i, line)
    return out


def merged(left: list[tuple], right: list[tuple]) -> list[tuple]:
    """tesseract's reading of two columns as one block: each row's words, left then right, one
    line of block 1."""
    rows: dict[int, list[tuple]] = {}
    for word in left + right:
        rows.setdefault(word[3], []).append(word)
    return [(1, n, left, t, text) for n, top in enumerate(sorted(rows), 1) for _, _, left, t, text in rows[top]]


LEFT_PROSE = [
    "Called the patient about her new",
    "inhaler and the spacer she was sent.",
    "She uses it twice a day and rinses",
    "her mouth after each dose as told.",
]
RIGHT_PROSE = [
    "Asked the pharmacy to mail a spare",
    "spacer for her purse. Will check on",
    "the refill dates at the next call",
    "and update the medication list.",
]


def test_two_columns_read_as_one_block_come_apart_at_their_gutter():
    text = lay_out(tsv(*merged(column(1, 100, 100, LEFT_PROSE), column(1, 900, 100, RIGHT_PROSE))))
    lines = text.splitlines()
    assert all(line in lines for line in LEFT_PROSE + RIGHT_PROSE), text
    assert lines.index(LEFT_PROSE[-1]) < lines.index(RIGHT_PROSE[0]), "the left column is read first"


def test_a_short_body_line_beside_a_sidebar_metric_is_not_joined_to_it():
    sidebar = ["Steps avg: 4200", "Sleep: 6 h", "Pain score: 3", "Falls: none"]
    body = [
        "Walked with her daughter most evenings",
        "and kept to the stretching plan the",
        "therapist gave her last month. Feels",
        "steadier on stairs.",
    ]
    words = []
    for i, (metric, line) in enumerate(zip(sidebar, body)):
        words += words_from(2 * i + 1, 1, 100, 100 + 50 * i, metric) + words_from(2 * i + 2, 1, 600, 100 + 50 * i, line)
    lines = lay_out(tsv(*words)).splitlines()
    assert "Falls: none" in lines and "steadier on stairs." in lines
    assert all(metric in lines for metric in sidebar)


def test_a_form_with_its_labels_in_a_column_keeps_each_label_with_its_value():
    labels = ["Orders:", "Goals:", "Homebound:"]
    values = [
        "skilled nursing visits twice weekly for four weeks",
        "patient to weigh daily and follow the diet plan",
        "leaves home only for medical visits with help",
    ]
    words = []
    for i, (label, value) in enumerate(zip(labels, values)):
        words += [(1, i + 1, 100, 100 + 50 * i, label)] + words_from(1, i + 1, 500, 100 + 50 * i, value)
    lines = lay_out(tsv(*words)).splitlines()
    assert lines == [f"{label} {value}" for label, value in zip(labels, values)]


def test_a_log_of_dated_notes_keeps_each_date_with_its_note():
    dates = ["05/02/2026", "05/09/2026", "05/16/2026", "05/23/2026"]
    notes = [
        "left a message about the missed lab draw",
        "patient called back and rebooked the lab",
        "lab drawn and results sent to the doctor",
        "reviewed the results with the patient by phone",
    ]
    words = []
    for i, (date, note) in enumerate(zip(dates, notes)):
        words += [(1, i + 1, 100, 100 + 50 * i, date)] + words_from(1, i + 1, 500, 100 + 50 * i, note)
    lines = lay_out(tsv(*words)).splitlines()
    assert lines == [f"{date} {note}" for date, note in zip(dates, notes)]


def test_a_headed_two_column_table_of_notes_keeps_its_rows():
    rows = [
        ("Staff", "Activity"),
        ("Lena Park, RN", "Call about the refill timing"),
        ("Tom Iles, LPN", "Care plan sent to the cardiologist"),
        ("Lena Park, RN", "Reviewed the home blood pressure log"),
        ("Ana Ruiz, MA", "Mailed the updated care plan copy"),
    ]
    words = []
    for i, (staff, activity) in enumerate(rows):
        words += words_from(1, i + 1, 100, 100 + 50 * i, staff) + words_from(1, i + 1, 500, 100 + 50 * i, activity)
    lines = [flat(line) for line in lay_out(tsv(*words)).splitlines()]
    assert lines == [f"{staff} {activity}" for staff, activity in rows]


def test_a_titled_sidebar_of_metrics_is_not_read_as_a_table_with_the_note_beside_it():
    """Titles side by side ('Device Readings   Visit Note') look like a table header, and the
    old layout rebuilt 'rows' of metric and note: a sidebar of 'label: value' lines parts."""
    sidebar = [
        "Device Readings",
        "Strip uploads: 24/30 days",
        "Fasting avg: 142 mg/dL",
        "Lows below 70: 1",
        "Pump alerts: 0",
    ]
    body = [
        "Visit Note",
        "Talked through the log on 05/14/2026 with",
        "the patient; she now eats breakfast before",
        "her walk and the fasting values are lower.",
        "Plan to keep the same insulin dose.",
    ]
    words = []
    for i, (metric, line) in enumerate(zip(sidebar, body)):
        words += words_from(1, i + 1, 100, 100 + 50 * i, metric) + words_from(1, i + 1, 700, 100 + 50 * i, line)
    lines = lay_out(tsv(*words)).splitlines()
    assert all(line in lines for line in sidebar + body), lines


def test_a_box_rule_read_as_bars_in_the_gutter_does_not_hold_two_columns_together():
    rule = [(1, 0, 852, 100 + 50 * i, "|") for i in range(len(LEFT_PROSE))]
    text = lay_out(tsv(*merged(column(1, 100, 100, LEFT_PROSE) + rule, column(1, 900, 100, RIGHT_PROSE))))
    lines = text.splitlines()
    assert all(any(line in read for read in lines) for line in LEFT_PROSE + RIGHT_PROSE), text
    assert not any(a in read and b in read for read in lines for a in LEFT_PROSE for b in RIGHT_PROSE), text


def test_a_footer_far_under_two_columns_is_read_after_both():
    footer = words_from(2, 1, 100, 600, "Faxed to the care team")
    lines = lay_out(
        tsv(*merged(column(1, 100, 100, LEFT_PROSE), column(1, 900, 100, RIGHT_PROSE)), *footer)
    ).splitlines()
    assert lines[-1] == "Faxed to the care team" and RIGHT_PROSE[-1] in lines, lines
