"""Regions of a scanned page: columns, sidebars, boxes and grid cells, found from tesseract's word
boxes so that each is read on its own.

tesseract (`--psm 3`) often reads two columns set side by side as one block whose lines run
across both ('Mrs. Ostrowski called about swelling in Discussed a low sodium diet and
reviewed'), and a narrow sidebar of metrics beside a note as cells of the note's lines: a quote
then interleaves the two line by line and the sidebar's figures are cited with words that are
not theirs. What sets regions apart is a gutter: a band of white, wider than any space between
words, that runs down through many lines with text on both sides of it.

Rows are tesseract's lines (block, paragraph and line numbers) grouped by height on the page,
whatever block they came from. Sweeping down the rows, a gap between two words that is
`GUTTER` characters wide opens a gutter; each row below narrows it to the white it leaves (a
row with text on one side only leaves it open, unless it lies far below: a footer), and a row
whose words cross it ends it; then it is followed up over the rows above that leave it white (a
sidebar that starts higher than the note). A gutter with text on each side in `GUTTER_ROWS` rows or more splits the page when what
lies on either side reads as regions, not as cells of one table or of one form:

- neither side may be a form's labels ('Orders:' beside its value) nor a table's key column (a
  date or a code at each row);
- both sides running text (in enough rows, one run of five words or more with no cell-wide gap
  inside) split;
- running text beside a sidebar of 'label: value' lines splits; beside anything else it splits
  unless a table header at the top heads both sides;
- two lists of terse lines (three words or more, row after row on both sides) split unless a
  table header heads them, and even then when two rows title both sides (a grid of boxes, each
  row of boxes titled: 'Subjective   Objective', later 'Assessment   Plan').

The page is cut recursively at the gutter with the most two-sided rows: what lies above it,
its left side, its right side, what lies below; each piece is searched again (a sidebar beside
two columns). Marks that are only punctuation, and tiny low-confidence marks (fax specks, a box's
rule read as '|'), never block a gutter. A tesseract line cut by a gutter loses its paragraph
numbers (they described the merged line); the lines of its region are then set in paragraphs by
the white between them.
"""

import math
import re
import statistics
from dataclasses import dataclass, field

from service.records.tables import ROW_VALUE, is_header

GUTTER = 2.5
"""A white band this many characters wide can part two regions; spaces between words are far
narrower and cells of a table are usually set at least two apart."""
GUTTER_ROWS = 3
"""Rows with text on both sides before a gutter counts: two rows side by side are as often a
form's header ('Patient: ...   DOB: ...') as two regions."""
PROSE_WORDS = 5
"""A run of this many words with no cell-wide gap is running text, not a cell or a metric."""
LIST_WORDS = 3
"""Lines of this many words on both sides, row after row, are two lists of notes (a grid of
terse boxes), not a label beside its value."""
FAR = 2.5
"""White this many line heights tall above a row sets it apart from the rows of a gutter."""
CELL_GAP = 2.0
"""A gap this many characters wide sets two cells apart; words in a cell sit about one apart
(`ocr_layout` rebuilds table rows with the same measure)."""
SPECK = re.compile(r"^[\W_]+$")
"""A mark that is only punctuation: a fax speck, a rule read as '|', '_' or '—'."""
LABEL_END = re.compile(r"[:;]$")
PAIR = re.compile(r"^\W{0,2}[A-Za-z][\w ./#%()-]{0,30}:\s*\S")
"""'Home BP readings: 27/30 days': a sidebar's metric."""
KEY = re.compile(r"^\W{0,2}[\d/.:-]+$")


@dataclass
class Gutter:
    x0: float
    x1: float
    first: int
    last: int
    both: list[int] = field(default_factory=list)


def is_speck(word) -> bool:
    return bool(SPECK.match(word.text)) or (len(word.text) <= 3 and word.conf < 40)


def _rows(lines: list[list]) -> list[list]:
    """Words grouped into rows: tesseract's lines (whatever their block) whose middles lie within
    half a line height of each other, top to bottom."""
    boxes = []
    for words in lines:
        top = min(w.top for w in words)
        bottom = max(w.top + w.height for w in words)
        boxes.append(((top + bottom) / 2, bottom - top, words))
    boxes.sort(key=lambda b: b[0])
    rows: list[list] = []
    anchor = None
    for middle, height, words in boxes:
        if anchor and abs(middle - anchor[0]) < 0.5 * min(height, anchor[1]):
            rows[-1].extend(words)
        else:
            rows.append(list(words))
            anchor = (middle, height)
    return rows


def _whites(row: list) -> list[tuple[float, float, bool]]:
    """The row's white stretches (left, right, between two words?), specks ignored."""
    spans = sorted((w.left, w.right) for w in row if not is_speck(w))
    if not spans:
        return [(-math.inf, math.inf, False)]
    out = [(-math.inf, spans[0][0], False)]
    reach = spans[0][1]
    for left, right in spans[1:]:
        if left > reach:
            out.append((reach, left, True))
        reach = max(reach, right)
    out.append((reach, math.inf, False))
    return out


def _top(row: list) -> float:
    return min(w.top for w in row)


def _bottom(row: list) -> float:
    return max(w.top + w.height for w in row)


def find_gutters(rows: list[list], width: float) -> list[Gutter]:
    """Every white band at least `width` wide that opens between two words of a row, followed
    down the rows while it stays that wide, then up over rows that leave it white. A row with
    text on one side only that lies far (`FAR` line heights) from the rows of the gutter is not
    taken in: a footer under two columns is no part of the left one."""
    if not rows:
        return []
    far = FAR * statistics.median(_bottom(row) - _top(row) for row in rows)
    done: list[Gutter] = []
    active: list[Gutter] = []
    for r, row in enumerate(rows):
        whites = _whites(row)
        still = []
        for g in active:
            best = None
            for a, b, between in whites:
                lo, hi = max(a, g.x0), min(b, g.x1)
                if hi - lo >= width and (best is None or hi - lo > best[1] - best[0]):
                    best = (lo, hi, between)
            if best is None or (not best[2] and _top(row) - _bottom(rows[g.last]) > far):
                done.append(g)
                continue
            g.x0, g.x1, g.last = best[0], best[1], r
            if best[2]:
                g.both.append(r)
            still.append(g)
        for a, b, between in whites:
            if between and b - a >= width and not any(g.x0 < b and a < g.x1 for g in still):
                still.append(Gutter(a, b, r, r, [r]))
        active = still
    gutters = done + active
    for g in gutters:
        while (
            g.first > 0
            and _top(rows[g.first]) - _bottom(rows[g.first - 1]) <= far
            and not any(g.x0 < w.right and w.left < g.x1 for w in rows[g.first - 1] if not is_speck(w))
        ):
            g.first -= 1
    return gutters


def segments(words: list, char: float) -> list[list]:
    """Runs of words (left to right) with no cell-wide gap inside."""
    out: list[list] = []
    for word in sorted((w for w in words if not is_speck(w)), key=lambda w: w.left):
        if out and word.left - out[-1][-1].right < CELL_GAP * char:
            out[-1].append(word)
        else:
            out.append([word])
    return out


def _text(words: list) -> str:
    return " ".join(w.text for w in words)


def _sides(g: Gutter, rows: list[list], r: int) -> tuple[list, list]:
    middle = (g.x0 + g.x1) / 2
    left = [w for w in rows[r] if (w.left + w.right) / 2 < middle]
    return left, [w for w in rows[r] if (w.left + w.right) / 2 >= middle]


def _parts(g: Gutter, rows: list[list], char: float) -> tuple[list, list]:
    """Each side's runs of words, row by row over the gutter's height (rows with nothing on that
    side left out): a sidebar set at another line pitch than the note beside it shares few
    rows with it."""
    lefts, rights = [], []
    for r in range(g.first, g.last + 1):
        left, right = (segments(side, char) for side in _sides(g, rows, r))
        if left:
            lefts.append(left)
        if right:
            rights.append(right)
    return lefts, rights


def _prose(parts: list[list[list]], words: int = PROSE_WORDS) -> int:
    return sum(len(segs) == 1 and len(segs[0]) >= words for segs in parts)


def _titles(g: Gutter, rows: list[list], char: float) -> int:
    """Rows that title both sides ('Subjective   Objective'): one short capitalised run each."""

    def title(segs: list[list]) -> bool:
        return (
            len(segs) == 1
            and len(segs[0]) <= 2
            and segs[0][0].text[:1].isupper()
            and not re.search(r"\d", _text(segs[0]))
        )

    return sum(all(title(segments(side, char)) for side in _sides(g, rows, r)) for r in g.both)


def _headed_table(g: Gutter, rows: list[list], char: float) -> bool:
    """A row at the top of the gutter (or just above it) is a table header with labels on both
    sides: the gutter parts two columns of that table."""
    for r in range(max(0, g.first - 1), min(g.first + 2, len(rows))):
        left, right = _sides(g, rows, r)
        segs = segments(rows[r], char)
        if left and right and len(segs) >= 2 and is_header("   ".join(_text(s) for s in segs)):
            return True
    return False


def splits(g: Gutter, rows: list[list], char: float) -> bool:
    """Do the two sides of the gutter read as regions of their own (see the module's rules)?"""
    lefts, rights = _parts(g, rows, char)
    nl, nr = len(lefts), len(rights)
    if min(nl, nr) < GUTTER_ROWS:
        return False
    left_prose = _prose(lefts) >= max(2, math.ceil(0.4 * nl))
    right_prose = _prose(rights) >= max(2, math.ceil(0.4 * nr))
    lists = _prose(lefts, LIST_WORDS) >= 0.5 * nl and _prose(rights, LIST_WORDS) >= 0.5 * nr
    if not (left_prose or right_prose or lists):
        return False
    nearest = [_text(segs[-1]) for segs in lefts]
    labels = sum(len(t.split()) <= 4 and bool(LABEL_END.search(t)) for t in nearest)
    keys = sum(bool(KEY.match(t) or (ROW_VALUE.match(t.lstrip("([|")) and len(t.split()) <= 2)) for t in nearest)
    if labels >= 0.6 * nl or keys >= 0.5 * nl:
        return False
    if left_prose and right_prose:
        return True
    if not (left_prose or right_prose):
        return _titles(g, rows, char) >= 2 or not _headed_table(g, rows, char)
    other = rights if left_prose else lefts
    if sum(bool(PAIR.match(_text(segs[0]))) for segs in other) >= 0.5 * len(other):
        return True
    return not _headed_table(g, rows, char)


def _lines_of(words: list) -> list[list]:
    """Words back into tesseract's lines, in tesseract's order."""
    lines: dict[tuple, list] = {}
    for word in sorted(words, key=lambda w: w.order):
        lines.setdefault(word.line, []).append(word)
    return [sorted(ws, key=lambda w: w.left) for ws in lines.values()]


def _cut(lines: list[list], char: float, depth: int = 0) -> list[list[list]]:
    rows = _rows(lines)
    found = [g for g in find_gutters(rows, GUTTER * char) if splits(g, rows, char)]
    if not found or depth > 8:
        return [lines]
    g = max(found, key=lambda g: (len(g.both), g.last - g.first))
    above = [w for row in rows[: g.first] for w in row]
    below = [w for row in rows[g.last + 1 :] for w in row]
    left, right = [], []
    for r in range(g.first, g.last + 1):
        a, b = _sides(g, rows, r)
        left += a
        right += b
    crossed = {w.line for w in left if not is_speck(w)} & {w.line for w in right if not is_speck(w)}
    for word in left + right:
        if word.line in crossed:
            word.cut = True
    out = []
    for part in (above, left, right, below):
        if part:
            out += _cut(_lines_of(part), char, depth + 1)
    return out


def _reparagraph(lines: list[list], tag: str) -> list[list]:
    """A region holding pieces of cut lines: its lines top to bottom, a paragraph ending where
    the white above a line is taller than most of a line, or where tesseract ended one between
    two lines it read whole."""
    lines = sorted(lines, key=lambda ws: min(w.top for w in ws))
    height = statistics.median(max(w.top + w.height for w in ws) - min(w.top for w in ws) for ws in lines)
    numbers, paragraph = [], 0
    for last, words in zip([None, *lines], lines):
        if last is not None:
            white = min(w.top for w in words) - max(w.top + w.height for w in last)
            whole = not any(w.cut for w in words + last)
            if white > 0.8 * height or (whole and words[0].paragraph != last[0].paragraph):
                paragraph += 1
        numbers.append(paragraph)
    for words, number in zip(lines, numbers):
        for w in words:
            w.paragraph = (tag, str(number))
    return lines


def find_regions(lines: list[list], char: float) -> list[list[list]]:
    """The page's regions in reading order (top to bottom; side by side, left to right), each
    as tesseract's lines (lists of words, left to right)."""
    if not lines:
        return []
    regions = _cut(lines, char)
    if len(regions) == 1:
        return regions
    return [
        _reparagraph(lines, f"region{i}") if any(w.cut for ws in lines for w in ws) else lines
        for i, lines in enumerate(regions)
    ]
