"""Charts re-sent the way packets arrive from other offices: every page a fax image, no text layer.

A chart that reads well as typed pages may not read at all once it has gone through a fax
machine. This turns each record PDF into an image-only PDF of one kind, so the same chart and the
same expected facts measure the reading of pages as they arrive:

- `fax`: every page rendered at 200 dpi in grey, upright;
- `turned`: as `fax`, pages turned by 0, 90, 180 and 270 degrees in turn (a sideways page sent
  as a landscape page, an upside-down one as it lies);
- `bilevel`: a 200 dpi black-and-white fax with speckle;
- `lowres`: a 150 dpi black-and-white fax with speckle, turned as `turned`.

Nothing here reads the text: it only draws pixels, so a rule cannot learn the answer from it.
"""

from __future__ import annotations

import io
import random

import numpy as np
from PIL import Image
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from service.records.ocr import render_pages

KINDS = {
    "fax": {"dpi": 200, "turn": False, "bilevel": False},
    "turned": {"dpi": 200, "turn": True, "bilevel": False},
    "bilevel": {"dpi": 200, "turn": False, "bilevel": True},
    "lowres": {"dpi": 150, "turn": True, "bilevel": True},
}
TURNS = (0, 90, 180, 270)


def _bilevel(image: Image.Image, rng: random.Random) -> Image.Image:
    """Threshold to black and white, with dark specks as a fax line leaves them."""
    ink = np.asarray(image, dtype=np.uint8) < 150
    specks = np.random.default_rng(rng.randint(0, 2**31)).random(ink.shape) < 0.0006
    return Image.fromarray(np.where(ink | specks, 0, 255).astype(np.uint8), mode="L").convert("1")


def refax(data: bytes, kind: str, seed: int = 0) -> bytes:
    """The PDF `data` as an image-only PDF of the given kind; each page is sized to its image,
    so a page turned a quarter is a landscape page."""
    spec = KINDS[kind]
    rng = random.Random(seed)
    buffer = io.BytesIO()
    out = canvas.Canvas(buffer, invariant=1, pageCompression=1)
    for index, image in enumerate(render_pages(data, spec["dpi"])):
        if spec["bilevel"]:
            image = _bilevel(image, rng)
        if spec["turn"] and TURNS[index % len(TURNS)]:
            image = image.rotate(-TURNS[index % len(TURNS)], expand=True)  # PIL turns counter-clockwise
        width, height = (side * 72 / spec["dpi"] for side in image.size)
        out.setPageSize((width, height))
        out.drawImage(ImageReader(image), 0, 0, width=width, height=height)
        out.showPage()
    out.save()
    return buffer.getvalue()
