"""Render one PDF page with PDFium and read it with the local tesseract binary.

tesseract is called as a process (stdin -> stdout), so nothing is downloaded and no page image
touches the disk.
"""

import io
import shutil
import subprocess

import pypdfium2 as pdfium


class OcrUnavailable(Exception):
    """tesseract is missing or failed on a page; the page is kept with a note, not dropped."""


def tesseract_available() -> bool:
    return shutil.which("tesseract") is not None


def render_page_png(pdf: pdfium.PdfDocument, index: int, dpi: int) -> bytes:
    page = pdf[index]
    try:
        bitmap = page.render(scale=dpi / 72, grayscale=True)
        image = bitmap.to_pil()
    finally:
        page.close()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def ocr_png(png: bytes, lang: str, timeout_s: float) -> str:
    binary = shutil.which("tesseract")
    if binary is None:
        raise OcrUnavailable("tesseract is not installed")
    try:
        done = subprocess.run(
            [binary, "stdin", "stdout", "-l", lang, "--psm", "3"],
            input=png,
            capture_output=True,
            timeout=timeout_s,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise OcrUnavailable(f"tesseract took longer than {timeout_s:g} s") from None
    if done.returncode != 0:
        raise OcrUnavailable(f"tesseract failed (exit {done.returncode})")
    return done.stdout.decode("utf-8", errors="replace")
