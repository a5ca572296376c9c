import json
from pathlib import Path

import pytest

from eval.harness.pages import read_record
from service.config import Settings
from service.errors import (
    CorruptPdfError,
    EmptyFileError,
    EncryptedPdfError,
    FileTooLargeError,
    InputError,
    NotAPdfError,
    TooManyPagesError,
)
from service.records.pdf import read_pdf, read_pdf_bytes
from service.records.tesseract import tesseract_available
from tests.conftest import shared_dir
from tests.pdfs import encrypt, make_pdf

needs_tesseract = pytest.mark.skipif(
    not tesseract_available(), reason="tesseract-ocr is not installed (make setup installs it as root)"
)


def test_text_pages_are_read_one_based(settings):
    doc = read_pdf_bytes(
        make_pdf([["First page text with enough words to count."], ["Second page, also text."]]), "a.pdf", settings
    )
    assert [p.number for p in doc.pages] == [1, 2]
    assert "First page" in doc.pages[0].text and not doc.pages[0].ocr
    assert doc.name == "a.pdf" and len(doc.sha256) == 64


@needs_tesseract
def test_an_image_only_page_is_ocrd(settings):
    data = make_pdf(
        [
            ["Typed page with plenty of readable text on it."],
            {"scan": ["RN call with patient, 25 minutes.", "PAM score 61."]},
        ]
    )
    calls = []
    doc = read_pdf_bytes(data, "scan.pdf", settings, lambda *progress: calls.append(progress))
    assert doc.ocr_pages == [2]
    assert "25 minutes" in doc.pages[1].text and "PAM score 61" in doc.pages[1].text
    scanned = calls[0][2]
    assert scanned >= 1 and calls[0] == (2 - scanned, 2, scanned) and calls[-1] == (2, 2, scanned)
    assert [c[0] for c in calls] == sorted(c[0] for c in calls) and len(calls) == scanned + 1


def test_ocr_can_be_turned_off(tmp_path):
    settings = Settings(home=tmp_path, ocr_enabled=False)
    doc = read_pdf_bytes(make_pdf([{"scan": ["Nothing to see"]}]), "scan.pdf", settings)
    assert doc.pages[0].text.strip() == "" and not doc.pages[0].ocr


@pytest.mark.parametrize(
    "data, error",
    [
        (b"", EmptyFileError),
        (b"PK\x03\x04 this is a zip file", NotAPdfError),
        (b"%PDF-1.7\n1 0 obj garbage without structure", CorruptPdfError),
    ],
)
def test_bad_bytes_raise_specific_errors(settings, data, error):
    with pytest.raises(error):
        read_pdf_bytes(data, "bad.pdf", settings)


def test_truncated_pdf_is_corrupt(settings):
    data = make_pdf([["Some text that is long enough to matter."]] * 3)
    with pytest.raises(CorruptPdfError):
        read_pdf_bytes(data[: len(data) // 3], "cut.pdf", settings)


def test_password_protected_pdf_is_refused(settings):
    with pytest.raises(EncryptedPdfError, match="password"):
        read_pdf_bytes(encrypt(make_pdf([["secret text here"]]), "pw"), "locked.pdf", settings)


def test_owner_only_encryption_still_reads(settings):
    doc = read_pdf_bytes(encrypt(make_pdf([["Readable text without a user password."]]), ""), "open.pdf", settings)
    assert "Readable text" in doc.pages[0].text


def test_limits_on_bytes_and_pages(tmp_path):
    data = make_pdf([["page text"]] * 3)
    with pytest.raises(FileTooLargeError):
        read_pdf_bytes(data, "big.pdf", Settings(home=tmp_path, max_upload_bytes=len(data) - 1))
    with pytest.raises(TooManyPagesError):
        read_pdf_bytes(data, "long.pdf", Settings(home=tmp_path, max_pages=2))


def test_errors_name_the_file_but_never_its_content(settings):
    with pytest.raises(InputError) as err:
        read_pdf_bytes(b"Patient: Jane Roe, not a pdf", "notes.txt", settings)
    assert "notes.txt" in err.value.message and "Jane" not in err.value.message


def test_missing_path_and_folder(settings, tmp_path):
    with pytest.raises(NotAPdfError):
        read_pdf(tmp_path / "nope.pdf", settings)
    with pytest.raises(NotAPdfError):
        read_pdf(tmp_path, settings)


def test_read_pages_are_cached_by_content(settings):
    data = make_pdf([["Cached page text, long enough to keep."]])
    first = read_record(data, "a.pdf", settings)
    second = read_record(data, "renamed.pdf", settings)
    assert second.pages[0].text == first.pages[0].text
    assert second.name == "renamed.pdf" and second.pages[0].document == "renamed.pdf"
    assert len(list((settings.home / "pages").iterdir())) == 1


def corpus_files() -> list[Path]:
    try:
        return sorted(shared_dir("pdf-corpus").glob("*.pdf"))
    except pytest.skip.Exception:
        return []


@pytest.mark.integration
def test_every_corpus_pdf_reads_or_fails_specifically(settings):
    folder = shared_dir("pdf-corpus")
    meta = {Path(item["path"]).name: item for item in json.loads((folder / "files.json").read_text())["data"]}
    outcomes = {}
    for path in sorted(folder.glob("*.pdf")):
        try:
            doc = read_pdf(path, settings)
        except InputError as exc:
            outcomes[path.name] = exc.code
            continue
        outcomes[path.name] = "read"
        assert all(p.number == i for i, p in enumerate(doc.pages, 1))
        original = path.name.split("_", 1)[1]
        if original in meta:
            assert len(doc.pages) == meta[original]["pages"], path.name
    assert outcomes["005-libreoffice-writer-password_libreoffice-writer-password.pdf"] == "encrypted_pdf"
    assert outcomes["004-pdflatex-4-pages_pdflatex-4-pages.pdf"] == "read"
    assert set(outcomes.values()) <= {"read", "encrypted_pdf", "corrupt_pdf"}
    assert list(outcomes.values()).count("read") >= 28


@pytest.mark.integration
@needs_tesseract
def test_corpus_image_pages_are_ocrd(settings):
    path = shared_dir("pdf-corpus") / "018-base64-image_base64image.pdf"
    doc = read_pdf(path, settings)
    assert doc.ocr_pages == [1]
