"""Lesson 2 (``notebooks/02-length-prefix``): ``encode_frame(payload)`` and ``read_header(header)``.

``encode_frame`` returns the 4-byte big-endian length header followed by the
payload, as ``bytes``. ``read_header`` turns exactly 4 header bytes into the
``int`` they announce and raises ``ValueError`` for any other length.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from functools import partial
from typing import Any

from framinglib import WORKED_EXAMPLE_MESSAGES
from grader.checks.base import Check
from grader.checks.calls import Verdict, call_check
from grader.checks.reports import describe_error, frame_content, is_bytes
from grader.formatting import escape

from .task import Task

__all__ = ["ENCODE_CHECKS", "LESSON", "READ_HEADER_CHECKS", "TASKS"]

LESSON = "02-length-prefix"
TITLE = "Lesson 2"

#: One call: the argument, and the verdict on what the call gave.
Case = tuple[bytes, Verdict]


def _returns_bytes_equal(expected: bytes, *, exact_type: bool = False) -> Verdict:
    def verdict(value: dict[str, Any] | None, error: dict[str, Any] | None) -> str | None:
        if error:
            return f"raised {describe_error(error)}"
        value = value or {}
        if exact_type and not is_bytes(value):
            label = "a " + str(value.get("type", "?"))
            return f"should return bytes, but returned {label}"
        content = frame_content(value)
        if content == expected:
            return None
        shown = "something that is not bytes" if content is None else f"b'{escape(content)}'"
        return f"should return b'{escape(expected)}', but returned {shown}"

    return verdict


def _returns_int(expected: int) -> Verdict:
    def verdict(value: dict[str, Any] | None, error: dict[str, Any] | None) -> str | None:
        if error:
            return f"raised {describe_error(error)}"
        value = value or {}
        if value.get("type") != "int" or value.get("foreign"):
            return f"should return the int {expected}, but returned a {value.get('type', '?')}"
        if value.get("int") != str(expected):
            return f"should return {expected}, but returned {value.get('int')}"
        return None

    return verdict


def _raises(kind: str) -> Verdict:
    def verdict(value: dict[str, Any] | None, error: dict[str, Any] | None) -> str | None:
        if error and error.get("kind") == kind:
            return None
        if error:
            return f"should raise {kind}, but raised {describe_error(error)}"
        value = value or {}
        shown = value.get("int", value.get("type", "?"))
        return f"should raise {kind}, but returned {shown}"

    return verdict


def _header(length: int) -> bytes:
    return length.to_bytes(4, "big")


_encode_check = partial(call_check, "encode_frame")
_read_check = partial(call_check, "read_header")


# ---------------------------------------------------------------- encode_frame

_ENC_HINT = (
    f"{TITLE}: a frame is the payload's length as 4 big-endian bytes "
    "(len(payload).to_bytes(4, 'big')), followed by the payload itself."
)
_ENC_TYPE_HINT = (
    f"{TITLE}: encode_frame must return bytes, not a bytearray: join the header and the "
    "payload as bytes, or wrap a bytearray you built in bytes(...)."
)


def _frames_of(payloads: Iterable[bytes], *, exact_type: bool = False) -> list[Case]:
    return [(p, _returns_bytes_equal(_header(len(p)) + p, exact_type=exact_type)) for p in payloads]


def _enc_random(seed: str) -> list[Case]:
    rng = random.Random(f"encode_frame/{seed}")
    return _frames_of(rng.randbytes(rng.choice([0, 1, 3, 10, 255, 256, 1000])) for _ in range(30))


ENCODE_CHECKS: tuple[Check, ...] = (
    _encode_check(
        "worked_example",
        1,
        "the worked example's messages",
        _ENC_HINT,
        lambda seed: _frames_of(WORKED_EXAMPLE_MESSAGES),
    ),
    _encode_check(
        "empty_payload",
        1,
        "an empty payload is a 4-byte frame",
        _ENC_HINT,
        lambda seed: _frames_of([b""]),
    ),
    _encode_check(
        "big_endian",
        1,
        "lengths of 256 and more, big-endian",
        _ENC_HINT,
        lambda seed: _frames_of([b"b" * 256, b"c" * 65_535, b"d" * 65_536, b"e" * 70_000]),
    ),
    _encode_check(
        "returns_bytes",
        1,
        "the frame is bytes",
        _ENC_TYPE_HINT,
        lambda seed: _frames_of([b"abc", b""], exact_type=True),
    ),
    _encode_check(
        "random_payloads", 1, "random payloads (seeded per student)", _ENC_HINT, _enc_random
    ),
)


# ---------------------------------------------------------------- read_header

_READ_HINT = (
    f"{TITLE}: the 4 header bytes are one big-endian number: int.from_bytes(header, 'big') "
    "or struct.unpack('>I', header)[0]."
)
_LENGTH_HINT = (
    f"{TITLE}: a header is exactly 4 bytes: check len(header) first and raise ValueError "
    "yourself for any other length (struct.unpack raises struct.error, not a ValueError)."
)
_INT_HINT = (
    f"{TITLE}: return the length as an int: int.from_bytes gives one, and struct.unpack "
    "gives a tuple whose first item is one."
)


def _lengths(lengths: Iterable[int]) -> list[Case]:
    return [(_header(n), _returns_int(n)) for n in lengths]


def _read_wrong_length(seed: str) -> list[Case]:
    return [(bytes(range(1, n + 1)), _raises("ValueError")) for n in (0, 1, 3, 5, 8)]


def _read_random(seed: str) -> list[Case]:
    rng = random.Random(f"read_header/{seed}")
    return _lengths(rng.randrange(2**32) for _ in range(30))


READ_HEADER_CHECKS: tuple[Check, ...] = (
    _read_check(
        "worked_example",
        1,
        "the worked example's headers",
        _READ_HINT,
        lambda seed: _lengths(len(m) for m in WORKED_EXAMPLE_MESSAGES),
    ),
    _read_check(
        "big_endian",
        1,
        "all 4 bytes, big-endian",
        _READ_HINT,
        lambda seed: _lengths([0, 256, 65_536, 0x01020304, 2**32 - 1]),
    ),
    _read_check(
        "wrong_length", 2, "ValueError for anything but 4 bytes", _LENGTH_HINT, _read_wrong_length
    ),
    _read_check("returns_int", 1, "the length is an int", _INT_HINT, lambda seed: _lengths([3, 0])),
    _read_check(
        "random_headers", 1, "random headers (seeded per student)", _READ_HINT, _read_random
    ),
)


# Points match the `<task>-check` cells of the notebook (a test keeps them in step).
TASKS = (
    Task("encode_frame", LESSON, 5, ENCODE_CHECKS),
    Task("read_header", LESSON, 6, READ_HEADER_CHECKS),
)
