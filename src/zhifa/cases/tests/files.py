"""What the cases app's upload tests share: blob storage in a temporary
directory (an autouse fixture: a test module imports it to use it) and a tiny
real PNG to upload."""

from __future__ import annotations

import struct
import zlib

import pytest


def png(shade: int = 0) -> bytes:
    """A valid 1×1 grey PNG; `shade` makes files with different bytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(bytes([0, shade])))
        + chunk(b"IEND", b"")
    )


@pytest.fixture(autouse=True)
def blob_storage(tmp_path, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "blobs")},
        },
    }
