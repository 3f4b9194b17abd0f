"""Blocking socket adapters around the sans-I/O length-prefix decoder."""

from __future__ import annotations

import socket
from collections.abc import Iterator

from ._bytes import BytesLike, as_bytes
from ._header import ByteOrder
from .errors import FrameTooLargeError
from .length_prefix import (
    DEFAULT_MAX_FRAME_SIZE,
    LengthPrefixDecoder,
    encode_header,
)

__all__ = ["iter_frames", "send_frame"]

# Above this size the header goes out on its own rather than being glued to
# a copy of the payload.
_COPY_LIMIT = 64 * 1024


def send_frame(
    sock: socket.socket, payload: BytesLike, header_size: int = 4, byteorder: ByteOrder = "big"
) -> None:
    """Send one length-prefixed frame with ``sendall``: every byte, or an exception.

    A plain ``send`` may write only part of its argument and leave the peer
    waiting for the rest forever; ``sendall`` loops until all of it is out.
    """
    payload = as_bytes(payload)
    header = encode_header(len(payload), header_size, byteorder)
    if len(payload) <= _COPY_LIMIT:
        sock.sendall(header + payload)
    else:
        sock.sendall(header)
        sock.sendall(payload)


def iter_frames(
    sock: socket.socket,
    header_size: int = 4,
    byteorder: ByteOrder = "big",
    max_frame_size: int = DEFAULT_MAX_FRAME_SIZE,
    recv_size: int = 65536,
) -> Iterator[bytes]:
    """Yield each frame read from ``sock`` until the peer closes the connection.

    A close between frames ends the iteration; a close in the middle of a
    frame raises ``IncompleteFrameError`` carrying the bytes received. A
    header over ``max_frame_size`` raises ``FrameTooLargeError``, after the
    frames that arrived before it have been yielded. A socket timeout
    (``sock.settimeout``) propagates as ``TimeoutError``.
    """
    if recv_size < 1:
        # A zero-byte read returns b"", which would look like the peer closing.
        raise ValueError(f"recv_size must be at least 1, not {recv_size}")
    decoder = LengthPrefixDecoder(header_size, byteorder, max_frame_size)
    while True:
        data = sock.recv(recv_size)
        if not data:
            decoder.close()
            return
        try:
            frames = decoder.feed(data)
        except FrameTooLargeError as error:
            yield from error.frames
            raise
        yield from frames
