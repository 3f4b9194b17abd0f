"""Lesson 2's ``encode_frame`` and ``read_header``: one known mistake per function."""

from __future__ import annotations

import struct

from ..misconception import Misconception, Section
from .sections import (
    BYTE_ORDER,
    ENCODE_EXERCISE,
    IDEA,
    ONE_BYTE_HEADER,
    READ_EXERCISE,
    STANDARD_HEADER,
    STRUCT,
)

__all__ = ["ENCODE", "READ"]



# ---------------------------------------------------------------- encode_frame

def _little_endian(payload: bytes) -> bytes:
    return len(payload).to_bytes(4, "little") + payload


def _one_byte_wraps(payload: bytes) -> bytes:
    return bytes([len(payload) % 256]) + payload


def _one_byte_raises(payload: bytes) -> bytes:
    return len(payload).to_bytes(1, "big") + payload


def _two_byte_header(payload: bytes) -> bytes:
    return struct.pack(">H", len(payload)) + payload


def _sixteen_bit_wraps(payload: bytes) -> bytes:
    return b"\x00\x00" + (len(payload) % 65536).to_bytes(2, "big") + payload[:65535]


def _sixteen_bit_raises(payload: bytes) -> bytes:
    return struct.pack(">HH", 0, len(payload)) + payload


def _twenty_four_bit(payload: bytes) -> bytes:
    return b"\x00" + len(payload).to_bytes(3, "big") + payload


def _counts_header(payload: bytes) -> bytes:
    return (len(payload) + 4).to_bytes(4, "big") + payload


def _returns_bytearray(payload: bytes) -> bytearray:
    return bytearray(len(payload).to_bytes(4, "big")) + payload


def _header_only(payload: bytes) -> bytes:
    return len(payload).to_bytes(4, "big")


def _enc(id: str, like: str, effect: str, section: Section, fix: str, impl: object
         ) -> Misconception:
    return Misconception(id, "encode_frame", like, effect, section, fix, impl)


def _unframed(payload: bytes) -> bytes:
    return payload


def _nothing(payload: bytes) -> bytes:
    return b""


ENCODE: tuple[Misconception, ...] = (
    _enc("no_framing", "an encoder that adds no header", "the payload goes out as it is",
         IDEA, "Put the payload's length in front of it: 4 bytes, big-endian.", _unframed),
    _enc("does_nothing", "an encoder that returns nothing", "every frame is empty", IDEA,
         "Return the 4-byte header followed by the payload.", _nothing),
    _enc("little_endian", "an encoder that writes the length little-endian",
         "the receiver reads most lengths as a different number", BYTE_ORDER,
         "Write the length big-endian: len(payload).to_bytes(4, 'big').", _little_endian),
    _enc("one_byte_header", "an encoder with the worked example's one-byte header",
         "every frame's header is 1 byte, not 4", ONE_BYTE_HEADER,
         "The exercise's header is 4 bytes: len(payload).to_bytes(4, 'big').",
         (_one_byte_wraps, _one_byte_raises)),
    _enc("two_byte_header", "an encoder with a two-byte header",
         "every frame's header is 2 bytes, not 4", STANDARD_HEADER,
         "The header is 4 bytes: struct.pack('>I', len(payload)).", _two_byte_header),
    _enc("length_16_bits", "an encoder that keeps the length in 16 bits",
         "payloads of 65,536 bytes and more get a wrong length", STRUCT,
         "All 4 header bytes carry the length: struct.pack('>I', len(payload)).",
         (_sixteen_bit_wraps, _sixteen_bit_raises)),
    _enc("length_24_bits", "an encoder that keeps the length in 24 bits",
         "payloads of 16 MiB and more cannot be framed", STANDARD_HEADER,
         "All 4 header bytes carry the length: len(payload).to_bytes(4, 'big').",
         _twenty_four_bit),
    _enc("header_counts_itself", "an encoder whose length counts the header too",
         "every length is 4 too large, so a receiver waits for 4 bytes that never come",
         IDEA, "The header announces the payload's length only: len(payload).",
         _counts_header),
    _enc("header_only", "an encoder that returns the header alone",
         "the payload never follows its header", IDEA,
         "Return the header followed by the payload: header + payload.", _header_only),
    _enc("returns_bytearray", "an encoder that returns a bytearray",
         "the bytes are right, but the type is bytearray, not bytes", ENCODE_EXERCISE,
         "Return bytes: join bytes, or wrap what you built in bytes(...).", _returns_bytearray),
)


# ---------------------------------------------------------------- read_header

def _checked(read):  # type: ignore[no-untyped-def]
    def reader(header: bytes) -> object:
        if len(header) != 4:
            raise ValueError("a header is 4 bytes")
        return read(header)

    return reader


def _no_length_check(header: bytes) -> int:
    return int.from_bytes(header, "big")


def _struct_unchecked(header: bytes) -> int:
    return struct.unpack(">I", header)[0]


def _returns_tuple(header: bytes) -> tuple[int, ...]:
    if len(header) != 4:
        raise ValueError("a header is 4 bytes")
    return struct.unpack(">I", header)


def _signed(header: bytes) -> int:
    if len(header) != 4:
        raise ValueError("a header is 4 bytes")
    return struct.unpack(">i", header)[0]


def _read(id: str, like: str, effect: str, section: Section, fix: str, impl: object
          ) -> Misconception:
    return Misconception(id, "read_header", like, effect, section, fix, impl)


def _refuses(header: bytes) -> int:
    raise ValueError("not a header")


READ: tuple[Misconception, ...] = (
    _read("refuses_everything", "a reader that refuses every header",
          "it raises ValueError even for a good 4-byte header", READ_EXERCISE,
          "Raise only for a header that is not 4 bytes; otherwise return its number.",
          _refuses),
    _read("does_nothing", "a reader that always returns 0",
          "every length comes out as 0", READ_EXERCISE,
          "Return the header's number: int.from_bytes(header, 'big').", lambda h: 0),
    _read("little_endian", "a reader of little-endian headers",
          "it reads most lengths as a different number", BYTE_ORDER,
          "Read big-endian: int.from_bytes(header, 'big').",
          (_checked(lambda h: int.from_bytes(h, "little")),
           lambda h: int.from_bytes(h, "little"))),
    _read("last_header_byte", "a reader of the last header byte only",
          "lengths of 256 and more are taken modulo 256", STANDARD_HEADER,
          "All 4 bytes are the number: int.from_bytes(header, 'big').",
          _checked(lambda h: h[3])),
    _read("signed_header", "a reader of signed numbers ('>i')",
          "a length with the top bit set comes out negative", STRUCT,
          "Lengths are unsigned: '>I', or int.from_bytes(header, 'big').", _signed),
    _read("no_length_check", "a reader that accepts a header of any length",
          "a short or long header gives a number instead of ValueError", READ_EXERCISE,
          "Check len(header) == 4 first and raise ValueError otherwise.", _no_length_check),
    _read("struct_error_leaks", "a reader that lets struct.error out",
          "a header of the wrong length raises struct.error, which is not a ValueError",
          STRUCT, "Check len(header) yourself and raise ValueError before unpacking.",
          _struct_unchecked),
    _read("returns_tuple", "a reader that returns struct.unpack's tuple",
          "it returns (length,), not the length", STRUCT,
          "Take the first item: struct.unpack('>I', header)[0].", _returns_tuple),
    _read("returns_float", "a reader that returns a float",
          "the length is a float, not an int", READ_EXERCISE,
          "Return the int itself: int.from_bytes(header, 'big').",
          _checked(lambda h: float(int.from_bytes(h, "big")))),
)
