"""Lesson 4 (``notebooks/04-delimiters``): ``LineDecoder``, newline-delimited frames with a limit.

``LineDecoder(max_length=1024)``; ``feed(data)`` returns the complete lines without
``b"\\n"``; it raises ``ValueError`` as soon as more than ``max_length`` bytes are
held with no newline, or a completed line is longer than ``max_length``.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

from framinglib import split_at, split_every
from grader.checks.base import Check
from grader.checks.cuttings import Chunks, cuttings
from grader.checks.decoders import DecoderClass, Expect, Feeds, Op

from .task import Task

__all__ = ["CHECKS", "DEFAULT_MAX_LENGTH", "LESSON", "LINES", "TASKS", "reference"]

LESSON = "04-delimiters"
TITLE = "Lesson 4"
CLASS = "LineDecoder"
DEFAULT_MAX_LENGTH = 1024
EXAMPLE = b"one\ntwo\n\nthree\n"


def reference(ops: Sequence[Op], max_length: int = DEFAULT_MAX_LENGTH) -> list[Expect]:
    """What a correct LineDecoder gives for each feed (plainest algorithm, on purpose)."""
    held = b""
    out: list[Expect] = []
    for op in ops:
        held += op.data
        lines = []
        while b"\n" in held:
            line, held = held.split(b"\n", 1)
            if len(line) > max_length:
                return [*out, Expect(raises="ValueError")]
            lines.append(line)
        if len(held) > max_length:
            return [*out, Expect(raises="ValueError")]
        out.append(Expect.of_frames(lines))
    return out


LINES = DecoderClass(CLASS, "max_length", DEFAULT_MAX_LENGTH, reference, header_size=0)

#: The limits the max_length checks pass to the constructor (and then they try the default).
LIMITS = (1, 5, 64)


def _at_each_limit(deliveries: Callable[[int], list[list[bytes]]]) -> list[Feeds]:
    """``deliveries(limit)`` with each of ``LIMITS`` passed, then at the default limit."""
    cases = [Feeds(tuple(chunks), limit) for limit in LIMITS for chunks in deliveries(limit)]
    return cases + [Feeds(tuple(chunks)) for chunks in deliveries(DEFAULT_MAX_LENGTH)]


_SPLIT_HINT = (
    f"{TITLE}: search the held bytes for b'\\n' after every feed; a line, or the newline "
    "itself, may arrive in any number of pieces."
)


def _splits_lines(seed: str) -> list[list[bytes]]:
    return cuttings(EXAMPLE, 2)


_PARTIAL_HINT = (
    f"{TITLE}: bytes after the last newline are the start of the next line: keep them and "
    "return only complete lines."
)


def _keeps_partial_line(seed: str) -> list[list[bytes]]:
    return [
        [b"ab"],
        [b"ab", b"c", b"\nd", b"e\n"],
        [b"x\ny"],
        [b"x\ny", b"z\n"],
        [b"abc", b"", b"def\n"],
    ]


_EMPTY_HINT = (
    f"{TITLE}: two newlines in a row enclose an empty line: return b'' for it, do not skip it."
)


def _empty_lines(seed: str) -> list[list[bytes]]:
    return [[b"\n"], [b"\n\n\n"], [b"a\n\n"], [b"\n", b"\n"], [b"a\n", b"\nb\n"]]


_MANY_HINT = f"{TITLE}: one feed can complete many lines: return all of them, in order."


def _many_lines(seed: str) -> list[list[bytes]]:
    lines = b"".join(b"line %d\n" % i for i in range(500))
    return [[lines], [lines[:1001], lines[1001:]], [b"a\nb\nc\nd"]]


_INCLUSIVE_HINT = (
    f"{TITLE}: max_length is inclusive: a line of exactly max_length bytes is fine, and so "
    "is holding exactly max_length bytes while waiting for the newline."
)


def _max_length_inclusive(seed: str) -> list[Feeds]:
    def deliveries(limit: int) -> list[list[bytes]]:
        line = b"m" * limit
        return [
            [line + b"\n"],
            [line, b"\n"],
            split_every(line + b"\n", 1),
            [line + b"\n" + line, b"\n"],
        ]

    return _at_each_limit(deliveries)


_LONG_HINT = (
    f"{TITLE}: a completed line longer than max_length must raise ValueError, even when its "
    "newline arrived in the same chunk."
)


def _long_line(seed: str) -> list[Feeds]:
    def deliveries(limit: int) -> list[list[bytes]]:
        line = b"L" * (limit + 1) + b"\n"
        return [[line], [b"ok\n"[: limit + 1] + line]]

    return _at_each_limit(deliveries)


_HELD_HINT = (
    f"{TITLE}: do not wait for a newline forever: raise ValueError in the feed that makes the "
    "bytes held without a newline exceed max_length, not later."
)


def _too_much_held(seed: str) -> list[Feeds]:
    def deliveries(limit: int) -> list[list[bytes]]:
        held = b"H" * (limit + 1)
        return [[held], split_every(held, 1), [held[:limit], held[limit:]], [b"a\n" + held]]

    return _at_each_limit(deliveries)


_TYPE_HINT = (
    f"{TITLE}: feed returns a list of bytes objects; convert slices of a bytearray with "
    "bytes(...)."
)


def _returns_bytes(seed: str) -> list[list[bytes]]:
    return [[EXAMPLE], split_every(EXAMPLE, 4)]


_RANDOM_HINT = f"{TITLE}: replay the smallest failing input shown here by hand, feed by feed."


def _random_lines(seed: str) -> list[Feeds]:
    rng = random.Random(f"{CLASS}/{seed}")
    cases = []
    for _ in range(50):
        limit = rng.choice([None, 3, 8, 40])
        lines = [
            bytes(rng.choice(b"abcxyz \t\r") for _ in range(rng.choice([0, 1, 2, 5, 9, 30])))
            for _ in range(rng.randint(1, 6))
        ]
        data = b"\n".join(lines) + (b"\n" if rng.random() < 0.7 else b"")
        if not data:
            continue
        pieces = rng.randint(1, min(len(data), 8))
        delivery = Chunks(tuple(split_at(data, rng.sample(range(1, len(data)), pieces - 1))))
        cases.append(Feeds(delivery.pieces, limit, delivery=delivery))
    return cases


CHECKS: tuple[Check, ...] = (
    LINES.check(
        "splits_lines",
        2,
        "every cutting of a few lines into up to 3 chunks, and byte by byte",
        _SPLIT_HINT,
        _splits_lines,
    ),
    LINES.check(
        "keeps_partial_line",
        1,
        "an unfinished line is kept for later",
        _PARTIAL_HINT,
        _keeps_partial_line,
    ),
    LINES.check("empty_lines", 1, "empty lines are returned as b''", _EMPTY_HINT, _empty_lines),
    LINES.check("many_lines", 1, "many lines in one feed", _MANY_HINT, _many_lines),
    LINES.check(
        "max_length_inclusive",
        1,
        "lines of exactly max_length bytes are fine",
        _INCLUSIVE_HINT,
        _max_length_inclusive,
    ),
    LINES.check(
        "long_line", 1, "a completed line over max_length raises ValueError", _LONG_HINT, _long_line
    ),
    LINES.check(
        "too_much_held",
        1,
        "over max_length bytes with no newline raises at once",
        _HELD_HINT,
        _too_much_held,
    ),
    LINES.check(
        "returns_bytes",
        1,
        "feed returns a list of bytes",
        _TYPE_HINT,
        _returns_bytes,
        aspect="types",
    ),
    LINES.check(
        "random_lines",
        2,
        "random lines, limits and chunkings (seeded per student)",
        _RANDOM_HINT,
        _random_lines,
    ),
)

TASKS = (Task(CLASS, LESSON, 11, CHECKS),)
