"""Lesson 7 (``notebooks/07-in-the-wild``): ``BackendReader``, PostgreSQL's server messages.

``BackendReader(max_message_size=1 << 20)``; ``feed(data)`` returns every message the
data completes as a ``(type, body)`` pair of ``bytes`` (a type byte, then a 4-byte
big-endian length that counts itself but not the type); a length under 4, or a body over
``max_message_size`` (inclusive), raises ``ValueError`` in the feed that completes the
length; ``close()`` returns ``None`` when nothing is held and raises ``EOFError`` inside a
message.

The cases are real: two streams a PostgreSQL 15 server sent to a socket client
(``scripts/record_captures.py`` recorded them beside the lesson), cut every way that
matters, plus messages built here for the limits. The expected messages come from
framinglib's ``LengthFieldDecoder``, configured as the lesson teaches.
"""

from __future__ import annotations

import base64
import itertools
import json
import random
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from framinglib import FramingError, LengthFieldDecoder, split_at, split_every
from grader.checks.base import Check, gated
from grader.checks.decoders import DecoderClass, Expect, Feeds, Op
from grader.settings import DEFAULT_SOURCE_DIR

from .task import Task

__all__ = ["CHECKS", "DEFAULT_LIMIT", "LESSON", "TASKS", "capture", "messages", "reference"]

LESSON = "07-in-the-wild"
TITLE = "Lesson 7"
CLASS = "BackendReader"
DEFAULT_LIMIT = 1 << 20
CLOSE = (Op("close"),)
#: The recorded server streams: the lesson's own (login and one query) and a longer one
#: (a 70 kB row, a NULL, an error, an empty query, a notice, 40 rows).
CAPTURES = ("postgres", "postgres-grading")
#: The folder beside this module that holds the captures in the learners' wheel.
PACKAGED_CAPTURES = "lesson07_data"


@cache
def capture(name: str) -> bytes:
    """A recorded server-to-client stream, as the server sent it (all its pieces joined)."""
    # The learners' wheel carries the captures beside this module (deploy/learners/
    # build_wheel.py); a checkout reads them from the lesson's own folder.
    packaged = Path(__file__).with_name(PACKAGED_CAPTURES) / f"{name}.json"
    path = packaged if packaged.is_file() else DEFAULT_SOURCE_DIR / LESSON / "data" / f"{name}.json"
    record = json.loads(path.read_text())
    return b"".join(base64.b64decode(piece) for piece in record["writes"])


def messages(stream: bytes) -> list[tuple[bytes, bytes]]:
    """The ``(type, body)`` messages of a whole, well-formed stream (framinglib's reading)."""
    decoder = LengthFieldDecoder(length_field_offset=1, length_adjustment=-4)
    return [(frame[:1], frame[5:]) for frame in decoder.feed(stream)]


def message(kind: bytes, body: bytes) -> bytes:
    """One message as a server writes it."""
    return kind + (4 + len(body)).to_bytes(4, "big") + body


def reference(ops: Sequence[Op], max_message_size: int = DEFAULT_LIMIT) -> list[Expect]:
    """What a correct reader gives for each operation: framinglib's decoder, one feed at a time."""
    decoder = LengthFieldDecoder(length_field_offset=1, length_adjustment=-4,
                                 initial_bytes_to_strip=0, max_frame_size=max_message_size + 5)
    out: list[Expect] = []
    for op in ops:
        if op.action == "feed":
            try:
                frames = decoder.feed(op.data)
            except FramingError:
                return [*out, Expect(raises="ValueError")]
            out.append(Expect.of_pairs([(frame[:1], frame[5:]) for frame in frames]))
        elif op.action == "close":
            if decoder.buffered:
                return [*out, Expect(raises="EOFError")]
            out.append(Expect(none=True))
    return out


def picture_framing(max_message_size: int = DEFAULT_LIMIT) -> dict[str, object]:
    """How a failure's picture draws the stream: the lesson's decoder, messages as pairs."""
    return {"kind": "length_field", "length_field_offset": 1, "length_field_size": 4,
            "length_adjustment": -4, "initial_bytes_to_strip": 0, "byteorder": "big",
            "max_frame_size": max_message_size + 5, "leading": "type",
            "message_parts": ["type", "body"]}


READER = DecoderClass(CLASS, "max_message_size", DEFAULT_LIMIT, reference, header_size=0,
                      framing=picture_framing)


def _message_starts(stream: bytes) -> list[int]:
    starts, pos = [], 0
    for _kind, body in messages(stream):
        starts.append(pos)
        pos += 5 + len(body)
    return starts


# ---------------------------------------------------------------- the checks

_LOGIN_HINT = (
    f"{TITLE}: a message is its type byte, a 4-byte length that counts itself (not the type), "
    "then length - 4 bytes of body; keep what you have until the whole message is there, "
    "and keep looping, since one chunk can complete many messages."
)


def _login_every_cut(seed: str) -> list[Feeds]:
    """The lesson's stream whole, byte by byte, and cut once at every position."""
    stream = capture("postgres")
    deliveries = [[stream], split_every(stream, 1)]
    deliveries += [split_at(stream, [cut]) for cut in range(1, len(stream))]
    return [Feeds(tuple(chunks)) for chunks in deliveries]


_HEADER_HINT = (
    f"{TITLE}: the type and the length can arrive in pieces: wait for all 5 bytes before "
    "reading the length, and read all 4 of its bytes (big-endian)."
)


def _headers_in_pieces(seed: str) -> list[Feeds]:
    """Every cutting with one to three cuts inside the first five bytes of each message."""
    stream = capture("postgres")
    cases = []
    for start in _message_starts(stream)[:8]:
        inside = range(start + 1, start + 5)
        for count in (1, 2, 3):
            for cuts in itertools.combinations(inside, count):
                cases.append(Feeds(tuple(split_at(stream, cuts))))
    return cases


_MANY_HINT = (
    f"{TITLE}: a real server sends a whole query's answer at once: one chunk may hold dozens "
    "of messages, and a single row can be longer than 65,535 bytes (all 4 length bytes count)."
)


def _many_and_large(seed: str) -> list[Feeds]:
    """The longer recording as the server wrote it, whole, in 1460-byte pieces, and cut near
    the 70 kB row's length field."""
    stream = capture("postgres-grading")
    big = next(start for start, (_kind, body) in zip(_message_starts(stream), messages(stream),
                                                    strict=True) if len(body) > 65_535)
    # (Few pieces each: the judge describes every operation up to a failing one.)
    cases = [[stream], split_every(stream, 1460), split_every(stream, 10_000)]
    cases += [split_at(stream, [cut]) for cut in range(big, big + 7)]
    return [Feeds(tuple(c)) for c in cases]


_EMPTY_HINT = (
    f"{TITLE}: a length of exactly 4 is a message with an empty body (EmptyQueryResponse, "
    "ParseComplete): hand it over as (type, b'') at once."
)


def _empty_bodies(seed: str) -> list[Feeds]:
    empties = message(b"I", b"") + message(b"1", b"") + message(b"2", b"") + message(b"Z", b"I")
    return [Feeds(tuple(c)) for c in ([empties], split_every(empties, 1), split_every(empties, 5))]


_IMPOSSIBLE_HINT = (
    f"{TITLE}: the length counts its own 4 bytes, so a length under 4 cannot be right: raise "
    "ValueError in the feed that completes the length (the stream is corrupt)."
)


def _impossible_lengths(seed: str) -> list[Feeds]:
    good = message(b"Z", b"I")
    cases = []
    for length in (0, 1, 3):
        bad = b"D" + length.to_bytes(4, "big")
        cases += [Feeds((bad,)), Feeds((good + bad,)), Feeds((good + bad[:3], bad[3:]))]
    return cases


_LIMIT_HINT = (
    f"{TITLE}: check the body's size (length - 4) against max_message_size as soon as the "
    "length is in, and raise ValueError there, before any of the body arrives; a body of "
    "exactly max_message_size is allowed."
)


def _limits(seed: str) -> list[Feeds]:
    cases = []
    for limit in (0, 1, 100, 70_000):
        exact = message(b"D", b"r" * limit)
        cases += [Feeds((exact,), limit), Feeds(tuple(split_every(exact, 997)), limit)]
        over = b"D" + (limit + 5).to_bytes(4, "big")  # one byte over, the body never sent
        cases += [Feeds((over,), limit), Feeds((message(b"Z", b"I") + over,), limit)]
        if limit:  # one byte under: refused only by a limit that counts the header's bytes
            cases.append(Feeds((message(b"D", b"r" * (limit - 1)),), limit))
    cases.append(Feeds((b"D" + (DEFAULT_LIMIT + 5).to_bytes(4, "big"),)))
    cases.append(Feeds((b"D\xff\xff\xff\xff",)))
    return cases


_CLOSE_HINT = (
    f"{TITLE}: close() marks the end of the stream: return None when nothing is held, and "
    "raise EOFError when the stream stopped inside a message (its bytes would vanish)."
)


def _close(seed: str) -> list[Feeds]:
    stream = capture("postgres")
    cases = [Feeds((), then=CLOSE), Feeds((stream,), then=CLOSE)]
    for cut in (1, 4, 5, 9, len(stream) - 1):
        cases.append(Feeds((stream[:cut],), then=CLOSE))
    return cases


_TYPES_HINT = (
    f"{TITLE}: feed returns a list of (type, body) tuples, both bytes: the type is "
    "buffer[0:1] (a 1-byte bytes), not buffer[0] (an int); convert bytearray slices with bytes()."
)


def _types(seed: str) -> list[Feeds]:
    stream = capture("postgres")
    return [Feeds((stream,)), Feeds(tuple(split_every(stream, 50)))]


_RANDOM_HINT = (
    f"{TITLE}: replay the smallest failing input shown here by hand, one feed at a time."
)


@dataclass(frozen=True)
class Recut:
    """One cutting of a real stream; a simpler one has a cut fewer (the bytes stay real)."""

    stream: bytes
    cuts: tuple[int, ...]

    @property
    def chunks(self) -> list[bytes]:
        return split_at(self.stream, self.cuts)

    def size(self) -> tuple[int, ...]:
        return (len(self.cuts) + 1, len(self.stream))

    def smaller(self) -> list[Recut]:
        return [Recut(self.stream, self.cuts[:i] + self.cuts[i + 1 :])
                for i in range(len(self.cuts))]


def _random_cuttings(seed: str) -> list[Feeds]:
    """Both recordings cut at random places (seeded per student); a failing one is shrunk
    to the fewest cuts that still fail."""
    rng = random.Random(f"{CLASS}/{seed}")
    cases = []
    for name in CAPTURES:
        stream = capture(name)
        for _ in range(15):
            cut = Recut(stream, tuple(sorted(rng.sample(range(1, len(stream)),
                                                        rng.randint(1, 40)))))
            cases.append(Feeds(tuple(cut.chunks), delivery=cut))
    return cases


CHECKS: tuple[Check, ...] = (
    READER.check("real_stream_every_cut", 2,
                 "a real server's login and query, whole, byte by byte and cut at every byte",
                 _LOGIN_HINT, _login_every_cut),
    READER.check("headers_in_pieces", 1,
                 "type and length bytes cut in pieces, in the first 8 messages",
                 _HEADER_HINT, _headers_in_pieces),
    READER.check("many_and_large", 1,
                 "a longer real stream: dozens of messages per chunk, a 70 kB row",
                 _MANY_HINT, _many_and_large),
    READER.check("empty_bodies", 1, "messages whose length is exactly 4 (no body)",
                 _EMPTY_HINT, _empty_bodies),
    READER.check("impossible_length", 1, "a length under 4 raises ValueError at once",
                 _IMPOSSIBLE_HINT, _impossible_lengths),
    READER.check("message_limit", 2,
                 "max_message_size is inclusive and checked before the body arrives",
                 _LIMIT_HINT, _limits),
    READER.check("close", 1, "close() is quiet after whole messages, EOFError inside one",
                 _CLOSE_HINT, _close),
    # Gated, as lesson 5's type check is: a feed that always returns [] has the right types.
    gated(READER.check("returns_pairs", 0.5, "feed returns a list of (bytes, bytes) tuples",
                       _TYPES_HINT, _types, aspect="types"), "real_stream_every_cut"),
    READER.check("random_cuttings", 0.5,
                 "both real streams cut at random (seeded per student)", _RANDOM_HINT,
                 _random_cuttings),
)

TASKS = (Task(CLASS, LESSON, 10, CHECKS),)
