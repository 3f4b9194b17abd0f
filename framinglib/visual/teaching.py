"""A deliberately broken decoder, for the chunk explorer's "what if" switch.

``NoLoopDecoder`` makes the classic mistake of a first reassembly loop: it
checks the buffer for a complete frame with an ``if`` where a ``while`` is
needed. When one ``recv()`` brings the end of one frame and the whole of the
next, it emits only the first, and the second sits in the buffer until
another chunk happens to arrive; at the end of the stream it is never
delivered. Never use it for anything but showing that failure. ``NoLoopLineDecoder`` makes
the same mistake on a delimited stream (lesson 4).
"""

from __future__ import annotations

from framinglib._bytes import BytesLike, as_bytes

__all__ = ["NoLoopDecoder", "NoLoopLineDecoder"]


class NoLoopDecoder:
    """A length-prefix decoder that emits at most one frame per ``feed`` (the bug on show)."""

    def __init__(self, header_size: int = 1, byteorder: str = "big") -> None:
        self.header_size = header_size
        self.byteorder = byteorder
        self._buffer = bytearray()

    @property
    def buffered(self) -> int:
        """The number of bytes held, complete frames that were never emitted included."""
        return len(self._buffer)

    def feed(self, data: BytesLike) -> list[bytes]:
        """Append ``data``; emit the first complete frame, if there is one, and stop there."""
        self._buffer += as_bytes(data)
        if len(self._buffer) < self.header_size:
            return []
        length = int.from_bytes(self._buffer[: self.header_size], self.byteorder)
        end = self.header_size + length
        if len(self._buffer) < end:  # the bug: this `if` should be a `while` around the lot
            return []
        frame = bytes(self._buffer[self.header_size : end])
        del self._buffer[:end]
        return [frame]


class NoLoopLineDecoder:
    """A delimiter decoder that emits at most one frame per ``feed`` (the same bug, for lines)."""

    def __init__(self, delimiter: BytesLike = b"\n") -> None:
        self.delimiter = as_bytes(delimiter)
        self.header_size = len(self.delimiter)  # what a trace step calls a frame's overhead
        self._buffer = bytearray()

    @property
    def buffered(self) -> int:
        """The number of bytes held, whole lines that were never emitted included."""
        return len(self._buffer)

    def feed(self, data: BytesLike) -> list[bytes]:
        """Append ``data``; emit the first whole line, if there is one, and stop there."""
        self._buffer += as_bytes(data)
        end = self._buffer.find(self.delimiter)
        if end < 0:  # the bug: this search should repeat until it finds no delimiter
            return []
        frame = bytes(self._buffer[:end])
        del self._buffer[: end + len(self.delimiter)]
        return [frame]
