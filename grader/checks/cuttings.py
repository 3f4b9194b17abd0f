"""Deliveries of a byte string as chunks: the systematic cuttings cases use, and shrinking.

A check's cases are often "this data, cut every way up to N times". ``cuttings``
makes those lists. ``Chunks`` is one delivery of arbitrary bytes (lines, say) that
can propose simpler deliveries, the way ``deliveries.Stream`` does for length-prefixed
streams, so that a failing property-based case shrinks to the smallest one.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Protocol

from framinglib import split_at, split_every

__all__ = ["Chunks", "Delivery", "cuttings"]


class Delivery(Protocol):
    """Chunks that can propose simpler variants of themselves (``Stream``, ``Chunks``)."""

    @property
    def chunks(self) -> list[bytes]: ...

    def size(self) -> tuple[int, ...]: ...

    def smaller(self) -> list[Delivery]: ...


def cuttings(data: bytes, most_cuts: int) -> list[list[bytes]]:
    """``data`` whole, byte by byte, and cut in every way with 1 to ``most_cuts`` cuts."""
    inner = range(1, len(data))
    found = [[data], split_every(data, 1)]
    for count in range(1, most_cuts + 1):
        found += [split_at(data, cuts) for cuts in itertools.combinations(inner, count)]
    return found


@dataclass(frozen=True)
class Chunks:
    """One delivery of arbitrary bytes; smaller ones drop, merge or shorten a chunk."""

    pieces: tuple[bytes, ...]

    @property
    def chunks(self) -> list[bytes]:
        return list(self.pieces)

    def size(self) -> tuple[int, ...]:
        """Smaller is simpler: fewer chunks, then fewer bytes."""
        return (len(self.pieces), sum(map(len, self.pieces)))

    def smaller(self) -> list[Chunks]:
        items = list(self.pieces)
        variants: list[list[bytes]] = []
        for index in range(len(items)):
            variants.append(items[:index] + items[index + 1 :])
        for index in range(len(items) - 1):
            variants.append(items[:index] + [items[index] + items[index + 1]] + items[index + 2 :])
        for index, chunk in enumerate(items):
            step = len(chunk) // 2
            while step:
                variants.append(items[:index] + [chunk[: len(chunk) - step]] + items[index + 1 :])
                step //= 2
        return [Chunks(tuple(c for c in variant if c)) for variant in variants if any(variant)]
