"""Encryption at rest for everything that holds PHI: uploaded files, read pages, case fields,
letters and chat history.

AES-256-GCM. Small values are sealed whole; files are sealed in 1 MiB frames as they stream in,
so an upload never sits on disk in the clear. Every value is bound to what it belongs to
(`context`, e.g. the document id) through the GCM associated data, so a ciphertext moved to
another row or tenant does not decrypt. The key comes from `OVERTURN_SECRET_KEY` (base64 of 32
bytes) or from `$OVERTURN_HOME/secret.key`, created with 0600 permissions at first start.
"""

import base64
import binascii
import hashlib
import hmac
import os
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from service.config import Settings
from service.errors import SettingsError

MAGIC = b"OVT1"
FRAME = 1 << 20
NONCE = 12


class DecryptionError(Exception):
    """Stored data that does not decrypt with this key: a wrong key or damaged storage."""


def load_key(settings: Settings) -> bytes:
    if settings.secret_key:
        try:
            key = base64.b64decode(settings.secret_key, validate=True)
        except (binascii.Error, ValueError):
            key = b""
        if len(key) != 32:
            raise SettingsError("setting OVERTURN_SECRET_KEY is not valid: it must be base64 of 32 bytes")
        return key
    path = settings.secret_key_file
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "wb") as out:
                out.write(base64.b64encode(os.urandom(32)) + b"\n")
    try:
        key = base64.b64decode(path.read_bytes().strip(), validate=True)
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != 32:
        raise SettingsError(f"the key file {path.name} in OVERTURN_HOME is damaged")
    return key


def derive(key: bytes, purpose: bytes) -> bytes:
    """A separate 32-byte key for one purpose, so the encryption key itself keys nothing else."""
    return hmac.new(key, purpose, hashlib.sha256).digest()


class Cipher:
    def __init__(self, key: bytes):
        self._aead = AESGCM(key)

    def seal(self, data: bytes, context: str) -> bytes:
        nonce = os.urandom(NONCE)
        return MAGIC + nonce + self._aead.encrypt(nonce, data, context.encode())

    def open(self, blob: bytes, context: str) -> bytes:
        if not blob.startswith(MAGIC):
            raise DecryptionError("not sealed by Overturn")
        nonce, body = blob[4 : 4 + NONCE], blob[4 + NONCE :]
        try:
            return self._aead.decrypt(nonce, body, context.encode())
        except InvalidTag:
            raise DecryptionError("does not decrypt with this key") from None

    def writer(self, out: BinaryIO, context: str) -> "SealedWriter":
        return SealedWriter(self, out, context)

    def read_file(self, path: Path, context: str) -> bytes:
        with path.open("rb") as handle:
            return b"".join(self._frames(handle, context))

    def _frames(self, handle: BinaryIO, context: str) -> Iterator[bytes]:
        if handle.read(4) != MAGIC:
            raise DecryptionError("not sealed by Overturn")
        index = 0
        while True:
            head = handle.read(5)
            if len(head) != 5:
                raise DecryptionError("the file is truncated")
            size, last = struct.unpack(">I?", head)
            yield self.open(MAGIC + handle.read(size), f"{context}:{index}:{int(last)}")
            if last:
                return
            index += 1


class SealedWriter:
    """Seals a stream in frames; each frame's associated data carries its index and whether it is
    the last, so frames cannot be reordered, dropped or the file cut short unnoticed."""

    def __init__(self, cipher: Cipher, out: BinaryIO, context: str):
        self.cipher, self.out, self.context = cipher, out, context
        self.buffer = bytearray()
        self.index = 0
        out.write(MAGIC)

    def write(self, data: bytes) -> None:
        self.buffer += data
        while len(self.buffer) > FRAME:
            self._frame(bytes(self.buffer[:FRAME]), last=False)
            del self.buffer[:FRAME]

    def close(self) -> None:
        self._frame(bytes(self.buffer), last=True)
        self.buffer.clear()

    def _frame(self, data: bytes, last: bool) -> None:
        sealed = self.cipher.seal(data, f"{self.context}:{self.index}:{int(last)}")[len(MAGIC) :]
        self.out.write(struct.pack(">I?", len(sealed), last) + sealed)
        self.index += 1
