"""One file out of a multipart/form-data body, handed on chunk by chunk as the body arrives; or a
whole small form (fields and a few files) read into memory, for a check that keeps nothing.

We parse the stream ourselves (python-multipart's push parser) instead of letting the framework
spool the upload to a temporary file: the service layer gets the file's bytes as they come and
can stop the transfer at its size limit. Everything about HTTP bodies (the boundary, the part
headers, the other fields, a client that hangs up) stays here.
"""

import re
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import PurePosixPath

from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import ClientDisconnect

from service.casework.upload import within_limit
from service.errors import BadUploadError, FileTooLargeError, InputError

FIELD_LIMIT = 64 * 1024
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def clean_filename(raw: str) -> str:
    """The last path component, without control characters, at most 150 characters."""
    name = PurePosixPath(CONTROL.sub("", raw).replace("\\", "/")).name.strip()
    if len(name) > 150:
        stem, dot, ext = name.rpartition(".")
        name = (stem[:140] + dot + ext[:9]) if dot else name[:150]
    return name or "document.pdf"


class _Parts:
    """What both readers share: the parser for a multipart/form-data body, the headers of the part
    being read, and one translation of a body's failures into client errors."""

    def __init__(self) -> None:
        self._headers: dict[bytes, bytes] = {}
        self._header = [b"", b""]

    def _new_parser(self, content_type: str | None, refusal: str) -> MultipartParser:
        kind, options = parse_options_header(content_type or "")
        boundary = options.get(b"boundary")
        if kind != b"multipart/form-data" or not boundary:
            raise BadUploadError(refusal)
        return MultipartParser(
            boundary,
            {
                "on_header_field": self._on_header_field,
                "on_header_value": self._on_header_value,
                "on_header_end": self._on_header_end,
                "on_headers_finished": self._on_headers_finished,
                "on_part_data": self._on_part_data,
                "on_part_end": self._on_part_end,
            },
        )

    def _disposition(self) -> tuple[str, dict[bytes, bytes]]:
        """The part's field name and its Content-Disposition options."""
        _, disposition = parse_options_header(self._headers.get(b"content-disposition", b""))
        return disposition.get(b"name", b"").decode("utf-8", "replace"), disposition

    def _on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header[0] += data[start:end]

    def _on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header[1] += data[start:end]

    def _on_header_end(self) -> None:
        self._headers[self._header[0].lower()] = self._header[1]
        self._header = [b"", b""]

    def _on_headers_finished(self) -> None:
        raise NotImplementedError

    def _on_part_data(self, data: bytes, start: int, end: int) -> None:
        raise NotImplementedError

    def _on_part_end(self) -> None:
        raise NotImplementedError


@contextmanager
def _body_errors() -> Iterator[None]:
    """A client's broken body is a 400 naming what broke, never a 500."""
    try:
        yield
    except InputError:
        raise
    except ClientDisconnect:
        raise BadUploadError("the upload was interrupted before it ended") from None
    except Exception as exc:  # the parser's own errors on a malformed body
        raise BadUploadError(f"the multipart body is malformed ({exc.__class__.__name__})") from None


class FilePart(_Parts):
    """The part named `field_name` of a multipart body, as an `IncomingFile` for the service
    layer: iterating it reads the body, yields the file's bytes, and raises `BadUploadError` for a
    body that is not one file in a well-formed multipart/form-data request. `name` is the part's
    file name, cleaned, once its headers have been read."""

    def __init__(self, content_type: str | None, body: AsyncIterator[bytes], field_name: str = "file"):
        super().__init__()
        self.name = "document.pdf"
        self._body = body
        self._field = field_name
        self._content_type = content_type
        self._parser: MultipartParser | None = None
        self._ready = bytearray()
        self._ended = False
        self._current: str | None = None
        self._files = 0
        self._other = 0

    def __aiter__(self) -> "FilePart":
        return self

    async def __anext__(self) -> bytes:
        if self._parser is None:
            self._parser = self._open()
        parser = self._parser
        while not self._ready:
            if self._ended:
                raise StopAsyncIteration
            await self._read(parser)
        chunk = bytes(self._ready)
        self._ready.clear()
        return chunk

    def _open(self) -> MultipartParser:
        return self._new_parser(self._content_type, f"send the PDF as multipart/form-data with a '{self._field}' part")

    async def _read(self, parser: MultipartParser) -> None:
        """Feed the parser the next piece of the body (or end it)."""
        with _body_errors():
            try:
                chunk = await anext(self._body)
            except StopAsyncIteration:
                parser.finalize()
                self._ended = True
            else:
                parser.write(chunk)
        if self._ended and self._files == 0:
            raise BadUploadError(f"no file in the '{self._field}' part")

    def _on_headers_finished(self) -> None:
        name, disposition = self._disposition()
        if name == self._field and b"filename" in disposition:
            self._files += 1
            if self._files > 1:
                raise BadUploadError("send one file per request")
            self.name = clean_filename(disposition[b"filename"].decode("utf-8", "replace"))
            self._current = "file"
        else:
            self._current = "other"

    def _on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self._current == "file":
            self._ready += data[start:end]
            return
        self._other += end - start
        if self._other > FIELD_LIMIT:
            raise BadUploadError("form fields other than the file are limited to 64 KB")

    def _on_part_end(self) -> None:
        self._headers, self._current = {}, None


class Form(_Parts):
    """A whole multipart/form-data body read into memory: its text fields (64 KB in all) and the
    files of its `file_field` parts (at most `max_files`, within `limit` bytes each and together,
    refused as soon as one passes it), as (cleaned name, bytes). For a check of files, which reads
    them in memory and keeps nothing."""

    def __init__(self, file_field: str, limit: int, max_files: int):
        super().__init__()
        self.fields: dict[str, str] = {}
        self.files: list[tuple[str, bytes]] = []
        self._field, self._limit, self._max = file_field, limit, max_files
        self._name: str | None = None
        self._file: bytearray | None = None
        self._text = bytearray()
        self._other = 0
        self._total = 0

    async def read(self, content_type: str | None, body: AsyncIterator[bytes]) -> "Form":
        parser = self._new_parser(content_type, f"send the PDFs as multipart/form-data with '{self._field}' parts")
        with _body_errors():
            async for chunk in body:
                parser.write(chunk)
            parser.finalize()
        return self

    def _on_headers_finished(self) -> None:
        name, disposition = self._disposition()
        if name == self._field and b"filename" in disposition:
            if len(self.files) >= self._max:
                raise BadUploadError(f"send at most {self._max} files in one request")
            self._file = bytearray()
            self._name = clean_filename(disposition[b"filename"].decode("utf-8", "replace"))
        else:
            self._file, self._name = None, name

    def _on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self._file is not None:
            self._file += data[start:end]
            self._total += end - start
            within_limit(len(self._file), self._limit)
            if self._total > self._limit:
                raise FileTooLargeError(f"the files together are larger than the {self._limit / 1_048_576:g} MB limit")
            return
        self._other += end - start
        if self._other > FIELD_LIMIT:
            raise BadUploadError("form fields other than the files are limited to 64 KB")
        self._text += data[start:end]

    def _on_part_end(self) -> None:
        if self._file is not None:
            self.files.append((self._name or "document.pdf", bytes(self._file)))
        elif self._name:
            self.fields[self._name] = self._text.decode("utf-8", "replace")
        self._headers, self._name, self._file, self._text = {}, None, None, bytearray()
