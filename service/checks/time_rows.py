"""Rows of time read off one page: a time log's rows (a table with a date column and a minutes
column) and dated entries (a phone note's first line and its body, or one line carrying a date,
minutes and a person). Each row keeps the page offsets of its quote and what the chart itself
says about counting it (a billable column, a running total, 'not billable' in the entry).

Decided by structure - columns, dates, numbers, credentials - not by any one chart's wording."""

import re
from dataclasses import dataclass, field
from datetime import date

from service.checks.staff import Staff, people_in, staff_in_cell, staff_in_line
from service.drafting.facts import numbers_in, words_as_digits
from service.records.tables import Table, cells_under, find_tables, is_header, is_total, row_starts
from service.screening.dates import DAY, parse_date

MINUTES_HEAD = re.compile(r"^\W*(?:min|mins|minutes|dur|duration|length|time\s*\(min\w*\)|time\s+spent)\b", re.I)
TIME_HEAD = re.compile(r"^\W*time\b", re.I)
DATE_HEAD = re.compile(r"^\W*(?:date|day|service\s+date|dos)\b", re.I)
STAFF_HEAD = re.compile(
    r"^\W*(?:(?:done|performed|entered|completed|logged|signed)\s+by\b|(?:care\s+)?team\s+member\b|"
    r"(?:staff|by|user|clinician|provider|practitioner|who|performed|author|name|person|personnel|employee|"
    r"member|initials|signed|signature|credentials?)\b)",
    re.I,
)
"""A column of who did the work: a label that means a person ('Person', 'Done by', 'Staff member')."""
ACTIVITY_HEAD = re.compile(
    r"^\W*(?:activity|activities|notes?|description|task|what|service|type|category|details?|summary|work)\b", re.I
)
FLAG_HEAD = re.compile(r"^\W*(?:billable|bill|billed|counts?|counted|countable|ccm|included?)\b", re.I)
RUNNING_HEAD = re.compile(r"^\W*(?:running|cumulative|to\s+date|mtd)\b", re.I)
NO_FLAG = re.compile(r"^\W*(?:n|no|non[\s-]?billable|excl\w*|x)\W*$", re.I)
MINUTE_VALUE = re.compile(r"^\W*(\d{1,3})\s*(?:m|min|mins|minutes)?\W*$", re.I)
LEAD_DATE = re.compile(rf"^\W{{0,3}}({DAY.pattern}|\d{{1,2}}/\d{{1,2}}(?![\d/]))", re.I)
SET_APART = re.compile(r"^\W{0,3}\S+(?:\s{2,}|\s*[|\u2014\u2013;]|\s+-{1,3}\s|\t)")
"""A first cell set apart from the rest: a yearless date opens an entry only so ('3/18  14 min')."""
SEGMENT_GAP = re.compile(r"\s*[|\u2014\u2013;]\s*|\s+-{1,3}\s+|\s{2,}|\t")
DASH = r"\s-{1,3}\s"
"""A hyphen, or two or three typed for a dash, set apart by spaces: '- 14 min', '-- 12 min'."""
NOTE_MINUTES = re.compile(
    rf"(?:(?:\b(?:time|minutes|mins?|duration|time\s+spent)\s*[:=]\s*|(?:^|[|\u2014\u2013;]\s*|{DASH}|\s{{2,}}|[.)]\s))"
    r"(\d{1,3})\s*(?:min|mins|minutes)\b|"
    r"\b(?:minutes|mins?|(?:time(?:\s+spent)?|duration)\s*\((?:min|mins|minutes)\))\s*[:=]\s*(\d{1,3}))"
    rf"(?P<unit>)\.?(?=\s*(?:\([^)\n]*\))?\s*(?:$|[|\u2014\u2013;]|{DASH}|\s{{2,}}))",
    re.I | re.M,
)
"""A note's time standing apart: 'Time: 14 min', '...fills.   8 min' at a line's end, '- 14 min -',
or a count under a label that means minutes ('Mins = 20', 'Time spent (min): 9'); not 'walking 10
min after lunch', nor a bare 'Time: 14' (a clock or anything)."""
NOT_COUNTED = re.compile(
    r"\b(?:not|non|no)\b[\s-]*(?:\w+[\s-]+)?(?:billable|billed|counted|countable|logged)\b|"
    r"\bun(?:billable|billed|counted|logged)\b|"
    r"\b(?:no|not)\s+(?:\w+\s+)?time\b",
    re.I,
)
UNANSWERED = re.compile(
    r"\b(?:no\s+answer|did\s+not\s+answer|unanswered|LVM|VM\s+left|left\s+(?:a\s+)?(?:voice\s*mail|VM|message)|"
    r"voice\s*mail|unable\s+to\s+reach|not\s+reached|no\s+response|mailbox\s+full|busy\s+signal)\b",
    re.I,
)
REACHED = re.compile(r"\b(?:spoke|spoken|talked|discussed\s+with|returned\s+(?:the\s+)?call|reached|answered)\b", re.I)
RULE = re.compile(r"^[\s=\-_*~+|.:#]{3,}$")


@dataclass
class RawRow:
    start: int
    end: int
    day: date | None
    minutes: int
    staff: Staff
    activity: str
    source: str  # which table or entry on the page: copies are sought across sources
    chart_says: str = ""  # the chart's own reason not to count it ('' when it counts)


@dataclass
class PageRows:
    rows: list[RawRow] = field(default_factory=list)
    totals: list[tuple[str, list[RawRow]]] = field(default_factory=list)  # a total line and the rows it sums


def _day(text: str, year: int | None) -> date | None:
    m = LEAD_DATE.match(text)
    if not m:
        return None
    day = parse_date(m.group(1))
    if day is None and year and (parts := re.fullmatch(r"(\d{1,2})/(\d{1,2})", m.group(1))):
        try:
            day = date(year, int(parts.group(1)), int(parts.group(2)))
        except ValueError:
            return None
    return day


def _is_total_line(line: str) -> bool:
    return is_total(line) or bool(re.match(r"\W*total\b", line.strip(), re.I))


def _entry_day(line: str, year: int | None) -> date | None:
    """The day a line opens an entry with: a full date, or a yearless one set apart ('3/18  14
    min'), not '2/24 appt.' inside a note's body."""
    day = _day(line, year)
    if day is not None and not DAY.match(line.strip()) and not SET_APART.match(line):
        return None
    return day


def _lines(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text) if m.group(0).strip()]


def _skip_reason(text: str) -> str:
    if UNANSWERED.search(text) and not REACHED.search(text):
        return "unanswered attempt"
    if NOT_COUNTED.search(text):
        return "marked not billable in the chart"
    return ""


def _cell_map(text: str, table: Table, head: re.Pattern) -> dict[int, str]:
    """Row start -> the row's cell under the first column whose label matches `head`."""
    heads = [c for c in table.columns if head.search(c)]
    if not heads:
        return {}
    exact = re.compile(rf"^{re.escape(heads[0])}$")
    out: dict[int, str] = {}
    for a, b in cells_under(text, [table], exact):
        for start, end in table.rows:
            if start <= a < end and start not in out:
                out[start] = text[a:b]
    return out


def _title_staff(text: str, table: Table) -> Staff:
    """A log without a staff column names its person above it ('... (T. Greer MD)')."""
    before = text[: table.header[0]].rstrip("\n").split("\n")[-2:]
    found = [p for line in before for p in people_in(line)]
    return found[-1] if found else Staff("", "unknown")


def _dates_set_apart(text: str, table: Table) -> str:
    """`text` with a row's date set apart from the next cell when only one space divides them and
    that cell starts under the next column's label ('04/06/2026 H. Ruiz MD' under 'Date  Staff'):
    the space becomes a tab, so offsets stay as they were."""
    out = list(text)
    head_line = text.rfind("\n", 0, table.header[0]) + 1
    header = text[head_line : table.header[1]]
    starts = {m.start(1) for m in re.finditer(r"(?:^\s*|\s{2,}|\|\s*|\t)(\S)", header)}
    for start, end in table.rows:
        line_start = text.rfind("\n", 0, start) + 1
        m = re.match(rf"(\W{{0,3}}(?:{DAY.pattern}|\d{{1,2}}/\d{{1,2}}))( )(?=\S)", text[start:end], re.I)
        if m and any(abs(start + m.end() - line_start - h) <= 1 for h in starts):
            out[start + m.start(2)] = "\t"
    return "".join(out)


def _is_time_log(columns: list[str]) -> bool:
    """A date column and a column of who or what: a flowsheet's 'Min' beside 'Max' is a minimum."""
    heads = " | ".join(columns)
    return (
        any(DATE_HEAD.search(c) for c in columns)
        and any(STAFF_HEAD.search(c) or ACTIVITY_HEAD.search(c) for c in columns)
        and not re.search(r"\b(?:max|maximum|avg|average|mean)\b", heads, re.I)
    )


def _minutes_column(text: str, table: Table) -> dict[int, str]:
    """Row start -> the row's minutes cell: a column labelled as minutes, or one labelled 'Time'
    whose cells are counts of minutes rather than clock times."""
    if any(MINUTES_HEAD.search(c) for c in table.columns):
        return _cell_map(text, table, MINUTES_HEAD)
    cells = _cell_map(text, table, TIME_HEAD)
    counts = [c for c in cells.values() if MINUTE_VALUE.match(c)]
    return cells if cells and len(counts) >= 0.8 * len(cells) else {}


def _table_rows(text: str, table: Table, index: int, year: int | None) -> PageRows:
    out = PageRows()
    minutes = _minutes_column(text, table)
    if not minutes or not _is_time_log(table.columns):
        return out
    staff = _cell_map(_dates_set_apart(text, table), table, STAFF_HEAD)
    flags, running = _cell_map(text, table, FLAG_HEAD), _cell_map(text, table, RUNNING_HEAD)
    above = _title_staff(text, table)
    previous_running = 0
    spans = table.rows
    for i, (start, end) in enumerate(spans):
        line = text[start:end]
        if is_total(line) or re.search(r"\btotal\b", line, re.I):
            out.totals.append((line, list(out.rows)))
            continue
        day = _day(line, year)
        value = MINUTE_VALUE.match(minutes.get(start, ""))
        if day is None or not value:
            continue
        stop = end  # a wrapped cell's next lines belong to the row
        for nxt_start, nxt_end in spans[i + 1 :]:
            if _day(text[nxt_start:nxt_end], year) or is_total(text[nxt_start:nxt_end]):
                break
            stop = nxt_end
        row = RawRow(
            start,
            end,
            day,
            int(value.group(1)),
            staff_in_cell(staff[start]) if start in staff else above,
            " ".join(text[start:stop].split()),
            f"table{index}",
        )
        flag = flags.get(start)
        if start in running and (r := MINUTE_VALUE.match(running[start])):
            if int(r.group(1)) - previous_running != row.minutes:
                row.chart_says = "not added to the log's running total"
            previous_running = int(r.group(1))
        if flag is not None and NO_FLAG.match(flag):
            row.chart_says = "marked not billable in the log"
        elif flag is None:
            row.chart_says = row.chart_says or _skip_reason(text[start:stop])
        if UNANSWERED.search(text[start:stop]) and not REACHED.search(text[start:stop]):
            row.chart_says = "unanswered attempt"
        out.rows.append(row)
    last = spans[-1][1] if spans else table.header[1]
    for a, b in _lines(text[last:])[:3]:
        line = text[last + a : last + b]
        if (is_total(line) or re.search(r"\btotal\b", line, re.I) or len(NOTE_MINUTES.findall(line)) >= 2) and not (
            _day(line, year)
        ):
            out.totals.append((line, list(out.rows)))
    return out


def _entry_end(
    text: str, lines: list[tuple[int, int]], i: int, taken: set[int], year: int | None, inner: bool = False
) -> tuple[int, list[int]]:
    """Where the entry opening at line `i` ends (the index of its first line past the body) and the
    entries nested in its body: a dated line indented deeper, after the body has begun, is an
    entry quoted inside this one (a copy carried forward), not the end of it. A nested (`inner`)
    entry ends where a line steps back out to the note around it."""
    first = text[lines[i][0] : lines[i][1]]
    indent = len(first) - len(first.lstrip())
    j, body_indent, nested = i + 1, None, []
    while j < len(lines):
        line = text[lines[j][0] : lines[j][1]]
        depth = len(line) - len(line.lstrip())
        if RULE.match(line) or lines[j][0] in taken or _is_total_line(line) or (inner and depth < indent):
            break
        if _entry_day(line, year):
            if body_indent is None or body_indent <= indent or depth <= indent:
                break
            nested.append(j)
        if body_indent is None:
            body_indent = depth
        if body_indent > indent and depth <= indent:
            break
        if body_indent <= indent and j > i + 3:
            break
        j += 1
    return j, nested


def _entries(text: str, taken: set[int], year: int | None) -> PageRows:
    """Dated entries outside tables: a first line opening with a date, its body the lines below
    (indented deeper, or up to the next date or rule), less any entry nested in it."""
    out = PageRows()
    lines = _lines(text)
    i, inner = 0, set()
    while i < len(lines):
        start, end = lines[i]
        first = text[start:end]
        day = _entry_day(first, year)
        if start in taken or day is None:
            if _is_total_line(first) and out.rows:
                out.totals.append((first, [r for r in out.rows if r.source.startswith("entry")]))
            i += 1
            continue
        j, nested = _entry_end(text, lines, i, taken, year, i in inner)
        inner |= set(nested)
        stop = lines[j - 1][1]
        own = list(text[start:stop])
        for k in nested:
            a, b = lines[k][0], lines[_entry_end(text, lines, k, taken, year, True)[0] - 1][1]
            own[a - start : b - start] = " " * (b - a)
        block = "".join(own)
        hits = list(NOTE_MINUTES.finditer(block))
        if hits:
            hit = hits[-1]
            quote_end = start + hit.end("unit")
            segments = [s for s in SEGMENT_GAP.split(LEAD_DATE.sub("", first, count=1)) if s.strip()]
            staff = staff_in_line(segments)
            if not staff.who:
                found = people_in(block)
                staff = found[-1] if found else staff
            minutes = int(hit.group(1) or hit.group(2))
            row = RawRow(start, quote_end, day, minutes, staff, " ".join(block.split()), f"entry{i}")
            row.chart_says = _skip_reason(block)
            out.rows.append(row)
        i = nested[0] if nested else j
    return out


def _joined_headers(text: str) -> str:
    """`text` as a header reader expects it, offsets kept: a header's wrapped second line blanked
    ('Counts' over '(99457/8)', 'Running' over 'billable') and a label's question mark dropped
    ('Billable?')."""
    out = list(text)
    for a, b in _lines(text):
        line = text[a:b].rstrip()
        if line.endswith("?") and is_header(line[:-1]):
            out[a + len(line) - 1] = " "
    flat = "".join(out)
    lines = _lines(flat)
    for (a, b), (c, d), (e, f) in zip(lines, lines[1:], lines[2:]):
        label = flat[c:d]
        if is_header(flat[a:b]) and len(label.split()) <= 3 and not _day(label, None) and _day(flat[e:f], None):
            out[c:d] = " " * (d - c)
    return "".join(out)


def page_rows(text: str, year: int | None = None) -> PageRows:
    """Every row of time on a page, tables first, then dated entries outside them. `year` reads a
    date written without one ('3/18')."""
    out = PageRows()
    logs = []
    for index, table in enumerate(find_tables(_joined_headers(text))):
        found = _table_rows(text, table, index, year)
        out.rows += found.rows
        out.totals += found.totals
        if found.rows:
            logs.append(table)
    taken = row_starts(logs) | {t.header[0] for t in logs}
    entries = _entries(text, taken, year)
    out.rows += entries.rows
    out.totals += entries.totals
    return out


def total_numbers(line: str) -> set[int]:
    return {int(float(n)) for n in numbers_in(words_as_digits(line)) if re.fullmatch(r"\d{1,4}", n)}
