"""Length-prefix framing: a fixed-size header carries the payload's length.

The decoder is sans-I/O: it never reads a socket, it is handed bytes and
hands back frames. It keeps only the unfinished tail of the stream, and it
remembers how many more bytes the next decision needs, so that a stream
delivered in tiny pieces is appended, not re-parsed, until a header or a
frame can complete.
"""

from __future__ import annotations

import struct
from typing import Literal

from ._bytes import BytesLike, as_bytes
from .errors import FrameTooLargeError, IncompleteFrameError

__all__ = [
    "DEFAULT_MAX_FRAME_SIZE",
    "LengthPrefixDecoder",
    "encode_header",
    "encode_length_prefixed",
]

#: The largest payload a decoder accepts unless told otherwise (4 MiB).
DEFAULT_MAX_FRAME_SIZE = 4 * 1024 * 1024

_FORMAT_BY_SIZE = {1: "B", 2: "H", 4: "I", 8: "Q"}
_PREFIX_BY_ORDER = {"big": ">", "little": "<"}

ByteOrder = Literal["big", "little"]


def _header_struct(header_size: int, byteorder: str) -> struct.Struct:
    if header_size not in _FORMAT_BY_SIZE or isinstance(header_size, bool):
        raise ValueError(f"header_size must be 1, 2, 4 or 8, not {header_size!r}")
    if byteorder not in _PREFIX_BY_ORDER:
        raise ValueError(f"byteorder must be 'big' or 'little', not {byteorder!r}")
    return struct.Struct(_PREFIX_BY_ORDER[byteorder] + _FORMAT_BY_SIZE[header_size])


def encode_header(length: int, header_size: int = 4, byteorder: ByteOrder = "big") -> bytes:
    """Return the ``header_size``-byte header announcing a payload of ``length`` bytes.

    Raises ``FrameTooLargeError`` when the header cannot hold ``length`` (255
    for a one-byte header), and ``ValueError`` for an unsupported header size
    or byte order.
    """
    header = _header_struct(header_size, byteorder)
    limit = (1 << (8 * header_size)) - 1
    if length > limit:
        raise FrameTooLargeError(
            f"payload is {length} bytes; a {header_size}-byte header holds at most {limit}",
            size=length,
            max_frame_size=limit,
        )
    return header.pack(length)


def encode_length_prefixed(
    payload: BytesLike, header_size: int = 4, byteorder: ByteOrder = "big"
) -> bytes:
    """Return ``payload`` with its length header in front (see ``encode_header``)."""
    payload = as_bytes(payload)
    return encode_header(len(payload), header_size, byteorder) + payload


class LengthPrefixDecoder:
    """Split a byte stream into frames that each start with a length header.

    >>> decoder = LengthPrefixDecoder(header_size=1)
    >>> decoder.feed(b"\\x03ab")
    []
    >>> decoder.feed(b"c\\x02hi")
    [b'abc', b'hi']
    >>> decoder.close()

    ``max_frame_size`` is the largest payload accepted (inclusive). A header
    that announces more raises ``FrameTooLargeError`` in the ``feed`` call
    that completes the header, before any of the payload is awaited.
    """

    def __init__(
        self,
        header_size: int = 4,
        byteorder: ByteOrder = "big",
        max_frame_size: int = DEFAULT_MAX_FRAME_SIZE,
    ) -> None:
        self._unpack_from = _header_struct(header_size, byteorder).unpack_from
        if isinstance(max_frame_size, bool) or not isinstance(max_frame_size, int):
            raise TypeError(f"max_frame_size must be an int, not {type(max_frame_size).__name__}")
        if max_frame_size < 0:
            raise ValueError(f"max_frame_size must be >= 0, not {max_frame_size}")
        self.header_size = header_size
        self.byteorder = byteorder
        self.max_frame_size = max_frame_size
        self._buffer = bytearray()
        # Bytes still missing before the next decision (a header or a frame
        # completes). While a chunk is shorter than this, it is only appended.
        self._missing = header_size

    @property
    def buffered(self) -> int:
        """The number of bytes held for the next frame."""
        return len(self._buffer)

    @property
    def pending_length(self) -> int | None:
        """The payload length announced by the buffered header, or ``None`` before it is whole."""
        if len(self._buffer) < self.header_size:
            return None
        return self._unpack_from(self._buffer)[0]

    def feed(self, data: BytesLike) -> list[bytes]:
        """Add ``data`` to the stream; return every frame it completed, in order.

        Raises ``FrameTooLargeError`` when a header announces more than
        ``max_frame_size``. The frames completed earlier in the same call are
        on the exception as ``frames``, and the decoder keeps the bytes from
        the offending header on, so nothing is lost.
        """
        if type(data) is not bytes:
            data = as_bytes(data)
        size = len(data)
        if size < self._missing:
            self._buffer += data
            self._missing -= size
            return []
        if self._buffer:
            data = b"".join((self._buffer, data))
        unpack_from = self._unpack_from
        header_size = self.header_size
        end = len(data)
        pos = 0
        frames: list[bytes] = []
        while end - pos >= header_size:
            (length,) = unpack_from(data, pos)
            if length > self.max_frame_size:
                self._keep(data, pos, missing=0)
                error = FrameTooLargeError(
                    f"header announces {length} bytes; max_frame_size is {self.max_frame_size}",
                    size=length,
                    max_frame_size=self.max_frame_size,
                    frames=frames,
                )
                raise error
            stop = pos + header_size + length
            if stop > end:
                self._keep(data, pos, missing=stop - end)
                return frames
            frames.append(data[pos + header_size : stop])
            pos = stop
        self._keep(data, pos, missing=header_size - (end - pos))
        return frames

    def _keep(self, data: bytes, start: int, missing: int) -> None:
        self._buffer = bytearray(memoryview(data)[start:]) if start < len(data) else bytearray()
        self._missing = missing

    def close(self) -> None:
        """Mark the end of the stream.

        Returns quietly when no bytes are held. Raises ``IncompleteFrameError``
        (with the held bytes as ``partial``) when the stream stopped inside a
        header or a payload.
        """
        held = len(self._buffer)
        if not held:
            return
        length = self.pending_length
        if length is None:
            raise IncompleteFrameError(
                f"stream ended inside a {self.header_size}-byte length header "
                f"({held} of {self.header_size} bytes received)",
                partial=bytes(self._buffer),
                expected=None,
            )
        raise IncompleteFrameError(
            f"stream ended inside a frame: header announces {length} bytes, "
            f"{held - self.header_size} received",
            partial=bytes(self._buffer),
            expected=self.header_size + length,
        )

    def __repr__(self) -> str:
        return (
            f"<LengthPrefixDecoder header_size={self.header_size} byteorder={self.byteorder!r} "
            f"buffered={self.buffered}>"
        )
