"""Renders a page as a scanner would: a grey bitmap with no text layer.

Uses a real TrueType font (DejaVu Sans, else reportlab's bundled Vera) so the same
font drives both layout metrics and pixels, and the text stays large and clean
enough for tesseract.
"""
from __future__ import annotations

import functools
import os
import subprocess

import numpy as np
from PIL import Image, ImageDraw, ImageFont
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from .compose import PAGE_H, PAGE_W, Page, Style, compose

DPI = 200
SCAN_SCALE = 1.12  # scans are printed a little larger, which also helps OCR
_DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans{}.ttf"


def _fc_match(style: str) -> str | None:
    try:
        out = subprocess.run(["fc-match", "-f", "%{file}", f"DejaVu Sans:style={style}"],
                             capture_output=True, text=True, timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return out if out.endswith(".ttf") and "DejaVuSans" in out and os.path.exists(out) else None


@functools.lru_cache(maxsize=1)
def font_paths() -> tuple[str, str]:
    """(regular, bold) TTF paths: Debian's DejaVu, else fontconfig, else reportlab's Vera."""
    reg, bold = _DEJAVU.format(""), _DEJAVU.format("-Bold")
    if os.path.exists(reg) and os.path.exists(bold):
        return reg, bold
    reg, bold = _fc_match("Book"), _fc_match("Bold")
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
            draw.text((x * k, y * k), s, fill=20, anchor="ls",
                      font=_pil_font(font.endswith("Bold"), round(size * k)))
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
    shade = rng.integers(70, 190, n)
    a[ys, xs] = np.minimum(a[ys, xs], shade)
    a[ys + 1, xs] = np.minimum(a[ys + 1, xs], shade + 40)
    return Image.fromarray(a.clip(0, 255).astype(np.uint8), mode="L")
