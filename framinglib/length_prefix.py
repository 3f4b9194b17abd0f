"""Length-prefix framing: a fixed-size header carries the payload's length.

The decoder is sans-I/O: it never reads a socket, it is handed bytes and
hands back frames. It keeps only the unfinished tail of the stream, and it
remembers how many more bytes the next decision needs, so that a stream
delivered in tiny pieces is appended, not re-parsed, until a header or a
frame can complete.
"""

from __future__ import annotations

from ._bytes import BytesLike, as_bytes
from ._header import ByteOrder, header_struct
from ._held import LARGE_FRAME, Pieces, finish_held, keep_tail
from .errors import FrameTooLargeError, IncompleteFrameError

__all__ = [
    "DEFAULT_MAX_FRAME_SIZE",
    "ByteOrder",
    "LengthPrefixDecoder",
    "encode_header",
    "encode_length_prefixed",
]

#: The largest payload a decoder accepts unless told otherwise (4 MiB).
DEFAULT_MAX_FRAME_SIZE = 4 * 1024 * 1024


def encode_header(length: int, header_size: int = 4, byteorder: ByteOrder = "big") -> bytes:
    """Return the ``header_size``-byte header announcing a payload of ``length`` bytes.

    Raises ``FrameTooLargeError`` when the header cannot hold ``length`` (255
    for a one-byte header), and ``ValueError`` for a negative length or an
    unsupported header size or byte order.
    """
    header = header_struct(header_size, byteorder)
    if isinstance(length, bool) or not isinstance(length, int):
        raise TypeError(f"length must be an int, not {type(length).__name__}")
    if length < 0:
        raise ValueError(f"length must be >= 0, not {length}")
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


def too_large_error(
    length: int, max_frame_size: int, frames: list[bytes] | None = None
) -> FrameTooLargeError:
    """The error for a header announcing more than ``max_frame_size`` (one wording everywhere)."""
    return FrameTooLargeError(
        f"header announces {length} bytes; max_frame_size is {max_frame_size}",
        size=length,
        max_frame_size=max_frame_size,
        frames=frames,
    )


def truncated_error(partial: bytes, header_size: int, length: int | None) -> IncompleteFrameError:
    """The error for a stream that ended after ``partial``, inside a header or a payload.

    ``length`` is the payload length the header announced, or ``None`` when the
    header itself is incomplete.
    """
    if length is None:
        return IncompleteFrameError(
            f"stream ended inside a {header_size}-byte length header "
            f"({len(partial)} of {header_size} bytes received)",
            partial=partial,
            expected=None,
        )
    return IncompleteFrameError(
        f"stream ended inside a frame: header announces {length} bytes, "
        f"{len(partial) - header_size} received",
        partial=partial,
        expected=header_size + length,
    )


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

    Every byte is examined once: a chunk too short to complete anything is
    only appended, and frames are sliced straight out of the chunk that
    completes them.
    """

    def __init__(
        self,
        header_size: int = 4,
        byteorder: ByteOrder = "big",
        max_frame_size: int = DEFAULT_MAX_FRAME_SIZE,
    ) -> None:
        self._unpack_from = header_struct(header_size, byteorder).unpack_from
        if isinstance(max_frame_size, bool) or not isinstance(max_frame_size, int):
            raise TypeError(f"max_frame_size must be an int, not {type(max_frame_size).__name__}")
        if max_frame_size < 0:
            raise ValueError(f"max_frame_size must be >= 0, not {max_frame_size}")
        self.header_size = header_size
        self.byteorder = byteorder
        self.max_frame_size = max_frame_size
        # The unfinished tail of the stream (less than one whole frame), unless a
        # large frame is being gathered in ``_pieces``; then it stays empty.
        self._buffer = bytearray()
        # How long the buffer must grow before the next decision can be made: the
        # header's size while the header is incomplete (always, when nothing is
        # held), then header plus payload. Until the buffer reaches it, a chunk is
        # only appended, never re-parsed.
        self._need = header_size
        # A large frame being gathered: its header, and its payload's pieces so far.
        self._header = b""
        self._pieces: Pieces | None = None

    @property
    def buffered(self) -> int:
        """The number of bytes held for the next frame."""
        if self._pieces is not None:
            return self.header_size + self._pieces.have
        return len(self._buffer)

    @property
    def pending_length(self) -> int | None:
        """The payload length announced by the buffered header, or ``None`` before it is whole."""
        if self._pieces is not None:
            return self._pieces.need
        if len(self._buffer) < self.header_size:
            return None
        return self._unpack_from(self._buffer)[0]

    def feed(self, data: BytesLike) -> list[bytes]:
        """Add ``data`` to the stream; return every frame it completed, in order.

        ``data`` may be any bytes-like object (``bytes``, ``bytearray``,
        ``memoryview``); anything else is a ``TypeError``. Raises
        ``FrameTooLargeError`` when a header announces more than
        ``max_frame_size``. The frames completed earlier in the same call are
        on the exception as ``frames``, and the decoder keeps the bytes from
        the offending header on, so nothing is lost.
        """
        buffer = self._buffer
        if buffer:
            # The hot path for a stream cut finer than its frames: append and
            # compare one length, nothing more.
            try:
                buffer += data
            except TypeError:
                buffer += as_bytes(data)  # a non-contiguous view, or a clear TypeError
            if len(buffer) < self._need:
                return []
            need = self._need
            header_size = self.header_size
            if need == header_size:
                # The header is whole only now (or it was refused before, and is again).
                (length,) = self._unpack_from(buffer)
                if length > self.max_frame_size:
                    raise self._too_large(length, [])
                self._need = need = header_size + length
                if len(buffer) < need:
                    if length >= LARGE_FRAME:
                        self._start_gathering(bytes(buffer), 0)
                        buffer.clear()
                    return []
            # The frame begun in earlier chunks is whole: emit it, then split the
            # rest of ``data`` from where the frame ends.
            self._need = header_size
            return finish_held(buffer, data, header_size, need, self._split)
        if self._pieces is not None:
            return self._gather(data if type(data) is bytes else as_bytes(data))
        if type(data) is not bytes:
            data = as_bytes(data)
        if len(data) < self.header_size:
            buffer += data  # the start of a header (``_need`` is the header's size)
            return []
        frames = []
        self._split(data, 0, frames)
        return frames

    def _split(self, data: bytes, pos: int, frames: list[bytes]) -> None:
        """Append every whole frame of ``data`` from ``pos`` on; keep the rest.

        Called with nothing held (so ``_need`` is the header's size): frames are
        sliced straight out of ``data``.
        """
        unpack_from = self._unpack_from
        header_size = self.header_size
        limit = self.max_frame_size
        append = frames.append
        end = len(data)
        last_header = end - header_size
        if last_header <= limit:
            # No frame that fits in ``data`` can be over the limit, so the limit
            # needs no test of its own, and one comparison per frame does the
            # rest: a frame that ends by ``last_header`` is whole and leaves room
            # for another whole header, so the loop goes on. Only the frame that
            # crosses ``last_header`` needs a second look, after the loop.
            if pos <= last_header:
                stop = pos
                while True:
                    (length,) = unpack_from(data, stop)
                    start = stop + header_size
                    stop = start + length
                    if stop > last_header:
                        break
                    append(data[start:stop])
                if stop <= end:
                    append(data[start:stop])
                    pos = stop
                else:
                    pos = start - header_size  # back to the header of the unfinished frame
        else:
            while pos <= last_header:
                (length,) = unpack_from(data, pos)
                start = pos + header_size
                stop = start + length
                if stop > end or length > limit:
                    break
                append(data[start:stop])
                pos = stop
        if pos == end:
            return
        if pos <= last_header:
            # The loop stopped at a whole header (``length`` is its announcement)
            # whose frame is not whole: refuse it now, or wait for the rest.
            if length > limit:
                self._buffer += data[pos:]  # ``_need`` stays the header's size: refused again
                raise self._too_large(length, frames)
            if length >= LARGE_FRAME:
                self._start_gathering(data, pos)
                return
            self._need = header_size + length
        keep_tail(self._buffer, data, pos)

    def _start_gathering(self, data: bytes, pos: int) -> None:
        """Hold a large frame's first bytes (from ``pos``, header whole) as a list of pieces."""
        header_size = self.header_size
        self._header = data[pos : pos + header_size]
        (length,) = self._unpack_from(self._header)
        self._pieces = Pieces(memoryview(data)[pos + header_size :], length)

    def _gather(self, data: bytes) -> list[bytes]:
        """Add a chunk to the large frame being gathered; finish it once it is whole."""
        pieces = self._pieces
        assert pieces is not None
        overflow = pieces.add(data)
        if overflow < 0:
            return []
        frames = [pieces.join(overflow)]
        self._pieces = None
        self._header = b""
        self._need = self.header_size
        if overflow:
            self._split(data, len(data) - overflow, frames)
        return frames

    def _too_large(self, length: int, frames: list[bytes]) -> FrameTooLargeError:
        return too_large_error(length, self.max_frame_size, frames)

    def _held(self) -> bytes:
        if self._pieces is not None:
            return self._header + self._pieces.held()
        return bytes(self._buffer)

    def close(self) -> None:
        """Mark the end of the stream.

        Returns quietly when no bytes are held. Raises ``IncompleteFrameError``
        (with the held bytes as ``partial``) when the stream stopped inside a
        header or a payload.
        """
        if self.buffered:
            raise truncated_error(self._held(), self.header_size, self.pending_length)

    def __repr__(self) -> str:
        return (
            f"<LengthPrefixDecoder header_size={self.header_size} byteorder={self.byteorder!r} "
            f"buffered={self.buffered}>"
        )
