"""Small PDFs made on the fly for tests: text pages, image-only pages, broken files."""

import io

from PIL import Image, ImageDraw, ImageFont
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import letter
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas


def _font(size: int):
    for path in ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",):
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            pass
    from pathlib import Path

    import reportlab

    return ImageFont.truetype(str(Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"), size)


def text_image(lines: list[str]) -> Image.Image:
    """A clean 200 dpi 'scan' of the lines, readable by tesseract."""
    image = Image.new("L", (1700, 2200), 255)
    draw = ImageDraw.Draw(image)
    font = _font(34)
    y = 150
    for line in lines:
        draw.text((120, y), line, fill=0, font=font)
        y += 60
    return image


def make_pdf(pages: list[list[str] | dict]) -> bytes:
    """Each page is a list of text lines, {"scan": [lines]} for an image-only page, or
    {"image": a PIL image at 200 dpi} for an image-only page the image's size and shape (a scan
    sent sideways is a landscape page)."""
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=letter, invariant=1)
    for page in pages:
        c.setPageSize(letter)
        if isinstance(page, dict) and "image" in page:
            width, height = (side * 72 / 200 for side in page["image"].size)
            c.setPageSize((width, height))
            c.drawImage(ImageReader(page["image"]), 0, 0, width=width, height=height)
        elif isinstance(page, dict):
            c.drawImage(ImageReader(text_image(page["scan"])), 0, 0, width=612, height=792)
        else:
            y = 740
            for line in page:
                c.drawString(50, y, line)
                y -= 16
        c.showPage()
    c.save()
    return buffer.getvalue()


def encrypt(data: bytes, password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=password, owner_password="owner-secret", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
