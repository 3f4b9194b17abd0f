"""Lesson 4's ``LineDecoder``: newline-delimited frames with an inclusive ``max_length``."""

from __future__ import annotations

from ..misconception import Misconception
from .decoders import unframed_and_idle
from .sections import (
    BYTE_TYPES,
    DELIMITERS,
    LINE_EXERCISE,
    SCHEME_COSTS,
)

__all__ = ["LINE_DECODER", "Lines"]



class Lines:
    """The right algorithm: split off every complete line, keep the tail, watch the limit."""

    def __init__(self, max_length: int = 1024) -> None:
        self.max_length = max_length
        self.buffer = bytearray()

    def line_too_long(self, line: bytes) -> bool:
        return len(line) > self.max_length

    def held_too_long(self) -> bool:
        return len(self.buffer) > self.max_length

    def split(self) -> list[object]:
        *lines, rest = bytes(self.buffer).split(b"\n")
        self.buffer = bytearray(rest)
        return list(lines)

    def keep(self, line: bytes) -> bool:
        return True

    def feed(self, data: bytes) -> list[object]:
        self.buffer += data
        lines = []
        for line in self.split():
            if self.line_too_long(line):  # type: ignore[arg-type]
                raise ValueError("line too long")
            if self.keep(line):  # type: ignore[arg-type]
                lines.append(self.shape(line))  # type: ignore[arg-type]
        if self.held_too_long():
            raise ValueError("too much without a newline")
        return lines

    def shape(self, line: bytes) -> object:
        return line


class ForgetsPartialLine(Lines):
    def split(self) -> list[object]:
        lines = super().split()
        if len(self.buffer) > self.max_length:
            self.buffer.clear()
            raise ValueError("too long")
        self.buffer.clear()
        return lines


class DropsEmptyLines(Lines):
    def keep(self, line: bytes) -> bool:
        return bool(line)


class LimitExclusive(Lines):
    def line_too_long(self, line: bytes) -> bool:
        return len(line) >= self.max_length

    def held_too_long(self) -> bool:
        return len(self.buffer) >= self.max_length


class NoLimit(Lines):
    def line_too_long(self, line: bytes) -> bool:
        return False

    def held_too_long(self) -> bool:
        return False


class OnlyCompletedLinesLimited(Lines):
    def held_too_long(self) -> bool:
        return False


class ChecksBeforeSplitting(Lines):
    def feed(self, data: bytes) -> list[object]:
        self.buffer += data
        if len(self.buffer) > self.max_length:
            raise ValueError("too much data")
        return self.split()


class KeepsNewline(Lines):
    def shape(self, line: bytes) -> object:
        return line + b"\n"


class SplitsOnCarriageReturn(Lines):
    """``bytes.splitlines()``: \\r and \\r\\n end a line too."""

    def split(self) -> list[object]:
        data = bytes(self.buffer)
        end = max(data.rfind(b"\n"), data.rfind(b"\r"))
        done, rest = data[: end + 1], data[end + 1 :]
        self.buffer = bytearray(rest)
        return list(done.splitlines())


class BytearrayLines(Lines):
    def shape(self, line: bytes) -> object:
        return bytearray(line)


def _m(id: str, like: str, effect: str, section: object, fix: str, cls: type,
       slow: bool = False) -> Misconception:
    return Misconception(id, "LineDecoder", like, effect, section, fix, cls, slow)  # type: ignore[arg-type]


LINE_DECODER: tuple[Misconception, ...] = (
    *unframed_and_idle("LineDecoder", DELIMITERS),
    _m("forgets_partial_line", "a decoder that forgets the unfinished line",
       "bytes after the last newline are lost instead of starting the next line",
       DELIMITERS, "Keep the bytes after the last newline for the next feed.",
       ForgetsPartialLine),
    _m("drops_empty_lines", "a decoder that drops empty lines",
       "two newlines in a row do not give b''", DELIMITERS,
       "Return every line between two newlines, the empty ones too.", DropsEmptyLines),
    _m("limit_exclusive", "a decoder whose limit is off by one (>=)",
       "a line of exactly max_length bytes is refused", LINE_EXERCISE,
       "The limit is inclusive: refuse only more than max_length bytes.", LimitExclusive),
    _m("no_limit", "a decoder without a length limit",
       "no line, however long, raises ValueError", LINE_EXERCISE,
       "Raise ValueError for a line, or a held tail, over max_length.", NoLimit),
    _m("limit_only_on_lines", "a decoder that checks the limit only on completed lines",
       "bytes without a newline pile up without limit", LINE_EXERCISE,
       "Also raise as soon as the held tail is over max_length.", OnlyCompletedLinesLimited),
    _m("checks_before_splitting", "a decoder that checks the limit before splitting",
       "a feed holding many short lines is refused as one long one", LINE_EXERCISE,
       "Split first; then check each line and the tail left over.", ChecksBeforeSplitting),
    _m("keeps_newline", "a decoder that keeps the newline in each line",
       "every line comes back with b'\\n' at its end", DELIMITERS,
       "Return the line without its newline.", KeepsNewline),
    _m("splits_on_carriage_return", "a decoder built on bytes.splitlines()",
       "a b'\\r' inside a line ends it too", DELIMITERS,
       "Split on b'\\n' only: splitlines() also splits at b'\\r'.", SplitsOnCarriageReturn),
    _m("bytearray_lines", "a decoder that returns bytearray lines",
       "the lines are right but are bytearray, not bytes", BYTE_TYPES,
       "Wrap each line in bytes(...).", BytearrayLines),
    _m("quadratic_work", "a decoder that rescans or rebuilds everything held on every feed",
       "its lines are right, but one 16 MiB line in small chunks takes gigabytes of work "
       "and runs out of time", SCHEME_COSTS,
       "Remember how far you have searched, and extend one bytearray in place.",
       Lines, slow=True),
)
