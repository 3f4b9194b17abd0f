"""Lesson 3's ``on_bytes``: receivers with one known mistake each.

Each class is built with the ``handle`` callback, gets ``on_bytes(chunk)`` calls and
keeps its held bytes in ``buffer``, as an answer's module does. ``Receiver`` is the
plain right algorithm; every misconception changes one decision in it.
"""

from __future__ import annotations

import struct
from collections.abc import Callable

from ...settings import CHILD_RECURSION_LIMIT
from ..misconception import Misconception, Section, Stall
from .sections import (
    BYTE_TYPES,
    DECISIONS,
    ONE_BUFFER,
    SLOW_COPY,
    STANDARD_HEADER,
    TWO_REASONS_TO_WAIT,
    WHILE_LOOP,
)

__all__ = ["MISCONCEPTIONS", "Receiver"]

TASK = "on_bytes"


class Receiver:
    """The right algorithm: append, then hand over every complete frame.

    Each step is a method, so a misconception overrides the one decision it gets wrong.
    """

    def __init__(self, handle: Callable[[object], None]) -> None:
        self.handle = handle
        self.buffer = bytearray()

    def length(self) -> int:
        return int.from_bytes(self.buffer[:4], "big")

    def header_ready(self) -> bool:
        return len(self.buffer) >= 4

    def frame_ready(self, length: int) -> bool:
        return len(self.buffer) >= 4 + length

    def frame(self, length: int) -> object:
        return bytes(self.buffer[4 : 4 + length])

    def take(self, length: int) -> None:
        """Cut the frame announced as ``length`` off the buffer and hand it over."""
        frame = self.frame(length)
        del self.buffer[: 4 + length]
        self.deliver(frame)

    def deliver(self, frame: object) -> None:
        self.handle(frame)

    def drain(self) -> None:
        while self.header_ready():
            length = self.length()
            if not self.frame_ready(length):
                break
            self.take(length)

    def on_bytes(self, chunk: bytes) -> None:
        self.buffer += chunk
        self.drain()


class NoWhileLoop(Receiver):
    def drain(self) -> None:
        if self.header_ready() and self.frame_ready(self.length()):
            self.take(self.length())


class IgnoresChunks(Receiver):
    def on_bytes(self, chunk: bytes) -> None:
        pass


class ChunkIsAFrame(Receiver):
    def on_bytes(self, chunk: bytes) -> None:
        self.handle(bytes(chunk[4:]))


class NoFraming(Receiver):
    def on_bytes(self, chunk: bytes) -> None:
        self.handle(bytes(chunk))


class DoesNothing(Receiver):
    def on_bytes(self, chunk: bytes) -> None:
        self.buffer += chunk


class LittleEndian(Receiver):
    def length(self) -> int:
        return int.from_bytes(self.buffer[:4], "little")


class LastByteOnly(Receiver):
    def length(self) -> int:
        return self.buffer[3]


class LastThreeBytes(Receiver):
    def length(self) -> int:
        return int.from_bytes(self.buffer[1:4], "big")


class SignedHeader(Receiver):
    def length(self) -> int:
        return struct.unpack(">i", self.buffer[:4])[0]


class TwistedLimit(Receiver):
    """Twisted's IntNStringReceiver: a frame over MAX_LENGTH drops the rest of the stream."""

    MAX_LENGTH = 99_999

    def frame_ready(self, length: int) -> bool:
        if length > self.MAX_LENGTH:
            self.buffer.clear()  # the rest of the stream is dropped with it
            return False
        return super().frame_ready(length)


class HeaderInFrame(Receiver):
    def frame(self, length: int) -> object:
        return bytes(self.buffer[: 4 + length])


class PayloadOneEarly(Receiver):
    def frame(self, length: int) -> object:
        return bytes(self.buffer[3 : 3 + length])


class PayloadOneShort(Receiver):
    def frame(self, length: int) -> object:
        return bytes(self.buffer[4 : 3 + length])


class NeverTrims(Receiver):
    def __init__(self, handle: Callable[[object], None]) -> None:
        super().__init__(handle)
        self.position = 0

    def on_bytes(self, chunk: bytes) -> None:
        self.buffer += chunk
        while len(self.buffer) - self.position >= 4:
            start = self.position
            length = int.from_bytes(self.buffer[start : start + 4], "big")
            end = start + 4 + length
            if len(self.buffer) < end:
                break
            self.handle(bytes(self.buffer[start + 4 : end]))
            self.position = end


class DropsEmptyFrames(Receiver):
    def deliver(self, frame: object) -> None:
        if frame:
            self.handle(frame)


class WaitsForMoreThanHeader(Receiver):
    def header_ready(self) -> bool:
        return len(self.buffer) > 4


class LooksBeforeAppending(Receiver):
    def on_bytes(self, chunk: bytes) -> None:
        self.drain()
        self.buffer += chunk


class EarlyDelivery(Receiver):
    def frame_ready(self, length: int) -> bool:
        return True


class BytearrayFrames(Receiver):
    def frame(self, length: int) -> object:
        return self.buffer[4 : 4 + length]


class MemoryviewFrames(Receiver):
    def frame(self, length: int) -> object:
        return memoryview(bytes(self.buffer[4 : 4 + length]))


class WaitsForData(Receiver):
    def on_bytes(self, chunk: bytes) -> None:
        if not chunk:
            raise Stall()
        super().on_bytes(chunk)


class RecursiveDrain(Receiver):
    """Hands over one frame, then calls itself for the rest: one stack frame per frame.

    Written as a loop that fails where the recursion would: the grader's own stack is
    not the grading child's, and which frame the error hits is not compared anyway.
    """

    DEPTH = CHILD_RECURSION_LIMIT - 10  # the grading child's limit, less its own frames

    def drain(self) -> None:
        depth = 0
        while self.header_ready() and self.frame_ready(self.length()):
            if depth > self.DEPTH:
                raise RecursionError("maximum recursion depth exceeded")
            self.take(self.length())
            depth += 1


def _m(id: str, like: str, effect: str, section: Section, fix: str, cls: type,
       slow: bool = False) -> Misconception:
    return Misconception(id, TASK, like, effect, section, fix, cls, slow)


MISCONCEPTIONS: tuple[Misconception, ...] = (
    _m("no_framing", "a receiver that does no framing at all",
       "it hands every chunk to handle as it arrived", ONE_BUFFER,
       "Keep the chunks in `buffer` and cut frames out of it by their headers.", NoFraming),
    _m("does_nothing", "a receiver that only stores the bytes",
       "it never hands a frame to handle", DECISIONS,
       "After adding the chunk, read the header and hand over each complete frame.",
       (DoesNothing, IgnoresChunks)),
    _m("chunk_is_a_frame", "a receiver that takes every chunk for one whole frame",
       "it hands over each chunk minus 4 bytes, wherever the chunk was cut", ONE_BUFFER,
       "Chunks ignore frame boundaries: collect them in `buffer` and cut frames by header.",
       ChunkIsAFrame),
    _m("no_while_loop", "a receiver without the while loop",
       "it hands over at most one frame per call", WHILE_LOOP,
       "Turn the `if` into a `while`, so one call drains every complete frame.", NoWhileLoop),
    _m("recursive_drain", "a receiver that calls itself once per frame",
       "a chunk full of small frames runs out of stack (RecursionError)", WHILE_LOOP,
       "Drain the buffer with a `while` loop instead of a recursive call.", RecursiveDrain),
    _m("little_endian", "a receiver that reads the header little-endian",
       "every length of 256 or more, and most lengths under it, come out wrong", STANDARD_HEADER,
       "Read the header with int.from_bytes(buffer[:4], 'big').", LittleEndian),
    _m("last_header_byte", "a receiver that reads only the last header byte",
       "lengths of 256 and more are taken modulo 256", STANDARD_HEADER,
       "The length is all 4 header bytes: int.from_bytes(buffer[:4], 'big').", LastByteOnly),
    _m("three_byte_length", "a receiver that reads only the last 3 header bytes",
       "a length of 16 MiB or more is taken for a short one", STANDARD_HEADER,
       "The length is all 4 header bytes: int.from_bytes(buffer[:4], 'big').", LastThreeBytes),
    _m("signed_header", "a receiver that reads the header as a signed number ('>i')",
       "a length with the top bit set comes out negative and is cut as a frame at once",
       STANDARD_HEADER,
       "Lengths are unsigned: struct.unpack('>I', ...) or int.from_bytes(..., 'big').",
       SignedHeader),
    _m("length_limit", "a receiver with a length limit of its own (Twisted's MAX_LENGTH)",
       "a frame over 99,999 bytes silently wipes the buffer", TWO_REASONS_TO_WAIT,
       "on_bytes has no length limit: every announced length is waited for.", TwistedLimit),
    _m("header_in_frame", "a receiver that keeps the header in the frame",
       "every frame reaches handle with its 4 header bytes in front", DECISIONS,
       "The frame is buffer[4:4 + length]: the payload after the header.", HeaderInFrame),
    _m("payload_one_early", "a receiver whose payload slice starts one byte early",
       "every frame starts with the header's last byte and loses its own last byte",
       DECISIONS, "The payload starts after the 4 header bytes: buffer[4:4 + length].",
       PayloadOneEarly),
    _m("payload_one_short", "a receiver whose payload slice ends one byte early",
       "every frame loses its last byte", DECISIONS,
       "The payload is buffer[4:4 + length]: its end is 4 + length.", PayloadOneShort),
    _m("never_trims", "a receiver that never removes handed-over bytes from the buffer",
       "the frames are right, but `buffer` keeps growing", ONE_BUFFER,
       "Delete each frame from the buffer as you hand it over (del buffer[:4 + length]).",
       NeverTrims),
    _m("drops_empty_frames", "a receiver that drops empty frames",
       "a header announcing 0 bytes never reaches handle as b''", TWO_REASONS_TO_WAIT,
       "A zero-length frame is a frame: call handle(b'') for it.", DropsEmptyFrames),
    _m("waits_past_header", "a receiver that waits for more than the 4 header bytes ('>')",
       "an empty frame at the end of the buffer is delivered late, with the next bytes",
       TWO_REASONS_TO_WAIT, "Test len(buffer) >= 4: a header alone can be a whole (empty) frame.",
       WaitsForMoreThanHeader),
    _m("looks_before_appending", "a receiver that looks for frames before adding the chunk",
       "each frame reaches handle one call late", DECISIONS,
       "Add the chunk to the buffer first, then look for complete frames.",
       LooksBeforeAppending),
    _m("early_delivery", "a receiver that does not wait for the whole payload",
       "a frame is handed over as soon as its header is in, cut short", TWO_REASONS_TO_WAIT,
       "Before cutting a frame, check len(buffer) >= 4 + length, and wait if not.",
       EarlyDelivery),
    _m("bytearray_frames", "a receiver that hands over bytearray slices",
       "the frames are right but are bytearray, not bytes", BYTE_TYPES,
       "Wrap the slice: handle(bytes(buffer[4:4 + length])).", BytearrayFrames),
    _m("memoryview_frames", "a receiver that hands over memoryviews",
       "the frames are right but are memoryview, not bytes", BYTE_TYPES,
       "Hand over bytes: bytes(view[...]) or view[...].tobytes().", MemoryviewFrames),
    _m("waits_for_data", "a receiver that waits inside on_bytes for data to arrive",
       "an empty chunk makes it loop forever", ONE_BUFFER,
       "on_bytes must return at once when a chunk completes nothing, even an empty one.",
       WaitsForData),
    _m("quadratic_copying", "a receiver that copies the whole buffer on every call",
       "its frames are right, but a 16 MiB frame in small chunks copies gigabytes and "
       "runs out of time", SLOW_COPY,
       "Keep a bytearray and extend it in place (buffer += chunk on a bytearray), not "
       "buffer = buffer + chunk on bytes.", Receiver, slow=True),
)
