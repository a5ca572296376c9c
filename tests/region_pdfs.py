"""Pages laid out in regions, drawn with reportlab for tests/test_regions.py: two prose columns,
a note beside a narrow sidebar of metrics, a 2x2 SOAP grid of drawn boxes, a boxed callout the
note flows round, and a table. Each returns (pdf bytes, {region name: [its lines]})."""

import io

from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

Regions = dict[str, list[str]]


def _pdf(draw) -> bytes:
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=letter, invariant=1)
    draw(c)
    c.showPage()
    c.save()
    return buffer.getvalue()


def _lines(c, x: float, y: float, lines: list[str], step: float, size: float = 10, font: str = "Helvetica") -> float:
    c.setFont(font, size)
    for line in lines:
        c.drawString(x, y, line)
        y -= step
    return y


TWO_COLUMNS = {
    "left": [
        "Ankles swollen x3 days",
        "Wt 74.8 kg, was 73.1",
        "No SOB at rest",
        "All doses taken per box",
        "Bus trip to sister Sat",
    ],
    "right": [
        "Plan agreed with her on the call: take the",
        "extra furosemide dose for two mornings,",
        "keep her legs raised when seated, and send",
        "weights through the tablet every day this",
        "week so the nurse can compare them before",
        "the cardiology visit on the twentieth",
    ],
}


def two_columns() -> tuple[bytes, Regions]:
    """A phone note in two columns: terse charting lines on the left, the plan written out on
    the right in a smaller type, its lines closer together."""

    def draw(c):
        _lines(c, 50, 740, ["Heart Failure Telephone Follow-up"], 14, 13, "Helvetica-Bold")
        _lines(c, 50, 700, TWO_COLUMNS["left"], 14, 10)
        _lines(c, 320, 702, TWO_COLUMNS["right"], 11, 8.5)

    return _pdf(draw), TWO_COLUMNS


NOTE = [
    "Reviewed the month's glucose log with the patient",
    "by video; fasting values ran between 118 and 164",
    "and the two lows both followed skipped lunches at",
    "work. Self-management goal revised with him: carb",
    "counting at dinner with a target of 45 g and a",
    "packed lunch on workdays; teach-back was correct",
    "for both goals and the spouse joined the call",
]
METRICS = [
    ("Meter uploads", "27/30 days"),
    ("Lows under 70", "2"),
    ("Goal check-ins", "3 of 3"),
    ("Average fasting", "139"),
    ("Video minutes", "24"),
]


def sidebar(side: str) -> tuple[bytes, Regions]:
    """A diabetes note beside a narrow column of metrics, on the right or on the left: each
    metric's label, then its value set apart in a column of its own (on the right), or after a
    colon (on the left)."""

    def draw(c):
        _lines(c, 50, 745, ["Diabetes Care Management Visit"], 14, 13, "Helvetica-Bold")
        if side == "right":
            _lines(c, 50, 710, NOTE, 13, 10)
            _lines(c, 420, 710, [label for label, _ in METRICS], 13, 8.5)
            _lines(c, 510, 710, [value for _, value in METRICS], 13, 8.5)
            return
        _lines(c, 215, 710, NOTE, 13, 10)
        _lines(c, 50, 712, [f"{label}: {value}" for label, value in METRICS], 15, 8.5)

    metrics = [f"{label} {value}" if side == "right" else f"{label}: {value}" for label, value in METRICS]
    return _pdf(draw), {"note": NOTE, "metrics": metrics}


SOAP = {
    "subjective": [
        "Subjective",
        "Reports dizziness when standing",
        "Missed two evening doses",
        "No chest pain or palpitations",
    ],
    "objective": [
        "Objective",
        "Seated BP 128/76, standing 104/68",
        "Pulse 92 after standing",
        "Weight steady at 81 kg",
    ],
    "assessment": [
        "Assessment",
        "Orthostatic drop on current doses",
        "Adherence gaps in the evening",
        "Fall risk raised this month",
    ],
    "plan": [
        "Plan",
        "Move amlodipine to bedtime",
        "Pill organizer set up with wife",
        "Recheck standing BP in one week",
    ],
}


def soap_grid() -> tuple[bytes, Regions]:
    """A visit note as four drawn boxes: Subjective | Objective over Assessment | Plan."""

    def draw(c):
        _lines(c, 50, 745, ["Clinic Visit - Hypertension Follow-up"], 14, 13, "Helvetica-Bold")
        for name, (x, y) in zip(SOAP, [(50, 560), (310, 560), (50, 420), (310, 420)]):
            c.rect(x, y, 250, 130)
            _lines(c, x + 10, y + 110, SOAP[name], 15, 10)
        _lines(c, 50, 390, ["Electronically signed by the treating physician"], 14, 9)

    return _pdf(draw), SOAP


AROUND = [
    "The care manager met the patient and her son at",
    "home to go over the discharge papers from the",
    "rehabilitation stay and to set up the weekly pill",
    "boxes together with the son, who fills them on",
    "Sundays and checks them again every Wednesday",
    "evening when he brings groceries after work.",
]
BELOW = [
    "Both were shown how to log blood pressure readings in the notebook and how to report dizziness",
    "to the nurse line the same day, and the son will bring the notebook to the next clinic visit.",
]
CALLOUT = [
    "Fall precautions",
    "Night light placed in hallway",
    "Loose rug removed from kitchen",
    "Walker kept at bedside",
]


def callout() -> tuple[bytes, Regions]:
    """A home visit note that flows round a drawn box of fall precautions on its left."""

    def draw(c):
        _lines(c, 50, 745, ["Home Visit Note"], 14, 13, "Helvetica-Bold")
        c.rect(50, 628, 170, 92)
        _lines(c, 60, 704, CALLOUT, 16, 10)
        _lines(c, 240, 710, AROUND, 13, 10)
        _lines(c, 50, 620, BELOW, 13, 10)

    return _pdf(draw), {"note": AROUND + BELOW, "callout": CALLOUT}


TABLE = [
    [["Date", "Minutes", "Staff", "Activity"]],
    [["03/03/2026", "14", "R. Patel, RN", "Reviewed weights sent overnight"]],
    [["03/10/2026", "9", "R. Patel, RN", "Call with pt re new diuretic"], ["", "", "", "dose and the weight trend"]],
    [["03/17/2026", "21", "D. Cho, LPN", "Arranged home health nurse visit"]],
]
XS = [50, 140, 200, 310]


def table() -> tuple[bytes, Regions]:
    """A time log drawn as a grid of cells (one row's activity wraps in its cell) under a note
    with a sidebar on its left: the sidebar is a region of its own, the log is read row by row."""

    def draw(c):
        _lines(c, 50, 745, ["Remote Monitoring - March 2026"], 14, 12, "Helvetica-Bold")
        _lines(c, 215, 710, NOTE, 13, 10)
        _lines(c, 50, 712, [f"{label}: {value}" for label, value in METRICS], 15, 8.5)
        y = 600
        c.setFont("Helvetica", 10)
        for row in TABLE:
            height = 16 * len(row)
            for x, right in zip(XS, XS[1:] + [560]):
                c.rect(x - 4, y - height + 12, right - x, height)
            for number, line in enumerate(row):
                for x, cell in zip(XS, line):
                    if cell:
                        c.drawString(x, y - 16 * number, cell)
            y -= height
        _lines(c, 50, y - 14, ["Total minutes this month: 44"], 14, 10)

    rows = [" ".join(" ".join(cells[i] for cells in row if cells[i]) for i in range(4)) for row in TABLE]
    return _pdf(draw), {"metrics": [f"{label}: {value}" for label, value in METRICS], "note": NOTE, "rows": rows}
