"""Which frame each byte of a stream belongs to, and whether it is header or payload.

``framinglib.byte_roles`` labels every byte of a stream, which costs one list
entry per byte. The pictures only draw a few dozen bytes of a lane (large
lanes are summarised), so they need the same answer for scattered positions
of a stream that may be megabytes long. ``FrameLayout`` finds where frames
start, once, by hopping from header to header (one step per frame, not per
byte), and then answers position lookups with a binary search. A delimited
stream (lesson 4's lines) is located the same way, with one ``find`` per
frame; there the marker that ends a frame has the role ``"delimiter"``. A
header holding a length field somewhere (``LengthFieldDecoder``'s, described by
a ``FieldShape``) tells its bytes apart: ``"leading"`` before the field (a
PostgreSQL message's type byte), ``"length"`` for the field itself.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from framinglib._header import ByteOrder

Role = Literal["header", "payload", "delimiter", "unknown", "leading", "length"]

#: Frames located by hopping before giving up; bytes beyond are drawn as "unknown".
MAX_FRAMES_LOCATED = 200_000


@dataclass(frozen=True)
class FieldShape:
    """Where a header's length field sits, for captions: ``LengthFieldDecoder``'s numbers.

    ``leading`` names the bytes before the field (``"type"`` for PostgreSQL).
    """

    offset: int
    size: int
    adjustment: int
    leading: str = "header"

    @property
    def end(self) -> int:
        return self.offset + self.size

    def wire_size(self, value: int) -> int:
        """The size on the wire of a frame whose length field holds ``value``."""
        return self.end + self.adjustment + value


class FrameLayout:
    """The frame boundaries of a stream that starts at a frame boundary.

    ``starts`` lists the stream offsets where frames begin; the last frame may
    be unfinished. Positions past ``known_until`` could not be located (the
    hop limit was reached) and have the role ``"unknown"``. For a delimited
    stream ``header_size`` is 0, ``delimiter`` is the marker and ``ends`` lists
    where each finished frame's marker starts. ``frame_size`` is set when a
    header is more than a payload length (a ``LengthFieldDecoder``'s): it
    gives the wire size of the frame a whole header starts; ``field`` (a
    ``FieldShape``) says where a length field sits inside the header, whose
    bytes then have the roles ``"leading"`` and ``"length"``.
    """

    def __init__(
        self,
        starts: list[int],
        header_size: int,
        known_until: int | None,
        *,
        delimiter: bytes = b"",
        ends: list[int] | None = None,
        frame_size: Callable[[bytes], int] | None = None,
        field: FieldShape | None = None,
    ) -> None:
        self.frame_size = frame_size
        self.field = field
        self.starts = starts
        self.header_size = header_size
        self.known_until = known_until
        self.delimiter = delimiter
        self.ends = ends if ends is not None else []

    @classmethod
    def of_delimited(
        cls,
        stream: bytes,
        delimiter: bytes,
        *,
        origin: int = 0,
        first_frames: Sequence[bytes] = (),
    ) -> FrameLayout:
        """Locate the frames of a delimited ``stream`` whose first byte sits at ``origin``.

        ``first_frames`` are frames a decoder already emitted before ``origin``
        (back to back from offset 0, each followed by its delimiter).
        """
        if not delimiter:
            raise ValueError("a delimited layout needs a non-empty delimiter")
        starts: list[int] = []
        ends: list[int] = []
        pos = 0
        for frame in first_frames:
            starts.append(pos)
            ends.append(pos + len(frame))
            pos += len(frame) + len(delimiter)
        pos = 0
        known_until = None
        while pos < len(stream):
            if len(starts) >= MAX_FRAMES_LOCATED:
                known_until = origin + pos
                break
            starts.append(origin + pos)
            found = stream.find(delimiter, pos)
            if found < 0:
                break
            ends.append(origin + found)
            pos = found + len(delimiter)
        return cls(starts, 0, known_until, delimiter=delimiter, ends=ends)

    @classmethod
    def of_stream(
        cls,
        stream: bytes,
        header_size: int,
        byteorder: ByteOrder = "big",
        *,
        origin: int = 0,
        first_starts: Sequence[int] = (),
        frame_size: Callable[[bytes], int] | None = None,
        field: FieldShape | None = None,
    ) -> FrameLayout:
        """Locate the frames of ``stream``, whose first byte sits at offset ``origin``.

        ``first_starts`` are frame starts already known before ``origin`` (the
        frames a decoder has emitted), kept in front of the ones found here.
        ``frame_size(header)`` sizes each frame when the header is not just the
        payload's length; a header it cannot size (an impossible length) ends
        what can be located.
        """
        if header_size < 1:  # a zero-byte header would never move past the first frame
            raise ValueError(f"header_size must be at least 1, not {header_size}")
        starts = list(first_starts)
        end = len(stream)
        pos = 0
        known_until = None
        while pos < end:
            if len(starts) >= MAX_FRAMES_LOCATED:
                known_until = origin + pos
                break
            starts.append(origin + pos)
            if end - pos < header_size:
                break
            header = stream[pos : pos + header_size]
            if frame_size is None:
                pos += header_size + int.from_bytes(header, byteorder)
                continue
            try:
                size = frame_size(header)
            except (ValueError, ArithmeticError):  # FrameLengthError is a ValueError
                size = 0
            if size < header_size:  # ends inside its own header: nothing after it can be located
                known_until = origin + pos + header_size
                break
            pos += size
        return cls(starts, header_size, known_until, frame_size=frame_size, field=field)

    def role(self, position: int) -> tuple[int, Role]:
        """The frame number (from 0) and role of the byte at ``position``."""
        if not self.starts or (self.known_until is not None and position >= self.known_until):
            return -1, "unknown"
        frame = bisect_right(self.starts, position) - 1
        if frame < 0:
            return -1, "unknown"
        if self.delimiter:
            ended = frame < len(self.ends) and position >= self.ends[frame]
            return frame, "delimiter" if ended else "payload"
        offset = position - self.starts[frame]
        if offset >= self.header_size:
            return frame, "payload"
        if self.field is not None:
            return frame, "leading" if offset < self.field.offset else "length"
        return frame, "header"

    def frame_end(self, frame: int, stream_end: int) -> int:
        """Where ``frame`` ends: the next frame's start, or ``stream_end`` for the last one."""
        if frame + 1 < len(self.starts):
            return self.starts[frame + 1]
        return stream_end


def emitted_frame_starts(frames: Sequence[bytes], header_size: int) -> list[int]:
    """Stream offsets of the frames a decoder emitted, which sit back to back from offset 0.

    ``header_size`` is the bytes each frame lost on the way out: the header,
    or a ``LengthFieldDecoder``'s ``initial_bytes_to_strip``.
    """
    starts = []
    pos = 0
    for frame in frames:
        starts.append(pos)
        pos += header_size + len(frame)
    return starts
