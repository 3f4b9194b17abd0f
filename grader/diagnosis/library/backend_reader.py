"""Lesson 7's ``BackendReader``: PostgreSQL's server messages, one known mistake each.

``Reader`` is the plain right algorithm (a type byte, a 4-byte big-endian length that counts
itself, ``feed`` returning ``(type, body)`` pairs); every misconception changes one decision
in it, as an answer with that mistake does.
"""

from __future__ import annotations

from ..misconception import Misconception, Section
from .sections import (
    BACKEND_EXERCISE,
    BYTE_TYPES,
    CUT_MID_FRAME,
    FOUR_NUMBERS,
    LYING_HEADER,
    POSTGRES,
    TWO_REASONS_TO_WAIT,
    WHILE_LOOP,
    ZERO_LENGTH,
)

__all__ = ["BACKEND_READER", "Reader"]

TASK = "BackendReader"

#: Bytes before the body: the type byte and the length field.
HEADER = 5


class Reader:
    """The right algorithm: refuse an impossible or oversized length at once, return every
    whole message as ``(type, body)``."""

    #: How many bytes must be held before the length is read.
    needed = HEADER

    def __init__(self, max_message_size: int = 1 << 20) -> None:
        self.max_message_size = max_message_size
        self._buffer = bytearray()

    def length(self) -> int:
        return int.from_bytes(self._buffer[1:5], "big")

    def wire_size(self, length: int) -> int:
        """The bytes one message takes on the wire, type byte included."""
        return 1 + length

    def impossible(self, length: int) -> bool:
        return length < 4

    def too_large(self, length: int) -> bool:
        return length - 4 > self.max_message_size

    def check(self, length: int) -> None:
        if self.impossible(length):
            raise ValueError(f"length {length} is under 4")
        if self.too_large(length):
            raise ValueError(f"length {length} is over the limit")

    def message(self, size: int) -> tuple[object, object]:
        return bytes(self._buffer[:1]), bytes(self._buffer[HEADER:size])

    def keep(self, message: tuple[object, object]) -> bool:
        return True

    def feed(self, data: bytes) -> list[object]:
        self._buffer += data
        messages: list[object] = []
        while len(self._buffer) >= self.needed:
            if not self.take(messages):
                break
        return messages

    def take(self, messages: list[object]) -> bool:
        """Cut one message off the front into ``messages``; False when it is not all here."""
        length = self.length()
        self.check(length)
        size = self.wire_size(length)
        if len(self._buffer) < size:
            return False
        message = self.message(size)
        if self.keep(message):
            messages.append(message)
        del self._buffer[:size]
        return True

    def close(self) -> None:
        if self._buffer:
            raise EOFError(f"{len(self._buffer)} bytes held")


class DoesNothing(Reader):
    def feed(self, data: bytes) -> list[object]:
        return []


class NoWhileLoop(Reader):
    def feed(self, data: bytes) -> list[object]:
        self._buffer += data
        messages: list[object] = []
        if len(self._buffer) >= self.needed:
            self.take(messages)
        return messages


class LengthExcludesItself(Reader):
    """The length read as the body's size: every message is taken 4 bytes too long."""

    def wire_size(self, length: int) -> int:
        return HEADER + length


class LengthExcludesItselfUnchecked(LengthExcludesItself):
    """The same, with the limit on the length as read and no "under 4" (nothing is, then)."""

    def impossible(self, length: int) -> bool:
        return False

    def too_large(self, length: int) -> bool:
        return length > self.max_message_size


class LengthExcludesItselfLimited(LengthExcludesItself):
    """The same, with the limit on the length as read but the "under 4" check kept."""

    def too_large(self, length: int) -> bool:
        return length > self.max_message_size


class TwoByteLength(Reader):
    def length(self) -> int:
        return int.from_bytes(self._buffer[3:5], "big")


class LittleEndianLength(Reader):
    def length(self) -> int:
        return int.from_bytes(self._buffer[1:5], "little")


class LengthAtOffsetZero(Reader):
    """The course's own header at the front: the type byte read as the length's first byte."""

    def length(self) -> int:
        return int.from_bytes(self._buffer[0:4], "big")


class ReadsLengthEarly(Reader):
    """Lesson 3-6's ``while len(buffer) >= 4`` kept: a length read with one byte missing."""

    needed = 4


class WaitsForBody(Reader):
    def take(self, messages: list[object]) -> bool:
        length = self.length()
        if self.impossible(length):
            raise ValueError("under 4")
        size = self.wire_size(length)
        if len(self._buffer) < size:
            return False
        if self.too_large(length):
            raise ValueError("over the limit")
        messages.append(self.message(size))
        del self._buffer[:size]
        return True


class LimitExclusive(Reader):
    def too_large(self, length: int) -> bool:
        return length - 4 >= self.max_message_size


class LimitOnLengthField(Reader):
    def too_large(self, length: int) -> bool:
        return length > self.max_message_size


class LimitOnWholeMessage(Reader):
    def too_large(self, length: int) -> bool:
        return 1 + length > self.max_message_size


class NoImpossibleCheck(Reader):
    def impossible(self, length: int) -> bool:
        return False


class CloseNeverRaises(Reader):
    def close(self) -> None:
        return None


class DropsEmptyBodies(Reader):
    def keep(self, message: tuple[object, object]) -> bool:
        return bool(message[1])


class TypeAsInt(Reader):
    def message(self, size: int) -> tuple[object, object]:
        return self._buffer[0], bytes(self._buffer[HEADER:size])


class BytearrayBodies(Reader):
    def message(self, size: int) -> tuple[object, object]:
        return bytes(self._buffer[:1]), self._buffer[HEADER:size]


def _m(id: str, like: str, effect: str, section: Section, fix: str, impl: object
       ) -> Misconception:
    return Misconception(id, TASK, like, effect, section, fix, impl)


BACKEND_READER: tuple[Misconception, ...] = (
    _m("does_nothing", "a reader that never returns a message",
       "feed returns [] whatever it is given", BACKEND_EXERCISE,
       "Keep the bytes in a buffer and return every message they complete.", DoesNothing),
    _m("no_while_loop", "a reader without the while loop",
       "feed returns at most one message, though a real server sends dozens in one chunk",
       WHILE_LOOP, "Loop until the buffer holds no complete message.", NoWhileLoop),
    _m("length_excludes_itself", "a reader that takes the length for the body's size",
       "every message is read 4 bytes too long, so the next one starts in the wrong place",
       POSTGRES,
       "The length counts its own 4 bytes: the body is length - 4 bytes, the message "
       "1 + length on the wire.",
       (LengthExcludesItself, LengthExcludesItselfLimited, LengthExcludesItselfUnchecked)),
    _m("two_byte_length", "a reader of a 2-byte length",
       "only the low 2 of the 4 length bytes count, so a message over 65,535 bytes is misread",
       FOUR_NUMBERS, "Read all 4 bytes: int.from_bytes(buffer[1:5], 'big').", TwoByteLength),
    _m("misreads_length_field", "a reader that takes the length from the wrong bytes or order",
       "every real length comes out far over the limit, so the first message is refused",
       FOUR_NUMBERS,
       "The length is the 4 bytes after the type byte, big-endian: "
       "int.from_bytes(buffer[1:5], 'big').",
       (LittleEndianLength, LengthAtOffsetZero)),
    _m("reads_length_early", "a reader that reads the length once 4 bytes are in",
       "with 4 bytes held it reads the length from 3 of them, a wrong number",
       TWO_REASONS_TO_WAIT,
       "The header is 5 bytes here (type and length): wait until len(buffer) >= 5.",
       ReadsLengthEarly),
    _m("waits_for_body", "a reader that checks the limit only once the body is in",
       "an oversized length is refused only once its body is in, which a lying peer may "
       "never send", LYING_HEADER,
       "Check length - 4 against max_message_size as soon as the 5 header bytes are in.",
       WaitsForBody),
    _m("limit_exclusive", "a reader whose limit is off by one (>=)",
       "a body of exactly max_message_size bytes is refused", BACKEND_EXERCISE,
       "The limit is inclusive: refuse only length - 4 > max_message_size.", LimitExclusive),
    _m("limit_counts_header", "a reader whose limit counts the header too",
       "a body a few bytes under max_message_size is refused, as the header's bytes are "
       "counted against it", BACKEND_EXERCISE,
       "max_message_size is about the body: compare length - 4 with it.",
       (LimitOnLengthField, LimitOnWholeMessage)),
    _m("no_impossible_check", "a reader that takes a length under 4 at its word",
       "a corrupt length of 0 to 3 gives a message instead of ValueError", POSTGRES,
       "A length counts its own 4 bytes: raise ValueError for a length under 4.",
       NoImpossibleCheck),
    _m("close_never_raises", "a reader that treats a closed stream as clean",
       "close() with part of a message held returns instead of raising EOFError", CUT_MID_FRAME,
       "In close(), raise EOFError when any bytes are still held.", CloseNeverRaises),
    _m("drops_empty_bodies", "a reader that drops messages without a body",
       "a length of exactly 4 (EmptyQueryResponse, ParseComplete) never comes back", ZERO_LENGTH,
       "A length of 4 is a whole message: return (type, b'') for it.", DropsEmptyBodies),
    _m("type_as_int", "a reader that returns the type as buffer[0]",
       "indexing bytes gives an int, so a type comes back as 90, not b'Z'", BACKEND_EXERCISE,
       "Slice instead of indexing: bytes(buffer[:1]) is the 1-byte type.", TypeAsInt),
    _m("bytearray_bodies", "a reader that returns bytearray slices",
       "the bodies are right but are bytearray, not bytes", BYTE_TYPES,
       "Wrap each slice in bytes(...).", BytearrayBodies),
)
