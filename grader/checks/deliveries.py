"""Length-prefixed streams the checks deliver, and what a correct receiver makes of them.

A ``Stream`` is payloads plus the places its encoded bytes are cut: one delivery
that can propose simpler deliveries of itself, so that a failing property-based
case shrinks to the smallest one. ``expected_calls`` is the reference receiver,
the plainest algorithm on purpose, computed in the grader's process; the child
only ever sees the chunks.
"""

from __future__ import annotations

import random
import struct
from collections.abc import Sequence
from dataclasses import dataclass

from framinglib import WORKED_EXAMPLE_MESSAGES, split_at, split_every

__all__ = [
    "HEADER_SIZE",
    "WORKED_EXAMPLE",
    "Stream",
    "encode",
    "expected_calls",
    "random_streams",
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
