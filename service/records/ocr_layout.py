"""Page text from tesseract's word boxes (its TSV output), with each table row on one line.

tesseract's plain text prints a scanned table the way the ink lies: a cell that wraps puts half
of its row on the next line ('05/22/2025 13 Marcus Phone call w/ ... / Ortega, RN pt daily'), so
a quoted row reads scrambled and its cells lose their headers. From the word boxes we rebuild
each row: a table starts at a header line whose next line holds a date or an ICD-10 code; a
line without one continues the row above it; words go to the column whose left edge they sit
under. Rows print with their cells set apart by three spaces, as a text layer prints them.
Everything else prints as tesseract prints it: words joined by single spaces, a blank line
between paragraphs.
"""

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, replace

from service.records.ocr_regions import CELL_GAP, find_regions
from service.records.tables import ROW_VALUE, is_header, is_total
from service.records.tesseract import word_rows

SAME_COLUMN = 1.5
"""Cell edges this close (in characters) are one column's edge."""
CELL_WORDS = 4
"""A piece of a line this short, alone in its block, is a cell of a row."""
PROSE_WORDS = 8
"""A run of this many words with no gap is prose under the table, not a wrapped cell."""


@dataclass
class Word:
    left: int
    right: int
    top: int
    height: int
    text: str
    paragraph: tuple[str, str]
    conf: float = 100.0
    line: tuple[str, str, str] = ("", "", "")
    order: int = 0
    cut: bool = False
    """Set when a gutter cut this word's tesseract line in two (`ocr_regions`)."""

    @property
    def middle(self) -> float:
        return self.top + self.height / 2


@dataclass
class Line:
    words: list[Word]

    @property
    def middle(self) -> float:
        return _middle(self.words)

    @property
    def height(self) -> float:
        return _height(self.words)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


Box = tuple[int, int, int, int]
"""(left, top, right, bottom) in page pixels."""


def parse_tsv(tsv: str, offset: tuple[int, int] = (0, 0), prefix: str = "") -> list[list[Word]]:
    """tesseract's lines, each a list of words left to right (a region's TSV: moved by `offset`
    onto the page, its blocks named apart by `prefix`)."""
    lines: dict[tuple, list[Word]] = {}
    for order, row in enumerate(word_rows(tsv)):
        text = row["text"].strip()
        left, top = int(row["left"]) + offset[0], int(row["top"]) + offset[1]
        key = (prefix + row["block_num"], row["par_num"], row["line_num"])
        conf = float(row.get("conf") or -1)
        word = Word(left, left + int(row["width"]), top, int(row["height"]), text, key[:2], conf, key, order)
        lines.setdefault(key, []).append(word)
    return [sorted(words, key=lambda w: w.left) for words in lines.values()]


def splice(found: list[list[Word]], regions: list[tuple[Box, str]]) -> list[list[Word]]:
    """The page's lines with each region's words (its own TSV, read apart) in place of the page's
    words inside it: a ruled grid is read again on its own as one block of rows, since the page
    reading may drop a narrow column of short numbers once the rules are gone."""
    for n, (box, tsv) in enumerate(regions):
        left, top, right, bottom = box
        inside = [  # most of the line: a rule mark read beside the grid's edge ('\\1 |') is no reason to keep it
            line
            for line in found
            if 2 * sum(left <= (w.left + w.right) / 2 <= right and top <= w.middle <= bottom for w in line) > len(line)
        ]
        region = parse_tsv(tsv, (left, top), f"grid{n}-")
        if not region:
            continue
        at = (
            found.index(inside[0])
            if inside
            else next((i for i, line in enumerate(found) if line[0].top > top), len(found))
        )
        kept = [line for line in found if not any(line is x for x in inside)]
        at = sum(1 for line in found[:at] if not any(line is x for x in inside))
        found = kept[:at] + region + kept[at:]
    return found


def _block_box(lines: list[list[Word]]) -> tuple[int, int, int, int]:
    words = [w for line in lines for w in line]
    return (
        min(w.left for w in words),
        max(w.right for w in words),
        min(w.top for w in words),
        max(w.top + w.height for w in words),
    )


def _middle(words: list[Word]) -> float:
    return statistics.median(w.middle for w in words)


def _height(words: list[Word]) -> float:
    return statistics.median(w.height for w in words)


def _side_by_side(a: list[list[Word]], b: list[list[Word]]) -> bool:
    """Two blocks that are columns of one table: a line of one sits on the baseline of a line of
    the other, and no two such lines overlap across the page (word boxes, not block boxes: a
    speck beside a word widens its box past the next column's edge)."""
    pairs = [(x, y) for x in a for y in b if abs(_middle(x) - _middle(y)) < 0.4 * max(_height(x), _height(y))]
    return bool(pairs) and not any(u.left < v.right and v.left < u.right for x, y in pairs for u in x for v in y)


def _stacked(a: list[list[list[Word]]], b: list[list[list[Word]]]) -> bool:
    """Two bands of column blocks, one just over the other, at least two of their columns starting
    at the same left edge: one table."""
    boxes_a, boxes_b = [_block_box(x) for x in a], [_block_box(x) for x in b]
    height = statistics.median(_height(line) for block in a + b for line in block)
    top_a, bottom_a = min(x[2] for x in boxes_a), max(x[3] for x in boxes_a)
    top_b, bottom_b = min(x[2] for x in boxes_b), max(x[3] for x in boxes_b)
    gap = max(top_b - bottom_a, top_a - bottom_b)
    if gap > 2.5 * height:
        return False
    aligned = sum(any(abs(x[0] - y[0]) <= 0.5 * height for y in boxes_b) for x in boxes_a)
    return aligned >= 2


def table_columns(found: list[list[Word]]) -> list[list[Word]]:
    """tesseract's lines with a table it read column by column (once its rules are gone, the
    white between columns looks like the gutter between text columns: 'Date Mode' / '07/05/2025
    Phone' ... then 'Minutes Staff' / '16' ...) put back row by row: blocks of short lines that
    stand side by side and share baselines, with dates or ICD-10 codes in their rows, are read as
    one block whose lines are the rows, top to bottom. Blocks holding a line of prose (many
    words) are never merged: two text columns stay in reading order."""
    blocks: dict[tuple[str, str], list[list[Word]]] = {}
    for words in found:  # a block's paragraphs may be columns too ('Patient name: ...' | 'DOB: ...')
        blocks.setdefault(words[0].paragraph, []).append(words)
    short = [k for k, lines in blocks.items() if all(len(line) < PROSE_WORDS for line in lines)]
    parent = {k: k for k in short}

    def root(k: tuple[str, str]) -> tuple[str, str]:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for i, a in enumerate(short):
        for b in short[i + 1 :]:
            if root(a) != root(b) and _side_by_side(blocks[a], blocks[b]):
                parent[root(b)] = root(a)

    def groups() -> list[list[tuple[str, str]]]:
        out: dict[tuple[str, str], list[tuple[str, str]]] = {}
        for k in short:
            out.setdefault(root(k), []).append(k)
        return list(out.values())

    joined = True
    while joined:  # one table's rows that tesseract cut into two bands of column blocks, one over the other
        joined = False
        bands = [g for g in groups() if len(g) >= 2]
        for i, upper in enumerate(bands):
            for lower in bands[i + 1 :]:
                if _stacked([blocks[k] for k in upper], [blocks[k] for k in lower]):
                    parent[root(lower[0])] = root(upper[0])
                    joined = True
                    break
            if joined:
                break
    merged: dict[tuple[str, str], tuple[str, str]] = {}
    for members in groups():
        lines = [line for k in members for line in blocks[k]]
        if len(members) >= 2 and sum(bool(ROW_VALUE.search(" ".join(w.text for w in line))) for line in lines) >= 2:
            merged.update(dict.fromkeys(members, members[0]))
    if not merged:
        return found
    out: list[list[Word]] = []
    placed: set[tuple[str, str]] = set()
    for words in found:
        block = words[0].paragraph
        if block not in merged:
            out.append(words)
            continue
        head = merged[block]
        if head in placed:
            continue
        placed.add(head)
        key = (head[0], "table")
        lines = sorted(
            ([replace(w, paragraph=key) for w in line] for k in blocks if merged.get(k) == head for line in blocks[k]),
            key=_middle,
        )
        rows: list[list[Word]] = []
        for line in lines:
            last = rows[-1] if rows else None
            if (
                last
                and abs(_middle(line) - _middle(last)) < 0.4 * max(_height(line), _height(last))
                and not any(x.left < y.right and y.left < x.right for x in line for y in last)
            ):
                last.extend(line)
                last.sort(key=lambda w: w.left)
            else:
                rows.append(list(line))
        out += rows
    return out


def physical_lines(found: list[list[Word]], char: float = 0.0) -> list[Line]:
    """tesseract's lines in its reading order, with two lines of one block that share a baseline
    (one printed row it read in two pieces) joined. Lines of different blocks are never joined:
    two prose columns side by side stay in reading order, one after the other."""
    joined: list[Line] = []
    for words in found:
        line, last = Line(words), joined[-1] if joined else None
        if (
            last
            and (
                last.words[0].paragraph[0] == line.words[0].paragraph[0]
                or _short_cells(last, line)
                or _next_cell(last, line, char)
            )
            and abs(line.middle - last.middle) < 0.4 * max(line.height, last.height)
            and not _overlap(line, last)
        ):
            last.words = sorted(last.words + line.words, key=lambda w: w.left)
        else:
            joined.append(line)
    return joined


def _short_cells(last: Line, line: Line) -> bool:
    """Two short pieces of one baseline that tesseract read as blocks of their own ('Portal
    logins' | '9 logins' | 'April 2026'): cells of one row, not two prose columns."""
    block = line.words[0].paragraph[0]
    before = [w for w in last.words if w.paragraph[0] != block]
    tail = [w for w in before if w.paragraph[0] == before[-1].paragraph[0]] if before else []
    return len(line.words) <= CELL_WORDS and 0 < len(tail) <= CELL_WORDS


def _next_cell(last: Line, line: Line, char: float) -> bool:
    """A row already of three cells or more ('05/12/2026   12   Lena Park, RN') takes the next
    piece of its baseline to its right as one more cell, however many words that cell holds
    ('Reviewed the home BP log', read as a block of its own under a ruled table's lines). Two
    regions side by side never meet here: `ocr_regions` parted them before."""
    return char > 0 and line.words[0].left > last.words[-1].right and len(_segments(last, char)) >= 3


def _overlap(a: Line, b: Line) -> bool:
    return any(x.left < y.right and y.left < x.right for x in a.words for y in b.words)


def _segments(line: Line, char: float) -> list[list[Word]]:
    """Runs of words with no cell-wide gap inside."""
    out = [[line.words[0]]]
    for word in line.words[1:]:
        if word.left - out[-1][-1].right >= CELL_GAP * char:
            out.append([word])
        else:
            out[-1].append(word)
    return out


def _cell_text(segments: list[list[Word]]) -> str:
    return "   ".join(" ".join(w.text for w in seg) for seg in segments)


def _is_table_header(line: Line, following: list[Line], char: float) -> bool:
    """Labels set apart by gaps, then a row (after, perhaps, the wrapped end of a label)."""
    segments = _segments(line, char)
    if not following or len(segments) < 2 or not is_header(_cell_text(segments)):
        return False
    if ROW_VALUE.search(following[0].text):
        return True
    return len(following[0].words) <= 2 and len(following) > 1 and bool(ROW_VALUE.search(following[1].text))


def _in_table(line: Line, block: str, char: float) -> bool:
    """Still the table: the header's block, or a row of cells that tesseract read as blocks of
    their own (opening with its date or 'Total', more cells set apart); and no run of prose (a
    segment of many words)."""
    own_block = any(w.paragraph[0] == block for w in line.words)
    opens_row = ROW_VALUE.match(line.text.lstrip("(|[")) or is_total(line.text)
    if not own_block and not (len(_segments(line, char)) >= 2 and opens_row):
        return False  # a signature line under the table ('Signature: C. Achebe, RN  Date: 7/31/25') is none
    return bool(ROW_VALUE.search(line.text)) or all(len(seg) < PROSE_WORDS for seg in _segments(line, char))


def _key_column(rows: list[Line], column_of) -> int | None:
    """The column where the first row holds its date or ICD-10 code: a later line with a cell
    starting there opens a row of its own, whatever that cell holds; a wrapped cell's next line
    leaves it blank."""
    if not rows:
        return None
    for word in rows[0].words:
        if ROW_VALUE.search(word.text):
            return column_of(word)
    return None


def _table(lines: list[Line], char: float) -> list[str]:
    """Rows of one table (its header first), each row's lines folded into one line of cells."""
    edges: list[int] = []
    last = None
    for start in sorted(seg[0].left for line in lines for seg in _segments(line, char)):
        if last is None or start - last > SAME_COLUMN * char:
            edges.append(start)  # a column's edge is the leftmost start of its cells
        last = start

    def column_of(word: Word) -> int:
        return max((i for i, e in enumerate(edges) if e <= word.left + 0.5 * char), default=0)

    key = _key_column(lines[1:], column_of)
    rows: list[list[Line]] = [[lines[0]]]
    for line in lines[1:]:
        keyed = key is not None and any(
            column_of(w) == key and abs(w.left - edges[key]) <= SAME_COLUMN * char for w in line.words
        )
        if ROW_VALUE.search(line.text) or is_total(line.text) or keyed:
            rows.append([line])  # 'Portal logins   9 logins   April 2026' has its key cell too
        else:
            rows[-1].append(line)  # a wrapped cell's next line
    out = []
    for row in rows:
        cells: dict[int, list[str]] = {}
        for line in row:
            for word in line.words:
                cells.setdefault(column_of(word), []).append(word.text)
        texts = [_unruled(cells[c]) for c in sorted(cells)]
        out.append("   ".join(t for t in texts if t))
    return out


def char_width(found: list[list[Word]]) -> float:
    """The page's median character width in pixels."""
    words = [w for line in found for w in line if len(w.text) >= 3]
    return statistics.median((w.right - w.left) / len(w.text) for w in words) if words else 1.0


RULE_MARKS = "|[](){}'`‘’"
"""What a table's rule is read as when it stands beside a cell's first or last letter."""


def _unruled(words: list[str]) -> str:
    """A cell's text without the rules read into it: a word of rule marks alone ('|'), a '|' at
    either end of a word, and an opening mark at the cell's start ('(07/05/2025', "'Minutes") or
    a closing one at its end with no partner in the cell ('RN )'); '(diabetes ed)' keeps its."""
    kept = [w.strip("|") for w in words if w.strip(RULE_MARKS)]
    text = " ".join(w for w in kept if w)
    for opening, closing in (("(", ")"), ("[", "]"), ("{", "}"), ("‘", "’")):
        if text.startswith(opening) and closing not in text:
            text = text[1:]
        if text.endswith(closing) and opening not in text:
            text = text[:-1]
    if text and text[0] in "'`" and text[0] not in text[1:]:
        text = text[1:]
    return text.strip()


def lay_out(tsv: str, regions: Sequence[tuple[Box, str]] = ()) -> str:
    """The page's text from tesseract's TSV: each region (column, sidebar, box; `ocr_regions`)
    on its own, a blank line between regions; in each, tables row by row, the rest line by line.
    `regions`: (box, TSV) of parts of the page read again apart, their words in place of the
    page's."""
    found = table_columns(splice(parse_tsv(tsv), list(regions)))
    for order, word in enumerate(w for line in found for w in line):
        word.order = order  # reading order, once spliced grids and rebuilt tables are in place
    char = char_width(found)
    texts = [_lay_out_region(physical_lines(region, char), char) for region in find_regions(found, char)]
    return "\n\n".join(t for t in texts if t) + "\n"


def _lay_out_region(lines: list[Line], char: float) -> str:
    out: list[str] = []
    paragraph = None
    i = 0
    while i < len(lines):
        line = lines[i]
        if _is_table_header(line, lines[i + 1 : i + 3], char):
            block = line.words[0].paragraph[0]
            j = i + 1
            while j < len(lines) and _in_table(lines[j], block, char):
                j += 1
            if out and out[-1]:
                out.append("")
            out += _table(lines[i:j], char)
            out.append("")
            paragraph = None
            i = j
            continue
        if paragraph is not None and line.words[0].paragraph != paragraph and out and out[-1]:
            out.append("")
        out.append(line.text)
        paragraph = line.words[0].paragraph
        i += 1
    return "\n".join(out).strip()
