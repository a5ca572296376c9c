"""Tables as they come out of a PDF's text layer or out of OCR: a header line, then rows.

Time logs (date | minutes | staff | activity), problem lists (problem | ICD-10 | status), gap
registries and device flowsheets print as one line per row, cells separated by runs of spaces
or rules, or (after OCR) by single spaces. A row is one fact and is quoted whole; the header says
what its cells mean, so the text we *score* for a row carries the header ('Minutes: 12'), while
the quote stays the row as printed. A 'Total' row is the table's strongest statement of time.
"""

import re
from dataclasses import dataclass, field

ROW_START = re.compile(
    r"^\W{0,3}(?:\d{1,2}[/.-]\d{1,2}(?:[/.-]\d{2,4})?|\d{4}-\d{2}-\d{2}|\d+[.)]?\s|total\b|[A-Z][a-z]{2}\s+\d{1,2}\b)",
    re.IGNORECASE,
)
CELL_GAP = re.compile(r"\s*\|\s*|\s{2,}|\t")
TOTAL = re.compile(
    r"^\W{0,3}(?:grand\s+)?total\b\W*(?:\d|\w+\s+\d+\s*(?:min|minutes|days|hrs|hours)\b)|"
    r"\btotal\s+\(?(?:time|minutes|min|mins|days|interactive|clinical|ccm|rpm|care|staff|for\s+the\s+month)\b|"
    r"\b(?:time|minutes|mins?)\s+(?:this|for\s+the)\s+(?:month|mo)\b\W{0,3}\d|"
    r"\b(?:cumulative|month[\s-]to[\s-]date)\s+(?:time|minutes|mins?)\b",
    re.IGNORECASE,
)
"""'Total 27', 'Total: 62 minutes', 'Total (mins): 40', 'Total interactive: 25 min', 'Interactive time this month: 32
min', 'Cumulative minutes'; not 'Total cholesterol 180' or 'Spent time this month on diet'."""
ICD10 = re.compile(r"\b[A-TV-Z]\d{2}(?:\.\d{1,4}[A-Z]?)?\b")
"""An ICD-10 code ('I10', 'E11.9'): what a problem list's rows carry."""
ROW_VALUE = re.compile(rf"\b\d{{1,2}}/\d{{1,2}}/\d{{2,4}}\b|\b\d{{4}}-\d{{2}}-\d{{2}}\b|{ICD10.pattern}")
"""What every row of a chart table carries on its first line: a date or an ICD-10 code."""
WORDS = re.compile(r"[A-Za-z][A-Za-z0-9'\-/#()%]*")


@dataclass
class Table:
    header: tuple[int, int]
    columns: list[str]
    rows: list[tuple[int, int]] = field(default_factory=list)


RULE = re.compile(r"^[\s=\-_*~+|.:#]+$")
"""A ruled line ('-----', '+----+----+', '====='): it separates, it says nothing."""


def _lines(text: str) -> list[tuple[int, int]]:
    out = []
    for m in re.finditer(r"[^\n]+", text):
        raw = m.group(0)
        if raw.strip() and not RULE.match(raw):
            lead = len(raw) - len(raw.lstrip())
            out.append((m.start() + lead, m.end() - (len(raw) - len(raw.rstrip()))))
    return out


def _cell_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Page offsets of the cells of one table line."""
    line, out, at = text[start:end], [], 0
    for gap in CELL_GAP.finditer(line):
        if line[at : gap.start()].strip(" |"):
            out.append((start + at, start + gap.start()))
        at = gap.end()
    if line[at:].strip(" |"):
        out.append((start + at, end))
    return out


def _cells(line: str) -> list[str]:
    flat = line.strip(" |")
    return [flat[a:b] for a, b in _cell_spans(flat, 0, len(flat))]


LABEL_PAIR = re.compile(r"\b[A-Za-z][A-Za-z .#]{0,20}:\s*\S")


PLACEHOLDER = re.compile(r"^(?:-{1,3}|\u2014|\u2013|n/?a|none|null)$", re.IGNORECASE)


COLUMN_DATE = re.compile(
    r"(?<![\w/])\d{1,2}/\d{1,2}(?:/\d{2,4})?(?![\w/])|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{4}\b|"
    r"(?<![\w/])(?:19|20)\d{2}(?![\w/])",
    re.IGNORECASE,
)
"""A date labelling a column ('Status 12/31', 'Nov 2025'): when the column's value was read."""


def _measure(label: str) -> str:
    """What a column measures: the first word of its label, its dates left out ('' for a date alone)."""
    words = WORDS.findall(COLUMN_DATE.sub(" ", label))
    return words[0].lower() if words else ""


def earlier_columns(columns: list[str]) -> set[int]:
    """Columns holding a measure at an earlier time than another column of the same table: the
    same measure labelled twice or more, at least once with a date ('Status at run' and 'Status
    12/31'; 'Sep 2025', 'Oct 2025', 'Nov 2025'). The rightmost of them is the row's current
    state; the others are what it was before."""
    groups: dict[str, list[int]] = {}
    for i, label in enumerate(columns):
        groups.setdefault(_measure(label), []).append(i)
    out: set[int] = set()
    for indexes in groups.values():
        if len(indexes) >= 2 and any(COLUMN_DATE.search(columns[i]) for i in indexes):
            out |= set(indexes[:-1])
    return out


def _dated_labels(line: str) -> bool:
    """Is every number of the line a date labelling a column of a repeated measure? Then it
    is still a header ('Measure  Status at run  Action  Status 12/31')."""
    cells = _cells(line)
    if len(cells) < 3 or re.search(r"\d", cells[0]) or not earlier_columns(cells):
        return False
    if any(re.search(r"\d", c) and not re.search(r"[A-Za-z]", c) for c in cells):
        return False  # '02/14/2025' alone is a value; a label names what it dates ('Status 12/31', 'Nov 2025')
    return not re.search(r"\d", COLUMN_DATE.sub(" ", " ".join(cells)))


def is_header(line: str) -> bool:
    """'Date  Minutes  Staff  Activity', 'PROBLEM | ICD-10 | STATUS': short labels, no values
    (a date may label the columns of one measure read at different times)."""
    flat = " ".join(line.split())
    words = WORDS.findall(flat)
    if not 2 <= len(words) <= 10 or flat[-1:] in ".!?;,:" or len(flat) > 90 or ":" in flat:
        return False
    if re.search(r"\d", re.sub(r"ICD-?\d+|Sp[O0]2|A1c|\(\w+\)|#", "", flat, flags=re.IGNORECASE)) and not _dated_labels(
        line
    ):
        return False
    cells = _cells(line)
    if any(PLACEHOLDER.match(c.strip()) for c in cells):
        return False  # '--' or 'n/a' stands for a missing value: a row
    if len(cells) >= 3:
        return sum(not c[:1].islower() for c in cells) >= len(cells) - 1 and all(len(c) <= 30 for c in cells)
    capitalised = sum(w[:1].isupper() for w in words) / len(words)
    return capitalised >= 0.75 and all(len(w) <= 14 for w in words)


def is_row(line: str, wide: int = 0) -> bool:
    """A line that reads as a table row: it opens with a date, a number or 'Total', or its cells
    are set apart by rules or runs of spaces; after OCR (spaces lost) a short line with a value."""
    flat = " ".join(line.split())
    if len(flat.split()) > 30 or len(LABEL_PAIR.findall(flat)) >= 2:
        return False
    if ROW_START.match(flat) or (len(_cells(line)) >= 3 and re.search(r"\d", flat)):
        return True
    short = len(flat) < 0.7 * wide if wide else len(flat.split()) <= 8
    return bool(re.search(r"\d", flat)) and len(flat.split()) <= 10 and not flat.endswith(".") and short


def _strong(line: str) -> bool:
    return bool(ROW_START.match(" ".join(line.split()))) or len(_cells(line)) >= 2


def find_tables(text: str) -> list[Table]:
    """Header lines followed by rows; rows run until prose resumes. A header in the first line of
    a page is its title unless its cells are set apart (rules or runs of spaces)."""
    lines = _lines(text)
    wide = max((b - a for a, b in lines), default=0)
    tables: list[Table] = []
    i = 0
    while i < len(lines):
        start, end = lines[i]
        header = text[start:end]
        following = [text[a:b] for a, b in lines[i + 1 : i + 4]]
        rows = [is_row(f, wide) for f in following]
        spaced = len(_cells(header)) >= 2
        opens = bool(following) and _strong(following[0]) and rows[0]
        if is_header(header) and opens and (spaced or i > 0):
            table = Table((start, end), _cells(header) if spaced else header.split())
            j = i + 1
            while j < len(lines):
                line = text[lines[j][0] : lines[j][1]]
                if is_header(line):
                    break
                if is_row(line, wide) or (spaced and len(_cells(line)) >= max(3, len(table.columns) - 1)):
                    table.rows.append(lines[j])  # or a row with no number: 'Urine ACR   OPEN   --   now   NEVER DONE'
                elif (
                    len(line.split()) <= 5
                    and not line.rstrip().endswith((".", ":"))
                    and j + 1 < len(lines)
                    and (is_row(text[lines[j + 1][0] : lines[j + 1][1]], wide) or line[:1].islower())
                ):
                    table.rows.append(lines[j])  # a wrapped cell's second line
                else:
                    break
                j += 1
            tables.append(table)
            i = j
        else:
            i += 1
    return tables


def row_context(text: str, tables: list[Table]) -> dict[int, str]:
    """Line start -> the header words that frame that row ('Date Minutes Staff Activity')."""
    out = {}
    for table in tables:
        header = " ".join(text[table.header[0] : table.header[1]].split())
        for start, end in table.rows:
            cells = _cells(text[start:end])
            if len(cells) == len(table.columns) and len(cells) >= 2:
                out[start] = "; ".join(f"{h}: {c}" for h, c in zip(table.columns, cells))
            else:
                out[start] = f"{header}: {' '.join(text[start:end].split())}"
    return out


def current_rows(text: str, tables: list[Table]) -> dict[int, str]:
    """Line start -> a row read under its header without the cells of its earlier columns
    ('Status at run: NOT GIVEN' beside 'Status 12/31: CLOSED' is what the row was, not what it
    says now). Only rows of tables with earlier columns whose cells match the header one to one."""
    out = {}
    for table in tables:
        earlier = earlier_columns(table.columns)
        if not earlier:
            continue
        for start, end in table.rows:
            cells = _cells(text[start:end])
            if len(cells) == len(table.columns):
                out[start] = "; ".join(
                    f"{h}: {c}" for i, (h, c) in enumerate(zip(table.columns, cells)) if i not in earlier
                )
    return out


def cells_under(text: str, tables: list[Table], header: re.Pattern) -> list[tuple[int, int]]:
    """Page offsets of the row cells whose column header matches `header` ('Last done', 'Due'):
    cells matched to header cells one to one, or else by where they stand on the line."""
    out = []
    for table in tables:
        heads = _cell_spans(text, *table.header)
        head_line = text.rfind("\n", 0, table.header[0]) + 1
        wanted = [i for i, (a, b) in enumerate(heads) if header.search(text[a:b])]
        if not wanted:
            continue
        for start, end in table.rows:
            cells = _cell_spans(text, start, end)
            if len(cells) == len(heads):
                out += [cells[i] for i in wanted]
                continue
            row_line = text.rfind("\n", 0, start) + 1
            for a, b in cells:
                column = max((i for i, (h, _) in enumerate(heads) if h - head_line <= a - row_line + 1), default=None)
                if column in wanted:
                    out.append((a, b))
    return out


def is_total(text: str) -> bool:
    return bool(TOTAL.search(" ".join(text.split())))


def row_starts(tables: list[Table]) -> set[int]:
    return {start for table in tables for start, _ in table.rows}
