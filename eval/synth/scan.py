"""Renders a page as a scanner would: a grey bitmap with no text layer.

Uses a real TrueType font (DejaVu Sans, else reportlab's bundled Vera) so the same
font drives layout metrics and pixels. Tesseract reads it reliably except for
tokens mixing letters with 0/1 (I10 -> 110, A1c -> Alc); `ocr_safe` lets the case
builder keep such facts off scanned pages.
"""

from __future__ import annotations

import functools
import os
import re
import subprocess

import numpy as np
from PIL import Image, ImageDraw, ImageFont
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from .compose import PAGE_H, PAGE_W, Page, Style, compose

DPI = 200
SCAN_SCALE = 1.12  # scans are printed a little larger, which also helps OCR
_DEBIAN = "/usr/share/fonts/truetype/dejavu/{}.ttf"
_FAMILIES = [("DejaVu Sans", "DejaVuSans")]


def _fc_match(family: str, style: str, stem: str) -> str | None:
    try:
        out = subprocess.run(
            ["fc-match", "-f", "%{file}", f"{family}:style={style}"], capture_output=True, text=True, timeout=5
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return out if os.path.basename(out).startswith(stem) and os.path.exists(out) else None


_CONFUSABLE = re.compile(r"[IlO]\d|\d[IlO]|[A-Za-z][01]|[01][A-Za-z]")


def ocr_safe(phrase: str) -> bool:
    """False if OCR is likely to misread the phrase: letters touching 0/1, I/l/O touching
    digits, or short tokens like "lb" whose l reads as I."""
    for tok in phrase.split():
        word = tok.strip(".,;:()")
        if any(c.isdigit() for c in word) and _CONFUSABLE.search(word):
            return False
        if len(word) <= 3 and any(c in "lI" for c in word):
            return False
    return True


@functools.lru_cache(maxsize=1)
def font_paths() -> tuple[str, str]:
    """(regular, bold) TTF paths: DejaVu Sans from Debian's path or fontconfig, else
    reportlab's bundled Vera (the same design, so OCR behaves alike)."""
    for family, stem in _FAMILIES:
        reg, bold = _DEBIAN.format(stem), _DEBIAN.format(stem + "-Bold")
        if os.path.exists(reg) and os.path.exists(bold):
            return reg, bold
        reg, bold = _fc_match(family, "Book", stem), _fc_match(family, "Bold", stem + "-Bold")
        if reg and bold:
            return reg, bold
    import reportlab

    base = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
    return os.path.join(base, "Vera.ttf"), os.path.join(base, "VeraBd.ttf")


@functools.lru_cache(maxsize=4)
def scan_style(scale: float = SCAN_SCALE) -> Style:
    """A layout style whose metrics are those of the scan font (registered once)."""
    reg, bold = font_paths()
    if "SynthScan" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("SynthScan", reg))
        pdfmetrics.registerFont(TTFont("SynthScan-Bold", bold))
    return Style("SynthScan", "SynthScan-Bold", scale)


@functools.lru_cache(maxsize=64)
def _pil_font(bold: bool, px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(font_paths()[1 if bold else 0], px)


def scan_ops(page: Page) -> list[tuple]:
    """Ops in the scan font, shrinking the scale if the larger print would overflow."""
    for scale in (SCAN_SCALE, 1.0, 0.92):
        ops, fits = compose(page, scan_style(scale))
        if fits:
            return ops
    return ops


def rasterize(page: Page, dpi: int = DPI) -> Image.Image:
    """Draw the page into an 8-bit grey image, then tilt it and add speckle."""
    k = dpi / 72.0
    w, h = round(PAGE_W * k), round(PAGE_H * k)
    img = Image.new("L", (w, h), 255)
    draw = ImageDraw.Draw(img)
    for op in scan_ops(page):
        if op[0] == "text":
            _, x, y, font, size, s = op
            draw.text((x * k, y * k), s, fill=20, anchor="ls", font=_pil_font(font.endswith("Bold"), round(size * k)))
        else:
            _, x1, y1, x2, y2, lw = op
            draw.line([(x1 * k, y1 * k), (x2 * k, y2 * k)], fill=110, width=1)
    if page.rotate:
        img = img.rotate(page.rotate, resample=Image.Resampling.BICUBIC, fillcolor=255)
    if page.noise:
        img = _speckle(img, page.noise, page.seed)
    return img


def _speckle(img: Image.Image, density: float, seed: int) -> Image.Image:
    """Sparse dark dots and a faint grey cast, like a photocopied page."""
    rng = np.random.default_rng(seed)
    a = np.asarray(img, dtype=np.int16).copy()
    a = np.minimum(a, 246)
    n = int(density * a.size)
    ys = rng.integers(0, a.shape[0] - 1, n)
    xs = rng.integers(0, a.shape[1] - 1, n)
    shade = rng.integers(150, 225, n)  # light enough to vanish when OCR binarizes
    a[ys, xs] = np.minimum(a[ys, xs], shade)
    a[ys + 1, xs] = np.minimum(a[ys + 1, xs], shade + 20)
    return Image.fromarray(a.clip(0, 255).astype(np.uint8), mode="L")
