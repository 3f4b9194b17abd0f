"""The course's worked example: three messages, a one-byte header, 12 bytes on the wire."""

from __future__ import annotations

__all__ = ["WORKED_EXAMPLE_CHUNKS", "WORKED_EXAMPLE_MESSAGES", "worked_example_stream"]

from .length_prefix import encode_length_prefixed

#: The messages the sender writes.
WORKED_EXAMPLE_MESSAGES: tuple[bytes, ...] = (b"abc", b"hi", b"ping")

#: How the 12 bytes arrive: four recv() results that ignore every frame boundary.
WORKED_EXAMPLE_CHUNKS: tuple[bytes, ...] = (b"\x03ab", b"c\x02h", b"i\x04pi", b"ng")


def worked_example_stream(header_size: int = 1) -> bytes:
    """The worked example's messages, each behind a big-endian header of ``header_size`` bytes."""
    return b"".join(encode_length_prefixed(m, header_size) for m in WORKED_EXAMPLE_MESSAGES)
