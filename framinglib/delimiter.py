"""Delimiter framing: each frame ends with a marker such as ``b"\\n"``."""

from __future__ import annotations

from ._bytes import BytesLike, as_bytes
from .errors import FrameTooLargeError, IncompleteFrameError
from .length_prefix import DEFAULT_MAX_FRAME_SIZE

__all__ = ["DelimiterDecoder"]


class DelimiterDecoder:
    """Split a byte stream at a delimiter; frames are returned without it.

    The decoder remembers how far it has searched, so bytes are scanned once
    however finely the stream is cut (a delimiter split across two chunks is
    still found). ``max_frame_size`` bounds a frame's length without its
    delimiter: once more bytes than that are held with no delimiter in sight,
    ``feed`` raises ``FrameTooLargeError`` instead of buffering without end.

    >>> decoder = DelimiterDecoder(b"\\r\\n")
    >>> decoder.feed(b"one\\r")
    []
    >>> decoder.feed(b"\\ntwo\\r\\n")
    [b'one', b'two']
    """

    def __init__(
        self, delimiter: BytesLike = b"\n", max_frame_size: int = DEFAULT_MAX_FRAME_SIZE
    ) -> None:
        delimiter = as_bytes(delimiter)
        if not delimiter:
            raise ValueError("delimiter must not be empty")
        if isinstance(max_frame_size, bool) or not isinstance(max_frame_size, int):
            raise TypeError(f"max_frame_size must be an int, not {type(max_frame_size).__name__}")
        if max_frame_size < 0:
            raise ValueError(f"max_frame_size must be >= 0, not {max_frame_size}")
        self.delimiter = delimiter
        self.max_frame_size = max_frame_size
        self._buffer = bytearray()
        # Where the next search starts: every earlier position is known not to
        # begin a delimiter.
        self._searched = 0

    @property
    def buffered(self) -> int:
        """The number of bytes held for the next frame."""
        return len(self._buffer)

    def feed(self, data: BytesLike) -> list[bytes]:
        """Add ``data`` to the stream; return every frame it completed, in order.

        Raises ``FrameTooLargeError`` once a frame is known to be longer than
        ``max_frame_size``: a completed one, or unterminated bytes that can no
        longer be the start of a delimiter. Frames completed earlier in the same
        call are on the exception as ``frames``.
        """
        buffer = self._buffer
        buffer += as_bytes(data)
        delimiter = self.delimiter
        width = len(delimiter)
        limit = self.max_frame_size
        frames: list[bytes] = []
        start = 0
        search_from = self._searched
        while True:
            found = buffer.find(delimiter, search_from)
            if found < 0:
                break
            if found - start > limit:
                self._fail(start, found - start, frames)
            frames.append(bytes(buffer[start:found]))
            start = search_from = found + width
        # Only the longest tail that could still begin a delimiter needs a second look;
        # every byte before it certainly belongs to the unfinished frame.
        searched = len(buffer)
        for size in range(min(width - 1, searched - start), 0, -1):
            if buffer.endswith(delimiter[:size]):
                searched -= size
                break
        self._searched = searched
        if searched - start > limit:
            self._fail(start, searched - start, frames)
        del buffer[:start]
        self._searched -= start
        return frames

    def _fail(self, start: int, size: int, frames: list[bytes]) -> None:
        del self._buffer[:start]
        self._searched = 0
        raise FrameTooLargeError(
            f"{size} bytes without a delimiter {self.delimiter!r}; "
            f"max_frame_size is {self.max_frame_size}",
            size=size,
            max_frame_size=self.max_frame_size,
            frames=frames,
        )

    def close(self) -> None:
        """Mark the end of the stream; raise ``IncompleteFrameError`` if a frame is unfinished."""
        if self._buffer:
            raise IncompleteFrameError(
                f"stream ended inside a frame: {len(self._buffer)} bytes "
                f"with no delimiter {self.delimiter!r}",
                partial=bytes(self._buffer),
                expected=None,
            )

    def __repr__(self) -> str:
        return f"<DelimiterDecoder delimiter={self.delimiter!r} buffered={self.buffered}>"
