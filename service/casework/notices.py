"""A payer's denial letter read into claim fields: the PDF (text or scanned) or a text file, read
the way records are (OCR for pages without text), nothing stored. Each field carries its
confidence and the page and quote it came from; staff confirm the ones marked for review. With a
language model configured it reads the letter too, and only what it finds printed in the letter
confirms, doubts or adds a field (see remittance.notice_merge)."""

from service.casework.state import Workspace
from service.errors import EmptyFileError, NotAPdfError
from service.models import Page
from service.records.pdf import read_pdf_bytes, too_large
from service.remittance.notice import NoticeReading, read_notice, recognised_codes
from service.remittance.notice_model import model_reading


def read_notice_file(ws: Workspace, data: bytes, name: str = "notice") -> NoticeReading:
    settings = ws.settings
    if not data.strip():
        raise EmptyFileError(f"{name}: the file is empty")
    if len(data) > settings.max_upload_bytes:
        raise too_large(name, settings)
    if b"%PDF-" in data[:1024]:
        pages = read_pdf_bytes(data, name, settings).pages
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise NotAPdfError(f"{name}: send the letter as a PDF or as UTF-8 text") from None
        if "\x00" in text:
            raise NotAPdfError(f"{name}: send the letter as a PDF or as UTF-8 text")
        pages = [Page(document=name, number=1, text=text)]
    layout = read_notice(pages, *recognised_codes(ws.components.knowledge))
    models = ws.components.chat_models
    return model_reading(layout, pages, models) if models else layout
