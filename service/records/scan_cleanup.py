"""A scanned page made easier to read before tesseract sees it: table rules and speckle removed.

A ruled table's lines are read as characters: a vertical rule beside a cell comes out as '|',
'(' or a stray quote ('(07/05/2025', 'Video |15'), and a horizontal rule under a row joins it to
the next in tesseract's line finding, so two rows come out on one line and the layout can no
longer tell the table's rows apart. Rules are long and thin; text strokes are short (a letter's
stem is at most about two text heights tall) or thick across (a word's letters touching in a
poor fax still leave its stems standing across every row of pixels). So a run of dark pixels
much longer than a text height, one or two strokes thin, is a rule: it is painted over with
the paper's shade.

A fax sent at 200 dpi or less in black and white also carries speckle: lone dots of a pixel or
two that tesseract reads as periods, commas and quotes between words, or that widen a word's box
into the next column. Specks far smaller than a letter with no bigger ink near them are painted
over. Scaling such a fax up before OCR, or blurring it a little, was measured on the foreign
faxes and left out: scaling 1.5x lost 6 points of character accuracy, the blur won under one,
nearly all of it on one page (accuracy as `eval/bench_ocr.py` measures it).

Everything is numpy and scipy.ndimage on the page's grey pixels, rules found at half resolution:
under a second for a letter page at 300 dpi, small beside tesseract's seconds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from PIL import Image
from scipy import ndimage

INK_BELOW_PAPER = 30
"""A pixel this much darker than the paper is ink (faint grey rules included)."""
RULE_TEXT_HEIGHTS = 4.0
"""A rule runs at least this many text heights (a long stroke: no letter is that tall or wide)."""
RULE_TEXT_HEIGHTS_JOINED = 2.0
"""A vertical rule that meets a horizontal one may be shorter: a one-row table's side."""
RULE_THICKNESS = 0.35
"""A rule is at most this fraction of a text height thick (a bold stem is thicker than a rule)."""
SPECK_AREA = 0.04
"""A speck's area, at most, as a fraction of a text height squared. A period may be as small (a
fax's dots grow when it is scaled to 300 dpi), so only a speck with no bigger ink beside it
goes: a period sits against its word. 0.04 read the foreign faxes best (0.012: specks of a fax
stayed; 0.06 and 0.1: periods and dots went)."""


@dataclass
class Cleaned:
    image: Image.Image
    rules: int
    specks: int
    grids: list[tuple[int, int, int, int]] = field(default_factory=list)
    """(left, top, right, bottom) of each ruled grid (a table boxed in rules) found on the page."""


def paper_shade(grey: np.ndarray) -> int:
    return int(np.median(grey))


@dataclass
class Pieces:
    """The page's connected pieces of ink (8-connected): labels, boxes and sizes."""

    labels: np.ndarray
    boxes: np.ndarray
    sizes: np.ndarray

    @classmethod
    def of(cls, ink: np.ndarray) -> Pieces:
        labels, count = ndimage.label(ink, structure=np.ones((3, 3), dtype=bool))
        boxes = np.array(
            [(b[0].start, b[0].stop, b[1].start, b[1].stop) for b in ndimage.find_objects(labels)], dtype=np.int32
        ).reshape(-1, 4)
        sizes = np.bincount(labels[ink], minlength=count + 1)[1:]
        return cls(labels, boxes, sizes)


def text_height(pieces: Pieces) -> float | None:
    """Median height of the page's letters (pieces of ink of a letter's proportions)."""
    heights = pieces.boxes[:, 1] - pieces.boxes[:, 0]
    widths = pieces.boxes[:, 3] - pieces.boxes[:, 2]
    letters = heights[(heights >= 6) & (widths >= 2) & (heights <= 8 * widths) & (widths <= 4 * heights)]
    if len(letters) < 20:
        return None
    return float(np.median(letters))


def run_lengths(mask: np.ndarray, axis: int) -> np.ndarray:
    """For every True pixel, the length of the run of True pixels along `axis` it lies in (0 elsewhere)."""
    return run_sums(mask, mask, axis)


def _grow(mask: np.ndarray, across: int, down: int) -> np.ndarray:
    """The mask dilated by a box `across` pixels either side and `down` pixels above and below."""
    out = mask.view(np.uint8)
    if across:
        out = ndimage.maximum_filter1d(out, 2 * across + 1, axis=1)
    if down:
        out = ndimage.maximum_filter1d(out, 2 * down + 1, axis=0)
    return out.astype(bool)


def run_sums(mask: np.ndarray, weight: np.ndarray, axis: int) -> np.ndarray:
    """For every True pixel, how many `weight` pixels the run of True pixels along `axis` it lies
    in holds (0 elsewhere)."""
    m, w = (mask, weight) if axis == 1 else (mask.T, weight.T)
    rows, cols = m.shape
    padded = np.zeros((rows, cols + 1), dtype=bool)
    padded[:, :cols] = m
    flat = padded.ravel()
    edges = np.diff(flat.astype(np.int8), prepend=np.int8(0))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    counts = np.zeros(flat.size + 1, dtype=np.int32)
    counts[1:][: rows * (cols + 1)].reshape(rows, cols + 1)[:, :cols] = w & m
    total = np.cumsum(counts, dtype=np.int32)
    held = total[ends] - total[starts]
    marks = np.zeros(flat.size + 1, dtype=np.int32)
    marks[starts] += held
    marks[ends] -= held
    out = np.cumsum(marks[:-1], dtype=np.int32).reshape(rows, cols + 1)[:, :cols]
    return out if axis == 1 else out.T


def _pool(mask: np.ndarray, f: int) -> np.ndarray:
    """Any ink in each f x f square: rules stay whole at a quarter of the pixels."""
    if f == 1:
        return mask
    rows, cols = -(-mask.shape[0] // f) * f, -(-mask.shape[1] // f) * f
    padded = np.zeros((rows, cols), dtype=bool)
    padded[: mask.shape[0], : mask.shape[1]] = mask
    return padded.reshape(rows // f, f, cols // f, f).any(axis=(1, 3))


def _unpool(mask: np.ndarray, f: int, shape: tuple[int, ...]) -> np.ndarray:
    if f == 1:
        return mask
    return np.repeat(np.repeat(mask, f, axis=0), f, axis=1)[: shape[0], : shape[1]]


def _grids(horizontal: np.ndarray, vertical: np.ndarray, f: int) -> list[tuple[int, int, int, int]]:
    """Boxes of the rules that meet as a table's grid: at least three horizontal rules (top, under
    the header, bottom) and two vertical ones joined together. A stamp's frame (two and two) or a
    letterhead's rule is none."""
    joined, count = ndimage.label(_grow(horizontal | vertical, 2, 2))
    out = []
    h_labels, _ = ndimage.label(horizontal, structure=np.ones((3, 3), dtype=bool))
    v_labels, _ = ndimage.label(vertical, structure=np.ones((3, 3), dtype=bool))
    for i, box in enumerate(ndimage.find_objects(joined), 1):
        inside = joined[box] == i
        rows = len(np.unique(h_labels[box][inside & (h_labels[box] > 0)]))
        sides = len(np.unique(v_labels[box][inside & (v_labels[box] > 0)]))
        if rows >= 3 and sides >= 2:
            out.append((box[1].start * f, box[0].start * f, box[1].stop * f, box[0].stop * f))
    return out


def _rules(ink: np.ndarray, height: float) -> tuple[np.ndarray, list[tuple[int, int, int, int]]]:
    """Pixels of horizontal and vertical rules, and the boxes of the grids they form."""
    f = 2 if height >= 20 else 1
    small, height = _pool(ink, f), height / f
    thick = max(2, int(round(RULE_THICKNESS * height)))
    long = RULE_TEXT_HEIGHTS * height
    # thin across: a rule pixel's run in the other direction is short
    thin_v = (run_lengths(small, 0) <= thick) & small
    # a rule a little off level steps by a pixel every so often: let a run step one row up or down
    near = _grow(thin_v, 0, 1)
    horizontal = _grow(run_lengths(near, 1) >= long, 0, 1) & small
    rest = small & ~horizontal
    thin_h = (run_lengths(rest, 1) <= thick) & rest
    near = _grow(thin_h, 1, 0)
    # a vertical rule crosses the horizontal ones (their pixels do not break it); one that meets
    # a horizontal rule may be as short as a one-row table's side
    through = near | horizontal
    runs = run_lengths(through, 0)
    meets = run_sums(through, horizontal, 0) > 0
    vertical = ((runs >= long) | ((runs >= RULE_TEXT_HEIGHTS_JOINED * height) & meets)) & near
    vertical = _grow(vertical, 1, 0) & small
    return _unpool(horizontal | vertical, f, ink.shape) & ink, _grids(horizontal, vertical, f)


def _specks(pieces: Pieces, ink: np.ndarray, height: float) -> list[int]:
    """Lone dots far smaller than a letter with no bigger ink within about half a text height (a
    period or a colon against its word, an i's dot over its stem keep theirs): their piece
    indexes. Other specks do not count as company: a bad fax's specks lie close together."""
    small = np.flatnonzero(pieces.sizes <= max(1.0, SPECK_AREA * height * height))
    if len(small) == 0:
        return []
    lookup = np.zeros(len(pieces.sizes) + 1, dtype=bool)
    lookup[small + 1] = True
    big = ink & ~lookup[pieces.labels]
    # bigger ink looked for in cells of a fifth of a text height: a speck's own 5 x 5 cells reach 0.4 to 0.6 of one
    cell = max(2, int(round(0.2 * height)))
    near = ndimage.maximum_filter(_pool(big, cell).view(np.uint8), size=5)
    y = (pieces.boxes[small, 0] + pieces.boxes[small, 1]) // 2 // cell
    x = (pieces.boxes[small, 2] + pieces.boxes[small, 3]) // 2 // cell
    return [int(i) for i in small[near[y, x] == 0]]


def clean(image: Image.Image, rules: bool = True, specks: bool = True) -> Cleaned:
    """The page with its rules and specks painted over in the paper's shade."""
    grey = np.asarray(image.convert("L"))
    paper = paper_shade(grey)
    ink = grey < paper - INK_BELOW_PAPER
    pieces = Pieces.of(ink)
    height = text_height(pieces)
    if height is None or not (rules or specks):
        return Cleaned(image, 0, 0)
    out = grey.copy()
    found, grids = _rules(ink, height) if rules else (None, [])
    if found is not None:
        out[found] = paper
    lone = _specks(pieces, ink, height) if specks else []
    for i in lone:
        top, bottom, left, right = pieces.boxes[i]
        box = out[top:bottom, left:right]
        box[pieces.labels[top:bottom, left:right] == i + 1] = paper
    return Cleaned(Image.fromarray(out, mode="L"), int(found.sum()) if found is not None else 0, len(lone), grids)
