"""Varint-delimited framing: each frame behind a base-128 varint of its length.

This is protobuf's "delimited" format (``writeDelimitedTo`` in Java,
``google.protobuf.proto.serialize_length_prefixed`` in Python): the length is
written seven bits to a byte, least significant group first, and every byte but
the last has its top bit set. Small frames pay one byte of header, large ones
up to ten, so the header's size is only known once its last byte is in.

The decoder keeps the unfinished tail of the stream as ``LengthPrefixDecoder``
does. While a varint is incomplete it is read again when the next byte comes
(it is at most ten bytes, so that stays linear); once it is whole, the frame's
end is known and chunks are only appended until they reach it.
"""

from __future__ import annotations

from ._bytes import BytesLike, as_bytes
from ._held import finish_held, keep_tail
from .errors import FrameLengthError, FrameTooLargeError, IncompleteFrameError
from .length_prefix import DEFAULT_MAX_FRAME_SIZE

__all__ = ["MAX_VARINT_SIZE", "VarintDecoder", "encode_varint", "encode_varint_delimited"]

#: The longest varint accepted: ten bytes carry any 64-bit length.
MAX_VARINT_SIZE = 10


def encode_varint(value: int) -> bytes:
    """``value`` (an int >= 0) as a base-128 varint, shortest form."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"value must be an int, not {type(value).__name__}")
    if value < 0:
        raise ValueError(f"value must be >= 0, not {value}")
    out = bytearray()
    while value >= 0x80:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def encode_varint_delimited(payload: BytesLike) -> bytes:
    """``payload`` with its length in front as a varint (protobuf's delimited format)."""
    payload = as_bytes(payload)
    return encode_varint(len(payload)) + payload


class VarintDecoder:
    """Split a byte stream into frames that each follow a varint of their length.

    >>> decoder = VarintDecoder()
    >>> decoder.feed(b"\\x02hi\\x03ab")
    [b'hi']
    >>> decoder.feed(b"c")
    [b'abc']

    ``max_frame_size`` bounds a frame's length (inclusive). ``feed`` raises
    ``FrameTooLargeError`` as soon as the varint read so far is over it (later
    bytes can only make it larger), and ``FrameLengthError`` as soon as
    ``max_varint_size`` bytes have all said "more follows". Frames completed
    earlier in the same call are on the error as ``frames``, and the decoder
    keeps the bytes from the offending varint on.
    """

    def __init__(
        self, max_frame_size: int = DEFAULT_MAX_FRAME_SIZE, max_varint_size: int = MAX_VARINT_SIZE
    ) -> None:
        for name, value in (("max_frame_size", max_frame_size),
                            ("max_varint_size", max_varint_size)):
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError(f"{name} must be an int, not {type(value).__name__}")
        if max_frame_size < 0:
            raise ValueError(f"max_frame_size must be >= 0, not {max_frame_size}")
        if not 1 <= max_varint_size <= MAX_VARINT_SIZE:
            raise ValueError(f"max_varint_size must be 1 to {MAX_VARINT_SIZE}, "
                             f"not {max_varint_size}")
        self.max_frame_size = max_frame_size
        self.max_varint_size = max_varint_size
        # The unfinished tail of the stream: less than one whole frame.
        self._buffer = bytearray()
        # The buffer's length at which the next decision can be made: one more
        # byte while the varint is incomplete, then the frame's end.
        self._need = 1
        # Where the held frame's payload starts, once its varint is whole.
        self._start: int | None = None

    @property
    def buffered(self) -> int:
        """The number of bytes held for the next frame."""
        return len(self._buffer)

    def _varint(self, data: BytesLike, pos: int, frames: list[bytes]) -> tuple[int, int] | None:
        """Read the varint at ``pos``: ``(value, payload start)``, or ``None`` if it is cut.

        Raises as soon as the bytes there prove it too long or too large.
        """
        value = shift = 0
        end = len(data)
        limit = self.max_frame_size
        for index in range(pos, min(end, pos + self.max_varint_size)):
            byte = data[index]
            value |= (byte & 0x7F) << shift
            if value > limit:
                raise FrameTooLargeError(
                    f"varint length is at least {value}; max_frame_size is {limit}",
                    size=value, max_frame_size=limit, frames=frames)
            if byte < 0x80:
                return value, index + 1
            shift += 7
        if end - pos >= self.max_varint_size:
            raise FrameLengthError(
                f"varint length runs past {self.max_varint_size} bytes "
                "(each has its continuation bit set)",
                value=value, frame_size=None, frames=frames)
        return None

    def feed(self, data: BytesLike) -> list[bytes]:
        """Add ``data`` to the stream; return every frame it completed, in order."""
        buffer = self._buffer
        if buffer:
            try:
                buffer += data
            except TypeError:
                buffer += as_bytes(data)
            if len(buffer) < self._need:
                return []
            if self._start is None:
                read = self._varint(buffer, 0, [])
                if read is None:
                    self._need = len(buffer) + 1
                    return []
                length, self._start = read
                self._need = self._start + length
                if len(buffer) < self._need:
                    return []
            need, start = self._need, self._start
            self._need, self._start = 1, None
            return finish_held(buffer, data, start, need, self._split)
        if type(data) is not bytes:
            data = as_bytes(data)
        frames: list[bytes] = []
        self._split(data, 0, frames)
        return frames

    def _split(self, data: bytes, pos: int, frames: list[bytes]) -> None:
        """Append every whole frame of ``data`` from ``pos`` on; keep the rest (nothing held)."""
        append = frames.append
        end = len(data)
        # One-byte varints (frames under 128 bytes, most of them in practice) are
        # read inline; longer ones, and every one when the limit is under 127,
        # go through ``_varint`` and its checks.
        inline = self.max_frame_size >= 0x7F
        start: int | None
        while pos < end:
            byte = data[pos]
            if byte < 0x80 and inline:
                start = pos + 1
                stop = start + byte
            else:
                try:
                    read = self._varint(data, pos, frames)
                except (FrameTooLargeError, FrameLengthError):
                    self._buffer += data[pos:]
                    raise
                if read is None:
                    start = None
                    stop = end + 1
                else:
                    length, start = read
                    stop = start + length
            if stop > end:
                if start is None:
                    self._need = end - pos + 1
                else:
                    self._need, self._start = stop - pos, start - pos
                keep_tail(self._buffer, data, pos)
                return
            append(data[start:stop])
            pos = stop

    def close(self) -> None:
        """Mark the end of the stream; raise ``IncompleteFrameError`` if a frame was cut.

        Returns quietly when no bytes are held.
        """
        held = bytes(self._buffer)
        if not held:
            return
        if self._start is None:
            raise IncompleteFrameError(
                f"stream ended inside a varint length ({len(held)} bytes, the last with "
                "its continuation bit set)", partial=held, expected=None)
        raise IncompleteFrameError(
            f"stream ended inside a frame: its varint says {self._need - self._start} bytes, "
            f"{len(held) - self._start} received", partial=held, expected=self._need)

    def __repr__(self) -> str:
        return f"<VarintDecoder max_frame_size={self.max_frame_size} buffered={self.buffered}>"
