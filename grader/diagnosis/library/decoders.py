"""Lessons 5 and 6's length-prefixed decoders (``SafeDecoder``, ``FrameDecoder``).

``Decoder`` is the plain right algorithm with SafeDecoder's contract (and
FrameDecoder's ``buffered``); each misconception changes one decision in it. The
same classes serve both tasks, since FrameDecoder's contract contains SafeDecoder's.
"""

from __future__ import annotations

import struct

from ...settings import CHILD_RECURSION_LIMIT
from ..misconception import Misconception, Section, Stall
from .sections import (
    BYTE_TYPES,
    CUT_MID_FRAME,
    DECODER_SHAPE,
    HEADER_FORMAT,
    LYING_HEADER,
    SAFE_EXERCISE,
    SLOW_COPY,
    WHILE_LOOP,
    ZERO_LENGTH,
)

__all__ = ["FRAME_DECODER", "SAFE_DECODER", "Decoder"]



class Decoder:
    """The right algorithm: check the header's length at once, return every whole frame."""

    def __init__(self, max_frame_size: int = 65536) -> None:
        self.max_frame_size = max_frame_size
        self._buffer = bytearray()

    @property
    def buffered(self) -> int:
        return len(self._buffer)

    def length(self) -> int:
        return int.from_bytes(self._buffer[:4], "big")

    def too_large(self, length: int) -> bool:
        return length > self.max_frame_size

    def refuse(self, length: int) -> None:
        raise ValueError(f"frame of {length} bytes is over the limit")

    def frame(self, length: int) -> object:
        return bytes(self._buffer[4 : 4 + length])

    def feed(self, data: bytes) -> list[object]:
        self._buffer += data
        frames: list[object] = []
        while len(self._buffer) >= 4:
            length = self.length()
            if self.too_large(length):
                self.refuse(length)
            if len(self._buffer) < 4 + length:
                break
            frames.append(self.frame(length))
            self.consume(4 + length)
        return frames

    def consume(self, count: int) -> None:
        """Remove a frame; a (negative) count that removes nothing would loop for ever."""
        before = len(self._buffer)
        del self._buffer[:count]
        if len(self._buffer) == before:
            raise Stall()

    def close(self) -> None:
        if self._buffer:
            raise EOFError(f"{len(self._buffer)} bytes left")


class NoLimit(Decoder):
    def too_large(self, length: int) -> bool:
        return False


class LimitExclusive(Decoder):
    def too_large(self, length: int) -> bool:
        return length >= self.max_frame_size


class LimitCountsHeader(Decoder):
    def too_large(self, length: int) -> bool:
        return 4 + length > self.max_frame_size


class WaitsForPayload(Decoder):
    def feed(self, data: bytes) -> list[object]:
        self._buffer += data
        frames: list[object] = []
        while len(self._buffer) >= 4:
            length = self.length()
            if len(self._buffer) < 4 + length:
                break
            if self.too_large(length):
                self.refuse(length)
            frames.append(self.frame(length))
            self.consume(4 + length)
        return frames


class WrongException(Decoder):
    def refuse(self, length: int) -> None:
        raise OverflowError("too large")

    def close(self) -> None:
        if self._buffer:
            raise ConnectionError("partial frame")


class CloseNeverRaises(Decoder):
    def close(self) -> None:
        self._buffer.clear()


class LittleEndian(Decoder):
    def length(self) -> int:
        return int.from_bytes(self._buffer[:4], "little")


class SignedHeader(Decoder):
    def length(self) -> int:
        return struct.unpack(">i", self._buffer[:4])[0]


class NegativeRefused(Decoder):
    """Netty's LengthFieldBasedFrameDecoder ported: a signed length, negatives refused."""

    def length(self) -> int:
        return struct.unpack(">i", self._buffer[:4])[0]

    def too_large(self, length: int) -> bool:
        return length < 0 or length > self.max_frame_size


class DropsEmptyFrames(Decoder):
    def feed(self, data: bytes) -> list[object]:
        return [frame for frame in super().feed(data) if frame]


class NoWhileLoop(Decoder):
    def feed(self, data: bytes) -> list[object]:
        self._buffer += data
        if len(self._buffer) >= 4:
            length = self.length()
            if self.too_large(length):
                self.refuse(length)
            if len(self._buffer) >= 4 + length:
                frame = self.frame(length)
                self.consume(4 + length)
                return [frame]
        return []


class RecursiveFeed(Decoder):
    """Returns one frame plus what a recursive ``feed(b'')`` returns: fails where the
    grading child's stack would (about 3,000 frames in one feed)."""

    DEPTH = CHILD_RECURSION_LIMIT - 10  # the grading child's limit, less its own frames

    def feed(self, data: bytes) -> list[object]:
        frames = super().feed(data)
        if len(frames) > self.DEPTH:
            raise RecursionError("maximum recursion depth exceeded")
        return frames


class BytearrayFrames(Decoder):
    def frame(self, length: int) -> object:
        return self._buffer[4 : 4 + length]


class BuffersEverything(Decoder):
    def __init__(self, max_frame_size: int = 65536) -> None:
        super().__init__(max_frame_size)
        self._count = 0

    @property
    def buffered(self) -> int:
        return self._count

    def feed(self, data: bytes) -> list[object]:
        self._count += len(data)
        return super().feed(data)


class BytesOnly(Decoder):
    def feed(self, data: bytes) -> list[object]:
        if not isinstance(data, bytes):
            raise TypeError("feed takes bytes")
        return super().feed(data)


class KeepsCallersChunks(Decoder):
    """Keeps views of the caller's chunks and joins them when needed (no copy of its own)."""

    def __init__(self, max_frame_size: int = 65536) -> None:
        super().__init__(max_frame_size)
        self._parts: list[memoryview] = []
        self._held = 0
        self._length: int | None = None

    @property
    def buffered(self) -> int:
        return self._held

    def _join(self) -> bytes:
        data = b"".join(self._parts)
        self._parts = [memoryview(data)]
        return data

    def feed(self, data: bytes) -> list[object]:
        self._parts.append(memoryview(data))
        self._held += len(data)
        frames: list[object] = []
        while True:
            if self._length is None:
                if self._held < 4:
                    break
                self._length = int.from_bytes(self._join()[:4], "big")
                if self._length > self.max_frame_size:
                    self.refuse(self._length)
            if self._held < 4 + self._length:
                break
            joined = self._join()
            end = 4 + self._length
            frames.append(joined[4:end])
            self._parts = [memoryview(joined)[end:]] if len(joined) > end else []
            self._held -= end
            self._length = None
        return frames

    def close(self) -> None:
        if self._held:
            raise EOFError("bytes left")


class EmptyFeedReturnsNone(Decoder):
    def feed(self, data: bytes) -> list[object] | None:  # type: ignore[override]
        if not data:
            return None
        return super().feed(data)


class NoFraming:
    """Hands every chunk back as it came."""

    buffered = 0

    def __init__(self, max_frame_size: int = 65536, max_length: int = 1024) -> None:
        pass

    def feed(self, data: bytes) -> list[object]:
        return [bytes(data)]

    def close(self) -> None:
        return None


class DoesNothing(NoFraming):
    def feed(self, data: bytes) -> list[object]:
        return []


def unframed_and_idle(task: str, section: Section) -> tuple[Misconception, ...]:
    """The two answers that do no framing, for any decoder task."""
    return (
        Misconception("no_framing", task, "a decoder that does no framing at all",
                      "feed hands every chunk back as it came", section,
                      "Keep the bytes in a buffer and cut frames out of it.", NoFraming),
        Misconception("does_nothing", task, "a decoder that never returns a frame",
                      "feed returns [] whatever it is given", section,
                      "Return every frame the bytes held so far complete.", DoesNothing),
    )


def _decoders(task: str) -> tuple[Misconception, ...]:
    def m(id: str, like: str, effect: str, section: Section, fix: str, cls: type,
          slow: bool = False) -> Misconception:
        return Misconception(id, task, like, effect, section, fix, cls, slow)

    return (
        *unframed_and_idle(task, DECODER_SHAPE),
        m("no_limit", "a decoder that trusts every header",
          "an oversized header never raises ValueError", LYING_HEADER,
          "Compare the announced length with max_frame_size as soon as the header is in.",
          NoLimit),
        m("limit_exclusive", "a decoder whose limit is off by one (>=)",
          "a frame of exactly max_frame_size bytes is refused", LYING_HEADER,
          "The limit is inclusive: refuse only length > max_frame_size.", LimitExclusive),
        m("limit_counts_header", "a decoder whose limit counts the 4 header bytes",
          "frames up to 4 bytes under the limit are refused", LYING_HEADER,
          "max_frame_size is about the payload: compare the announced length alone.",
          LimitCountsHeader),
        m("waits_for_payload", "a decoder that checks the limit only once the payload is in",
          "an oversized header raises late, after buffering what it will refuse", LYING_HEADER,
          "Check the length right after reading the header, before waiting for the payload.",
          WaitsForPayload),
        m("wrong_exception", "a decoder that raises other exceptions",
          "an oversized header or an unfinished frame at close raises something other "
          "than ValueError and EOFError", SAFE_EXERCISE,
          "Raise ValueError for an oversized header and EOFError in close().",
          WrongException),
        m("close_never_raises", "a decoder that treats a closed stream as clean",
          "close() with half a frame held returns instead of raising EOFError", CUT_MID_FRAME,
          "In close(), raise EOFError when any bytes are still held.", CloseNeverRaises),
        m("little_endian", "a decoder that reads headers little-endian",
          "most lengths come out as different numbers", HEADER_FORMAT,
          "Read int.from_bytes(buffer[:4], 'big').", LittleEndian),
        m("signed_header", "a decoder that reads the header as a signed number ('>i')",
          "a length with the top bit set comes out negative and is cut as a frame", LYING_HEADER,
          "Lengths are unsigned: '>I', or int.from_bytes(..., 'big').", SignedHeader),
        m("negative_length_refused",
          "a decoder ported from Netty: a signed length, negative ones refused",
          "legal lengths of 2**31 and more are refused even under a larger limit", LYING_HEADER,
          "Read the length unsigned ('>I'); only max_frame_size decides what is too large.",
          NegativeRefused),
        m("drops_empty_frames", "a decoder that drops empty frames",
          "a header announcing 0 bytes never comes back as b''", ZERO_LENGTH,
          "A zero-length frame is a frame: return b'' for it.", DropsEmptyFrames),
        m("no_while_loop", "a decoder without the while loop",
          "feed returns at most one frame", WHILE_LOOP,
          "Loop until the buffer holds no complete frame.", NoWhileLoop),
        m("recursive_feed", "a decoder that calls itself once per frame",
          "a chunk full of small frames runs out of stack (RecursionError)", WHILE_LOOP,
          "Drain the buffer with a while loop, not a recursive call.", RecursiveFeed),
        m("bytearray_frames", "a decoder that returns bytearray slices",
          "the frames are right but are bytearray, not bytes", BYTE_TYPES,
          "Wrap each slice in bytes(...).", BytearrayFrames),
        m("empty_feed_returns_none", "a decoder that treats feed(b'') as nothing to answer",
          "feed(b'') returns None instead of an empty list", DECODER_SHAPE,
          "feed always returns a list: [] when the data completes nothing.",
          EmptyFeedReturnsNone),
        m("quadratic_copying", "a decoder that copies the whole buffer on every feed",
          "its frames are right, but a 16 MiB frame in small chunks copies gigabytes and "
          "runs out of time", SLOW_COPY,
          "Extend one bytearray in place and delete what you hand back; do not rebuild "
          "bytes with + on every feed.", Decoder, slow=True),
    )


SAFE_DECODER = _decoders("SafeDecoder")
FRAME_DECODER = (
    *_decoders("FrameDecoder"),
    Misconception("buffered_counts_everything", "FrameDecoder",
                  "a decoder whose buffered counts every byte ever fed",
                  "buffered grows forever instead of counting the unfinished tail", DECODER_SHAPE,
                  "buffered is len() of what is held for frames still to come.",
                  BuffersEverything),
    Misconception("bytes_only", "FrameDecoder", "a decoder that accepts only bytes",
                  "feed(bytearray(...)) or feed(memoryview(...)) raises", BYTE_TYPES,
                  "Accept any bytes-like chunk: buffer += data works for all three.",
                  BytesOnly),
    Misconception("keeps_callers_chunks", "FrameDecoder",
                  "a decoder that keeps the caller's chunks without copying them",
                  "once the caller reuses its receive buffer, the frames change", BYTE_TYPES,
                  "Copy what you keep: buffer += data copies the bytes in.",
                  KeepsCallersChunks),
)
