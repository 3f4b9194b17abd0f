"""Probes for a function that hands frames to ``handle``: lesson 3's ``on_bytes``, say.

A stream probe delivers chunks, one call each, to a fresh run of the answer and
judges what reached ``handle`` after every call on one aspect: the frames
(values and timing), their type, or what the answer's ``buffer`` still holds.
Expected values come from ``deliveries.expected_calls``, in the grader's process.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from grader import settings
from grader.formatting import escape

from .base import Check, Failure, Probe, case_check
from .deliveries import HEADER_SIZE, Stream, expected_calls
from .reports import (
    describe_error,
    frame_matches,
    is_bytes,
    received_value,
    show_frame,
    type_label,
)

__all__ = ["stream_check", "stream_probe"]


def stream_probe(
    chunks: Sequence[bytes],
    aspect: str,
    *,
    check: str,
    hint: str,
    timeout: float = settings.CASE_TIMEOUT_S,
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
            failure.received = [received_value(f) for f in frames]
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
    timeout: float = settings.CASE_TIMEOUT_S,
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
                f"({len(wanted)} bytes), but handle received {show_frame(frame)}"
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
        f"the extra one was {show_frame(got[len(want)])} (a frame may go to handle only once "
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
                f"Frame {position + 1} reached handle as {show_frame(frame)}; every frame must be "
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
