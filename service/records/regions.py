"""A text-layer page cut into the regions a reader reads one at a time, from where its words lie.

Read line by line across the page, two prose columns interleave, a narrow sidebar of
'Label: value' lines runs into the note beside it, and the four boxes of a SOAP grid read
across each other, so a quote takes words from two places. Here the page is cut into:

- boxes: drawn rectangles holding two lines of text or more (a rectangle holding one line is a
  table cell, a shaded header or a stripe; three boxes side by side are a table's cells);
- column bands in the rest: lines with a white gutter at one place, whose sides are running
  prose (two columns) or running prose beside a narrow column of short lines (a sidebar). Lines
  split into three cells or more are a table's rows and end a band: a table is read row by row.

Regions are read top to bottom; regions side by side (columns, a row of boxes, a note and the
box beside it) left to right. Each region prints as layout text of its own, and regions are
set apart by `REGION_BREAK`, which no sentence crosses (`spans`).
"""

import bisect
import re
import statistics
from dataclasses import dataclass

from service.records.page_words import Box, PageGeometry, Word
from service.records.spans import TERMINAL

GUTTER = 1.0
"""A gap at least this many line heights wide inside a line sets two columns (or cells) apart."""
SPACED = 2.0
"""A white space this many line heights high above a line ends a band of columns (a footer)."""
TABLE_CELLS = 3
"""Boxes side by side, or pieces of one line, this many or more are a table's cells."""
DANGLING = re.compile(r"(?:,|\s(?:the|of|and|or|to|with|for|a|an|in|on|by|at|from|per|re|w/))$", re.IGNORECASE)

Line = list[Word]


@dataclass
class Region:
    lines: list[Line]

    @property
    def x0(self) -> float:
        return min(w.x0 for line in self.lines for w in line)

    @property
    def x1(self) -> float:
        return max(w.x1 for line in self.lines for w in line)

    @property
    def top(self) -> float:
        return min(w.top for line in self.lines for w in line)

    @property
    def bottom(self) -> float:
        return max(w.bottom for line in self.lines for w in line)


def lines_of(words: list[Word]) -> list[Line]:
    """Words grouped into printed lines (sharing most of their height), top to bottom, each
    left to right."""
    lines: list[Line] = []
    middle = 0.0  # the mean middle of the last line's words
    for word in sorted(words, key=lambda w: (w.middle, w.x0)):
        if lines and abs(word.middle - middle) < 0.4 * (word.bottom - word.top):
            lines[-1].append(word)
            middle += (word.middle - middle) / len(lines[-1])
        else:
            lines.append([word])
            middle = word.middle
    return [sorted(line, key=lambda w: w.x0) for line in lines]


def _height(lines: list[Line]) -> float:
    return statistics.median(w.bottom - w.top for line in lines for w in line)


def _pieces(line: Line, gap: float) -> list[Line]:
    """Runs of words with no gap of `gap` points inside."""
    out = [[line[0]]]
    for word in line[1:]:
        if word.x0 - out[-1][-1].x1 >= gap:
            out.append([word])
        else:
            out[-1].append(word)
    return out


def _text(words: Line) -> str:
    return " ".join(w.text for w in words)


def _runs_on(line: Line, after: Line) -> bool:
    """A line runs on into the next: the next opens lower case, or this one ends on a comma or
    on a word no sentence ends on."""
    if not line or not after:
        return False
    text = _text(line)
    return not TERMINAL.search(text) and (after[0].text[:1].islower() or bool(DANGLING.search(text)))


def _prose(lines: list[Line]) -> bool:
    """Running text: lines of four words or more on average, wrapped into the next at least once."""
    filled = [line for line in lines if line]
    if len(filled) < 2 or statistics.mean(len(line) for line in filled) < 4:
        return False
    return any(_runs_on(line, after) for line, after in zip(lines, lines[1:]))


def _short(lines: list[Line]) -> bool:
    """A sidebar's lines: short ones ('A1c   7.2%', 'Meter uploads: 26/30 days')."""
    filled = [line for line in lines if line]
    return len(filled) >= 2 and statistics.median(len(line) for line in filled) <= 5


Sides = tuple[Line, Line]


def _sides(lines: list[Line], middle: float, strip: float) -> list[Sides | None]:
    """Each line cut at the gutter (left words, right words), or None when a word crosses the
    gutter's strip, or both sides hold words and one of them is cut again by a wide gap into
    cells and the other too (a table row)."""
    out: list[Sides | None] = []
    for line in lines:
        if any(w.x0 < middle + strip and w.x1 > middle - strip for w in line):
            out.append(None)
            continue
        left = [w for w in line if w.x1 <= middle]
        right = [w for w in line if w.x0 >= middle]
        cells = [len(_pieces(side, strip * 3)) for side in (left, right) if side]
        out.append(None if len(cells) == 2 and min(cells) >= 2 else (left, right))
    return out


def _band(lines: list[Line]) -> tuple[int, int, float] | None:
    """(first line, last line, gutter's middle) of the longest run of lines split by one white
    gutter into two regions (`_apart`)."""
    height = _height(lines)
    gap = GUTTER * height
    candidates: list[float] = []
    for line in lines:
        pieces = _pieces(line, gap)
        for after in pieces[1:]:
            edge = after[0].x0 - gap / 2  # just left of where the right column starts
            if all(abs(edge - c) > height for c in candidates):
                candidates.append(edge)
    apart = [False] + [
        after[0].top - max(w.bottom for w in line) > SPACED * height for line, after in zip(lines, lines[1:])
    ]
    best = None
    for middle in candidates:
        sides = _sides(lines, middle, gap / 3)
        start = 0
        while start < len(sides):
            if sides[start] is None:
                start += 1
                continue
            end = start
            while end + 1 < len(sides) and sides[end + 1] is not None and not apart[end + 1]:
                end += 1
            run = [side for side in sides[start : end + 1] if side is not None]  # none is None: see above
            if _apart(run, gap) and (best is None or end - start > best[1] - best[0]):
                best = (start, end, middle)
            start = end + 1
    return best


def _width(lines: list[Line]) -> float:
    return max(w.x1 for line in lines for w in line) - min(w.x0 for line in lines for w in line)


def _one_piece(lines: list[Line], gap: float) -> bool:
    return all(len(_pieces(line, gap)) == 1 for line in lines)


def _misaligned(sides: list[Sides]) -> bool:
    """The two sides were set on baselines of their own (other type sizes or line spacing): most
    lines with words on both sides have them at different heights. A table's cells share their
    row's baseline."""
    both = [(left, right) for left, right in sides if left and right]
    off = sum(
        abs(statistics.median(w.bottom for w in left) - statistics.median(w.bottom for w in right)) > 1.0
        for left, right in both
    )
    return off >= 0.5 * len(both)


def _apart(sides: list[Sides], gap: float) -> bool:
    """Two regions side by side, not a table's columns nor a form's labels beside their
    values: two columns of prose; prose beside a narrow column of short lines (`_sidebar`);
    or two columns set on baselines of their own."""
    left = [s[0] for s in sides if s[0]]
    right = [s[1] for s in sides if s[1]]
    if sum(bool(a and b) for a, b in sides) < 2 or len(left) < 2 or len(right) < 2:
        return False
    plain_left, plain_right = _one_piece(left, gap), _one_piece(right, gap)
    if plain_left and plain_right and (_prose(left) and _prose(right) or _misaligned(sides)):
        return True
    if plain_left and _prose(left) and _width(right) < 0.7 * _width(left):
        return _sidebar([s[1] for s in sides], sides, gap)
    if plain_right and _prose(right) and _width(left) < 0.7 * _width(right):
        return _sidebar([s[0] for s in sides], sides, gap)
    return False


LABEL_VALUE = re.compile(r"\S:\s+\S")


def _sidebar(column: list[Line], sides: list[Sides], gap: float) -> bool:
    """A sidebar beside a note: short lines, each an item of its own (a label with its value
    after a colon or set apart: 'A1c: 7.2%', 'Lows under 70   2'), one under the other with no
    line of the note between them, or set on baselines of their own. A form's labels ('Goals:')
    stand only where a value begins, and the item column of a two-column table holds no values."""
    filled = [line for line in column if line]
    if not _short(filled):
        return False
    items = sum(len(_pieces(line, gap)) == 2 or bool(LABEL_VALUE.search(_text(line))) for line in filled)
    if items < 0.6 * len(filled):
        return False
    first = next(i for i, line in enumerate(column) if line)
    last = max(i for i, line in enumerate(column) if line)
    return all(column[first : last + 1]) or _misaligned(sides)


def _flow_regions(lines: list[Line]) -> list[Region]:
    """Lines outside boxes, cut into the lines above a column band, its left and right
    columns, and the lines below (which may hold another band)."""
    if not lines:
        return []
    found = _band(lines)
    if found is None:
        return [Region(lines)]
    first, last, middle = found
    left = [[w for w in line if w.x1 <= middle] for line in lines[first : last + 1]]
    right = [[w for w in line if w.x0 >= middle] for line in lines[first : last + 1]]
    above = [Region(lines[:first])] if first else []
    columns = [Region([line for line in side if line]) for side in (left, right)]
    return above + columns + _flow_regions(lines[last + 1 :])


def _text_boxes(geometry: PageGeometry) -> list[Box]:
    """Drawn rectangles that frame a region: two lines of text or more, not a table's cell
    (three or more rectangles holding text side by side, or a rectangle beside one holding a
    single line: a value beside its label's cell), not framing another such box."""
    words = sorted(geometry.words, key=lambda w: w.middle)
    middles = [w.middle for w in words]
    lines = {}
    for box in set(geometry.boxes):
        near = words[bisect.bisect_left(middles, box.top - 1) : bisect.bisect_right(middles, box.bottom + 1)]
        lines[box] = len(lines_of([w for w in near if box.holds(w)]))
    holding = sorted((box for box, count in lines.items() if count), key=lambda b: b.top)
    beside: dict[Box, list[Box]] = {box: [] for box in holding}
    for i, box in enumerate(holding):
        for other in holding[i + 1 :]:
            if other.top >= box.bottom:
                break
            if _side_by_side(box, other):
                beside[box].append(other)
                beside[other].append(box)
    cells = {
        box for box in holding if len(beside[box]) + 1 >= TABLE_CELLS or any(lines[other] == 1 for other in beside[box])
    }
    held = [box for box in holding if lines[box] >= 2 and box not in cells]
    return [box for box in held if not any(_inside(other, box) for other in held)]


def _side_by_side(a: Box, b: Box) -> bool:
    overlap = min(a.bottom, b.bottom) - max(a.top, b.top)
    return overlap > 0.5 * min(a.bottom - a.top, b.bottom - b.top) and (a.x1 <= b.x0 + 2 or b.x1 <= a.x0 + 2)


def _inside(a: Box, b: Box) -> bool:
    return a != b and b.x0 - 1 <= a.x0 and a.x1 <= b.x1 + 1 and b.top - 1 <= a.top and a.bottom <= b.bottom + 1


def _cut_at_boxes(lines: list[Line], boxes: list[Box]) -> list[list[Line]]:
    """Flow lines in runs that no box lies between (a callout between two paragraphs) and that
    do not run past a box's top or bottom edge beside them (a letterhead beside a boxed
    patient header), unless a sentence runs on there (text flowing round a box)."""
    runs: list[list[Line]] = []
    for line in lines:
        if runs:
            above = runs[-1][-1]
            x0, x1 = min(w.x0 for w in above + line), max(w.x1 for w in above + line)
            bottom, top = max(w.bottom for w in above), min(w.top for w in line)
            low, high = statistics.median(w.middle for w in above), statistics.median(w.middle for w in line)
            across = [b for b in boxes if b.x0 < x1 and b.x1 > x0]
            between = any(bottom - 2 <= b.top and b.bottom <= top + 2 for b in across)
            edge = any(low < b.top < high or low < b.bottom < high for b in boxes)
            if not between and not (edge and not _runs_on(above, line)):
                runs[-1].append(line)
                continue
        runs.append([line])
    return runs


def _reading_order(regions: list[Region]) -> list[Region]:
    """Regions that share height form a row, read left to right; rows top to bottom."""
    rows: list[list[Region]] = []
    for region in sorted(regions, key=lambda r: r.top):
        row = next((row for row in rows if any(_share_height(region, other) for other in row)), None)
        if row is None:
            rows.append([region])
        else:
            row.append(region)
    ordered = []
    for row in sorted(rows, key=lambda row: min(r.top for r in row)):
        ordered += _left_to_right(row)
    return ordered


def _share_height(a: Region, b: Region) -> bool:
    overlap = min(a.bottom, b.bottom) - max(a.top, b.top)
    return overlap > 0.3 * min(a.bottom - a.top, b.bottom - b.top)


def _left_to_right(row: list[Region]) -> list[Region]:
    """A row's regions in columns left to right, each column top to bottom: regions whose
    left edges lie within a few points are one column (boxes stacked in a margin)."""
    columns: list[list[Region]] = []
    for region in sorted(row, key=lambda r: r.x0):
        if columns and region.x0 < max(r.x1 for r in columns[-1]) - 2 and region.x0 - columns[-1][0].x0 < 6:
            columns[-1].append(region)
        else:
            columns.append([region])
    return [region for column in columns for region in sorted(column, key=lambda r: r.top)]


def find_regions(geometry: PageGeometry) -> list[Region] | None:
    """The page's regions in reading order, or None when it is one region (read as it is)."""
    if not geometry.words:
        return None
    boxes = _text_boxes(geometry)
    boxed: list[Region] = []
    flow = list(geometry.words)
    for box in sorted(boxes, key=lambda b: (b.top, b.x0)):
        inside = [w for w in flow if box.holds(w)]
        flow = [w for w in flow if not box.holds(w)]
        if inside:
            boxed.append(Region(lines_of(inside)))
    regions = list(boxed)
    for run in _cut_at_boxes(lines_of(flow), boxes):
        regions += _flow_regions(run)
    regions = [r for r in regions if r.lines]
    if len(regions) < 2:
        return None
    return _reading_order(regions)


def _line_text(line: Line, origin: float, char: float) -> str:
    """One printed line as layout text: words a space apart, a wider gap kept as spaces in
    proportion (at least three: a table's cells stay apart), placed from the region's edge."""
    out = " " * max(0, round((line[0].x0 - origin) / char))
    out += line[0].text
    for before, word in zip(line, line[1:]):
        if word.x0 - before.x1 < 1.6 * char:
            out += " " + word.text
        else:
            out += " " * max(3, round((word.x0 - origin) / char) - len(out)) + word.text
    return out


def region_text(region: Region, char: float) -> str:
    origin = region.x0
    return (
        "\n".join(_line_text(line, origin, char) for line in lines_of([w for line in region.lines for w in line]))
        + "\n"
    )


def char_width(geometry: PageGeometry) -> float:
    """A narrow character's width on this page, for placing words in layout text: with a wider
    one a long line of a proportional font would run past where the next column starts, and a
    table's cells would no longer line up under their header."""
    widths = sorted((w.x1 - w.x0) / len(w.text) for w in geometry.words if len(w.text) >= 4)
    return widths[len(widths) // 5] if widths else 5.0
