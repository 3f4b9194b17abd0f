"""The decision trace: what a decoder decides, step by step, and why.

Two kinds of decoder are traced. A "length-prefix decoder" is any decoder whose
frames start with a header carrying their length: ``LengthPrefixDecoder`` (the
header is the length) or ``LengthFieldDecoder`` (a length field somewhere in
it, which the decoder itself reads for the trace through ``frame_size`` and
``read_length``); ``trace_length_prefixed`` traces those. A delimiter decoder
(``DelimiterDecoder``, lesson 4's lines) ends each frame with a marker;
``trace_delimited`` traces that. Both share one loop (``_read_off``): only how
the buffer is read back and the words for each decision differ (``_Reading``).

The trace is read off a real decoder as it runs, never computed by a second
copy of the parsing logic: each chunk is fed to the decoder, and the steps are
derived from the frames it returns and the bytes it keeps. The course's
pictures (the player, the chunk explorer, the grader's feedback) all draw
these steps.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol

from ._bytes import BytesLike, as_bytes
from ._header import ByteOrder
from .delimiter import DelimiterDecoder
from .errors import FrameLengthError, FrameTooLargeError
from .length_prefix import DEFAULT_MAX_FRAME_SIZE, LengthPrefixDecoder

__all__ = [
    "Decision",
    "Step",
    "TraceableDecoder",
    "byte_roles",
    "trace_delimited",
    "trace_length_prefixed",
]


class Decision(enum.Enum):
    """One kind of byte-handling decision."""

    CHUNK_APPENDED = "chunk appended"
    FRAME_EMITTED = "frame emitted"
    LEFTOVER_KEPT = "leftover kept"
    WAIT_HEADER = "waiting for a header"
    WAIT_PAYLOAD = "waiting for payload"
    BUFFER_EMPTY = "buffer empty"
    FRAME_TOO_LARGE = "frame too large"
    BAD_LENGTH = "impossible length"


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
    #: How the decoder sizes frames: ``frame_size(header)`` is the size on the wire of
    #: the frame a whole header starts, and each emitted frame is that frame without
    #: its first ``strip`` bytes. ``None`` for a header that is nothing but the payload's
    #: length (``header_size + int.from_bytes(header)``, ``strip == header_size``).
    frame_size: Callable[[bytes], int] | None = field(default=None, compare=False, repr=False)
    strip: int | None = None

    @property
    def emitted(self) -> bytes | None:
        """The frame this step emitted, if it emitted one."""
        return self.frames[-1] if self.decision is Decision.FRAME_EMITTED else None


class TraceableDecoder(Protocol):
    """What the trace needs of a decoder: frames out of ``feed``, and its buffer size.

    A decoder whose header is not just a length (``LengthFieldDecoder``) also
    says how big a frame is on the wire (``frame_size``), what its length field
    holds (``read_length``) and how many bytes of each frame it drops
    (``initial_bytes_to_strip``); without them the header is taken to be a
    ``header_size``-byte payload length, dropped from the frame.
    """

    header_size: int

    def feed(self, data: bytes) -> list[bytes]: ...

    @property
    def buffered(self) -> int: ...


class _PlainHeader:
    """The frame sizes of a header that is nothing but the payload's length."""

    def __init__(self, header_size: int, byteorder: ByteOrder) -> None:
        self.header_size = header_size
        self.initial_bytes_to_strip = header_size
        self.byteorder = byteorder

    def read_length(self, header: bytes) -> int:
        return int.from_bytes(header[: self.header_size], self.byteorder)

    def frame_size(self, header: bytes) -> int:
        return self.header_size + self.read_length(header)


def _frame_sizes(decoder: object, byteorder: ByteOrder) -> _PlainHeader | TraceableDecoder:
    """The decoder itself when it knows its frames' sizes, else the plain-header reading."""
    if all(hasattr(decoder, name) for name in
           ("frame_size", "read_length", "initial_bytes_to_strip")):
        return decoder  # type: ignore[return-value]
    return _PlainHeader(decoder.header_size, byteorder)  # type: ignore[attr-defined]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _plural_grouped(count: int, word: str) -> str:
    """``_plural`` with thousands separators (how the delimited trace has always counted)."""
    return f"{count:,} {word}" if count == 1 else f"{count:,} {word}s"


def _show(frame: bytes, limit: int = 24) -> str:
    text = repr(frame[:limit])
    return text + ("…" if len(frame) > limit else "")


class _Reading(Protocol):
    """How one kind of framing reads the decoder's state back, for ``_read_off``.

    The loop that feeds the decoder and orders the decisions is the same for every
    framing; what differs is where a frame ends, what the buffer says about the
    unfinished frame, and the words for each decision.
    """

    #: What a ``Step`` carries as ``header_size``.
    header_size: int
    #: What ``feed`` raises to refuse the stream (its ``frames`` are the ones completed first).
    refusals: tuple[type[Exception], ...]
    #: The ``frame_size``/``strip`` a ``Step`` carries (``None`` for a plain length header).
    frame_size: Callable[[bytes], int] | None
    strip: int | None

    def plural(self, count: int, word: str) -> str: ...

    def progress(self, buffer: bytes) -> tuple[int | None, int | None]:
        """``announced`` and ``received`` for a step whose buffer is ``buffer``."""
        ...

    def wire_size(self, frame: bytes) -> int:
        """The bytes an emitted ``frame`` took on the wire."""
        ...

    def emitted(self, frame: bytes, number: int, wire: bytes) -> str:
        """Why frame ``number`` (from 1) came out; ``wire`` starts where it did."""
        ...

    def refused(self, error: Exception, rest: bytes) -> tuple[Decision, str]:
        """The decision and its reason when ``feed`` raised ``error``, ``rest`` held."""
        ...

    def waiting(self, rest: bytes) -> tuple[Decision, str]:
        """What the decoder waits for with the bytes ``rest`` (not empty) held."""
        ...


class _LengthReading:
    """A length header's reading: a header's value says where its frame ends."""

    refusals = (FrameTooLargeError, FrameLengthError)

    def __init__(self, decoder: object, byteorder: ByteOrder) -> None:
        self.header_size: int = decoder.header_size  # type: ignore[attr-defined]
        self.sizes = _frame_sizes(decoder, byteorder)
        # Bytes of each frame on the wire that ``feed`` does not hand back.
        self.strip_bytes = self.sizes.initial_bytes_to_strip
        self.plain = isinstance(self.sizes, _PlainHeader)
        self.frame_size = None if self.plain else self.sizes.frame_size
        self.strip = None if self.plain else self.strip_bytes

    plural = staticmethod(_plural)

    def progress(self, buffer: bytes) -> tuple[int | None, int | None]:
        if len(buffer) < self.header_size:
            return None, None
        announced = max(self.sizes.frame_size(buffer) - self.header_size, 0)
        return announced, min(len(buffer) - self.header_size, announced)

    def wire_size(self, frame: bytes) -> int:
        return self.strip_bytes + len(frame)

    def emitted(self, frame: bytes, number: int, wire: bytes) -> str:
        if self.plain:
            return (f"The header says {len(frame)} and all {len(frame)} payload bytes are "
                    f"here: emit frame {number}, {_show(frame)}.")
        strip = self.strip_bytes
        return (f"The length field says {self.sizes.read_length(wire)}, so "
                f"the frame is {_plural(strip + len(frame), 'byte')} long and all are here: "
                f"emit frame {number}"
                + (f" without its first {strip}" if strip else "")
                + f", {_show(frame)}.")

    def refused(self, error: Exception, rest: bytes) -> tuple[Decision, str]:
        if isinstance(error, FrameTooLargeError):
            said = ("The header announces" if self.plain else
                    f"The length field says {self.sizes.read_length(rest)}: a frame of")
            return Decision.FRAME_TOO_LARGE, (
                f"{said} {error.size} bytes, more than the limit of "
                f"{error.max_frame_size}: refuse the stream instead of waiting for them.")
        return Decision.BAD_LENGTH, f"{error}: no frame can be that long, so refuse the stream."

    def waiting(self, rest: bytes) -> tuple[Decision, str]:
        header_size = self.header_size
        if len(rest) < header_size:
            return Decision.WAIT_HEADER, (
                f"Only {len(rest)} of the {header_size} header bytes are here: "
                "the length is still unknown, so wait for more.")
        if self.plain:
            announced = self.sizes.frame_size(rest) - header_size
            have = len(rest) - header_size
            if have >= announced:
                why = (f"The header says {announced} and {have} payload bytes are here, "
                       "but this decoder stopped looking: the frame stays stuck in the buffer.")
            else:
                why = (f"The header says {announced}, only {have} payload "
                       f"byte{'' if have == 1 else 's'} {'is' if have == 1 else 'are'} here: "
                       "wait for more.")
            return Decision.WAIT_PAYLOAD, why
        wire = self.sizes.frame_size(rest)
        length = self.sizes.read_length(rest)
        if len(rest) >= wire:
            why = (f"The length field says {length} and the whole {wire}-byte frame is here, "
                   "but this decoder stopped looking: the frame stays stuck in the buffer.")
        else:
            why = (f"The length field says {length}: the frame is "
                   f"{_plural(wire, 'byte')}, {len(rest)} are here: wait for more.")
        return Decision.WAIT_PAYLOAD, why


class _DelimiterReading:
    """A delimiter's reading: a frame ends where the delimiter is.

    Its steps carry the delimiter's length as ``header_size`` (the bytes a frame
    costs beyond its payload, which is all the pictures need it for); ``announced``
    and ``received`` are ``None``, since nothing says how long a frame will be.
    """

    refusals = (FrameTooLargeError,)
    frame_size = None
    strip = None

    def __init__(self, delimiter: bytes) -> None:
        self.delimiter = delimiter
        self.header_size = len(delimiter)
        self.shown = repr(delimiter)

    plural = staticmethod(_plural_grouped)

    def progress(self, buffer: bytes) -> tuple[int | None, int | None]:
        return None, None

    def wire_size(self, frame: bytes) -> int:
        return len(frame) + self.header_size

    def emitted(self, frame: bytes, number: int, wire: bytes) -> str:
        return (f"A {self.shown} ends a frame of {_plural_grouped(len(frame), 'byte')}: emit "
                f"frame {number}, {frame[:24]!r}.")

    def refused(self, error: Exception, rest: bytes) -> tuple[Decision, str]:
        assert isinstance(error, FrameTooLargeError)
        return Decision.FRAME_TOO_LARGE, (
            f"{_plural_grouped(error.size, 'byte')} without a {self.shown}, more than the "
            f"limit of {error.max_frame_size:,}: refuse the stream instead of buffering "
            "for ever.")

    def waiting(self, rest: bytes) -> tuple[Decision, str]:
        if self.delimiter in rest:
            return Decision.WAIT_PAYLOAD, (
                f"A {self.shown} is in the buffer, but this decoder stopped looking: "
                "the frame stays stuck in the buffer.")
        return Decision.WAIT_PAYLOAD, (
            f"No {self.shown} among the {_plural_grouped(len(rest), 'byte')} held: the frame "
            "is not finished, so wait for more.")


def _read_off(
    chunks: Iterable[BytesLike], decoder: TraceableDecoder, reading: _Reading
) -> list[Step]:
    """Feed ``chunks`` to ``decoder`` one by one and list its decisions, read by ``reading``.

    For each chunk: the chunk is appended; each frame it completes is emitted;
    bytes left after a frame are kept; and the decoder then waits (for a header,
    for more of the frame) or has an empty buffer. A refusal ends the trace.
    """
    plural = reading.plural
    steps: list[Step] = []
    frames: list[bytes] = []
    held = b""
    held_start = 0
    chunk_start = 0

    def step(decision: Decision, index: int, chunk: bytes, buffer: bytes, why: str) -> None:
        announced, received = reading.progress(buffer)
        steps.append(
            Step(decision, index, chunk, buffer, tuple(frames), reading.header_size, announced,
                 received, chunk_start, held_start, why, reading.frame_size, reading.strip)
        )

    for index, raw in enumerate(chunks):
        chunk = as_bytes(raw)
        pending = held + chunk
        step(Decision.CHUNK_APPENDED, index, chunk, pending,
             f"recv() {index + 1} brings {plural(len(chunk), 'byte')}: append "
             f"{'it' if len(chunk) == 1 else 'them'} to the buffer, which now holds "
             f"{plural(len(pending), 'byte')}.")
        refusal: Exception | None = None
        try:
            emitted = decoder.feed(chunk)
        except reading.refusals as error:
            emitted, refusal = error.frames, error  # type: ignore[attr-defined]
        consumed = 0
        for frame in emitted:
            frame = bytes(frame)
            frames.append(frame)
            why = reading.emitted(frame, len(frames), pending[consumed:])
            consumed += reading.wire_size(frame)
            held_start += reading.wire_size(frame)
            step(Decision.FRAME_EMITTED, index, chunk, pending[consumed:], why)
        rest = pending[consumed:]
        if refusal is not None:
            decision, why = reading.refused(refusal, rest)
            step(decision, index, chunk, rest, why)
            return steps
        if len(rest) != decoder.buffered:
            raise RuntimeError(
                f"decoder holds {decoder.buffered} bytes but its frames leave {len(rest)}: "
                "it does not emit frames from the front of its buffer"
            )
        if emitted and rest:
            step(Decision.LEFTOVER_KEPT, index, chunk, rest,
                 f"{plural(len(rest), 'byte')} left over belong to the next frame: "
                 "keep them in the buffer.")
        if not rest:
            step(Decision.BUFFER_EMPTY, index, chunk, rest,
                 "The buffer is empty: every byte so far belonged to a whole frame. "
                 "Wait for the next recv().")
        else:
            decision, why = reading.waiting(rest)
            step(decision, index, chunk, rest, why)
        held = rest
        chunk_start += len(chunk)
    return steps


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
    more than ``max_frame_size`` ends the trace with a ``FRAME_TOO_LARGE`` step
    (an impossible length, with a ``BAD_LENGTH`` one).

    ``decoder`` replaces the reference decoder with another one that has the
    same ``feed``/``buffered`` shape (for example a deliberately broken one
    for teaching, or a ``LengthFieldDecoder`` for a real protocol's header);
    it must emit frames from the front of its buffer.
    """
    if decoder is None:
        decoder = LengthPrefixDecoder(header_size, byteorder, max_frame_size)
    return _read_off(chunks, decoder, _LengthReading(decoder, byteorder))


def trace_delimited(
    chunks: Iterable[BytesLike],
    delimiter: BytesLike = b"\n",
    max_frame_size: int = DEFAULT_MAX_FRAME_SIZE,
    decoder: TraceableDecoder | None = None,
) -> list[Step]:
    """Feed ``chunks`` to a delimiter decoder and list its decisions (as ``trace_length_prefixed``).

    ``decoder`` may replace the reference ``DelimiterDecoder`` with another
    that has ``feed`` and ``buffered`` and emits frames from the front of its
    buffer (the explorer's broken decoder). A run of more than
    ``max_frame_size`` bytes with no delimiter ends the trace with a
    ``FRAME_TOO_LARGE`` step. Each step's ``header_size`` is the delimiter's
    length and its ``announced``/``received`` are ``None``.
    """
    delimiter = as_bytes(delimiter)
    if decoder is None:
        decoder = DelimiterDecoder(delimiter, max_frame_size)
    return _read_off(chunks, decoder, _DelimiterReading(delimiter))


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
