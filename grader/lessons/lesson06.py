"""Lesson 6 (``notebooks/06-complete-decoder``): two tasks.

- ``FrameDecoder``: lesson 5's checks (linear time among them, from
  ``grader.checks.real_streams``) plus ``buffered``, bytes-like input and the frames completed
  before a bad header kept on the error (``error.frames``), so that lesson 5's ``SafeDecoder``
  pasted in does not earn full marks;
- ``recv_frame``: the socket side (``send_all``, ``recv_exactly``, ``recv_frame``), run in
  the child against a real socket pair whose peer sends adversarial pieces, closes
  mid-frame or holds the connection open, and through a ``send()`` that takes a few bytes.
"""

from __future__ import annotations

import random
from typing import Any

from framinglib import split_at, split_every
from grader.checks.base import Check, Failure, Probe
from grader.checks.cuttings import cuttings
from grader.checks.decoders import REUSED, Feeds
from grader.checks.deliveries import WORKED_EXAMPLE, encode
from grader.checks.real_streams import SEGMENT
from grader.checks.reports import describe_error, frame_matches, show_frame
from grader.checks.socket_probes import Expected, recv_probe, send_probe
from grader.formatting import escape

from .lesson05 import decoder_checks, decoder_class
from .task import Task

__all__ = ["CHECKS", "LESSON", "SOCKET_CHECKS", "TASKS"]

LESSON = "06-complete-decoder"
TITLE = "Lesson 6"
CLASS = "FrameDecoder"

_DECODER = decoder_class(CLASS)

_BUFFERED_HINT = (
    f"{TITLE}: buffered is the number of bytes held for frames still to come: the unfinished "
    "tail only (0 when a feed ends exactly at a frame's end), never bytes already handed back."
)


def _buffered(seed: str) -> list[Feeds]:
    deliveries = (
        split_every(WORKED_EXAMPLE, 1),
        split_every(WORKED_EXAMPLE, 5),
        [WORKED_EXAMPLE],
        [encode([b"w" * 500])[:300]],
    )
    return [Feeds(tuple(chunks), watch="buffered") for chunks in deliveries]


_BYTES_LIKE_HINT = (
    f"{TITLE}: feed must accept bytes, bytearray and memoryview alike; copy what you keep "
    "(the caller may reuse its buffer) and hand back bytes."
)


def _accepts_bytes_like(seed: str) -> list[Feeds]:
    return [
        Feeds(tuple(chunks), as_type=as_type)
        for as_type in ("bytearray", "memoryview", REUSED)
        for chunks in ([WORKED_EXAMPLE], split_every(WORKED_EXAMPLE, 3))
    ]


_KEEPS_HINT = (
    f"{TITLE}: when one feed call completes frames and then meets a header over the limit, "
    "hand those frames over on the error: error = ValueError(...); error.frames = frames; "
    "raise error. They are the peer's last good messages."
)


def _keeps_frames_on_error(seed: str) -> list[Probe]:
    bad = (6).to_bytes(4, "big")  # one more than max_frame_size=5
    first = _framed(b"a")
    cases = [
        ([_framed(b"a", b"bb") + bad], [b"a", b"bb"]),
        ([bad], []),
        ([first[:3], first[3:] + _framed(b"zz") + bad], [b"a", b"zz"]),
    ]
    return [_keeps_probe(chunks, kept) for chunks, kept in cases]


def _keeps_probe(chunks: list[bytes], kept: list[bytes]) -> Probe:
    ops = [["feed", chunk.hex(), "bytes"] for chunk in chunks]
    payload = {"driver": "object", "class": CLASS, "kwargs": {"max_frame_size": 5}, "ops": ops}
    shown = " then ".join(f"b'{escape(c)}'" for c in chunks)

    def judge(report: dict[str, Any]) -> Failure | None:
        what = f"FrameDecoder(max_frame_size=5) fed {shown}"
        error = report.get("error")
        if error is None or error.get("kind") != "ValueError":
            problem = f"raised {describe_error(error)}" if error else "raised nothing"
            return Failure("keeps_frames_on_error", f"{what}: the last feed {problem}; it "
                           "should raise ValueError", _KEEPS_HINT, chunks=chunks, error=error)
        carried = report.get("error_frames") or {}
        items = carried.get("items")
        if items is not None and len(items) == len(kept) and all(
            frame_matches(item, want) for item, want in zip(items, kept, strict=True)
        ):
            return None
        if carried.get("missing"):
            got = "has no frames attribute"
        elif items is None:
            got = f"has frames = {show_frame(carried)}, not a list"
        else:
            got = f"has frames = [{', '.join(show_frame(item) for item in items)}]"
        expected = "[" + ", ".join(f"b'{escape(k)}'" for k in kept) + "]"
        return Failure("keeps_frames_on_error", f"{what}: the ValueError {got}; it should "
                       f"carry error.frames == {expected}", _KEEPS_HINT, chunks=chunks,
                       expected=kept)

    return Probe(payload, judge, (sum(map(len, chunks)), len(chunks)))


CHECKS: tuple[Check, ...] = (
    *decoder_checks(CLASS, TITLE),
    _DECODER.check("buffered", 1, "buffered counts the bytes held", _BUFFERED_HINT, _buffered),
    _DECODER.check(
        "accepts_bytes_like",
        1,
        "feed accepts bytearray and memoryview, and copies what it keeps",
        _BYTES_LIKE_HINT,
        _accepts_bytes_like,
    ),
    Check(
        "keeps_frames_on_error",
        2,
        "frames completed before a bad header ride on the ValueError as error.frames",
        _KEEPS_HINT,
        _keeps_frames_on_error,
    ),
)

# ----------------------------------------------------------------- recv_frame: the socket side

SOCKET_TASK = "recv_frame"
#: The socket side's linear-time checks: this many bytes through 1460-byte send()/recv() calls.
SOCKET_LINEAR_SIZE = 16 << 20


def _framed(*payloads: bytes) -> bytes:
    return b"".join(len(p).to_bytes(4, "big") + p for p in payloads)


_SEND_PARTIAL_HINT = (
    f"{TITLE}: send() returns how many bytes it took, which may be fewer than it was given. "
    "Loop: send what is left until every byte is out. The grader's socket has no sendall(); "
    "writing that loop is the exercise."
)


def _send_partial(seed: str) -> list[Probe]:
    rng = random.Random(f"{seed}-send")
    cases = [
        (b"hello, partial sends", [3]),
        (b"x" * 50, [1]),
        (rng.randbytes(1000), [5, 1, 2]),
        (rng.randbytes(200_000), [65536]),
        (b"", [3]),
    ]
    return [send_probe(data, sizes, check="send_all_partial", hint=_SEND_PARTIAL_HINT)
            for data, sizes in cases]


_SEND_LINEAR_HINT = (
    f"{TITLE}: slicing bytes copies them: data = data[sent:] copies everything still to send "
    "on every send(), which is quadratic for big data. Slice a memoryview of the data (no "
    "copy), or keep an offset into it."
)


def _send_linear(seed: str) -> list[Probe]:
    return [send_probe((0x2A, SOCKET_LINEAR_SIZE), [SEGMENT], check="send_all_linear",
                       hint=_SEND_LINEAR_HINT, timeout=4.0)]


_RECV_EXACTLY_HINT = (
    f"{TITLE}: recv(k) may return fewer than k bytes, even one, long before the stream ends. "
    "Keep calling recv() until you hold n bytes; only b'' means the end of the stream. Return "
    "b'' if it ended before the first byte, raise EOFError if it ended later, and return bytes."
)


def _recv_exactly_cases(seed: str) -> list[Probe]:
    text = b"hello world"
    cases: list[tuple[list[bytes], list[list[int]], list[Expected], int | None]] = [
        ([b"ab", b"cde", b"fg"], [[5], [2], [3]], [b"abcde", b"fg", b""], None),
        ([text[i : i + 1] for i in range(len(text))], [[11], [1]], [text, b""], None),
        ([text], [[11], [1]], [text, b""], 2),
        ([b"abc"], [[5]], ["EOFError"], None),
        ([b"abc", b"de"], [[3], [3]], [b"abc", "EOFError"], None),
        ([], [[4]], [b""], None),
        ([b"xyz"], [[0], [3], [1]], [b"", b"xyz", b""], None),
    ]
    return [recv_probe("recv_exactly", pieces, calls, expected, check="recv_exactly_pieces",
                       hint=_RECV_EXACTLY_HINT, most=most)
            for pieces, calls, expected, most in cases]


_RECV_FRAME_HINT = (
    f"{TITLE}: read exactly 4 header bytes, then exactly the announced number (recv_exactly "
    "does both), however the stream was cut; an empty payload is b''. Return bytes, and None "
    "once the stream has ended cleanly."
)


def _frame_streams(seed: str) -> list[tuple[list[bytes], list[bytes]]]:
    """(payloads, pieces): small streams cut every way, and a seeded few of a longer one."""
    found = []
    for payloads in ([b"hi"], [b"", b"ok"], [b"hello", b"", b"ping"]):
        wire = _framed(*payloads)
        for pieces in cuttings(wire, 1) + [split_every(wire, 3)]:
            found.append((list(payloads), pieces))
    rng = random.Random(f"{seed}-frames")
    payloads = [rng.randbytes(rng.randrange(0, 300)) for _ in range(6)]
    wire = _framed(*payloads)
    for _ in range(4):
        cuts = sorted(rng.sample(range(1, len(wire)), 8))
        found.append((payloads, split_at(wire, cuts)))
    found.append((payloads, split_every(wire, 7)))
    return found


def _recv_frame_frames(seed: str) -> list[Probe]:
    return [
        recv_probe("recv_frame", pieces, [[]] * (len(payloads) + 1), [*payloads, None],
                   check="recv_frame_frames", hint=_RECV_FRAME_HINT)
        for payloads, pieces in _frame_streams(seed)
    ]


_ASKS_HINT = (
    f"{TITLE}: ask recv() for at most the bytes this read still needs (n minus what you hold). "
    "A bigger request can take the start of the next frame with it, and those bytes are then "
    "lost or misread."
)


def _asks_only_what_it_needs(seed: str) -> list[Probe]:
    frame = _framed(b"abcde")
    cases = [
        ([frame[:6], frame[6:] + _framed(b"next")], [b"abcde", b"next"]),
        ([b"\x00\x00", b"\x00\x03abc" + _framed(b"zz")], [b"abc", b"zz"]),
    ]
    probes = [
        recv_probe("recv_frame", pieces, [[]] * (len(want) + 1), [*want, None],
                   check="asks_only_what_it_needs", hint=_ASKS_HINT, exact_type=False)
        for pieces, want in cases
    ]
    probes.append(recv_probe("recv_exactly", [b"ab", b"cdefg"], [[5], [2]], [b"abcde", b"fg"],
                             check="asks_only_what_it_needs", hint=_ASKS_HINT, exact_type=False))
    return probes


_CLEAN_CLOSE_HINT = (
    f"{TITLE}: only an end of stream before a header's first byte is clean (return None). An "
    "end inside the header, right after it, or inside the payload cuts a frame short: raise "
    "EOFError. A b'' from recv_exactly after a complete header is such a cut, not a frame."
)


def _clean_close_vs_cut(seed: str) -> list[Probe]:
    frame = _framed(b"hello")
    cases: list[tuple[list[bytes], list[Expected]]] = [
        ([], [None]),
        ([_framed(b"hi")], [b"hi", None]),
        ([b"\x00"], ["EOFError"]),
        ([b"\x00\x00\x00"], ["EOFError"]),
        ([frame[:4]], ["EOFError"]),
        ([frame[:6]], ["EOFError"]),
        ([_framed(b"hi"), frame[:4]], [b"hi", "EOFError"]),
    ]
    return [
        recv_probe("recv_frame", pieces, [[]] * len(want), want, check="clean_close_vs_cut",
                   hint=_CLEAN_CLOSE_HINT, exact_type=False)
        for pieces, want in cases
    ]


_FAIL_FAST_HINT = (
    f"{TITLE}: compare the announced length with max_frame_size as soon as the header is in, "
    "before reading any payload: a lying header must not make you wait for, or buffer, "
    "gigabytes. The limit is inclusive."
)


def _fail_fast_cap(seed: str) -> list[Probe]:
    cases: list[tuple[list[bytes], list[list[int]], list[Expected], bool]] = [
        ([b"\x00\x00\x01\x00"], [[255]], ["ValueError"], True),
        ([b"\xff\xff\xff\xff"], [[]], ["ValueError"], True),
        ([b"GET / HTTP/1.1\r\n"], [[]], ["ValueError"], True),
        ([_framed(bytes(255))], [[255], [255]], [bytes(255), None], False),
    ]
    return [
        recv_probe("recv_frame", pieces, calls, want, check="fail_fast_cap",
                   hint=_FAIL_FAST_HINT, hold=hold, exact_type=False)
        for pieces, calls, want, hold in cases
    ]


_RECV_LINEAR_HINT = (
    f"{TITLE}: collect what recv() returns in a bytearray (or a list joined once at the end), "
    "not with received = received + piece, which copies everything so far on every recv()."
)


def _recv_linear(seed: str) -> list[Probe]:
    size = SOCKET_LINEAR_SIZE
    header = size.to_bytes(4, "big")
    payload = bytes([0x2A]) * size
    return [
        recv_probe("recv_frame", [header + payload], [[size], [size]], [payload, None],
                   check="recv_linear", hint=_RECV_LINEAR_HINT, most=SEGMENT,
                   exact_type=False, wire=[[header.hex(), [0x2A, size]]], timeout=4.0)
    ]


SOCKET_CHECKS: tuple[Check, ...] = (
    Check("send_all_partial", 2, "send_all loops until a stingy send() took every byte",
          _SEND_PARTIAL_HINT, _send_partial),
    Check("send_all_linear", 1, "16 MiB through 1460-byte send() calls finishes quickly",
          _SEND_LINEAR_HINT, _send_linear),
    Check("recv_exactly_pieces", 2, "recv_exactly gathers exactly n bytes from any pieces",
          _RECV_EXACTLY_HINT, _recv_exactly_cases),
    Check("recv_frame_frames", 2, "recv_frame returns every frame of a stream cut anywhere",
          _RECV_FRAME_HINT, _recv_frame_frames),
    Check("asks_only_what_it_needs", 1, "recv() is never asked for bytes of the next frame",
          _ASKS_HINT, _asks_only_what_it_needs),
    Check("clean_close_vs_cut", 2, "None at a clean end, EOFError for a frame cut short",
          _CLEAN_CLOSE_HINT, _clean_close_vs_cut),
    Check("fail_fast_cap", 1, "a header over the cap is refused before any payload is read",
          _FAIL_FAST_HINT, _fail_fast_cap),
    Check("recv_linear", 1, "a 16 MiB frame through 1460-byte recv() calls finishes quickly",
          _RECV_LINEAR_HINT, _recv_linear),
)


TASKS = (Task(CLASS, LESSON, 15, CHECKS), Task(SOCKET_TASK, LESSON, 12, SOCKET_CHECKS))
