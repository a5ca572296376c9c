"""Table rows whose cells wrap, folded back onto one line, in a text layer's layout text.

An EHR export prints a registry or time-log row whose long cells wrap under themselves: the
row's first line carries its date or ICD-10 code, the next lines carry only the rest of the
long cells ('Phone call w/ pt re' / 'home BP log'). Read line by line the words of one row
interleave with each other, a quote of the row reads scrambled, and its cells lose their
header. OCR text is folded the same way from word boxes (`ocr_layout`); here the columns are
character positions.

A table opens at a header line (`tables.is_header`, cells set apart by runs of spaces) whose
first row, aligned under it within three lines (a rule may sit between), holds a date or an
ICD-10 code: that cell's column is the key column. A later line with text in the key column
and cells that keep to the columns starts a row ('ongoing' in a date column too); a line that
leaves it blank, whose pieces each sit inside one column under a cell that had filled its
column, continues the row above. Anything else ends the table. A row that printed on one line
is left byte for byte.
"""

import re

from service.records.tables import ROW_VALUE, RULE, is_header, is_row, is_total

PIECE = re.compile(r"\S+(?: \S+)*")
"""A run of text with no double space inside: one cell's text on one line."""
SLACK = 2
"""Characters a wrapped cell's line may start off its column's edge."""
HEAD_WORDS = 4
"""A column label is a few words ('Date of service'); 'CCM CARE PLAN - SUMMARY VIEW' is a title."""
FILL = 0.75
"""A cell wrapped when its line, with the next line's first word, would have filled this much of
its column: loose, as a text layer's character positions are approximate for proportional
fonts and columns are padded."""


def _pieces(line: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in PIECE.finditer(line)]


def _edges(lines: list[str]) -> list[int]:
    """Left edges of the columns: the starts of the header's and the first row's cells, merged
    when they lie within SLACK of each other."""
    starts = sorted(start for line in lines for start, _ in _pieces(line))
    edges: list[int] = []
    for start in starts:
        if not edges or start - edges[-1] > SLACK:
            edges.append(start)
    return edges


def _column(edges: list[int], start: int) -> int:
    return max((i for i, edge in enumerate(edges) if edge <= start + SLACK), default=0)


def _key_column(row: str, edges: list[int]) -> int | None:
    match = ROW_VALUE.search(row)
    if match is None:
        return None
    for start, end in _pieces(row):
        if start <= match.start() < end:
            return _column(edges, start)
    return None


def _in_key(line: str, edges: list[int], key: int) -> bool:
    low = edges[key] - SLACK
    high = edges[key + 1] - SLACK if key + 1 < len(edges) else 10**6
    return any(start < high and end > low for start, end in _pieces(line))


def _continues(line: str, edges: list[int], ends: dict[int, int], right: int) -> bool:
    """A wrapped row's next line: every piece sits inside one column, under a cell of the row,
    and is no sentence of its own; and at least one of those cells had nearly filled its column
    on the line above (`ends`: column -> where that cell's last line ended; `right`: the table's
    right edge). A note under the table that merely starts in a column's place ('Plan reviewed
    with pt.', 'Pt aware') was not wrapped there."""
    full = False
    for start, end in _pieces(line):
        column = _column(edges, start)
        limit = edges[column + 1] - 1 if column + 1 < len(edges) else right
        if start < edges[column] - SLACK or end > limit or column not in ends:
            return False
        piece = line[start:end]
        if piece[:1].isupper() and piece.endswith((".", "!", "?")) and len(piece.split()) >= 2:
            return False
        word = len(piece.split()[0])
        full = full or ends[column] + 1 + word - edges[column] >= FILL * (limit - edges[column])
    return full


def _fold(lines: list[str], edges: list[int]) -> str:
    """One row's lines as one line: each column's text in reading order, cells three spaces
    apart, indented as the row's first line was."""
    cells: dict[int, list[str]] = {}
    for line in lines:
        for start, end in _pieces(line):
            cells.setdefault(_column(edges, start), []).append(line[start:end])
    indent = len(lines[0]) - len(lines[0].lstrip())
    return " " * indent + "   ".join(" ".join(cells[c]) for c in sorted(cells))


def _fits(line: str, edges: list[int]) -> bool:
    """No piece runs across the next column's edge: a line of prose under a table does."""
    for start, end in _pieces(line):
        column = _column(edges, start)
        if column + 1 < len(edges) and end > edges[column + 1] - 1:
            return False
    return True


def _ends(line: str, edges: list[int]) -> dict[int, int]:
    return {_column(edges, start): end for start, end in _pieces(line)}


def _rows(lines: list[str], first_row: int, edges: list[int], key: int) -> list[list[str]]:
    """The table's rows from its first, each a list of its printed lines."""
    right = max(end for line in lines[: first_row + 1] for _, end in _pieces(line) or [(0, 0)])
    rows: list[list[str]] = [[lines[first_row]]]
    ends = _ends(lines[first_row], edges)
    for line in lines[first_row + 1 :]:
        if RULE.match(line):
            rows.append([line])  # a rule under a column ('----' above the total) ends the row
            ends = {}
            continue
        if is_total(line.strip()) or _in_key(line, edges, key):
            valued = ROW_VALUE.search(line) or is_total(line.strip()) or len(_pieces(line)) >= 2
            if not valued or not _fits(line, edges):
                break  # prose or a footer under the table ('ongoing' in a date column is a row)
            rows.append([line])
            ends = _ends(line, edges)
        elif _continues(line, edges, ends, right):
            rows[-1].append(line)
            ends.update(_ends(line, edges))
        else:
            break
        right = max(right, max(end for _, end in _pieces(line)))
    return rows


def _under(header: str, row: str) -> bool:
    """The row reads as a row and at least two of its cells start where header cells start: a
    letterhead ('RIVERBEND CLINIC      CARE PLAN') over a label line is no table header."""
    if not is_row(row) or any(len(header[a:b].split()) > HEAD_WORDS for a, b in _pieces(header)):
        return False
    heads = [start for start, _ in _pieces(header)]
    return sum(any(abs(start - h) <= SLACK for h in heads) for start, _ in _pieces(row)) >= 2


def _table_at(lines: list[str], i: int) -> tuple[int, list[int], int, list[str]] | None:
    """(first row's line, column edges, key column, wrapped header lines) when a table's header
    is line `i`, else None."""
    line = lines[i]
    first = next((j for j in range(i + 1, min(i + 4, len(lines))) if ROW_VALUE.search(lines[j])), None)
    if first is None or len(_pieces(line)) < 2 or not is_header(line) or not _under(line, lines[first]):
        return None
    edges = _edges([line, lines[first]])
    key = _key_column(lines[first], edges)
    between = [lines[j] for j in range(i + 1, first) if not RULE.match(lines[j])]
    if key is None or not all(_continues(b, edges, _ends(line, edges), len(line)) for b in between):
        return None
    return first, edges, key, between


def fold_rows(text: str) -> str:
    """Layout text with each wrapped table row on one line; every other line as it was."""
    lines = text.splitlines()
    out: list[str] = []
    i = 0
    while i < len(lines):
        table = _table_at(lines, i)
        if table is None:
            out.append(lines[i])
            i += 1
            continue
        first, edges, key, between = table
        out.append(_fold([lines[i], *between], edges) if between else lines[i])
        out += [lines[j] for j in range(i + 1, first) if RULE.match(lines[j])]
        rows = _rows(lines, first, edges, key)
        out += [row[0] if len(row) == 1 else _fold(row, edges) for row in rows]
        i = first + sum(len(row) for row in rows)
    return "\n".join(out) + ("\n" if text.endswith("\n") else "")
