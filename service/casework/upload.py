"""Take in one file as it arrives, chunk by chunk, into a sink, within the size limit.

The bytes go straight into the sink (the encrypted file) and the limit stops the transfer as soon
as it is passed, never after the whole file has landed. How the chunks travel (a multipart body
for the API) is the caller's business; this module knows only a name and bytes.
"""

import hashlib
from collections.abc import AsyncIterable, AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Protocol

from service.errors import FileTooLargeError


class IncomingFile(Protocol):
    """A file on its way in. Its `name` is read once the chunks are: a multipart body names its
    file inside the body, so the name can come with the first bytes."""

    @property
    def name(self) -> str: ...

    def __aiter__(self) -> AsyncIterator[bytes]: ...


@dataclass
class FileStream:
    """An `IncomingFile` whose name is known from the start."""

    name: str
    chunks: AsyncIterable[bytes]

    def __aiter__(self) -> AsyncIterator[bytes]:
        return aiter(self.chunks)


@dataclass
class Received:
    name: str = "document.pdf"
    size: int = 0
    data: bytearray = field(default_factory=bytearray)
    sha256: str = ""


def within_limit(size: int, limit: int) -> None:
    """`FileTooLargeError` once a file's bytes so far pass the limit."""
    if size > limit:
        raise FileTooLargeError(f"the file is larger than the {limit / 1_048_576:g} MB limit")


def _discard(_: bytes) -> None:
    """The sink of a file only kept in memory."""


async def receive(incoming: IncomingFile, limit: int, sink: Callable[[bytes], None] = _discard) -> Received:
    """Feed the file to `sink` and keep it in memory too (for the PDF checks), which the limit
    bounds. Raises `FileTooLargeError` as soon as the limit is passed, or the `InputError` the
    incoming file raises for its own transport."""
    got = Received()
    digest = hashlib.sha256()
    async for chunk in incoming:
        got.size += len(chunk)
        within_limit(got.size, limit)
        digest.update(chunk)
        got.data += chunk
        sink(bytes(chunk))
    got.name = incoming.name
    got.sha256 = digest.hexdigest()
    return got
