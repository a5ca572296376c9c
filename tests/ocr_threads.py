"""tesseract with one OpenMP thread, for the modules that OCR many pages.

tesseract 5 (as Debian builds it) starts an OpenMP team per process, and the product already
reads pages two to four at a time (`records.pdf.ocr_pages`). On the two cores CI has, the teams
fight over the cores: the same page took 5.1 s of wall time and 1.7 s of CPU with the default,
2.0 s and 0.6 s with `OMP_THREAD_LIMIT=1`, and the words and boxes tesseract reports are the same
byte for byte. Real tesseract still reads every page; only its thread count is set.

A module opts in by importing the fixture (it is autouse within that module):

    from tests.ocr_threads import one_tesseract_thread  # noqa: F401
"""

import os

import pytest


@pytest.fixture(autouse=True, scope="module")
def one_tesseract_thread():
    before = os.environ.get("OMP_THREAD_LIMIT")
    os.environ["OMP_THREAD_LIMIT"] = "1"
    yield
    if before is None:
        os.environ.pop("OMP_THREAD_LIMIT", None)
    else:
        os.environ["OMP_THREAD_LIMIT"] = before
