"""Which way up a scanned page is: a fax sent upside down or a landscape log scanned sideways
reads as garbage until it is turned. A page whose first read is upright text (sure words on flat
lines) is left alone at no cost; any other is asked of tesseract's orientation detection (OSD) on
a downscaled copy, and a doubtful answer is settled by quick reads of the candidate turns.

Rotations are degrees clockwise that make the page upright (0, 90, 180, 270), as PDF's /Rotate
counts them.
"""

import re

from PIL import Image

from service.records.ocr_layout import Word, parse_tsv
from service.records.tesseract import png, run_tesseract

OSD_SIDE = 2200
"""Long side, in pixels, of the copy OSD looks at (200 dpi for a letter page). It answered all 28
turned foreign scans rightly down to 1600 px, and wrongly on 3 at 1200 px; below 2200 it saves
little time, since OSD's cost is mostly page layout, not pixels."""
SURE = 5.0
"""OSD's orientation confidence from which its answer is taken as is. Right answers on the
foreign scans at OSD_SIDE scored 5.9 to 22; the wrong ones seen on smaller copies, under 2."""
CHECK_SIDE = 1100
"""Long side of the quick reads that settle a doubtful answer: about 0.4 s of CPU each, and on
the foreign scans the upright read's mean word confidence (70-84) stands far above the upside
down one's (28-39)."""
MARGIN = 15.0
"""How much surer tesseract must be of one of two opposite turns to take it."""

UPRIGHT_CONFIDENCE = 60.0
"""Mean word confidence from which a read counts as upright text. Upright foreign scans read at
74-84 and clean pages at 96; upside-down ones at 31-40."""
UPRIGHT_TALL = 0.25
"""Share of words (3 characters or more) taller than wide up to which a read counts as lying on
flat lines. tesseract reads a sideways page as vertical lines when it reads it at all: 0.95-1.0 of
its words stand tall, against 0.02 at most on upright pages."""

TURNS = {90: Image.Transpose.ROTATE_270, 180: Image.Transpose.ROTATE_180, 270: Image.Transpose.ROTATE_90}
ROTATE = re.compile(r"^Rotate:\s*(\d+)\s*$", re.MULTILINE)
CONFIDENCE = re.compile(r"^Orientation confidence:\s*([\d.]+)\s*$", re.MULTILINE)


def turn(image: Image.Image, rotation: int) -> Image.Image:
    """The image turned `rotation` degrees clockwise (PIL's transposes turn counterclockwise)."""
    return image.transpose(TURNS[rotation]) if rotation in TURNS else image


def _small(image: Image.Image, side: int) -> Image.Image:
    if max(image.size) <= side:
        return image
    copy = image.copy()
    copy.thumbnail((side, side))
    return copy


def detect(image: Image.Image, timeout_s: float) -> tuple[int, float] | None:
    """OSD's (rotation, confidence), or None when it has no answer: too few characters on the
    page (tesseract exits nonzero), or output it does not recognise."""
    done = run_tesseract(png(_small(image, OSD_SIDE)), ["--psm", "0"], timeout_s)
    if done.returncode != 0:
        return None
    out = done.stdout.decode("utf-8", errors="replace")
    rotate, confidence = ROTATE.search(out), CONFIDENCE.search(out)
    if rotate is None or confidence is None or int(rotate.group(1)) % 360 not in (0, 90, 180, 270):
        return None
    return int(rotate.group(1)) % 360, float(confidence.group(1))


def words(tsv: str) -> list[Word]:
    """Every word in tesseract's TSV output (`ocr_layout.parse_tsv`, which reads it for layout)."""
    return [word for line in parse_tsv(tsv) for word in line]


def confidence(tsv: str) -> float:
    """tesseract's mean confidence over the words it read (0 when it read none)."""
    read = words(tsv)
    return sum(w.conf for w in read) / len(read) if read else 0.0


def reads_upright(tsv: str) -> bool:
    """The read is upright text: tesseract is sure of its words and they lie on flat lines."""
    long = [w for w in words(tsv) if len(w.text) >= 3]
    if not long or confidence(tsv) < UPRIGHT_CONFIDENCE:
        return False
    return sum(w.height > w.right - w.left for w in long) <= UPRIGHT_TALL * len(long)


def mean_word_confidence(image: Image.Image, lang: str, timeout_s: float) -> float:
    done = run_tesseract(png(image), ["-l", lang, "--psm", "3", "tsv"], timeout_s)
    return confidence(done.stdout.decode("utf-8", errors="replace")) if done.returncode == 0 else 0.0


def settle(image: Image.Image, rotation: int, lang: str, timeout_s: float) -> int:
    """A doubtful OSD answer weighed against the opposite turn, OSD's usual slip (on small copies
    it mistook 0 for 180 and 90 for 270, never one axis for the other): of the two, the one whose
    quick read tesseract is clearly surer of wins; when neither is, the page stays as it is.
    A sideways read is no yardstick: tesseract reads clean sideways lines nearly as surely."""
    quick = _small(image, CHECK_SIDE)
    opposite = (rotation + 180) % 360
    guess, other = (mean_word_confidence(turn(quick, r), lang, timeout_s) for r in (rotation, opposite))
    if guess >= other + MARGIN:
        return rotation
    return opposite if other >= guess + MARGIN else 0


def page_rotation(image: Image.Image, lang: str, timeout_s: float) -> int:
    """Degrees clockwise that make a rendered page upright; 0 when tesseract cannot tell."""
    found = detect(image, timeout_s)
    if found is None:
        return 0
    rotation, confidence = found
    if rotation == 0 or confidence >= SURE:
        return rotation
    return settle(image, rotation, lang, timeout_s)
