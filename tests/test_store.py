"""Encryption at rest, API keys and the upload parser: pure parts, no server."""

import asyncio
import base64
import io
import stat

import pytest
from starlette.requests import ClientDisconnect

from service.api.upload import FilePart, clean_filename
from service.casework import upload
from service.config import Settings
from service.errors import BadUploadError, FileTooLargeError, InvalidTenantError, SettingsError
from service.store.crypto import FRAME, Cipher, DecryptionError, load_key
from service.store.db import open_database
from service.store.keys import create_key, list_keys, revoke_key, tenant_for


def test_key_file_is_made_once_with_owner_only_permissions(tmp_path):
    settings = Settings(home=tmp_path / "home")
    key = load_key(settings)
    assert len(key) == 32 and load_key(settings) == key
    assert stat.S_IMODE(settings.secret_key_file.stat().st_mode) == 0o600


def test_key_from_the_setting(tmp_path):
    raw = bytes(range(32))
    assert load_key(Settings(home=tmp_path, secret_key=base64.b64encode(raw).decode())) == raw
    with pytest.raises(SettingsError, match="OVERTURN_SECRET_KEY"):
        load_key(Settings(home=tmp_path, secret_key="short"))


def test_sealed_values_are_bound_to_their_owner():
    cipher = Cipher(bytes(32))
    sealed = cipher.seal(b"Maria L. Gonzalez", "case:cas_1")
    assert b"Maria" not in sealed and cipher.open(sealed, "case:cas_1") == b"Maria L. Gonzalez"
    with pytest.raises(DecryptionError):
        cipher.open(sealed, "case:cas_2")
    with pytest.raises(DecryptionError):
        Cipher(bytes([1]) * 32).open(sealed, "case:cas_1")


def test_sealed_files_stream_in_frames_and_refuse_tampering(tmp_path):
    cipher = Cipher(bytes(32))
    data = bytes(range(256)) * (FRAME // 256) * 2 + b"tail"
    path = tmp_path / "doc.sealed"
    with path.open("wb") as out:
        writer = cipher.writer(out, "doc_1")
        for at in range(0, len(data), 70_000):
            writer.write(data[at : at + 70_000])
        writer.close()
    assert cipher.read_file(path, "doc_1") == data
    blob = path.read_bytes()
    path.write_bytes(blob[: len(blob) // 2])
    with pytest.raises(DecryptionError):
        cipher.read_file(path, "doc_1")
    with pytest.raises(DecryptionError):
        cipher.read_file(tmp_path / "doc.sealed", "doc_2")


def test_keys_are_stored_hashed_and_can_be_revoked(tmp_path):
    sessions = open_database(f"sqlite:///{tmp_path / 'db.sqlite'}")
    new = create_key(sessions, "clinic-a", "front desk")
    assert tenant_for(sessions, new.key) == "clinic-a"
    assert tenant_for(sessions, new.key[:-1] + ("A" if new.key[-1] != "A" else "B")) is None
    assert tenant_for(sessions, "Bearer nonsense") is None
    row = list_keys(sessions)[0]
    secret = new.key.split("_", 2)[2]  # the secret's own alphabet holds "_" too
    assert len(secret) == 43 and row.secret_hash not in new.key and secret not in row.secret_hash
    revoke_key(sessions, new.id)
    assert tenant_for(sessions, new.key) is None
    with pytest.raises(InvalidTenantError):
        create_key(sessions, "Clinic A/..")


def multipart(parts: list[tuple[str, str | None, bytes]], boundary: str = "b0undary") -> tuple[str, bytes]:
    body = io.BytesIO()
    for name, filename, data in parts:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        body.write(f"--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n".encode() + data + b"\r\n")
    body.write(f"--{boundary}--\r\n".encode())
    return f"multipart/form-data; boundary={boundary}", body.getvalue()


def receive(content_type, body, limit=1000, chunk=7):
    sunk = bytearray()

    async def stream():
        for at in range(0, len(body), chunk):
            yield body[at : at + chunk]

    got = asyncio.run(upload.receive(FilePart(content_type, stream()), limit, sunk.extend))
    return got, bytes(sunk)


def test_the_file_part_is_streamed_to_the_sink():
    content_type, body = multipart([("note", None, b"hello"), ("file", "../../etc/chart.pdf", b"%PDF-1.4 data")])
    got, sunk = receive(content_type, body)
    assert sunk == b"%PDF-1.4 data" and got.name == "chart.pdf" and got.size == 13 and len(got.sha256) == 64


def test_upload_limits_and_shapes():
    content_type, body = multipart([("file", "big.pdf", b"x" * 2000)])
    with pytest.raises(FileTooLargeError):
        receive(content_type, body, limit=1000)
    with pytest.raises(BadUploadError, match="multipart"):
        receive("application/pdf", b"%PDF")
    with pytest.raises(BadUploadError, match="no file"):
        receive(*multipart([("other", "a.pdf", b"x")]))
    with pytest.raises(BadUploadError, match="one file"):
        receive(*multipart([("file", "a.pdf", b"x"), ("file", "b.pdf", b"y")]))


def test_a_client_that_hangs_up_or_sends_a_broken_body():
    content_type, body = multipart([("file", "a.pdf", b"%PDF-1.4 data")])

    async def cut():
        yield body[:20]
        raise ClientDisconnect()

    with pytest.raises(BadUploadError, match="interrupted"):
        asyncio.run(upload.receive(FilePart(content_type, cut()), 1000))
    with pytest.raises(BadUploadError, match="malformed"):
        receive(content_type, body.replace(b"\r\n\r\n", b"\n", 1))


def test_the_service_layer_takes_a_name_and_chunks_without_http():
    async def chunks():
        for piece in (b"%PDF", b"-1.4 ", b"data"):
            yield piece

    sunk = bytearray()
    got = asyncio.run(upload.receive(upload.FileStream("notes.pdf", chunks()), 13, sunk.extend))
    assert (got.name, got.size, bytes(got.data), bytes(sunk)) == ("notes.pdf", 13, b"%PDF-1.4 data", b"%PDF-1.4 data")
    with pytest.raises(FileTooLargeError, match="limit"):
        asyncio.run(upload.receive(upload.FileStream("notes.pdf", chunks()), 12))


def test_filenames_are_cleaned():
    assert clean_filename("C:\\scans\\notes.pdf") == "notes.pdf"
    assert clean_filename("a\x00b\r\n.pdf") == "ab.pdf"
    assert clean_filename("") == "document.pdf"
    long = clean_filename("x" * 300 + ".pdf")
    assert len(long) <= 150 and long.endswith(".pdf")
