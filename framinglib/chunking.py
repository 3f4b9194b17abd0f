"""Ways to cut a byte string into chunks, as a TCP receiver might see it."""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterable, Iterator

from ._bytes import BytesLike, as_bytes

__all__ = ["all_splits", "random_split", "split_at", "split_every", "cuts_of"]

#: ``all_splits`` refuses longer inputs: a 21-byte string has a million splits.
MAX_EXHAUSTIVE_LENGTH = 20


def split_at(data: BytesLike, cuts: Iterable[int]) -> list[bytes]:
    """Cut ``data`` before each position in ``cuts``.

    Positions must lie strictly inside the data (``0 < cut < len(data)``);
    duplicates are ignored and order does not matter. ``split_at(b"abcd", [1, 3])``
    is ``[b"a", b"bc", b"d"]``. Empty data gives no chunks.
    """
    data = as_bytes(data)
    positions = sorted(set(cuts))
    for cut in positions:
        if not 0 < cut < len(data):
            raise ValueError(f"cut {cut} is not inside data of length {len(data)}")
    bounds = [0, *positions, len(data)]
    return [data[a:b] for a, b in itertools.pairwise(bounds) if b > a]


def cuts_of(chunks: Iterable[BytesLike]) -> list[int]:
    """The cut positions that ``split_at`` needs to rebuild ``chunks`` (empty chunks vanish)."""
    positions = []
    total = 0
    for chunk in chunks:
        if total and len(chunk):
            positions.append(total)
        total += len(chunk)
    return positions


def split_every(data: BytesLike, size: int) -> list[bytes]:
    """Cut ``data`` into ``size``-byte pieces (the last may be shorter)."""
    if size < 1:
        raise ValueError(f"size must be at least 1, not {size}")
    data = as_bytes(data)
    return [data[pos : pos + size] for pos in range(0, len(data), size)]


def random_split(data: BytesLike, seed: int | str, chunks: int | None = None) -> list[bytes]:
    """Cut ``data`` at random positions chosen by ``seed`` (same seed, same cuts).

    ``chunks`` fixes how many pieces to make (at most ``len(data)``); by default
    the number of pieces is random too.
    """
    data = as_bytes(data)
    rng = random.Random(seed)
    inner = range(1, len(data))
    if chunks is None:
        count = rng.randint(0, len(inner))
    else:
        if not 1 <= chunks <= max(len(data), 1):
            raise ValueError(f"cannot cut {len(data)} bytes into {chunks} chunks")
        count = chunks - 1
    return split_at(data, rng.sample(inner, count))


def all_splits(data: BytesLike) -> Iterator[list[bytes]]:
    """Every way to cut ``data`` into non-empty chunks: ``2 ** (len(data) - 1)`` of them.

    Refuses data longer than ``MAX_EXHAUSTIVE_LENGTH`` bytes.
    """
    data = as_bytes(data)
    if len(data) > MAX_EXHAUSTIVE_LENGTH:
        raise ValueError(
            f"{len(data)} bytes have {2 ** (len(data) - 1)} splits; "
            f"all_splits takes at most {MAX_EXHAUSTIVE_LENGTH} bytes"
        )
    if not data:
        yield []
        return
    for mask in range(1 << (len(data) - 1)):
        yield split_at(data, [pos + 1 for pos in range(len(data) - 1) if mask >> pos & 1])
