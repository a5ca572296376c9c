"""The one way the service runs the local tesseract binary: a PNG on stdin, the answer on
stdout, a time limit, and `OcrUnavailable` when it is missing or too slow. Reading a page and
finding which way up it is both go through here, so both fail the same way."""

import csv
import io
import os
import shutil
import subprocess

from PIL import Image


class OcrUnavailable(Exception):
    """tesseract is missing or failed on a page; the page is kept with a note, not dropped."""


def tesseract_available() -> bool:
    return shutil.which("tesseract") is not None


def run_tesseract(png: bytes, args: list[str], timeout_s: float) -> subprocess.CompletedProcess:
    """The finished process; its exit code is the caller's to judge (a page too sparse for
    orientation detection exits nonzero, and that is an answer, not a failure)."""
    binary = shutil.which("tesseract")
    if binary is None:
        raise OcrUnavailable("tesseract is not installed")
    try:
        return subprocess.run(
            [binary, "stdin", "stdout", *args],
            input=png,
            capture_output=True,
            timeout=timeout_s,
            check=False,
            env=_one_thread_environment(),
        )
    except subprocess.TimeoutExpired:
        raise OcrUnavailable(f"tesseract took longer than {timeout_s:g} s") from None


def _one_thread_environment() -> dict[str, str]:
    """tesseract with one OpenMP thread unless the environment says otherwise: pages are already
    read several at a time (`records.pdf.ocr_pages`), and Debian's OpenMP build then has every
    process's threads fighting over the same cores (on 2 cores a page took 5.1 s with the default,
    2.0 s with one thread, the words and boxes identical)."""
    env = dict(os.environ)
    env.setdefault("OMP_THREAD_LIMIT", "1")
    return env


def png(image: Image.Image) -> bytes:
    """The image as PNG bytes, the form tesseract reads from stdin."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def tesseract_tsv(image_png: bytes, lang: str, timeout_s: float, psm: int = 3) -> str:
    """tesseract's word boxes (TSV) for one image: page segmentation 3 (find the blocks) for a
    page, 6 (one block of lines) for a region known to be one table, 7 (one line) for a word
    read again on its own."""
    done = run_tesseract(image_png, ["-l", lang, "--psm", str(psm), "tsv"], timeout_s)
    if done.returncode != 0:
        raise OcrUnavailable(f"tesseract failed (exit {done.returncode})")
    return done.stdout.decode("utf-8", errors="replace")


def word_rows(tsv: str) -> list[dict[str, str]]:
    """The TSV's words (level 5, text not blank) as rows by column name, in reading order."""
    return [
        row
        for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE)
        if row.get("level") == "5" and (row.get("text") or "").strip()
    ]
