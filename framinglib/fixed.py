"""Fixed-size framing: every frame has the same length, so no header is needed."""

from __future__ import annotations

from ._bytes import BytesLike, as_bytes
from .errors import IncompleteFrameError

__all__ = ["FixedSizeDecoder"]


class FixedSizeDecoder:
    """Split a byte stream into frames of exactly ``size`` bytes.

    >>> decoder = FixedSizeDecoder(2)
    >>> decoder.feed(b"abc")
    [b'ab']
    >>> decoder.buffered
    1
    """

    def __init__(self, size: int) -> None:
        if isinstance(size, bool) or not isinstance(size, int):
            raise TypeError(f"size must be an int, not {type(size).__name__}")
        if size < 1:
            raise ValueError(f"size must be at least 1, not {size}")
        self.size = size
        self._buffer = b""

    @property
    def buffered(self) -> int:
        """The number of bytes held for the next frame."""
        return len(self._buffer)

    def feed(self, data: BytesLike) -> list[bytes]:
        """Add ``data`` to the stream; return every frame it completed, in order."""
        data = self._buffer + as_bytes(data) if self._buffer else as_bytes(data)
        size = self.size
        whole = len(data) - len(data) % size
        self._buffer = data[whole:]
        return [data[pos : pos + size] for pos in range(0, whole, size)]

    def close(self) -> None:
        """Mark the end of the stream; raise ``IncompleteFrameError`` if a partial frame is held."""
        if self._buffer:
            raise IncompleteFrameError(
                f"stream ended inside a frame: {len(self._buffer)} of {self.size} bytes received",
                partial=self._buffer,
                expected=self.size,
            )

    def __repr__(self) -> str:
        return f"<FixedSizeDecoder size={self.size} buffered={self.buffered}>"
