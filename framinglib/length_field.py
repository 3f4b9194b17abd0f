"""Length-field framing as real protocols use it: a length anywhere in a header.

``LengthPrefixDecoder`` reads a header that is nothing but the payload's
length. Real protocols put other fields around it (TLS: a type and a version
before a 2-byte length; HTTP/2: a 3-byte length before a type, flags and a
stream id), and some count the header in the length (PostgreSQL). Netty's
``LengthFieldBasedFrameDecoder`` and tokio's ``LengthDelimitedCodec`` describe
all of them with four numbers, and ``LengthFieldDecoder`` takes the same ones,
in Netty's words:

- ``length_field_offset``: bytes before the length field;
- ``length_field_size``: 1, 2, 3, 4 or 8 bytes of unsigned integer;
- ``length_adjustment``: added to the field's value to get the number of bytes
  that follow the field (``-4`` when a 4-byte field counts itself);
- ``initial_bytes_to_strip``: bytes cut off the front of each frame before it
  is handed back (``0`` keeps the header, the end of the field drops it).

A frame on the wire is therefore ``length_field_offset + length_field_size +
value + length_adjustment`` bytes long. Like ``LengthPrefixDecoder`` the
decoder keeps only the unfinished tail of the stream and remembers how many
bytes the next decision needs, so a stream cut into tiny pieces is appended,
not re-parsed; every check that a length can make is made as soon as the
length field is whole, before any of the rest of the frame is awaited.
"""

from __future__ import annotations

import struct
from collections.abc import Callable

from ._bytes import BytesLike, as_bytes
from ._header import ByteOrder, header_struct
from ._held import LARGE_FRAME, Pieces, finish_held, keep_tail
from .errors import FrameLengthError, FrameTooLargeError, IncompleteFrameError
from .length_prefix import DEFAULT_MAX_FRAME_SIZE

__all__ = ["LENGTH_FIELD_SIZES", "LengthFieldDecoder"]

#: The widths a length field may have, as in Netty (tokio allows 1 to 8).
LENGTH_FIELD_SIZES = (1, 2, 3, 4, 8)

Unpack = Callable[[BytesLike, int], tuple[int, ...]]


def _length_reader(size: int, byteorder: str) -> Unpack:
    """``unpack_from(data, pos)`` for an unsigned field of ``size`` bytes, as a 1-tuple.

    struct has no 3-byte integer: that one is read as a byte and a short.
    """
    if isinstance(size, bool) or size not in LENGTH_FIELD_SIZES:
        raise ValueError(f"length_field_size must be 1, 2, 3, 4 or 8, not {size!r}")
    if size != 3:
        return header_struct(size, byteorder).unpack_from  # the byte order checked there too
    header_struct(1, byteorder)  # the same ValueError for an unknown byte order
    if byteorder == "big":
        high_first = struct.Struct(">BH").unpack_from

        def unpack_big(data: BytesLike, pos: int = 0) -> tuple[int]:
            high, low = high_first(data, pos)
            return (high << 16 | low,)

        return unpack_big
    low_first = struct.Struct("<HB").unpack_from

    def unpack_little(data: BytesLike, pos: int = 0) -> tuple[int]:
        low, high = low_first(data, pos)
        return (high << 16 | low,)

    return unpack_little


def _check_int(name: str, value: object, minimum: int | None = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, not {value}")
    return value


class LengthFieldDecoder:
    """Split a byte stream into frames whose header holds a length field somewhere.

    A TLS record: a type byte, a 2-byte version, then a 2-byte length of what
    follows; keep the header on each record:

    >>> tls = LengthFieldDecoder(length_field_offset=3, length_field_size=2)
    >>> tls.feed(b"\\x17\\x03\\x03\\x00\\x02hi\\x15\\x03")
    [b'\\x17\\x03\\x03\\x00\\x02hi']
    >>> tls.buffered
    2

    A PostgreSQL message: a type byte, then a 4-byte length that counts
    itself; hand back what follows the length:

    >>> pg = LengthFieldDecoder(length_field_offset=1, length_adjustment=-4,
    ...                         initial_bytes_to_strip=5)
    >>> pg.feed(b"Z\\x00\\x00\\x00\\x05I")
    [b'I']

    ``max_frame_size`` bounds the frames ``feed`` hands back (what is left
    after stripping), as ``LengthPrefixDecoder``'s bounds its payloads;
    Netty's ``maxFrameLength`` counts the whole frame on the wire instead.

    Errors are raised in the ``feed`` call that completes the length field,
    before the rest of the frame is awaited: ``FrameTooLargeError`` for a
    frame over ``max_frame_size``, ``FrameLengthError`` for a length that
    cannot be right (a frame ending before its own length field does, or
    shorter than ``initial_bytes_to_strip``). The frames the same call
    completed first are on the error as ``frames``; the decoder keeps the
    bytes from the offending frame on, so nothing is lost.
    """

    def __init__(
        self,
        length_field_offset: int = 0,
        length_field_size: int = 4,
        length_adjustment: int = 0,
        initial_bytes_to_strip: int = 0,
        byteorder: ByteOrder = "big",
        max_frame_size: int = DEFAULT_MAX_FRAME_SIZE,
    ) -> None:
        self._unpack_from = _length_reader(length_field_size, byteorder)
        self.length_field_offset = _check_int("length_field_offset", length_field_offset)
        self.length_field_size = length_field_size
        self.length_adjustment = _check_int("length_adjustment", length_adjustment, None)
        self.initial_bytes_to_strip = _check_int("initial_bytes_to_strip",
                                                 initial_bytes_to_strip)
        self.byteorder = byteorder
        self.max_frame_size = _check_int("max_frame_size", max_frame_size)
        #: Where the length field ends: the bytes needed before a frame's size is known.
        self.length_field_end = length_field_offset + length_field_size
        # A frame is ``_fixed + value`` bytes on the wire.
        self._fixed = self.length_field_end + length_adjustment
        # Field values below this make a frame that ends inside its own header or
        # is shorter than the bytes to strip; a configuration where every value
        # does is refused now, not at the first frame.
        self._min_value = max(0, -length_adjustment,
                              initial_bytes_to_strip - self._fixed)
        largest_value = (1 << (8 * length_field_size)) - 1
        if self._min_value > largest_value:
            raise ValueError(
                f"no {length_field_size}-byte length can make a valid frame: with "
                f"length_adjustment {length_adjustment} and initial_bytes_to_strip "
                f"{initial_bytes_to_strip} the field would have to hold at least "
                f"{self._min_value}, and it holds at most {largest_value}"
            )
        # Chunks up to this long need no checks per frame in ``_split`` (-1: every
        # chunk does, since some values are invalid).
        self._unchecked_below = (self.max_frame_size + initial_bytes_to_strip
                                 if self._min_value == 0 else -1)
        # The unfinished tail of the stream: less than one whole frame.
        self._buffer = bytearray()
        # How long the buffer must grow before the next decision: the length
        # field's end while it is incomplete, then the frame's size on the wire.
        self._need = self.length_field_end
        # A large frame being gathered (as LengthPrefixDecoder does): its pieces so far
        # and how many bytes they hold; the buffer stays empty meanwhile.
        self._pieces: Pieces | None = None

    # -- what the trace and the pictures ask ------------------------------------------------

    @property
    def header_size(self) -> int:
        """The bytes a frame's size depends on (``length_field_end``), as the trace calls it."""
        return self.length_field_end

    def read_length(self, header: BytesLike) -> int:
        """The length field's value in ``header`` (at least ``length_field_end`` bytes)."""
        return self._unpack_from(header, self.length_field_offset)[0]

    def frame_size(self, header: BytesLike) -> int:
        """The size on the wire of the frame that ``header`` starts (before stripping)."""
        return self._fixed + self.read_length(header)

    @property
    def buffered(self) -> int:
        """The number of bytes held for the next frame."""
        if self._pieces is not None:
            return self._pieces.have
        return len(self._buffer)

    @property
    def pending_size(self) -> int | None:
        """The wire size of the frame being gathered, or ``None`` before its length is whole."""
        if self._pieces is not None:
            return self._pieces.need
        if len(self._buffer) < self.length_field_end:
            return None
        return self.frame_size(self._buffer)

    def _held(self) -> bytes:
        if self._pieces is not None:
            return self._pieces.held()
        return bytes(self._buffer)

    # -- decoding ---------------------------------------------------------------------------

    def feed(self, data: BytesLike) -> list[bytes]:
        """Add ``data`` to the stream; return every frame it completed, in order.

        ``data`` may be any bytes-like object; anything else is a
        ``TypeError``. See the class docstring for the errors and what they
        keep.
        """
        buffer = self._buffer
        if buffer:
            try:
                buffer += data
            except TypeError:
                buffer += as_bytes(data)  # a non-contiguous view, or a clear TypeError
            need = self._need
            if len(buffer) < need:
                return []
            field_end = self.length_field_end
            if need == field_end:
                # The length field is whole only now (or it was refused before, and is again).
                (value,) = self._unpack_from(buffer, self.length_field_offset)
                self._check(value, [])
                self._need = need = self._fixed + value
                if len(buffer) < need:
                    if need >= LARGE_FRAME:
                        self._pieces = Pieces(bytes(buffer), need)
                        buffer.clear()
                    return []
            self._need = field_end
            return finish_held(buffer, data, self.initial_bytes_to_strip, need, self._split)
        if self._pieces is not None:
            return self._gather(data if type(data) is bytes else as_bytes(data))
        if type(data) is not bytes:
            data = as_bytes(data)
        if len(data) < self.length_field_end:
            buffer += data
            return []
        frames: list[bytes] = []
        self._split(data, 0, frames)
        return frames

    def _gather(self, data: bytes) -> list[bytes]:
        """Add a chunk to the large frame being gathered; hand it back once it is whole."""
        pieces = self._pieces
        assert pieces is not None
        overflow = pieces.add(data)
        if overflow < 0:
            return []
        frames = [pieces.join(overflow, self.initial_bytes_to_strip)]
        self._pieces = None
        self._need = self.length_field_end
        if overflow:
            self._split(data, len(data) - overflow, frames)
        return frames

    def _check(self, value: int, frames: list[bytes]) -> None:
        """Refuse a length field's ``value`` that cannot make an acceptable frame."""
        if value < self._min_value:
            raise self._bad_length(value, frames)
        emitted = self._fixed + value - self.initial_bytes_to_strip
        if emitted > self.max_frame_size:
            raise FrameTooLargeError(
                f"length field says {value}: a frame of {emitted} bytes; "
                f"max_frame_size is {self.max_frame_size}",
                size=emitted, max_frame_size=self.max_frame_size, frames=frames,
            )

    def _bad_length(self, value: int, frames: list[bytes]) -> FrameLengthError:
        size = self._fixed + value
        if size < self.length_field_end:
            why = (f"with length_adjustment {self.length_adjustment} the frame would be "
                   f"{size} bytes, ending before its own length field does (at byte "
                   f"{self.length_field_end})")
        else:
            why = (f"the frame is {size} bytes, fewer than the {self.initial_bytes_to_strip} "
                   "initial_bytes_to_strip")
        return FrameLengthError(f"length field says {value}: {why}", value=value,
                                frame_size=size, frames=frames)

    def _split(self, data: bytes, pos: int, frames: list[bytes]) -> None:
        """Append every whole frame of ``data`` from ``pos`` on; keep the rest.

        Called with nothing held. A frame that ends by ``last_field`` leaves
        room for another whole length field, so one comparison per frame
        decides both "whole" and "go on"; only the frame crossing
        ``last_field`` is looked at again after the loop.
        """
        unpack_from = self._unpack_from
        offset = self.length_field_offset
        strip = self.initial_bytes_to_strip
        fixed = self._fixed
        append = frames.append
        end = len(data)
        last_field = end - self.length_field_end
        # A frame inside ``data`` hands back at most ``end - strip`` bytes, so when
        # that is within the limit and no value can be invalid, the loop needs no
        # checks of its own.
        if end <= self._unchecked_below:
            if pos <= last_field:
                stop = pos
                if offset:
                    while True:
                        (value,) = unpack_from(data, stop + offset)
                        start = stop + strip
                        stop += fixed + value
                        if stop > last_field:
                            break
                        append(data[start:stop])
                else:  # the length at the front, as in most protocols: one addition less
                    while True:
                        (value,) = unpack_from(data, stop)
                        start = stop + strip
                        stop += fixed + value
                        if stop > last_field:
                            break
                        append(data[start:stop])
                if stop <= end:
                    append(data[start:stop])
                    pos = stop
                else:
                    pos = start - strip  # back to the first byte of the unfinished frame
                    if fixed + value - strip > self.max_frame_size:
                        self._refuse_or_wait(data, pos, value, frames)  # raises
                    self._need = fixed + value
        else:
            while pos <= last_field:
                (value,) = unpack_from(data, pos + offset)
                stop = pos + fixed + value
                if stop > end or value < self._min_value:
                    self._refuse_or_wait(data, pos, value, frames)
                    break
                if stop - pos - strip > self.max_frame_size:
                    self._refuse_or_wait(data, pos, value, frames)  # raises
                append(data[pos + strip : stop])
                pos = stop
        if pos < end:
            if self._need >= LARGE_FRAME and end - pos >= self.length_field_end:
                self._pieces = Pieces(memoryview(data)[pos:], self._need)
                return
            keep_tail(self._buffer, data, pos)

    def _refuse_or_wait(self, data: bytes, pos: int, value: int, frames: list[bytes]) -> None:
        """The frame at ``pos`` has a whole length field: refuse it, or wait for its rest.

        A refused frame's bytes are kept from its first byte on (``_need``
        stays the length field's end, so it is refused again if fed more).
        """
        try:
            self._check(value, frames)
        except (FrameTooLargeError, FrameLengthError):
            self._buffer += data[pos:]
            raise
        self._need = self._fixed + value

    def close(self) -> None:
        """Mark the end of the stream.

        Returns quietly when no bytes are held (a clean end between frames).
        Raises ``IncompleteFrameError`` with the held bytes as ``partial`` when
        the stream stopped inside a header or a frame.
        """
        held = self._held()
        if not held:
            return
        if len(held) < self.length_field_end:
            raise IncompleteFrameError(
                f"stream ended before a length field was whole: {len(held)} of the "
                f"{self.length_field_end} bytes up to its end received",
                partial=held, expected=None,
            )
        size = self.frame_size(held)
        raise IncompleteFrameError(
            f"stream ended inside a frame: its length field says {self.read_length(held)}, "
            f"a frame of {size} bytes; {len(held)} received",
            partial=held, expected=size,
        )

    def __repr__(self) -> str:
        return (
            f"<LengthFieldDecoder length_field_offset={self.length_field_offset} "
            f"length_field_size={self.length_field_size} "
            f"length_adjustment={self.length_adjustment} "
            f"initial_bytes_to_strip={self.initial_bytes_to_strip} "
            f"byteorder={self.byteorder!r} buffered={self.buffered}>"
        )
