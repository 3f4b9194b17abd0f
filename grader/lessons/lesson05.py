"""Lesson 5 (``notebooks/05-watch-out``): ``SafeDecoder``, length-prefixed frames with a size limit.

``SafeDecoder(max_frame_size=65536)``; ``feed(data)`` returns the frames the data
completes; it raises ``ValueError`` in the call that completes a header announcing
more than ``max_frame_size`` (inclusive limit), without waiting for the payload;
``close()`` returns ``None`` when nothing is held and raises ``EOFError`` otherwise.
Lesson 6 reuses these checks for its ``FrameDecoder`` (``decoder_checks``): the cases
are plain functions of the seed, the hints name the lesson that teaches the class.
"""

from __future__ import annotations

import itertools
import random
from functools import partial

from framinglib import split_at, split_every
from grader.checks import real_streams
from grader.checks.base import Check, gated
from grader.checks.cuttings import cuttings
from grader.checks.decoders import DecoderClass, Feeds, Op
from grader.checks.deliveries import WORKED_EXAMPLE, encode, random_streams, type_deliveries

from .task import Task

__all__ = ["CHECKS", "DEFAULT_LIMIT", "LESSON", "TASKS", "decoder_checks", "decoder_class",
           "reference"]

LESSON = "05-watch-out"
TITLE = "Lesson 5"
CLASS = "SafeDecoder"
DEFAULT_LIMIT = 65_536
#: The operation that ends a case: the sender closed the stream.
CLOSE = (Op("close"),)


#: What a correct decoder gives for each operation (shared with the real-stream checks).
reference = real_streams.length_prefix_reference


def decoder_class(class_name: str) -> DecoderClass:
    """A length-prefixed decoder class with SafeDecoder's constructor and behaviour."""
    return DecoderClass(class_name, "max_frame_size", DEFAULT_LIMIT, reference)


# ---------------------------------------------------------------- the cases


def _frames(seed: str) -> list[list[bytes]]:
    many = encode([bytes([97 + i % 26]) * (i % 9) for i in range(80)])
    return [
        *cuttings(WORKED_EXAMPLE, 2),
        [many],
        split_every(many, 7),
        [encode([b"", b"", b"x", b""])],
    ]


def _limit_inclusive(seed: str) -> list[Feeds]:
    cases = []
    for limit in (0, 1, 5, 300):
        stream = encode([b"z" * limit, b"", b"q" * min(limit, 2)])
        cases += [Feeds((stream,), limit), Feeds(tuple(split_every(stream, 3)), limit)]
    default = encode([b"d" * DEFAULT_LIMIT])
    return [*cases, Feeds(tuple(split_every(default, 4096)))]


def _oversized_header(seed: str) -> list[Feeds]:
    cases = []
    for limit in (0, 4, 1000):
        bad = (limit + 1).to_bytes(4, "big")
        for chunks in (
            [bad],  # the header alone: must raise without any payload
            [encode([b"ok"]) + bad],  # after a good frame in the same chunk
            [encode([b"ok"][: min(1, limit)]), bad + b"xy"],
            [(2**32 - 1).to_bytes(4, "big")],
        ):
            cases.append(Feeds(tuple(chunks), limit))
    return [*cases, Feeds(((DEFAULT_LIMIT + 1).to_bytes(4, "big"),))]


def _oversized_split_header(seed: str) -> list[Feeds]:
    bad = encode([b"fine"]) + (1001).to_bytes(4, "big")
    cuttings_of_header = [
        split_at(bad, cuts)
        for count in (1, 2, 3)
        for cuts in itertools.combinations(range(9, 12), count)
    ]
    return [Feeds(tuple(c), 1000) for c in [*cuttings_of_header, split_every(bad, 1)]]


def _close_clean(seed: str) -> list[Feeds]:
    cases = [[], [WORKED_EXAMPLE], split_every(WORKED_EXAMPLE, 2), [encode([b""])]]
    return [Feeds(tuple(c), then=CLOSE) for c in cases]


def _close_partial(seed: str) -> list[Feeds]:
    cases = [
        b"\x00",
        b"\x00\x00\x00",
        b"\x00\x00\x00\x05",
        b"\x00\x00\x00\x05ab",
        WORKED_EXAMPLE[:-1],
        WORKED_EXAMPLE + b"\x00\x00",
    ]
    return [Feeds((data,), then=CLOSE) for data in cases]


def _random_cases(class_name: str, seed: str) -> list[Feeds]:
    rng = random.Random(f"{class_name}/limits/{seed}")
    cases = []
    for stream in random_streams(f"{class_name}/{seed}", 60, truncate=0.3):
        # Limits at, just under and far from the payload sizes: the boundary matters.
        size = rng.choice([len(p) for p in stream.payloads])
        limit = rng.choice([None, size, size, max(size - 1, 0), 4, 300])
        then = CLOSE if stream.trim or rng.random() < 0.5 else ()
        cases.append(Feeds(tuple(stream.chunks), limit, then, delivery=stream))
    return cases


# ---------------------------------------------------------------- the hints ({lesson}: the title)

_FRAMES_HINT = (
    "{lesson}: feed keeps the unfinished tail and returns every frame the bytes so far "
    "complete, however the stream is cut."
)
_LIMIT_HINT = (
    "{lesson}: the limit is inclusive: a frame of exactly max_frame_size bytes is fine; "
    "only a larger one is refused."
)
_OVERSIZE_HINT = (
    "{lesson}: check the announced length as soon as the 4 header bytes are in, and raise "
    "ValueError right there: never wait for (or buffer) a payload you will refuse."
)
_SPLIT_HINT = (
    "{lesson}: a header can arrive in pieces: raise in the feed call that completes it, "
    "not before (the length is not known yet) and not later."
)
_CLOSE_HINT = (
    "{lesson}: close() marks the end of the stream: nothing held means a clean end "
    "(return None)."
)
_PARTIAL_HINT = (
    "{lesson}: if the stream ends in the middle of a header or a payload, close() must "
    "raise EOFError: those bytes would otherwise vanish without a trace."
)
_TYPE_HINT = (
    "{lesson}: feed returns a list of bytes objects; convert slices of a bytearray with "
    "bytes(...)."
)
_RANDOM_HINT = "{lesson}: replay the smallest failing input shown here by hand, one feed at a time."


def decoder_checks(class_name: str, lesson: str) -> tuple[Check, ...]:
    """The SafeDecoder checks, for ``class_name`` taught in ``lesson`` ("Lesson 5")."""
    decoder = decoder_class(class_name)

    def check(name, points, summary, hint, cases, **options) -> Check:
        return decoder.check(name, points, summary, hint.format(lesson=lesson), cases, **options)

    return (
        check(
            "frames",
            2,
            "every cutting of the worked example into up to 3 chunks, byte by byte, and many "
            "frames in one feed",
            _FRAMES_HINT,
            _frames,
        ),
        check(
            "limit_inclusive",
            1,
            "frames of exactly max_frame_size bytes are accepted",
            _LIMIT_HINT,
            _limit_inclusive,
            timeout=3.0,
        ),
        check(
            "oversized_header",
            2,
            "an oversized header raises ValueError at once",
            _OVERSIZE_HINT,
            _oversized_header,
        ),
        check(
            "oversized_split_header",
            1,
            "an oversized header cut into pieces raises in the feed that completes it",
            _SPLIT_HINT,
            _oversized_split_header,
        ),
        check("close_clean", 1, "close() returns None when nothing is held", _CLOSE_HINT,
              _close_clean),
        check(
            "close_partial",
            1,
            "close() raises EOFError inside a header or payload",
            _PARTIAL_HINT,
            _close_partial,
        ),
        gated(
            check(
                "returns_bytes",
                1,
                "feed returns a list of bytes",
                _TYPE_HINT,
                lambda seed: type_deliveries(),
                aspect="types",
            ),
            "frames",
        ),
        check(
            "random_streams",
            2,
            "random payloads, limits and chunkings (seeded per student)",
            _RANDOM_HINT,
            partial(_random_cases, class_name),
        ),
        *real_streams.decoder_checks(class_name, lesson),
    )


CHECKS = decoder_checks(CLASS, TITLE)

TASKS = (Task(CLASS, LESSON, 11, CHECKS),)
