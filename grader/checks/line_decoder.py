"""Checks for lesson 4's ``LineDecoder``: newline-delimited frames with a length limit.

``LineDecoder(max_length=1024)``; ``feed(data)`` returns the complete lines without
``b"\\n"``; it raises ``ValueError`` as soon as more than ``max_length`` bytes are
held with no newline, or a completed line is longer than ``max_length``.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence

from framinglib import split_at, split_every

from .base import Check, Probe
from .decoders import Expect, Op, chunk_shrinker, object_probe

__all__ = ["CHECKS", "DEFAULT_MAX_LENGTH", "reference"]

LESSON = "Lesson 4"
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


def _probe(
    chunks: Sequence[bytes],
    *,
    check: str,
    hint: str,
    max_length: int | None = None,
    aspect: str = "values",
    shrinkable: bool = False,
) -> Probe:
    ops = [Op("feed", chunk) for chunk in chunks]
    expected = reference(ops, DEFAULT_MAX_LENGTH if max_length is None else max_length)
    kwargs = {} if max_length is None else {"max_length": max_length}

    def remake(smaller: list[bytes]) -> Probe:
        return _probe(
            smaller, check=check, hint=hint, max_length=max_length, aspect=aspect, shrinkable=True
        )

    return object_probe(
        CLASS,
        ops,
        expected,
        check=check,
        hint=hint,
        kwargs=kwargs,
        aspect=aspect,
        header_size=0,
        shrink=chunk_shrinker(chunks, remake) if shrinkable else None,
    )


def _probes(name: str, hint: str, cuttings: list[list[bytes]], **options) -> list[Probe]:
    return [_probe(chunks, check=name, hint=hint, **options) for chunks in cuttings]


_SPLIT_HINT = (
    f"{LESSON}: search the held bytes for b'\\n' after every feed; a line, or the newline "
    "itself, may arrive in any number of pieces."
)


def _splits_lines(seed: str) -> list[Probe]:
    inner = range(1, len(EXAMPLE))
    cuttings = [[EXAMPLE], split_every(EXAMPLE, 1)]
    for count in (1, 2):
        cuttings += [split_at(EXAMPLE, cuts) for cuts in itertools.combinations(inner, count)]
    return _probes("splits_lines", _SPLIT_HINT, cuttings)


_PARTIAL_HINT = (
    f"{LESSON}: bytes after the last newline are the start of the next line: keep them and "
    "return only complete lines."
)


def _keeps_partial_line(seed: str) -> list[Probe]:
    cuttings = [
        [b"ab"],
        [b"ab", b"c", b"\nd", b"e\n"],
        [b"x\ny"],
        [b"x\ny", b"z\n"],
        [b"abc", b"", b"def\n"],
    ]
    return _probes("keeps_partial_line", _PARTIAL_HINT, cuttings)


_EMPTY_HINT = (
    f"{LESSON}: two newlines in a row enclose an empty line: return b'' for it, do not skip it."
)


def _empty_lines(seed: str) -> list[Probe]:
    cuttings = [[b"\n"], [b"\n\n\n"], [b"a\n\n"], [b"\n", b"\n"], [b"a\n", b"\nb\n"]]
    return _probes("empty_lines", _EMPTY_HINT, cuttings)


_MANY_HINT = f"{LESSON}: one feed can complete many lines: return all of them, in order."


def _many_lines(seed: str) -> list[Probe]:
    lines = b"".join(b"line %d\n" % i for i in range(500))
    cuttings = [[lines], [lines[:1001], lines[1001:]], [b"a\nb\nc\nd"]]
    return _probes("many_lines", _MANY_HINT, cuttings)


_INCLUSIVE_HINT = (
    f"{LESSON}: max_length is inclusive: a line of exactly max_length bytes is fine, and so "
    "is holding exactly max_length bytes while waiting for the newline."
)


def _max_length_inclusive(seed: str) -> list[Probe]:
    probes = []
    for limit in (1, 5, 64):
        line = b"m" * limit
        for chunks in (
            [line + b"\n"],
            [line, b"\n"],
            split_every(line + b"\n", 1),
            [line + b"\n" + line, b"\n"],
        ):
            probes.append(
                _probe(chunks, check="max_length_inclusive", hint=_INCLUSIVE_HINT, max_length=limit)
            )
    default = b"d" * DEFAULT_MAX_LENGTH
    probes.append(_probe([default, b"\n"], check="max_length_inclusive", hint=_INCLUSIVE_HINT))
    return probes


_LONG_HINT = (
    f"{LESSON}: a completed line longer than max_length must raise ValueError, even when its "
    "newline arrived in the same chunk."
)


def _long_line(seed: str) -> list[Probe]:
    probes = []
    for limit in (1, 5, 64):
        line = b"L" * (limit + 1)
        for chunks in ([line + b"\n"], [b"ok\n"[: limit + 1] + line + b"\n"]):
            probes.append(_probe(chunks, check="long_line", hint=_LONG_HINT, max_length=limit))
    probes.append(
        _probe([b"x" * (DEFAULT_MAX_LENGTH + 1) + b"\n"], check="long_line", hint=_LONG_HINT)
    )
    return probes


_HELD_HINT = (
    f"{LESSON}: do not wait for a newline forever: raise ValueError in the feed that makes the "
    "bytes held without a newline exceed max_length, not later."
)


def _too_much_held(seed: str) -> list[Probe]:
    probes = []
    for limit in (1, 5, 64):
        held = b"H" * (limit + 1)
        for chunks in ([held], split_every(held, 1), [held[:limit], held[limit:]], [b"a\n" + held]):
            probes.append(_probe(chunks, check="too_much_held", hint=_HELD_HINT, max_length=limit))
    probes.append(_probe([b"y" * DEFAULT_MAX_LENGTH, b"y"], check="too_much_held", hint=_HELD_HINT))
    return probes


_TYPE_HINT = f"{LESSON}: feed returns a list of bytes objects (convert bytearray slices)."


def _returns_bytes(seed: str) -> list[Probe]:
    cuttings = [[EXAMPLE], split_every(EXAMPLE, 4)]
    return _probes("returns_bytes", _TYPE_HINT, cuttings, aspect="types")


_RANDOM_HINT = f"{LESSON}: replay the smallest failing input shown here by hand, feed by feed."


def _random_lines(seed: str) -> list[Probe]:
    rng = random.Random(f"{CLASS}/{seed}")
    probes = []
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
        chunks = split_at(data, rng.sample(range(1, len(data)), pieces - 1))
        probes.append(
            _probe(
                chunks, check="random_lines", hint=_RANDOM_HINT, max_length=limit, shrinkable=True
            )
        )
    return probes


CHECKS: tuple[Check, ...] = (
    Check(
        "splits_lines",
        2,
        "every cutting of a few lines into up to 3 chunks, and byte by byte",
        _SPLIT_HINT,
        _splits_lines,
    ),
    Check(
        "keeps_partial_line",
        1,
        "an unfinished line is kept for later",
        _PARTIAL_HINT,
        _keeps_partial_line,
    ),
    Check("empty_lines", 1, "empty lines are returned as b''", _EMPTY_HINT, _empty_lines),
    Check("many_lines", 1, "many lines in one feed", _MANY_HINT, _many_lines),
    Check(
        "max_length_inclusive",
        1,
        "lines of exactly max_length bytes are fine",
        _INCLUSIVE_HINT,
        _max_length_inclusive,
    ),
    Check(
        "long_line", 1, "a completed line over max_length raises ValueError", _LONG_HINT, _long_line
    ),
    Check(
        "too_much_held",
        1,
        "over max_length bytes with no newline raises at once",
        _HELD_HINT,
        _too_much_held,
    ),
    Check("returns_bytes", 1, "feed returns a list of bytes", _TYPE_HINT, _returns_bytes),
    Check(
        "random_lines",
        2,
        "random lines, limits and chunkings (seeded per student)",
        _RANDOM_HINT,
        _random_lines,
    ),
)
