"""Sockets that behave as the child's peers do, without threads or waiting, for the simulator.

The child's ``recv`` peer sends each piece only once every earlier byte was read, so a
``recv()`` returns bytes of one piece at most, never more than asked for or than ``most``; after
the last piece the peer closes (``recv()`` gives ``b""``) or holds the connection open (the
learner's end times out: ``TimeoutError``). A ``recv(bufsize)`` allocates its buffer first, so
asking for more than the child's address space raises ``MemoryError`` there, and here. The
``send`` socket's ``send()`` takes at most the
next of its sizes and it has no ``sendall``. These replay that script exactly; where the
child's answer would spin or wait for ever, they raise ``Stall`` (the grader saw a timeout).
See ``grader/sandbox/child_sockets.py`` for the real peers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .. import settings
from .misconception import Stall

__all__ = ["ScriptedPeer", "StingySocket"]

#: ``recv()`` calls answered ``b""`` after the end before a loop counts as spinning for ever.
_SPINS = 10_000
#: Bytes the child's reader takes beyond the data before it stops (``child_sockets._SEND_SLACK``).
_SEND_SLACK = 1 << 16


class ScriptedPeer:
    """The learner's end of a socket pair whose peer sends ``pieces`` one at a time."""

    def __init__(self, pieces: Sequence[bytes], most: int | None, hold: bool) -> None:
        self._pieces = [piece for piece in pieces if piece]
        self._index = 0
        self._pos = 0
        self._most = most
        self._hold = hold
        self._spins = 0

    def recv(self, bufsize: int, flags: int = 0) -> bytes:
        if bufsize < 0:
            raise ValueError("negative buffersize in recv")
        if bufsize == 0:
            return b""
        if bufsize >= settings.DEFAULT_MEMORY_LIMIT_BYTES:
            raise MemoryError()  # what a lying header's recv(length) gets in the child
        if self._index == len(self._pieces):
            if self._hold:
                raise TimeoutError("timed out")
            self._spins += 1
            if self._spins > _SPINS:
                raise Stall()
            return b""
        piece = self._pieces[self._index]
        wanted = bufsize if self._most is None else min(bufsize, self._most)
        data = piece[self._pos : self._pos + wanted]
        self._pos += len(data)
        if self._pos == len(piece):
            self._index, self._pos = self._index + 1, 0
        return data

    def recv_into(self, buffer: Any, nbytes: int = 0, flags: int = 0) -> int:
        view = memoryview(buffer).cast("B")
        data = self.recv(nbytes or len(view), flags)
        view[: len(data)] = data
        return len(data)


class StingySocket:
    """A socket whose ``send()`` accepts at most the next of ``sizes`` bytes; no ``sendall``."""

    def __init__(self, sizes: Sequence[int], data_size: int) -> None:
        self._sizes = list(sizes)
        self._limit = data_size + _SEND_SLACK
        self.calls = 0
        self.received = bytearray()

    def send(self, data: Any, flags: int = 0) -> int:
        most = self._sizes[self.calls % len(self._sizes)]
        self.calls += 1
        taken = memoryview(data).cast("B")[:most]
        if len(self.received) + len(taken) > self._limit:
            raise Stall()  # the child's reader has stopped: such a sender blocks
        self.received += taken
        return len(taken)
