"""The decision trace: what a length-prefix decoder decides, step by step, and why.

The trace is read off a real decoder as it runs, never computed by a second
copy of the parsing logic: each chunk is fed to the decoder, and the steps are
derived from the frames it returns and the bytes it keeps. The course's
pictures (the player, the chunk explorer, the grader's feedback) all draw
these steps.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from ._bytes import BytesLike, as_bytes
from ._header import ByteOrder
from .errors import FrameTooLargeError
from .length_prefix import DEFAULT_MAX_FRAME_SIZE, LengthPrefixDecoder

__all__ = ["Decision", "Step", "TraceableDecoder", "byte_roles", "trace_length_prefixed"]


class Decision(enum.Enum):
    """One kind of byte-handling decision."""

    CHUNK_APPENDED = "chunk appended"
    FRAME_EMITTED = "frame emitted"
    LEFTOVER_KEPT = "leftover kept"
    WAIT_HEADER = "waiting for a header"
    WAIT_PAYLOAD = "waiting for payload"
    BUFFER_EMPTY = "buffer empty"
    FRAME_TOO_LARGE = "frame too large"


@dataclass(frozen=True)
class Step:
    """One decision, with the state of the receiver right after it."""

    decision: Decision
    chunk_index: int
    chunk: bytes
    buffer: bytes
    frames: tuple[bytes, ...]
    header_size: int
    #: Payload length the buffered header announces, once the header is whole.
    announced: int | None
    #: Payload bytes of the unfinished frame already buffered (``k`` of ``announced``).
    received: int | None
    #: Offsets in the whole stream of the chunk's and the buffer's first bytes.
    chunk_start: int
    buffer_start: int
    explanation: str

    @property
    def emitted(self) -> bytes | None:
        """The frame this step emitted, if it emitted one."""
        return self.frames[-1] if self.decision is Decision.FRAME_EMITTED else None


class TraceableDecoder(Protocol):
    """What the trace needs of a decoder: frames out of ``feed``, and its buffer size."""

    header_size: int

    def feed(self, data: bytes) -> list[bytes]: ...

    @property
    def buffered(self) -> int: ...


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _show(frame: bytes, limit: int = 24) -> str:
    text = repr(frame[:limit])
    return text + ("…" if len(frame) > limit else "")


def trace_length_prefixed(
    chunks: Iterable[BytesLike],
    header_size: int = 4,
    byteorder: ByteOrder = "big",
    max_frame_size: int = DEFAULT_MAX_FRAME_SIZE,
    decoder: TraceableDecoder | None = None,
) -> list[Step]:
    """Feed ``chunks`` to a length-prefix decoder and list every decision it made.

    For each chunk: the chunk is appended; each frame it completes is emitted;
    bytes left after a frame are kept; and the decoder then waits for a
    header, for more payload, or with an empty buffer. A header that announces
    more than ``max_frame_size`` ends the trace with a ``FRAME_TOO_LARGE`` step.

    ``decoder`` replaces the reference decoder with another one that has the
    same ``feed``/``buffered`` shape (for example a deliberately broken one
    for teaching); it must emit frames from the front of its buffer.
    """
    if decoder is None:
        decoder = LengthPrefixDecoder(header_size, byteorder, max_frame_size)
    else:
        header_size = decoder.header_size
    steps: list[Step] = []
    frames: list[bytes] = []
    held = b""
    held_start = 0
    chunk_start = 0

    def step(decision: Decision, index: int, chunk: bytes, buffer: bytes, why: str) -> None:
        announced = received = None
        if len(buffer) >= header_size:
            announced = int.from_bytes(buffer[:header_size], byteorder)
            received = min(len(buffer) - header_size, announced)
        steps.append(
            Step(decision, index, chunk, buffer, tuple(frames), header_size, announced,
                 received, chunk_start, held_start, why)
        )

    for index, raw in enumerate(chunks):
        chunk = as_bytes(raw)
        pending = held + chunk
        step(Decision.CHUNK_APPENDED, index, chunk, pending,
             f"recv() {index + 1} brings {_plural(len(chunk), 'byte')}: append "
             f"{'it' if len(chunk) == 1 else 'them'} to the buffer, which now holds "
             f"{_plural(len(pending), 'byte')}.")
        try:
            emitted = decoder.feed(chunk)
        except FrameTooLargeError as error:
            emitted, too_large = error.frames, error
        else:
            too_large = None
        consumed = 0
        for frame in emitted:
            frames.append(bytes(frame))
            consumed += header_size + len(frame)
            held_start += header_size + len(frame)
            step(Decision.FRAME_EMITTED, index, chunk, pending[consumed:],
                 f"The header says {len(frame)} and all {len(frame)} payload bytes are here: "
                 f"emit frame {len(frames)}, {_show(bytes(frame))}.")
        rest = pending[consumed:]
        if too_large is not None:
            step(Decision.FRAME_TOO_LARGE, index, chunk, rest,
                 f"The header announces {too_large.size} bytes, more than the limit of "
                 f"{too_large.max_frame_size}: refuse the stream instead of waiting for them.")
            return steps
        if len(rest) != decoder.buffered:
            raise RuntimeError(
                f"decoder holds {decoder.buffered} bytes but its frames leave {len(rest)}: "
                "it does not emit frames from the front of its buffer"
            )
        if emitted and rest:
            step(Decision.LEFTOVER_KEPT, index, chunk, rest,
                 f"{_plural(len(rest), 'byte')} left over belong to the next frame: "
                 "keep them in the buffer.")
        if not rest:
            step(Decision.BUFFER_EMPTY, index, chunk, rest,
                 "The buffer is empty: every byte so far belonged to a whole frame. "
                 "Wait for the next recv().")
        elif len(rest) < header_size:
            step(Decision.WAIT_HEADER, index, chunk, rest,
                 f"Only {len(rest)} of the {header_size} header bytes are here: "
                 "the length is still unknown, so wait for more.")
        else:
            announced = int.from_bytes(rest[:header_size], byteorder)
            have = len(rest) - header_size
            if have >= announced:
                why = (f"The header says {announced} and {have} payload bytes are here, "
                       "but this decoder stopped looking: the frame stays stuck in the buffer.")
            else:
                why = (f"The header says {announced}, only {have} payload "
                       f"byte{'' if have == 1 else 's'} {'is' if have == 1 else 'are'} here: "
                       "wait for more.")
            step(Decision.WAIT_PAYLOAD, index, chunk, rest, why)
        held = rest
        chunk_start += len(chunk)
    return steps


def byte_roles(
    stream: BytesLike, header_size: int = 4, byteorder: ByteOrder = "big"
) -> list[tuple[int, str]]:
    """Label each byte of a stream with its frame number and ``"header"`` or ``"payload"``.

    A stream that stops mid-frame labels the bytes it has; the pictures use
    this to group bytes by frame and to draw headers apart from payloads.
    """
    stream = as_bytes(stream)
    roles: list[tuple[int, str]] = []
    pos = frame = 0
    while pos < len(stream):
        header = stream[pos : pos + header_size]
        roles.extend((frame, "header") for _ in header)
        pos += len(header)
        if len(header) < header_size:
            break
        length = int.from_bytes(header, byteorder)
        payload = stream[pos : pos + length]
        roles.extend((frame, "payload") for _ in payload)
        pos += len(payload)
        frame += 1
    return roles
