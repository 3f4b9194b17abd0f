"""Checks for lesson 2's two functions: ``encode_frame(payload)`` and ``read_header(header)``.

``encode_frame`` returns the 4-byte big-endian length header followed by the
payload, as ``bytes``. ``read_header`` turns exactly 4 header bytes into the
``int`` they announce and raises ``ValueError`` for any other length.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from framinglib import WORKED_EXAMPLE_MESSAGES

from .base import Check, Probe, describe_error
from .decoders import call_probe
from .streams import escape, frame_content, is_bytes

__all__ = ["ENCODE_CHECKS", "READ_HEADER_CHECKS"]

LESSON = "Lesson 2"

Verdict = Callable[[dict[str, Any] | None, dict[str, Any] | None], str | None]


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


# ---------------------------------------------------------------- encode_frame

_ENC_HINT = (
    f"{LESSON}: a frame is the payload's length as 4 big-endian bytes "
    "(len(payload).to_bytes(4, 'big')), followed by the payload itself."
)


def _encode(name: str, payloads: list[bytes], *, exact_type: bool = False) -> list[Probe]:
    return [
        call_probe(
            "encode_frame",
            [p],
            _returns_bytes_equal(_header(len(p)) + p, exact_type=exact_type),
            check=name,
            hint=_ENC_HINT,
        )
        for p in payloads
    ]


def _enc_worked(seed: str) -> list[Probe]:
    return _encode("worked_example", list(WORKED_EXAMPLE_MESSAGES))


def _enc_empty(seed: str) -> list[Probe]:
    return _encode("empty_payload", [b""])


def _enc_big_endian(seed: str) -> list[Probe]:
    return _encode("big_endian", [b"b" * 256, b"c" * 65_535, b"d" * 65_536, b"e" * 70_000])


def _enc_type(seed: str) -> list[Probe]:
    return _encode("returns_bytes", [b"abc", b""], exact_type=True)


def _enc_random(seed: str) -> list[Probe]:
    rng = random.Random(f"encode_frame/{seed}")
    payloads = [rng.randbytes(rng.choice([0, 1, 3, 10, 255, 256, 1000])) for _ in range(30)]
    return _encode("random_payloads", payloads)


ENCODE_CHECKS: tuple[Check, ...] = (
    Check("worked_example", 1, "the worked example's messages", _ENC_HINT, _enc_worked),
    Check("empty_payload", 1, "an empty payload is a 4-byte frame", _ENC_HINT, _enc_empty),
    Check("big_endian", 1, "lengths of 256 and more, big-endian", _ENC_HINT, _enc_big_endian),
    Check("returns_bytes", 1, "the frame is bytes", _ENC_HINT, _enc_type),
    Check("random_payloads", 1, "random payloads (seeded per student)", _ENC_HINT, _enc_random),
)


# ---------------------------------------------------------------- read_header

_READ_HINT = (
    f"{LESSON}: the 4 header bytes are one big-endian number: int.from_bytes(header, 'big'); "
    "anything but exactly 4 bytes is not a header (raise ValueError)."
)


def _read(name: str, lengths: list[int]) -> list[Probe]:
    return [
        call_probe(
            "read_header",
            [_header(n)],
            _returns_int(n),
            check=name,
            hint=_READ_HINT,
        )
        for n in lengths
    ]


def _read_worked(seed: str) -> list[Probe]:
    return _read("worked_example", [len(m) for m in WORKED_EXAMPLE_MESSAGES])


def _read_big_endian(seed: str) -> list[Probe]:
    return _read("big_endian", [0, 256, 65_536, 0x01020304, 2**32 - 1])


def _read_wrong_length(seed: str) -> list[Probe]:
    return [
        call_probe(
            "read_header",
            [bytes(range(1, n + 1))],
            _raises("ValueError"),
            check="wrong_length",
            hint=_READ_HINT,
        )
        for n in (0, 1, 3, 5, 8)
    ]


def _read_type(seed: str) -> list[Probe]:
    return _read("returns_int", [3, 0])


def _read_random(seed: str) -> list[Probe]:
    rng = random.Random(f"read_header/{seed}")
    return _read("random_headers", [rng.randrange(2**32) for _ in range(30)])


READ_HEADER_CHECKS: tuple[Check, ...] = (
    Check("worked_example", 1, "the worked example's headers", _READ_HINT, _read_worked),
    Check("big_endian", 1, "all 4 bytes, big-endian", _READ_HINT, _read_big_endian),
    Check("wrong_length", 2, "ValueError for anything but 4 bytes", _READ_HINT, _read_wrong_length),
    Check("returns_int", 1, "the length is an int", _READ_HINT, _read_type),
    Check("random_headers", 1, "random headers (seeded per student)", _READ_HINT, _read_random),
)
