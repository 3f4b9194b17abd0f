"""Cases a real peer produces that the first checks did not try, for every task.

- **The header's whole range**: lengths with the top bit set, 2**32 - 1 against the
  limit, 24-bit edges, frames past Twisted's 99,999-byte MAX_LENGTH.
- **A chunk as full as it gets**: 64 KiB of the smallest frames in one chunk (16,384
  empty frames), as one ``recv(65536)`` returns from a chatty peer.
- **A long stream's cost**: one 16 MiB frame (or line) in 1,460-byte chunks, the size
  of a TCP segment; constant work per byte finishes in well under a second, work per
  chunk that grows with the buffer copies about 96 GB and cannot.
- **feed(b"")**: what a caller passes along when ``recv`` returns nothing new.

Big inputs travel to the child as fill parts (``[byte, count]``), never as hex, and
their expected values are computed here with linear algorithms (``linear_calls``),
so neither side pays more than a linear pass.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from framinglib import split_at

from .base import Check, Failure, Probe
from .calls import call_probe
from .decoders import DecoderClass, Expect, Feeds, Op
from .deliveries import WORKED_EXAMPLE, encode
from .reports import describe_error
from .stream_probes import stream_probe

__all__ = [
    "GIANT_SIZE",
    "SEGMENT",
    "decoder_checks",
    "encode_checks",
    "line_checks",
    "linear_calls",
    "on_bytes_checks",
]

#: SafeDecoder's and FrameDecoder's default max_frame_size (the lessons' contract).
DEFAULT_LIMIT = 65_536
#: One frame this large, in chunks of ``SEGMENT`` bytes, is the cost case.
GIANT_SIZE = 16 << 20
SEGMENT = 1460
#: Cost cases may take this long: a linear answer needs well under a second here.
COST_TIMEOUT = 4.0
#: Header values at the edges of what 4 bytes carry (24-bit, sign bit, the top).
EDGE_LENGTHS = (2**24 - 1, 2**24, 2**31 - 1, 2**31, 2**31 + 3, 2**32 - 2, 2**32 - 1)
#: Lengths a receiver must complete: byte and 16-bit edges, Twisted's MAX_LENGTH, 1 MiB.
COMPLETE_LENGTHS = (255, 256, 65_535, 65_536, 99_999, 100_000, 1 << 20)
_FILL = 0x5A


def _header(length: int) -> bytes:
    return length.to_bytes(4, "big")


def linear_calls(chunks: Sequence[bytes]) -> list[tuple[list[bytes], int]]:
    """``streams.expected_calls`` in linear time (a bytearray and an offset), for big cases."""
    held = bytearray()
    calls = []
    for chunk in chunks:
        held += chunk
        frames, start = [], 0
        while len(held) - start >= 4:
            end = start + 4 + int.from_bytes(held[start : start + 4], "big")
            if len(held) < end:
                break
            frames.append(bytes(held[start + 4 : end]))
            start = end
        del held[:start]
        calls.append((frames, len(held)))
    return calls


# ---------------------------------------------------------------- on_bytes


def _compact(probe: Probe, parts: list[Any], cuts: Sequence[int]) -> Probe:
    """The same probe, its stream sent as parts and cut positions instead of hex chunks."""
    payload = {key: value for key, value in probe.payload.items() if key != "chunks"}
    return replace(probe, payload={**payload, "stream": parts, "cuts": list(cuts)})


def _range_probes(check: str, hint: str) -> list[Probe]:
    probes = []
    for length in COMPLETE_LENGTHS:
        frame = _header(length) + bytes([_FILL]) * length
        data = frame + encode([b"end"])
        cuts = [2, 4 + length // 2]
        parts = [_header(length).hex(), [_FILL, length], encode([b"end"]).hex()]
        probe = stream_probe(split_at(data, cuts), "frames", check=check, hint=hint,
                             timeout=COST_TIMEOUT)
        probes.append(_compact(probe, parts, cuts))
    for length in EDGE_LENGTHS:
        data = encode([b"ok"]) + _header(length) + b"abcde"
        for cuts in ([], [8], [6, 9]):
            probes.append(stream_probe(split_at(data, cuts), "frames", check=check, hint=hint))
    return probes


def _full_chunks() -> list[list[bytes]]:
    """A recv(65536) of empty frames, alone and after the start of a frame: two cases, as
    each costs the child a report of 16,384 frames."""
    empties = encode([b""] * 16_384)
    return [[empties], [WORKED_EXAMPLE[:7], WORKED_EXAMPLE[7:] + empties[: -4 * 400]]]


def _giant_stream_payload(function: str) -> dict[str, Any]:
    return {
        "driver": "stream",
        "function": function,
        "buffer": None,
        "stream": [_header(GIANT_SIZE).hex(), [0x2A, GIANT_SIZE]],
        "every": SEGMENT,
    }


def _giant_what() -> str:
    calls = (GIANT_SIZE + 4 + SEGMENT - 1) // SEGMENT
    return f"One {GIANT_SIZE >> 20} MiB frame in {SEGMENT}-byte chunks ({calls:,} calls)"


_GIANT_DIGEST = hashlib.sha256(bytes([0x2A]) * GIANT_SIZE).hexdigest()


def _giant_on_bytes(check: str, hint: str) -> Probe:
    def judge(report: dict[str, Any]) -> Failure | None:
        what = _giant_what()
        if report.get("error"):
            return Failure(check, f"{what}: on_bytes raised {describe_error(report['error'])}",
                           hint, header_size=0, error=report["error"])
        frames = [f for call in report.get("calls", []) for f in call.get("frames", [])]
        last = report.get("calls", [{}])[-1].get("frames", []) if report.get("calls") else []
        # The frame's type is frame_type's to judge; this check is about the cost.
        right = (
            len(frames) == 1 and len(last) == 1 and not last[0].get("foreign")
            and last[0].get("sha256") == _GIANT_DIGEST and last[0].get("len") == GIANT_SIZE
        )
        if right:
            return None
        return Failure(check, f"{what}: handle did not get that one frame, as bytes, in the "
                       "call that completed it", hint, header_size=0)

    return Probe(_giant_stream_payload("on_bytes"), judge, (1,), COST_TIMEOUT)


_RANGE_HINT = (
    "Lesson 3: a header is an unsigned 4-byte number: every value up to 2**32 - 1 is a "
    "length to wait for (struct '>I', never '>i'), and on_bytes has no length limit."
)
_FULL_HINT = (
    "Lesson 3: one chunk can hold thousands of frames: drain them with a while loop "
    "(a recursive call per frame runs out of stack)."
)
_COST_HINT = (
    "Lesson 6, 'The copy that makes a decoder slow': keep one bytearray and extend it in "
    "place; buffer = buffer + chunk copies everything held on every call."
)


def on_bytes_checks() -> tuple[Check, ...]:
    """Lesson 3's new checks: the header's range, full chunks, and the cost of a long stream."""
    def full(seed: str) -> list[Probe]:
        return [
            replace(stream_probe(chunks, "frames", check="full_chunk", hint=_FULL_HINT),
                    timeout=COST_TIMEOUT)
            for chunks in _full_chunks()
        ]

    return (
        Check("header_range", 1, "headers across all 4 bytes' values: 1 MiB frames, lengths "
              "with the top bit set, 2**32 - 1", _RANGE_HINT,
              lambda seed: _range_probes("header_range", _RANGE_HINT)),
        Check("full_chunk", 1, "64 KiB chunks full of the smallest frames", _FULL_HINT, full),
        Check("linear_time", 1, "a 16 MiB frame in 1460-byte chunks finishes quickly",
              _COST_HINT, lambda seed: [_giant_on_bytes("linear_time", _COST_HINT)]),
    )


# ---------------------------------------------------------------- decoders


def length_prefix_reference(
    ops: Sequence[Op], max_frame_size: int = DEFAULT_LIMIT
) -> list[Expect]:
    """What a correct decoder of 4-byte big-endian length prefixes gives for each operation.

    The limit is inclusive; a header over it is a ``ValueError`` once the header is whole;
    ``close`` inside a frame is an ``EOFError``. Frames are cut at offsets into the held
    bytes and the consumed front is dropped once per feed, so cases with thousands of
    frames cost linear time. Lessons 5 and 6 (``SafeDecoder``, ``FrameDecoder``) and the
    real-stream checks all compare with this one.
    """
    held = bytearray()
    out: list[Expect] = []
    for op in ops:
        if op.action == "feed":
            held += op.data
            frames, start = [], 0
            while len(held) - start >= 4:
                length = int.from_bytes(held[start : start + 4], "big")
                if length > max_frame_size:
                    return [*out, Expect(raises="ValueError")]
                if len(held) - start < 4 + length:
                    break
                frames.append(bytes(held[start + 4 : start + 4 + length]))
                start += 4 + length
            del held[:start]
            out.append(Expect.of_frames(frames))
        elif op.action == "close":
            if held:
                return [*out, Expect(raises="EOFError")]
            out.append(Expect(none=True))
        elif op.action == "attr":
            apart = len(held) - 4 if len(held) >= 4 else None
            out.append(Expect(integer=len(held), integer_or=apart))
    return out


_CLOSE = (Op("close"),)


def _giant_object_probe(class_name: str, kwargs: dict[str, Any], stream: list[Any],
                        digest: str, size: int, check: str, hint: str, unit: str) -> Probe:
    payload = {
        "driver": "object",
        "class": class_name,
        "kwargs": kwargs,
        "ops": [["feed_every", stream, SEGMENT, "bytes"]],
    }

    def judge(report: dict[str, Any]) -> Failure | None:
        what = (f"One {size >> 20} MiB {unit} fed in {SEGMENT}-byte chunks "
                f"({(size + 4 + SEGMENT - 1) // SEGMENT:,} feed calls)")
        if report.get("error"):
            return Failure(check, f"{what}: feed raised {describe_error(report['error'])}",
                           hint, header_size=0, error=report["error"])
        values = report.get("ops") or [None]
        items = (values[0] or {}).get("items")
        if items is not None and len(items) == 1 and not items[0].get("foreign") \
                and items[0].get("sha256") == digest and items[0].get("len") == size:
            return None
        return Failure(check, f"{what}: what feed returned was not that one {unit}", hint,
                       header_size=0)

    return Probe(payload, judge, (1,), COST_TIMEOUT)


def decoder_checks(class_name: str, lesson: str) -> tuple[Check, ...]:
    """The new checks of a length-prefixed decoder task (SafeDecoder, FrameDecoder)."""
    decoder = DecoderClass(class_name, "max_frame_size", DEFAULT_LIMIT, length_prefix_reference)
    range_hint = (
        f"{lesson}: the header is unsigned: with max_frame_size=2**32 - 1 every length is "
        "allowed, 2**31 and 2**32 - 1 included; only the limit decides what is too large."
    )
    full_hint = (
        f"{lesson}: one feed can hold thousands of frames; return them all, from a while "
        "loop (a recursive call per frame runs out of stack)."
    )
    empty_hint = f"{lesson}: feed(b'') completes nothing: it returns [] and changes nothing."
    cost_hint = (
        f"{lesson}: extend one bytearray in place and delete what you return; rebuilding "
        "bytes (data = data + chunk) copies everything held on every feed."
    )

    def header_range(seed: str) -> list[Feeds]:
        cases = []
        top = 2**32 - 1
        for length in EDGE_LENGTHS:
            stream = encode([b"ok"]) + _header(length) + b"abcde"
            cases += [Feeds((stream,), top, _CLOSE), Feeds((stream[:8], stream[8:]), top, _CLOSE)]
        for length in (2**31 - 1, 2**31):
            cases.append(Feeds((encode([b"ok"]) + _header(length),), 2**31 - 1, _CLOSE))
        return cases

    def full_chunk(seed: str) -> list[Feeds]:
        return [Feeds(tuple(chunks)) for chunks in _full_chunks()]

    def empty_feed(seed: str) -> list[Feeds]:
        return [
            Feeds((b"",), then=_CLOSE),
            Feeds((WORKED_EXAMPLE[:6], b"", WORKED_EXAMPLE[6:], b""), then=_CLOSE),
            Feeds((b"", WORKED_EXAMPLE, b"")),
        ]

    def giant(seed: str) -> list[Probe]:
        stream = [_header(GIANT_SIZE).hex(), [0x2A, GIANT_SIZE]]
        return [_giant_object_probe(class_name, {"max_frame_size": 32 << 20}, stream,
                                    _GIANT_DIGEST, GIANT_SIZE, "linear_time", cost_hint,
                                    "frame")]

    return (
        decoder.check("header_range", 1, "headers across all 4 bytes' values, with a limit of "
                      "2**32 - 1 and of 2**31 - 1", range_hint, header_range),
        decoder.check("full_chunk", 1, "64 KiB feeds full of the smallest frames", full_hint,
                      full_chunk, timeout=COST_TIMEOUT),
        decoder.check("empty_feed", 1, "feed(b'') returns [] and changes nothing", empty_hint,
                      empty_feed),
        Check("linear_time", 2, "a 16 MiB frame in 1460-byte chunks finishes quickly",
              cost_hint, giant),
    )


# ---------------------------------------------------------------- LineDecoder


_LINE_DIGEST = hashlib.sha256(b"x" * GIANT_SIZE).hexdigest()


def line_checks() -> tuple[Check, ...]:
    """Lesson 4's new check: one 16 MiB line in small chunks, under a 32 MiB limit."""
    hint = (
        "Lesson 4, 'What each scheme costs': remember how far you have searched for b'\\n' "
        "and extend one bytearray in place; rescanning or rebuilding everything held on "
        "every feed makes one long line cost gigabytes."
    )

    def giant(seed: str) -> list[Probe]:
        stream = [[0x78, GIANT_SIZE], "0a"]
        return [_giant_object_probe("LineDecoder", {"max_length": 32 << 20}, stream,
                                    _LINE_DIGEST, GIANT_SIZE, "linear_time", hint, "line")]

    return (Check("linear_time", 2, "a 16 MiB line in 1460-byte chunks finishes quickly",
                  hint, giant),)


# ---------------------------------------------------------------- encode_frame


def encode_checks() -> tuple[Check, ...]:
    """Lesson 2's new check: payloads whose lengths need the header's top byte."""
    hint = (
        "Lesson 2: all 4 header bytes carry the length, so a payload of 16 MiB or more "
        "still gets its length right: len(payload).to_bytes(4, 'big')."
    )

    def probes(seed: str) -> list[Probe]:
        found = []
        for size in (2**24 - 1, 2**24, 2**24 + 300):
            digest = hashlib.sha256(_header(size) + b"A" * size).hexdigest()

            def verdict(value: dict[str, Any] | None, error: dict[str, Any] | None,
                        size: int = size, digest: str = digest) -> str | None:
                if error:
                    return f"raised {describe_error(error)}"
                value = value or {}
                # The type is returns_bytes' to judge; this check is about the length.
                if value.get("type") in ("bytes", "bytearray") and not value.get("foreign") \
                        and value.get("len") == size + 4 and value.get("sha256") == digest:
                    return None
                return (f"should return the {size + 4:,}-byte frame with header "
                        f"b'{_header(size).hex(' ')}', but returned something else")

            probe = call_probe("encode_frame", [b""], verdict, check="header_range", hint=hint,
                               timeout=COST_TIMEOUT)
            found.append(replace(probe, payload={**probe.payload, "args": [[[0x41, size]]]}))
        return found

    return (Check("header_range", 1, "payloads of 16 MiB and more (the header's top byte)",
                  hint, probes),)
