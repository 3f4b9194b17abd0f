"""Lesson 3 (``notebooks/03-reassembly``): ``on_bytes(chunk)`` reassembles 4-byte length-prefixed
frames.

Every check feeds whole streams, one ``on_bytes`` call per chunk, to a fresh run of
the answer's source, and compares what reached ``handle`` after each call with
what the bytes so far complete (``grader.checks.deliveries.expected_calls``).
"""

from __future__ import annotations

import itertools

from framinglib import WORKED_EXAMPLE_MESSAGES, split_at, split_every
from grader.checks.base import Check
from grader.checks.deliveries import (
    HEADER_SIZE,
    WORKED_EXAMPLE,
    Stream,
    encode,
    random_streams,
    type_deliveries,
)
from grader.checks.stream_probes import stream_check

from .task import Task

__all__ = ["CHECKS", "LESSON", "STRUCTURAL_CUTS", "TASKS", "WORKED_EXAMPLE",
           "worked_example_cuttings"]

LESSON = "03-reassembly"
TITLE = "Lesson 3"


def _header_positions(payloads: list[bytes]) -> list[int]:
    positions, offset = [], 0
    for payload in payloads:
        positions.append(offset)
        offset += HEADER_SIZE + len(payload)
    return positions


# ---------------------------------------------------------------- the checks

_WORKED_HINT = (
    f"{TITLE}: bytes arrive in chunks that ignore frame boundaries; keep what you have in "
    "`buffer`, hand a frame over only when all of its bytes are there, and keep looping: "
    "one chunk can complete several frames."
)


#: Eleven places where a cut changes what a receiver must do: inside each header, between
#: each header and its payload, inside each payload, and between frames. Cutting at every
#: subset of them gives 2**11 = 2,048 deliveries (as the 12-byte one-byte-header example has).
STRUCTURAL_CUTS = (2, 4, 5, 7, 9, 11, 12, 13, 15, 17, 19)


def worked_example_cuttings() -> list[tuple[int, ...]]:
    """Every cutting at the structural positions, and every cutting with at most 3 cuts."""
    inner = range(1, len(WORKED_EXAMPLE))
    cuttings = {
        cuts
        for count in range(len(STRUCTURAL_CUTS) + 1)
        for cuts in itertools.combinations(STRUCTURAL_CUTS, count)
    }
    for count in (1, 2, 3):
        cuttings.update(itertools.combinations(inner, count))
    cuttings.add(tuple(inner))  # byte by byte
    return sorted(cuttings, key=lambda cuts: (len(cuts), cuts))


def _worked_example(seed: str) -> list[list[bytes]]:
    return [split_at(WORKED_EXAMPLE, cuts) for cuts in worked_example_cuttings()]


_HEADER_HINT = (
    f"{TITLE}: a header can arrive in pieces too; wait until all 4 header bytes are in the "
    "buffer before reading the length (int.from_bytes(..., 'big'))."
)


def _header_splits(seed: str) -> list[list[bytes]]:
    deliveries = []
    for payloads in (list(WORKED_EXAMPLE_MESSAGES), [b"x" * 256, b"ok"], [b"y" * 70_000]):
        stream = encode(payloads)
        for start in _header_positions(payloads):
            for count in (1, 2, 3):
                for offsets in itertools.combinations((1, 2, 3), count):
                    deliveries.append(split_at(stream, [start + o for o in offsets]))
    return deliveries


_COALESCED_HINT = (
    f"{TITLE}: one chunk can hold many frames; the while loop must drain every complete "
    "frame the buffer holds before on_bytes returns."
)


def _coalesced(seed: str) -> list[list[bytes]]:
    many = [bytes([65 + i % 26]) * (i % 7) for i in range(60)]
    return [
        [WORKED_EXAMPLE],
        [encode(many)],
        [encode([b"a"] * 500)],
        [WORKED_EXAMPLE[:3], WORKED_EXAMPLE[3:]],
        [encode(many[:30]), encode(many[30:])],
    ]


_BYTE_HINT = (
    f"{TITLE}: with one byte per call, most calls complete nothing; on_bytes must keep the "
    "partial header or payload and return without handing anything over."
)


def _byte_at_a_time(seed: str) -> list[list[bytes]]:
    streams = [WORKED_EXAMPLE, encode([b"", b"z" * 40, b""]), encode([bytes(range(256))])]
    return [split_every(stream, 1) for stream in streams]


_ZERO_HINT = (
    f"{TITLE}: a header announcing 0 bytes is a whole frame by itself: handle(b'') must be "
    "called for it, even when it is the last thing in the stream."
)


def _zero_length(seed: str) -> list[list[bytes]]:
    cases = [
        [b""],
        [b"", b""],
        [b"a", b""],
        [b"", b"a"],
        [b"abc", b"", b"hi"],
        [b"", b"", b"x", b""],
    ]
    deliveries = []
    for payloads in cases:
        stream = encode(payloads)
        deliveries += [
            [stream],
            split_every(stream, 1),
            split_every(stream, 4),
            split_every(stream, 3),
        ]
    return deliveries


_LARGE_HINT = (
    f"{TITLE}: the length is all 4 header bytes read big-endian, so 256 is "
    "b'\\x00\\x00\\x01\\x00' and frames can be far longer than 255 or 65,535 bytes."
)


#: A header announcing 16 MiB and 3 bytes: a reader of only the last 3 header bytes sees 3.
_HUGE_HEADER = ((1 << 24) + 3).to_bytes(HEADER_SIZE, "big")


def _large_payloads(seed: str) -> list[list[bytes]]:
    deliveries = []
    for size in (255, 256, 65_535, 65_536, 70_000):
        payload = bytes(i * 7 % 251 for i in range(size))
        stream = encode([payload, b"end"])
        deliveries += [[stream], split_every(stream, 1460), split_at(stream, [2, 4, size // 2])]
    # The stream stops early in a 16 MiB frame: nothing is complete, whatever the first byte.
    return [*deliveries, [_HUGE_HEADER + b"abc"], [encode([b"ok"]) + _HUGE_HEADER, b"abc"]]


_BOUNDARY_HINT = (
    f"{TITLE}: after a frame is taken out, whatever follows it in the buffer is the start "
    "of the next frame; keep it, and return when the buffer is empty."
)


def _boundaries(seed: str) -> list[list[bytes]]:
    first, second, third = (encode([m]) for m in WORKED_EXAMPLE_MESSAGES)
    return [
        [first, second, third],  # every chunk ends exactly at a frame's end
        [first + second[:2], second[2:] + third],  # a chunk completes a frame and starts the next
        [first[:5], first[5:] + second + third[:1], third[1:]],
        [first + second[:5], second[5:] + third[:6], third[6:]],
        [first[:-1], first[-1:] + second[:-1], second[-1:] + third],
    ]


_EMPTY_HINT = (
    f"{TITLE}: on_bytes(b'') adds nothing: the while loop must stop when the buffer holds "
    "no complete frame, even if the chunk was empty."
)


def _empty_chunk(seed: str) -> list[list[bytes]]:
    return [
        [b""],
        [b"", WORKED_EXAMPLE, b""],
        [WORKED_EXAMPLE[:6], b"", WORKED_EXAMPLE[6:]],
        [WORKED_EXAMPLE[:2], b"", WORKED_EXAMPLE[2:]],
    ]


_TYPE_HINT = (
    f"{TITLE}: handle must receive bytes. A slice of a bytearray is a bytearray; wrap it as "
    "bytes(buffer[start:end]) before handing it over."
)


_BUFFER_HINT = (
    f"{TITLE}: after on_bytes returns, `buffer` should hold only the bytes of the frame not "
    "yet complete: remove each frame from it (del buffer[:end]) as you hand it over."
)


def _buffer_trimmed(seed: str) -> list[list[bytes]]:
    return [
        split_every(WORKED_EXAMPLE, 1),
        split_every(WORKED_EXAMPLE, 5),
        [WORKED_EXAMPLE],
        [encode([b"r" * 3000]) + WORKED_EXAMPLE[:6], WORKED_EXAMPLE[6:]],
    ]


_RANDOM_HINT = (
    f"{TITLE}: replay the smallest failing stream shown here through your on_bytes by hand "
    "(or in the ReassemblyPlayer with header_size=4) and compare with the frames it should give."
)


def _random(seed: str) -> list[Stream]:
    return random_streams(f"on_bytes/{seed}", 60)


CHECKS: tuple[Check, ...] = (
    stream_check(
        "worked_example",
        2,
        "the worked example cut at every set of its 11 structural points (2,048 ways), "
        "anywhere into up to 4 chunks, and byte by byte",
        _WORKED_HINT,
        _worked_example,
    ),
    stream_check("header_splits", 1, "every split of every header", _HEADER_HINT, _header_splits),
    stream_check("coalesced", 1, "many frames in one chunk", _COALESCED_HINT, _coalesced),
    stream_check("byte_at_a_time", 1, "one byte per call", _BYTE_HINT, _byte_at_a_time),
    stream_check(
        "zero_length", 1, "frames with an empty payload, also last", _ZERO_HINT, _zero_length
    ),
    stream_check(
        "large_payloads",
        1,
        "payloads of 255 to 70,000 bytes, and a header announcing 16 MiB",
        _LARGE_HINT,
        _large_payloads,
        timeout=4.0,
    ),
    stream_check(
        "boundaries", 1, "chunks that end at, or straddle, frame ends", _BOUNDARY_HINT, _boundaries
    ),
    stream_check("empty_chunk", 1, "an empty chunk changes nothing", _EMPTY_HINT, _empty_chunk),
    stream_check(
        "frame_type",
        1,
        "frames reach handle as bytes",
        _TYPE_HINT,
        lambda seed: type_deliveries(),
        aspect="types",
    ),
    stream_check(
        "buffer_trimmed",
        1,
        "buffer keeps only the unfinished tail",
        _BUFFER_HINT,
        _buffer_trimmed,
        aspect="buffer",
    ),
    stream_check(
        "random_streams",
        2,
        "random payloads and chunkings (seeded per student)",
        _RANDOM_HINT,
        _random,
    ),
)

TASKS = (Task("on_bytes", LESSON, 13, CHECKS),)
