"""Words of a ruled table that tesseract was unsure of, read again one at a time.

Once a table's rules are painted over, a short cell stands alone between wide gaps, and
tesseract's line reader, reading the row as one line, may garble it: a group code "CO" came out
"(ole)" at confidence 32-45 in three rows of four, and the denied amount was taken from the
wrong rows. The same word cut out and read as one line of its own (`--psm 7`) reads "CO" at 72-84.
So a word under `UNSURE` is read again alone, and the second reading replaces it only when it is
one word, surer than the first and at least `SURE`. A box with next to no dark ink (a rule's faint
remnant read as "__") is not read again: alone it would be read as something ("5").

A table has few unsure words, and each costs one short tesseract run; `MAX_WORDS` bounds a
table where most words are unsure (a bad scan is better left as read than read twice).
"""

from __future__ import annotations

import csv
import io

import numpy as np
from PIL import Image

from service.records.tesseract import OcrUnavailable, png, tesseract_tsv, word_rows

UNSURE = 60.0
"""A word read below this confidence is read again alone."""
SURE = 70.0
"""The second reading replaces the first only at this confidence or above."""
MAX_WORDS = 24
"""At most this many words of one table are read again."""
DARK = 128
"""A pixel darker than this is a letter's stroke (a rule's remnant after cleanup is light grey)."""
MIN_DARK = 0.03
"""A box whose dark pixels cover less than this share of it holds no word to read again."""


def reread_unsure(tsv: str, image: Image.Image, lang: str, timeout_s: float) -> str:
    """`tsv` (tesseract's reading of `image`) with its unsure words replaced by surer readings of
    each word alone; everything else, positions included, as it was."""
    rows = list(csv.reader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE))
    if not rows:
        return tsv
    header = rows[0]
    try:
        at = {name: header.index(name) for name in ("level", "left", "top", "width", "height", "conf", "text")}
    except ValueError:
        return tsv
    grey = np.asarray(image.convert("L"))
    done = 0
    for row in rows[1:]:
        if done >= MAX_WORDS:
            break
        if len(row) != len(header) or row[at["level"]] != "5" or not row[at["text"]].strip():
            continue
        conf = float(row[at["conf"]] or -1)
        if conf >= UNSURE:
            continue
        left, top, width, height = (int(row[at[k]]) for k in ("left", "top", "width", "height"))
        box = grey[top : top + height, left : left + width]
        if box.size == 0 or (box < DARK).mean() < MIN_DARK:
            continue
        done += 1
        again = _read_alone(image, (left, top, width, height), lang, timeout_s)
        if again is not None and again[1] >= SURE and again[1] > conf:
            row[at["text"]], row[at["conf"]] = again[0], f"{again[1]:.6f}"
    return "".join("\t".join(row) + "\n" for row in rows)


def _read_alone(
    image: Image.Image, box: tuple[int, int, int, int], lang: str, timeout_s: float
) -> tuple[str, float] | None:
    """The word in `box` read as a line of its own (with a margin of paper around it): its text
    and confidence, or None unless it reads as exactly one word."""
    left, top, width, height = box
    margin = max(6, height // 3)
    crop = image.crop(
        (
            max(0, left - margin),
            max(0, top - margin),
            min(image.width, left + width + margin),
            min(image.height, top + height + margin),
        )
    )
    try:
        tsv = tesseract_tsv(png(crop), lang, timeout_s, psm=7)
    except OcrUnavailable:
        return None
    words = [(row["text"].strip(), float(row.get("conf") or -1)) for row in word_rows(tsv)]
    return words[0] if len(words) == 1 else None
