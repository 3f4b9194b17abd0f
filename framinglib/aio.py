"""asyncio adapters: frames over a ``StreamReader`` / ``StreamWriter`` pair."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from ._bytes import BytesLike, as_bytes
from ._header import ByteOrder, header_struct
from .errors import FrameTooLargeError
from .length_prefix import (
    DEFAULT_MAX_FRAME_SIZE,
    LengthPrefixDecoder,
    encode_header,
    too_large_error,
    truncated_error,
)

__all__ = ["iter_frames", "read_frame", "write_frame"]


async def read_frame(
    reader: asyncio.StreamReader,
    header_size: int = 4,
    byteorder: ByteOrder = "big",
    max_frame_size: int = DEFAULT_MAX_FRAME_SIZE,
) -> bytes | None:
    """Read one length-prefixed frame; return ``None`` when the stream ended cleanly.

    An end of stream inside a header or a payload raises
    ``IncompleteFrameError`` with the bytes that did arrive. A header over
    ``max_frame_size`` raises ``FrameTooLargeError`` before any payload is read.
    (An empty frame is ``b""``, which is why a clean end is ``None``.)
    """
    header_struct(header_size, byteorder)  # the same ValueError as the decoder's
    try:
        header = await reader.readexactly(header_size)
    except asyncio.IncompleteReadError as error:
        if not error.partial:
            return None
        raise truncated_error(error.partial, header_size, None) from None
    length = int.from_bytes(header, byteorder)
    if length > max_frame_size:
        raise too_large_error(length, max_frame_size)
    try:
        return await reader.readexactly(length)
    except asyncio.IncompleteReadError as error:
        raise truncated_error(header + error.partial, header_size, length) from None


async def iter_frames(
    reader: asyncio.StreamReader,
    header_size: int = 4,
    byteorder: ByteOrder = "big",
    max_frame_size: int = DEFAULT_MAX_FRAME_SIZE,
    read_size: int = 65536,
) -> AsyncIterator[bytes]:
    """Yield every frame until the stream ends; faster than repeated ``read_frame``.

    It reads whatever is available and lets the sans-I/O decoder split it, so
    a burst of small frames costs one ``read`` instead of two per frame. Ends
    the same way as ``read_frame``: quietly between frames,
    ``IncompleteFrameError`` inside one.
    """
    if read_size < 1:
        # A zero-byte read returns b"", which would look like the peer closing.
        raise ValueError(f"read_size must be at least 1, not {read_size}")
    decoder = LengthPrefixDecoder(header_size, byteorder, max_frame_size)
    while True:
        data = await reader.read(read_size)
        if not data:
            decoder.close()
            return
        try:
            frames = decoder.feed(data)
        except FrameTooLargeError as error:
            for frame in error.frames:  # what came before the refused header, first
                yield frame
            raise
        for frame in frames:
            yield frame


async def write_frame(
    writer: asyncio.StreamWriter,
    payload: BytesLike,
    header_size: int = 4,
    byteorder: ByteOrder = "big",
) -> None:
    """Write one length-prefixed frame and wait until the transport has room again."""
    payload = as_bytes(payload)
    header = encode_header(len(payload), header_size, byteorder)  # refuse before writing
    writer.write(header)
    writer.write(payload)
    await writer.drain()
