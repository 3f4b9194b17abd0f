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
        # Less than one frame: the bytes of the frame in progress.
        self._buffer = bytearray()

    @property
    def buffered(self) -> int:
        """The number of bytes held for the next frame."""
        return len(self._buffer)

    def feed(self, data: BytesLike) -> list[bytes]:
        """Add ``data`` to the stream; return every frame it completed, in order."""
        buffer = self._buffer
        size = self.size
        frames: list[bytes] = []
        if buffer:
            # Appending, not concatenating into a new object, keeps a stream cut
            # finer than its frames linear.
            try:
                buffer += data
            except TypeError:
                buffer += as_bytes(data)  # a non-contiguous view, or a clear TypeError
            if len(buffer) < size:
                return frames
            data = as_bytes(data)
            pos = size - (len(buffer) - len(data))  # where the next frame starts in ``data``
            frames.append(bytes(buffer[:size]))
            buffer.clear()
        else:
            data = as_bytes(data)
            pos = 0
        whole = len(data) - (len(data) - pos) % size
        frames += [data[start : start + size] for start in range(pos, whole, size)]
        if whole < len(data):
            buffer += memoryview(data)[whole:]
        return frames

    def close(self) -> None:
        """Mark the end of the stream; raise ``IncompleteFrameError`` if a partial frame is held."""
        if self._buffer:
            raise IncompleteFrameError(
                f"stream ended inside a frame: {len(self._buffer)} of {self.size} bytes received",
                partial=bytes(self._buffer),
                expected=self.size,
            )

    def __repr__(self) -> str:
        return f"<FixedSizeDecoder size={self.size} buffered={self.buffered}>"
