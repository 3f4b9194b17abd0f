"""The unfinished tail a decoder holds between feeds, and how it is copied.

Every length-based decoder (``LengthPrefixDecoder``, ``LengthFieldDecoder``,
``VarintDecoder``) keeps the bytes after its last whole frame and pays for
copying a long tail or frame twice (a slice, then ``bytes`` of it): all three
use ``copy_out``, ``keep_tail`` and ``finish_held``. The two with a fixed-size
header also gather a multi-megabyte frame arriving in small chunks as
``Pieces`` joined once, instead of growing one buffer through many
reallocations (``VarintDecoder`` does not yet). The decoders keep only what
differs between them, how a frame's size is read.
"""

from __future__ import annotations

from collections.abc import Callable

from ._bytes import BytesLike, as_bytes

#: Frames at least this long on the wire are gathered as a list of the chunks that carry
#: them and joined once, instead of growing one buffer: a multi-megabyte frame then
#: costs one copy into fresh memory, not a trail of reallocations.
LARGE_FRAME = 64 * 1024
#: While gathering, chunks shorter than this are packed together (and mutable ones are
#: copied anyway), so a trickle of tiny chunks does not become millions of objects.
PACK_BELOW = 512
PACK_SIZE = 64 * 1024
#: Tails and frames longer than this are copied through a memoryview (one copy);
#: shorter ones by slicing, which is cheaper for a few bytes.
VIEW_ABOVE = 4096


def copy_out(buffer: bytearray, start: int, stop: int) -> bytes:
    """``bytes(buffer[start:stop])``, copied once when it is long."""
    if stop - start < VIEW_ABOVE:
        return bytes(buffer[start:stop])
    with memoryview(buffer) as view:
        return view[start:stop].tobytes()


def keep_tail(buffer: bytearray, data: bytes, pos: int) -> None:
    """Append ``data[pos:]`` to ``buffer``, through a view when the tail is long."""
    buffer += memoryview(data)[pos:] if len(data) - pos > VIEW_ABOVE else data[pos:]


def finish_held(
    buffer: bytearray, data: BytesLike, start: int, stop: int,
    split: Callable[[bytes, int, list[bytes]], None],
) -> list[bytes]:
    """The held frame ``buffer[start:stop]`` is whole: return it and every frame after it.

    ``buffer`` ends with all of ``data`` (just appended); what follows the frame is split
    again out of ``data`` itself, by the decoder's own ``split``, which is called with
    nothing held, so the caller resets what it waits for first.
    """
    frames = [copy_out(buffer, start, stop)]
    rest = len(buffer) - stop
    buffer.clear()
    if rest:
        if type(data) is not bytes:
            data = as_bytes(data)
        split(data, len(data) - rest, frames)
    return frames


class Pieces:
    """A large frame's bytes so far, held as pieces and joined once it is whole.

    ``need`` is how many bytes the frame holds in all (counted from the first
    piece); ``have`` how many have arrived.
    """

    __slots__ = ("have", "need", "parts")

    def __init__(self, first: BytesLike, need: int) -> None:
        self.parts: list[BytesLike] = [first]
        self.have = len(first)
        self.need = need

    def add(self, data: bytes) -> int:
        """Add a chunk; return how many of its bytes run past the frame, or -1 if unfinished."""
        parts = self.parts
        if len(data) < PACK_BELOW:
            last = parts[-1]
            if type(last) is bytearray and len(last) < PACK_SIZE:
                last += data
            else:
                parts.append(bytearray(data))
        else:
            parts.append(data)
        self.have += len(data)
        return self.have - self.need if self.have >= self.need else -1

    def join(self, overflow: int, strip: int = 0) -> bytes:
        """The whole frame, less its first ``strip`` bytes and the ``overflow`` past its end."""
        parts = self.parts
        if overflow:
            last = parts[-1]
            parts[-1] = memoryview(last)[: len(last) - overflow]
        if not strip:
            return b"".join(parts)
        if strip <= len(parts[0]):
            parts[0] = memoryview(parts[0])[strip:]
            return b"".join(parts)
        return b"".join(parts)[strip:]  # more to strip than the first piece holds: one more copy

    def held(self) -> bytes:
        """Every byte gathered so far, joined (for errors and ``close``)."""
        return b"".join(self.parts)
