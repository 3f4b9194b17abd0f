"""Lesson 6 (``notebooks/06-complete-decoder``): ``FrameDecoder``, lesson 5's checks plus
``buffered``, bytes-like input and linear time.
"""

from __future__ import annotations

import hashlib
from typing import Any

from framinglib import split_every
from grader.checks.base import Check, Failure, Probe
from grader.checks.decoders import REUSED, Feeds
from grader.checks.deliveries import WORKED_EXAMPLE, encode
from grader.checks.reports import describe_error

from .lesson05 import decoder_checks, decoder_class
from .task import Task

__all__ = ["CHECKS", "LESSON", "LINEAR_FRAME_SIZE", "TASKS"]

LESSON = "06-complete-decoder"
TITLE = "Lesson 6"
CLASS = "FrameDecoder"
#: The linear-time check: one frame this large, fed in TCP-segment-sized chunks.
LINEAR_FRAME_SIZE = 16 << 20
SEGMENT = 1460

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


_LINEAR_HINT = (
    f"{TITLE}: work per chunk must not grow with the buffer: append to a bytearray and remember "
    "how many bytes you still need, instead of rebuilding or rescanning the whole buffer."
)


def _linear_time(seed: str) -> list[Probe]:
    header = LINEAR_FRAME_SIZE.to_bytes(4, "big")
    fill = 0x2A
    digest = hashlib.sha256(bytes([fill]) * LINEAR_FRAME_SIZE).hexdigest()
    ops = [["feed_every", [header.hex(), [fill, LINEAR_FRAME_SIZE]], SEGMENT, "bytes"]]
    payload = {
        "driver": "object",
        "class": CLASS,
        "kwargs": {"max_frame_size": 32 << 20},
        "ops": ops,
    }

    def judge(report: dict[str, Any]) -> Failure | None:
        what = (
            f"One {LINEAR_FRAME_SIZE >> 20} MiB frame fed in {SEGMENT}-byte chunks "
            f"({(LINEAR_FRAME_SIZE + 4 + SEGMENT - 1) // SEGMENT:,} feed calls)"
        )
        error = report.get("error")
        if error:
            return Failure(
                "linear_time",
                f"{what}: feed raised {describe_error(error)}",
                _LINEAR_HINT,
                header_size=0,
                error=error,
            )
        [value] = report.get("ops", [None])
        items = (value or {}).get("items")
        ok = (
            items is not None
            and len(items) == 1
            and items[0].get("sha256") == digest
            and items[0].get("len") == LINEAR_FRAME_SIZE
        )
        if ok:
            return None
        return Failure(
            "linear_time",
            f"{what}: the frames returned were not that one frame",
            _LINEAR_HINT,
            header_size=0,
        )

    # A linear decoder needs well under a second even on a busy machine; a quadratic one
    # copies about 96 GB here, which takes at least several seconds on any machine.
    return [Probe(payload, judge, (1,), timeout=4.0)]


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
    Check(
        "linear_time",
        2,
        "a 16 MiB frame in 1460-byte chunks finishes quickly",
        _LINEAR_HINT,
        _linear_time,
    ),
)

TASKS = (Task(CLASS, LESSON, 15, CHECKS),)
