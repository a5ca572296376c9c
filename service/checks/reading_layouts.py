"""Days with a device reading, read from the two layouts that list readings day by day: a table
of readings (a date column beside columns of measured values) and a calendar grid (weekday
columns, a line of day numbers, the day's values under each number).

A table is one of readings when a column names a measure ('Systolic', 'SBP', 'Weight') or a unit
of measurement stands in its header or the lines just above it ('mg/dL' over 'Fasting'); a time
log (a minutes column) or a lab table (a test column) never is. A row counts when a value column holds a number; a row whose
reading was entered by hand or that the report itself leaves out is no device reading, and a
row dated with a range ('01/01 - 01/07') is a summary of several days, not one day."""

import re
from datetime import date

from service.records.tables import Table, cells_under, find_tables
from service.screening.dates import DAY, MONTH_NAME, parse_date, parse_month

MEASURE_HEAD = re.compile(
    r"\b(?:systolic|diastolic|sys|dia|sbp|dbp|bp|blood\s+pressure|pulse|hr|heart\s+rate|weight|wt|glucose|bg|"
    r"blood\s+sugar|sugar|spo2|sp02|o2|oxygen|sat|saturation|temp|temperature|reading|value|peak\s+flow|"
    r"fev1|inr)\b",
    re.IGNORECASE,
)
"""A column label that names something a device measures."""
UNIT = re.compile(r"(?<![A-Za-z])(?:mg/dl|mmol/l|mmhg|bpm|lbs?|kg|%|°\s?[cf])(?![A-Za-z])", re.IGNORECASE)
MINUTES_HEAD = re.compile(r"^\W*(?:min|mins|minutes|dur\w*|time\s+spent)\b", re.IGNORECASE)
"""A time log's minutes column: a table with one logs work, not readings."""
DATE_HEAD = re.compile(r"\b(?:date|day|dos)\b", re.IGNORECASE)
LAB_HEAD = re.compile(r"^\W*(?:test|lab|labs|component|analyte|panel|ref\w*|range)\b", re.IGNORECASE)
"""A column of a lab table: its results are a laboratory's, not a home device's."""
VALUE = re.compile(
    r"^\W{0,2}(?:[A-Za-z]{1,3}\s)?(?:\d{2,3}(?:\.\d+)?|\d\.\d+)(?:\s*/\s*\d{2,3})?(?:\s*[A-Za-z%/!*]{0,6})?\W{0,2}$"
)
"""A measured value in a cell: '142', '68 L', '202.8 lb', 'BP 134/79'; not '3', '07:12', 'device'."""
NOT_DEVICE = re.compile(
    r"\b(?:manual(?:ly)?|phoned|called[\s-]in|typed|keyed|hand[\s-]entered|by\s+hand|self[\s-]reported|"
    r"(?:patient|pt)[\s-]reported|diary|excl(?:uded)?|not\s+(?:counted|billed|included))\b",
    re.IGNORECASE,
)
"""A reading entered by hand or left out by the report itself: not a device's transmission."""
YEARLESS = re.compile(r"^\W{0,3}(\d{1,2})/(\d{1,2})(?![\d/])")
RANGE = re.compile(
    r"^\W{0,3}\d{1,2}/\d{1,2}(?:/\d{2,4})?\s*(?:-|\u2013|\u2014|to|thru|through)\s*\d{1,2}/\d{1,2}", re.I
)
WEEKDAY = re.compile(
    r"^(?:sun(?:day)?|mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?|sat(?:urday)?|"
    r"su|mo|tu|we|th|fr|sa)\.?$",
    re.IGNORECASE,
)
PIECE = re.compile(r"\S+(?: \S+)*")
MONTH_TITLE = re.compile(rf"\b{MONTH_NAME}\s+\d{{4}}\b", re.IGNORECASE)


def line_day(line: str, year: int) -> date | None:
    """The day a line or row opens with (a full date, or 'm/d' read in `year`); None for a range."""
    head = line.strip()[:24]
    if RANGE.match(head):
        return None
    m = DAY.search(head)
    if m and m.start() <= 3:
        return parse_date(m.group(0))
    if y := YEARLESS.match(head):
        try:
            return date(year, int(y.group(1)), int(y.group(2)))
        except ValueError:
            return None
    return None


def _is_reading_table(text: str, table: Table) -> bool:
    columns = table.columns
    if not any(DATE_HEAD.search(c) for c in columns) or any(
        MINUTES_HEAD.search(c) or LAB_HEAD.search(c) for c in columns
    ):
        return False
    above = text[: table.header[0]].rstrip("\n").split("\n")[-3:]
    return any(MEASURE_HEAD.search(c) for c in columns) or any(UNIT.search(t) for t in [*above, *columns])


def _value_rows(text: str, table: Table) -> set[int]:
    """Starts of the table's rows with a measured value in a column other than its date's."""
    out: set[int] = set()
    for column in table.columns:
        if DATE_HEAD.search(column):
            continue
        for a, b in cells_under(text, [table], re.compile(rf"^{re.escape(column)}$")):
            if VALUE.match(text[a:b]):
                out |= {start for start, end in table.rows if start <= a < end}
    return out


def table_days(text: str, year: int, aside: list[str] | None = None) -> dict[date, str]:
    """Each day with a reading in a table of readings on the page -> the row showing it. Rows of
    readings left out as not the device's are added to `aside` when given."""
    found: dict[date, str] = {}
    for table in find_tables(text):
        if not _is_reading_table(text, table):
            continue
        valued = _value_rows(text, table)
        for start, end in table.rows:
            row = text[start:end]
            day = line_day(row, year)
            if day is None or start not in valued:
                continue
            if not NOT_DEVICE.search(row):
                found.setdefault(day, row.strip())
            elif aside is not None:
                aside.append(row.strip())
    return found


def _grid_month(lines: list[str], at: int) -> tuple[int, int] | None:
    """The month a calendar shows: a month named with its year in the lines above its weekdays."""
    for line in reversed(lines[max(0, at - 6) : at]):
        if m := MONTH_TITLE.search(line):
            bounds = parse_month(m.group(0))
            if bounds:
                return bounds[0].year, bounds[0].month
    return None


def calendar_days(text: str) -> dict[date, str]:
    """Each day of a calendar grid with a value under its number -> the line holding the value."""
    lines = text.split("\n")
    found: dict[date, str] = {}
    for i, line in enumerate(lines):
        pieces = [(m.start(), m.group(0)) for m in PIECE.finditer(line)]
        if len(pieces) < 5 or not all(WEEKDAY.match(p) for _, p in pieces):
            continue
        month = _grid_month(lines, i)
        if month is None:
            continue
        edges = [start for start, _ in pieces]
        days: dict[int, int] = {}
        for row in lines[i + 1 :]:
            cells = [(m.start(), m.group(0)) for m in PIECE.finditer(row)]
            if not cells or any(len(c) > 16 for _, c in cells):
                break
            column = {start: max((k for k, e in enumerate(edges) if e <= start + 2), default=0) for start, _ in cells}
            if all(c.isdigit() and 1 <= int(c) <= 31 for _, c in cells):
                days = {column[start]: int(c) for start, c in cells}
                continue
            for start, cell in cells:
                if column[start] in days and re.search(r"\d{2,3}|\d\.\d", cell) and not NOT_DEVICE.search(cell):
                    try:
                        day = date(month[0], month[1], days[column[start]])
                    except ValueError:
                        continue
                    found.setdefault(day, row.strip())
    return found
