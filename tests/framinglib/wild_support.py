"""Lesson 7's stream makers for the tests, and readers for what framinglib does not frame.

``wild_streams`` lives beside lesson 7 (the notebook imports it from there), so
this module puts that folder on ``sys.path``. ``WebSocketReader`` is a plain
sans-I/O reader of WebSocket frames (RFC 6455, section 5.2): their length is
7 bits, or 16 or 64 more, and a mask may follow, so no fixed length field
describes them.
"""

from __future__ import annotations

import sys
from pathlib import Path

LESSON = Path(__file__).resolve().parents[2] / "notebooks" / "07-in-the-wild"
if str(LESSON) not in sys.path:
    sys.path.insert(0, str(LESSON))

import wild_streams  # noqa: E402

__all__ = ["LESSON", "WebSocketReader", "wild_streams"]


class WebSocketReader:
    """Split a stream into WebSocket frames: ``(fin, opcode, payload)``, payload unmasked."""

    def __init__(self) -> None:
        self._buffer = bytearray()

    @property
    def buffered(self) -> int:
        return len(self._buffer)

    def _frame_at_front(self) -> tuple[int, tuple[bool, int, bytes]] | None:
        buffer = self._buffer
        if len(buffer) < 2:
            return None
        first, second = buffer[0], buffer[1]
        length, pos = second & 0x7F, 2
        if length >= 126:
            width = 2 if length == 126 else 8
            if len(buffer) < pos + width:
                return None
            length = int.from_bytes(buffer[pos : pos + width], "big")
            pos += width
        mask = b""
        if second & 0x80:
            if len(buffer) < pos + 4:
                return None
            mask = bytes(buffer[pos : pos + 4])
            pos += 4
        if len(buffer) < pos + length:
            return None
        payload = bytes(buffer[pos : pos + length])
        if mask:
            repeated = (mask * (length // 4 + 1))[:length]
            payload = (int.from_bytes(payload, "big") ^ int.from_bytes(repeated, "big")).to_bytes(
                length, "big")
        return pos + length, (bool(first & 0x80), first & 0x0F, payload)

    def feed(self, data: bytes) -> list[tuple[bool, int, bytes]]:
        self._buffer += data
        frames = []
        while (found := self._frame_at_front()) is not None:
            end, frame = found
            del self._buffer[:end]
            frames.append(frame)
        return frames
