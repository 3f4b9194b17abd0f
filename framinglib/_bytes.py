"""Turning what a caller hands us into ``bytes``."""

from __future__ import annotations

from typing import TypeAlias

#: What ``feed`` and the encoders accept: any object with the buffer protocol.
BytesLike: TypeAlias = bytes | bytearray | memoryview


def as_bytes(data: BytesLike) -> bytes:
    """Return ``data`` as ``bytes``, copying only when it is not ``bytes`` already.

    ``memoryview`` refuses anything that is not a bytes-like object (an ``int``,
    a ``str``) with a clear ``TypeError``, where ``bytes(5)`` would quietly make
    five zero bytes.
    """
    if type(data) is bytes:
        return data
    return memoryview(data).tobytes()
