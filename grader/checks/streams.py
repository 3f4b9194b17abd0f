"""Cases for code that turns a length-prefixed byte stream into frames, and how to judge them.

Shared by the checks of every task that receives a stream: ``on_bytes`` (frames go
to ``handle``) and the decoder classes (frames come back from ``feed``). Expected
frames come from framinglib's ``LengthPrefixDecoder``, computed here in the
grader's process; the child only ever sees the chunks.
"""

from __future__ import annotations

import hashlib
import random
import struct
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from framinglib import WORKED_EXAMPLE_MESSAGES, split_at, split_every

from .base import CASE_TIMEOUT, Check, Failure, Probe, case_check, describe_error

__all__ = [
    "HEADER_SIZE",
    "WORKED_EXAMPLE",
    "Stream",
    "encode",
    "escape",
    "expected_calls",
    "frame_content",
    "random_streams",
    "stream_check",
    "stream_probe",
    "type_deliveries",
]

HEADER_SIZE = 4


def encode(payloads: Sequence[bytes]) -> bytes:
    """The stream a sender writes for ``payloads``: 4-byte big-endian header + payload each."""
    return b"".join(struct.pack(">I", len(p)) + p for p in payloads)


#: The worked example with the tasks' 4-byte headers: 21 bytes on the wire.
WORKED_EXAMPLE = encode(WORKED_EXAMPLE_MESSAGES)


def type_deliveries() -> list[list[bytes]]:
    """Deliveries for a check of the frames' type: short, empty and long frames, whole and cut."""
    return [[WORKED_EXAMPLE], split_every(WORKED_EXAMPLE, 5), [encode([b"", b"q" * 300])]]


@dataclass(frozen=True)
class Stream:
    """Payloads and the cut positions of their encoded stream: one delivery of one stream."""

    payloads: tuple[bytes, ...]
    cuts: tuple[int, ...] = ()
    #: Bytes missing from the end: the stream stops inside its last frame.
    trim: int = 0

    @property
    def data(self) -> bytes:
        whole = encode(self.payloads)
        return whole[: len(whole) - self.trim]

    @property
    def chunks(self) -> list[bytes]:
        return split_at(self.data, self.cuts)

    def size(self) -> tuple[int, ...]:
        """Smaller is simpler: fewer chunks, fewer bytes, fewer frames, plainer payload bytes."""
        plain = sum(1 for p in self.payloads for byte in p if byte != 0x61)
        return (len(self.cuts) + 1, len(self.data), len(self.payloads), plain, self.trim)

    def smaller(self) -> list[Stream]:
        """Variants that are one step simpler (the shrinker's candidates)."""
        candidates: list[Stream] = []
        for index in range(len(self.payloads)):
            candidates.append(self._replace_payload(index, None))
        for cut in self.cuts:
            fewer = tuple(c for c in self.cuts if c != cut)
            candidates.append(Stream(self.payloads, fewer, self.trim))
        if self.trim:
            for trim in {0, self.trim // 2, self.trim - 1}:
                candidates.append(self._with_trim(trim))
        for index, payload in enumerate(self.payloads):
            # Cut by halves, quarters, ... one byte: a few rounds reach any length threshold.
            step = len(payload)
            while step:
                candidates.append(self._replace_payload(index, payload[: len(payload) - step]))
                step //= 2
            if payload.strip(b"a"):
                candidates.append(self._replace_payload(index, b"a" * len(payload)))
        return [c for c in candidates if c.payloads and c.data and c.size() < self.size()]

    def _with_trim(self, trim: int) -> Stream:
        total = len(encode(self.payloads)) - trim
        return Stream(self.payloads, tuple(c for c in self.cuts if c < total), trim)

    def _replace_payload(self, index: int, payload: bytes | None) -> Stream:
        """Replace (or, with ``None``, drop) one payload, keeping the cuts around it in place."""
        start = len(encode(self.payloads[:index]))
        old_end = start + HEADER_SIZE + len(self.payloads[index])
        new_end = start if payload is None else start + HEADER_SIZE + len(payload)
        payloads = list(self.payloads)
        if payload is None:
            del payloads[index]
        else:
            payloads[index] = payload
        last = payloads[-1] if payloads else b""
        trim = min(self.trim, HEADER_SIZE + len(last) - 1) if payloads else 0
        total = len(encode(payloads)) - trim
        cuts = set()
        for cut in self.cuts:
            if cut <= start:
                moved = cut
            elif cut >= old_end:
                moved = cut - old_end + new_end
            else:
                moved = min(cut, new_end)
            if 0 < moved < total:
                cuts.add(moved)
        return Stream(tuple(payloads), tuple(sorted(cuts)), max(trim, 0))


def random_streams(seed: str, count: int, *, truncate: float = 0.0) -> list[Stream]:
    """``count`` random payload sets and chunkings, the same for the same seed.

    With probability ``truncate`` a stream stops inside its last frame.
    """
    rng = random.Random(seed)
    streams = []
    for _ in range(count):
        payloads = tuple(rng.randbytes(_random_length(rng)) for _ in range(rng.randint(1, 6)))
        trim = 0
        if truncate and rng.random() < truncate:
            trim = (
                rng.randint(1, HEADER_SIZE + len(payloads[-1]) - 1)
                if len(encode(payloads)) > 1
                else 0
            )
        total = len(encode(payloads)) - trim
        if total <= 200 and rng.random() < 0.1:
            cuts = tuple(range(1, total))
        else:
            pieces = rng.randint(1, min(total, 12))
            cuts = tuple(sorted(rng.sample(range(1, total), pieces - 1)))
        streams.append(Stream(payloads, cuts, trim))
    return streams


def _random_length(rng: random.Random) -> int:
    roll = rng.random()
    if roll < 0.15:
        return 0
    if roll < 0.65:
        return rng.randint(1, 8)
    if roll < 0.95:
        return rng.randint(9, 300)
    return rng.randint(301, 3000)


def expected_calls(chunks: Sequence[bytes]) -> list[tuple[list[bytes], int]]:
    """For each chunk: the frames it completes, and how many bytes remain held after it.

    Deliberately the plainest possible algorithm, independent of framinglib's
    optimised decoder (the tests check that the two agree).
    """
    held = b""
    calls = []
    for chunk in chunks:
        held += chunk
        frames = []
        while len(held) >= HEADER_SIZE:
            end = HEADER_SIZE + int.from_bytes(held[:HEADER_SIZE], "big")
            if len(held) < end:
                break
            frames.append(held[HEADER_SIZE:end])
            held = held[end:]
        calls.append((frames, len(held)))
    return calls


def frame_content(frame: dict[str, Any]) -> bytes | None:
    """The bytes of a reported frame, when the child could read them (bytes-like types only)."""
    if "hex" in frame and not frame.get("foreign"):
        return bytes.fromhex(frame["hex"])
    return None


def frame_matches(frame: dict[str, Any], expected: bytes) -> bool:
    """Equal in value (bytes-like types only; the type is judged by its own check)."""
    if frame.get("foreign"):
        return False
    if "hex" in frame:
        return bytes.fromhex(frame["hex"]) == expected
    if "sha256" in frame:
        digest = hashlib.sha256(expected).hexdigest()
        return frame["len"] == len(expected) and frame["sha256"] == digest
    return False


_ESCAPES = {0x5C: "\\\\", 0x0A: "\\n", 0x0D: "\\r", 0x09: "\\t"}


def escape(data: bytes, limit: int = 48) -> str:
    """Bytes as readable text: printable ASCII as is, ``\\n``-style and ``\\xNN`` escapes for
    the rest (as Python writes them); data longer than ``limit`` is cut with its length."""
    text = "".join(
        _ESCAPES.get(b) or (chr(b) if 0x20 <= b < 0x7F else f"\\x{b:02x}") for b in data[:limit]
    )
    if len(data) > limit:
        text += f"... ({len(data)} bytes)"
    return text


def type_label(frame: dict[str, Any]) -> str:
    """The reported type's name, marked when it is a class of the learner's own."""
    name = str(frame.get("type", "?"))
    return f"{name} (your own class, not the built-in)" if frame.get("foreign") else name


def is_bytes(frame: dict[str, Any]) -> bool:
    """Whether a reported item was exactly the built-in ``bytes``."""
    return frame.get("type") == "bytes" and not frame.get("foreign")


def _show(frame: dict[str, Any]) -> str:
    if frame.get("foreign"):
        return f"an object of class {frame.get('type', '?')!r} (not the built-in bytes)"
    kind = frame.get("type", "?")
    content = frame_content(frame)
    if content is None:
        if "sha256" in frame:
            return f"a {frame['len']}-byte {kind}"
        return f"a {kind} object"
    shown = f"b'{escape(content)}'"
    return shown if kind == "bytes" else f"{kind}({shown})"


def _received_value(frame: dict[str, Any]) -> bytes:
    content = frame_content(frame)
    return content if content is not None else b""


def stream_probe(
    chunks: Sequence[bytes],
    aspect: str,
    *,
    check: str,
    hint: str,
    timeout: float = CASE_TIMEOUT,
    stream: Stream | None = None,
) -> Probe:
    """One delivery of ``chunks`` to ``on_bytes``, judged on ``aspect``.

    ``aspect`` is ``"frames"`` (the right frames after every call: values and timing),
    ``"types"`` (every frame is exactly ``bytes``) or ``"buffer"`` (only the
    unfinished tail is held after every call). Given ``stream``, the probe can
    shrink to simpler streams that still fail.
    """
    chunks = list(chunks)
    expected = expected_calls(chunks)
    judge_of = {"frames": _judge_frames, "types": _judge_types, "buffer": _judge_buffer}[aspect]

    def judge(report: dict[str, Any]) -> Failure | None:
        failure = _judge_error(report, chunks, expected) or judge_of(report, chunks, expected)
        if failure is not None:
            failure.check = check
            failure.hint = hint
            failure.expected = [f for frames, _ in expected for f in frames]
            frames = [f for call in report.get("calls", []) for f in call["frames"]]
            failure.received = [_received_value(f) for f in frames]
            failure.received_types = [type_label(f) for f in frames]
        return failure

    shrink = None
    if stream is not None:

        def shrink() -> list[Probe]:
            return [
                stream_probe(s.chunks, aspect, check=check, hint=hint, timeout=timeout, stream=s)
                for s in stream.smaller()
            ]

    size = stream.size() if stream else (len(chunks), sum(map(len, chunks)))
    payload = {
        "driver": "stream",
        "function": "on_bytes",
        "buffer": "buffer" if aspect == "buffer" else None,
        "chunks": [chunk.hex() for chunk in chunks],
    }
    return Probe(payload, judge, size, timeout, shrink)


def stream_check(
    name: str,
    points: float,
    summary: str,
    hint: str,
    deliveries: Callable[[str], Iterable[Stream | Sequence[bytes]]],
    *,
    aspect: str = "frames",
    timeout: float = CASE_TIMEOUT,
) -> Check:
    """A check delivering each of ``deliveries(seed)`` to ``on_bytes`` (see ``stream_probe``).

    A delivery is a chunk list, or a ``Stream``, which shrinks when it fails.
    """

    def probe(delivery: Stream | Sequence[bytes], check: str, hint: str) -> Probe:
        stream = delivery if isinstance(delivery, Stream) else None
        chunks = delivery.chunks if isinstance(delivery, Stream) else delivery
        return stream_probe(chunks, aspect, check=check, hint=hint, timeout=timeout, stream=stream)

    return case_check(name, points, summary, hint, deliveries, probe)


def _where(index: int, chunks: Sequence[bytes]) -> str:
    return f"chunk {index + 1} of {len(chunks)} (b'{escape(chunks[index], 24)}')"


def _judge_error(
    report: dict[str, Any], chunks: list[bytes], expected: list[tuple[list[bytes], int]]
) -> Failure | None:
    error = report.get("error")
    if report.get("overflow"):
        calls = report.get("calls", [])
        total = sum(len(frames) for frames, _ in expected)
        return Failure(
            "",
            f"handle was called again and again: more than the {total} frame(s) this stream "
            f"holds (stopped while on_bytes handled {_where(len(calls) - 1, chunks)})",
            chunks=chunks,
        )
    if not error:
        return None
    if report.get("stage") == "load":
        return Failure(
            "", f"Running your cell raised {describe_error(error)}", chunks=chunks, error=error
        )
    index = len(report.get("calls", [])) - 1
    return Failure(
        "",
        f"on_bytes raised {describe_error(error)} when given {_where(index, chunks)}",
        chunks=chunks,
        error=error,
    )


def _judge_frames(
    report: dict[str, Any], chunks: list[bytes], expected: list[tuple[list[bytes], int]]
) -> Failure | None:
    calls = report.get("calls", [])
    for index, (want, _) in enumerate(expected):
        got = calls[index]["frames"] if index < len(calls) else []
        if len(got) == len(want) and all(map(frame_matches, got, want)):
            continue
        return Failure("", _frames_message(index, chunks, want, got), chunks=chunks)
    return None


def _frames_message(
    index: int, chunks: list[bytes], want: list[bytes], got: list[dict[str, Any]]
) -> str:
    where = f"While handling {_where(index, chunks)}, "
    for position, (frame, wanted) in enumerate(zip(got, want, strict=False)):
        if not frame_matches(frame, wanted):
            return (
                where + f"frame {position + 1} of this call should be b'{escape(wanted)}' "
                f"({len(wanted)} bytes), but handle received {_show(frame)}"
            )
    if len(got) < len(want):
        missing = len(want) - len(got)
        return (
            where + f"{len(want)} frame(s) became complete, but handle received "
            f"{len(got)}: {missing} frame(s) missing or late (each frame must reach handle "
            "in the call that completes it)"
        )
    return (
        where + f"{len(want)} frame(s) became complete, but handle received {len(got)}: "
        f"the extra one was {_show(got[len(want)])} (a frame may go to handle only once "
        "all its bytes have arrived)"
    )


def _judge_types(
    report: dict[str, Any], chunks: list[bytes], expected: list[tuple[list[bytes], int]]
) -> Failure | None:
    frames = [frame for call in report.get("calls", []) for frame in call["frames"]]
    for position, frame in enumerate(frames):
        if not is_bytes(frame):
            return Failure(
                "",
                f"Frame {position + 1} reached handle as {_show(frame)}; every frame must be "
                "exactly bytes",
                chunks=chunks,
            )
    if not frames and any(want for want, _ in expected):
        return Failure("", "No frame reached handle, so none could be checked", chunks=chunks)
    return None


def _judge_buffer(
    report: dict[str, Any], chunks: list[bytes], expected: list[tuple[list[bytes], int]]
) -> Failure | None:
    calls = report.get("calls", [])
    for index, (_, tail) in enumerate(expected):
        if index >= len(calls):
            break
        held = calls[index].get("buffer", {})
        if held.get("missing"):
            return Failure(
                "", "Your cell has no module-level name `buffer` after on_bytes runs", chunks=chunks
            )
        if "len" not in held:
            return Failure(
                "",
                f"`buffer` is a {held.get('type', '?')} object; keep the bytes held in a "
                "bytearray (or bytes) named `buffer`, as the lesson does",
                chunks=chunks,
            )
        # The tail, or the tail without its header when the length was read and kept apart.
        if held["len"] != tail and not (tail >= HEADER_SIZE and held["len"] == tail - HEADER_SIZE):
            return Failure(
                "",
                f"After {_where(index, chunks)}, buffer holds {held['len']} bytes; only the "
                f"unfinished tail ({tail} bytes) should be left in it",
                chunks=chunks,
            )
    return None
