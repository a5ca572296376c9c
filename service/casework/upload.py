"""Receive one file from a multipart/form-data body, streaming it into a sink as it arrives.

We parse the stream ourselves (python-multipart's push parser) instead of letting the framework
spool the upload to a temporary file: the bytes go straight into the encrypted file, and the
size limit stops the transfer as soon as it is passed, never after the whole body has landed.
"""

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import AsyncIterator, Callable

from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import ClientDisconnect

from service.errors import BadUploadError, FileTooLargeError, InputError

FIELD_LIMIT = 64 * 1024
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass
class Received:
    name: str = "document.pdf"
    size: int = 0
    head: bytes = b""
    data: bytearray = field(default_factory=bytearray)
    sha256: str = ""


def clean_filename(raw: str) -> str:
    """The last path component, without control characters, at most 150 characters."""
    name = PurePosixPath(CONTROL.sub("", raw).replace("\\", "/")).name.strip()
    if len(name) > 150:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 140] + dot + ext[:9]) if dot else name[:150]
    return name or "document.pdf"


async def receive_file(
    content_type: str | None, body: AsyncIterator[bytes], sink: Callable[[bytes], None], limit: int, field_name: str = "file"
) -> Received:
    """Feed the part named `field_name` to `sink`; keep it in memory too (for the PDF checks),
    which the limit bounds. Raises `BadUploadError` or `FileTooLargeError`."""
    kind, options = parse_options_header(content_type or "")
    boundary = options.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise BadUploadError(f"send the PDF as multipart/form-data with a '{field_name}' part")
    got = Received()
    digest = hashlib.sha256()
    state = {"headers": {}, "field": b"", "value": b"", "current": None, "files": 0, "other": 0}

    def on_header_field(data, start, end):
        state["field"] += data[start:end]

    def on_header_value(data, start, end):
        state["value"] += data[start:end]

    def on_header_end():
        state["headers"][state["field"].lower()] = state["value"]
        state["field"], state["value"] = b"", b""

    def on_headers_finished():
        _, disposition = parse_options_header(state["headers"].get(b"content-disposition", b""))
        if disposition.get(b"name", b"").decode("utf-8", "replace") == field_name and b"filename" in disposition:
            state["files"] += 1
            if state["files"] > 1:
                raise BadUploadError("send one file per request")
            got.name = clean_filename(disposition[b"filename"].decode("utf-8", "replace"))
            state["current"] = "file"
        else:
            state["current"] = "other"

    def on_part_data(data, start, end):
        chunk = data[start:end]
        if state["current"] == "file":
            got.size += len(chunk)
            if got.size > limit:
                raise FileTooLargeError(f"the file is larger than the {limit / 1_048_576:g} MB limit")
            digest.update(chunk)
            got.data += chunk
            sink(bytes(chunk))
        else:
            state["other"] += len(chunk)
            if state["other"] > FIELD_LIMIT:
                raise BadUploadError("form fields other than the file are limited to 64 KB")

    def on_part_end():
        state["headers"], state["current"] = {}, None

    parser = MultipartParser(boundary, {
        "on_header_field": on_header_field, "on_header_value": on_header_value, "on_header_end": on_header_end,
        "on_headers_finished": on_headers_finished, "on_part_data": on_part_data, "on_part_end": on_part_end,
    })
    try:
        async for chunk in body:
            parser.write(chunk)
        parser.finalize()
    except InputError:
        raise
    except ClientDisconnect:
        raise BadUploadError("the upload was interrupted before it ended") from None
    except Exception as exc:  # the parser's own errors on a malformed body
        raise BadUploadError(f"the multipart body is malformed ({exc.__class__.__name__})") from None
    if state["files"] == 0:
        raise BadUploadError(f"no file in the '{field_name}' part")
    got.sha256 = digest.hexdigest()
    got.head = bytes(got.data[:1024])
    return got
