"""Lesson 6 (``notebooks/06-complete-decoder``): ``FrameDecoder``, lesson 5's checks (linear
time among them, since ``grader.checks.real_streams``) plus ``buffered`` and bytes-like input.
"""

from __future__ import annotations

from framinglib import split_every
from grader.checks.base import Check
from grader.checks.decoders import REUSED, Feeds
from grader.checks.deliveries import WORKED_EXAMPLE, encode

from .lesson05 import decoder_checks, decoder_class
from .task import Task

__all__ = ["CHECKS", "LESSON", "TASKS"]

LESSON = "06-complete-decoder"
TITLE = "Lesson 6"
CLASS = "FrameDecoder"

_DECODER = decoder_class(CLASS)

_BUFFERED_HINT = (
    f"{TITLE}: buffered is the number of bytes held for frames still to come: the unfinished "
    "tail only (0 when a feed ends exactly at a frame's end), never bytes already handed back."
)


def _buffered(seed: str) -> list[Feeds]:
    deliveries = (
        split_every(WORKED_EXAMPLE, 1),
        split_every(WORKED_EXAMPLE, 5),
        [WORKED_EXAMPLE],
        [encode([b"w" * 500])[:300]],
    )
    return [Feeds(tuple(chunks), watch="buffered") for chunks in deliveries]


_BYTES_LIKE_HINT = (
    f"{TITLE}: feed must accept bytes, bytearray and memoryview alike; copy what you keep "
    "(the caller may reuse its buffer) and hand back bytes."
)


def _accepts_bytes_like(seed: str) -> list[Feeds]:
    return [
        Feeds(tuple(chunks), as_type=as_type)
        for as_type in ("bytearray", "memoryview", REUSED)
        for chunks in ([WORKED_EXAMPLE], split_every(WORKED_EXAMPLE, 3))
    ]


CHECKS: tuple[Check, ...] = (
    *decoder_checks(CLASS, TITLE),
    _DECODER.check("buffered", 1, "buffered counts the bytes held", _BUFFERED_HINT, _buffered),
    _DECODER.check(
        "accepts_bytes_like",
        1,
        "feed accepts bytearray and memoryview, and copies what it keeps",
        _BYTES_LIKE_HINT,
        _accepts_bytes_like,
    ),
)

TASKS = (Task(CLASS, LESSON, 15, CHECKS),)
