"""Lesson 6's socket side (task ``recv_frame``): ``send_all``, ``recv_exactly``, ``recv_frame``.

An implementation is a class whose instances have the three functions as methods, called
as the answer's functions are (``recv_exactly(sock, n)``, ...). ``Sockets`` is the plain
right answer; every misconception changes one decision in it. The simulator hands them a
scripted socket that behaves as the child's peers do (``..simulate``).
"""

from __future__ import annotations

import struct
from typing import Any

from ..misconception import Misconception, Section
from .sections import (
    BYTE_TYPES,
    CUT_MID_FRAME,
    LYING_HEADER,
    PARTIAL_SEND,
    SLOW_COPY,
    SOCKET_EXERCISE,
    TWELVE_BYTES,
)

__all__ = ["RECV_FRAME", "Sockets"]

TASK = "recv_frame"


class Sockets:
    """The right answer: a send loop over a view, gathered reads, the cap before the payload."""

    def send_all(self, sock: Any, data: bytes) -> None:
        view = memoryview(data)
        while view:
            view = view[sock.send(view):]

    def ask(self, n: int, held: int) -> int:
        """How many bytes to ask ``recv()`` for, holding ``held`` of ``n``."""
        return n - held

    def gathered(self, received: bytearray, n: int) -> object:
        """What ``recv_exactly`` returns once it holds at least ``n`` bytes."""
        return bytes(received)

    def at_end(self, received: bytearray, n: int) -> object:
        """What ``recv_exactly`` does when the stream ends holding ``received``."""
        if not received:
            return b""
        raise EOFError(f"the stream ended after {len(received)} of {n} bytes")

    def recv_exactly(self, sock: Any, n: int) -> object:
        received = bytearray()
        while len(received) < n:
            piece = sock.recv(self.ask(n, len(received)))
            if not piece:
                return self.at_end(received, n)
            received += piece
        return self.gathered(received, n)

    def too_large(self, length: int, max_frame_size: int) -> bool:
        return length > max_frame_size

    def ended(self, header: Any) -> bool:
        """Whether ``recv_frame`` takes the header it read for a clean end of the stream."""
        return not header

    def clean_end(self) -> object:
        return None

    def cut_after_header(self, payload: object, length: int) -> object:
        """``recv_frame``'s answer to a payload shorter than the header said."""
        raise EOFError(f"the stream ended after the header of a {length}-byte frame")

    def recv_frame(self, sock: Any, max_frame_size: int = 65536) -> object:
        header = self.recv_exactly(sock, 4)
        if self.ended(header):
            return self.clean_end()
        (length,) = struct.unpack(">I", header)  # a short header raises struct.error
        if self.too_large(length, max_frame_size):
            raise ValueError(f"header announces {length} bytes")
        payload = self.recv_exactly(sock, length)
        if len(payload) < length:  # type: ignore[arg-type]
            return self.cut_after_header(payload, length)
        return payload


class OneRecvShortIsEOF(Sockets):
    """One ``recv()`` per read; fewer bytes than asked for are taken as the end."""

    def recv_exactly(self, sock: Any, n: int) -> object:
        if n == 0:
            return b""
        piece = sock.recv(n)
        if not piece:
            return b""
        if len(piece) < n:
            raise EOFError(f"the stream ended after {len(piece)} of {n} bytes")
        return piece


class OneRecvShortIsWhole(Sockets):
    """One ``recv()`` per read, whatever it returns is the read."""

    def recv_exactly(self, sock: Any, n: int) -> object:
        return sock.recv(n)


class AsksForAll(Sockets):
    """Asks for all ``n`` every time and cuts what came beyond ``n`` off."""

    def ask(self, n: int, held: int) -> int:
        return n

    def gathered(self, received: bytearray, n: int) -> object:
        return bytes(received[:n])


class AsksForABufferful(AsksForAll):
    """Asks for a fixed bufferful (``recv(4096)``) and cuts what came beyond ``n`` off."""

    def ask(self, n: int, held: int) -> int:
        return 4096


class NoSendLoop(Sockets):
    def send_all(self, sock: Any, data: bytes) -> None:
        sock.send(data)


class UsesSendall(Sockets):
    def send_all(self, sock: Any, data: bytes) -> None:
        sock.sendall(data)


class EndIsAlwaysClean(Sockets):
    """At the end of the stream it returns what it holds; short reads mean "no frame"."""

    def at_end(self, received: bytearray, n: int) -> object:
        return bytes(received)

    def ended(self, header: Any) -> bool:
        return len(header) < 4

    def cut_after_header(self, payload: object, length: int) -> object:
        return None


class EndAfterHeaderIsClean(Sockets):
    """``recv_exactly`` is right; ``recv_frame`` returns its ``b""`` after a header."""

    def cut_after_header(self, payload: object, length: int) -> object:
        return payload


class NeverSeesTheEnd(Sockets):
    """``received += sock.recv(...)`` with no test for ``b""``: at the end it spins."""

    def recv_exactly(self, sock: Any, n: int) -> object:
        received = bytearray()
        while len(received) < n:
            received += sock.recv(n - len(received))
        return bytes(received)


class CleanEndIsEmpty(Sockets):
    def clean_end(self) -> object:
        return b""


class CapAfterPayload(Sockets):
    """The cap compared only once the payload is in (or never)."""

    def too_large(self, length: int, max_frame_size: int) -> bool:
        return False

    def recv_frame(self, sock: Any, max_frame_size: int = 65536) -> object:
        payload = super().recv_frame(sock, max_frame_size)
        if isinstance(payload, bytes) and len(payload) > max_frame_size:
            raise ValueError("frame over the cap")
        return payload


class NoCap(CapAfterPayload):
    def recv_frame(self, sock: Any, max_frame_size: int = 65536) -> object:
        return Sockets.recv_frame(self, sock, max_frame_size)


class CapExclusive(Sockets):
    def too_large(self, length: int, max_frame_size: int) -> bool:
        return length >= max_frame_size


class ReturnsBytearray(Sockets):
    def gathered(self, received: bytearray, n: int) -> object:
        return received


def _m(id: str, like: str, effect: str, section: Section, fix: str, impl: object,
       slow: bool | frozenset[str] = False) -> Misconception:
    return Misconception(id, TASK, like, effect, section, fix, impl, slow)


#: The drivers of the socket cost cases: 16 MiB through ``send()``, and through ``recv()``.
_SENDING, _RECEIVING = frozenset({"send"}), frozenset({"recv"})

RECV_FRAME: tuple[Misconception, ...] = (
    _m("short_recv_is_eof", "socket code that calls recv() once per read",
       "a recv() that returns fewer bytes than asked for is taken for the whole read, or for "
       "the end of the stream", TWELVE_BYTES,
       "recv(k) may return any 1 to k bytes: call it in a loop until you hold n bytes; only "
       "b'' means the end.", (OneRecvShortIsEOF, OneRecvShortIsWhole)),
    _m("over_read", "socket code that asks recv() for more than the read still needs",
       "a piece can carry the start of the next frame, and those bytes are cut off and lost",
       SOCKET_EXERCISE, "Ask for n - len(received) bytes: never more than this read still needs.",
       (AsksForAll, AsksForABufferful)),
    _m("no_send_loop", "socket code whose send_all calls send() once",
       "send() takes only what fits, and the rest of the data is never sent", PARTIAL_SEND,
       "send() returns how many bytes it took: loop, sending what is left, until all are out.",
       NoSendLoop),
    _m("uses_sendall", "socket code whose send_all hands the work to sock.sendall()",
       "the exercise's socket has no sendall() (writing that loop is the task), so every "
       "send fails with AttributeError", SOCKET_EXERCISE,
       "Loop on sock.send(): it returns how many bytes it took; send the rest until none is "
       "left.", UsesSendall),
    _m("close_is_always_clean", "socket code that treats every end of stream as clean",
       "a stream cut inside a header or a payload gives None or a short read, not EOFError",
       CUT_MID_FRAME,
       "Only an end before a frame's first byte is clean; anywhere later, raise EOFError.",
       EndIsAlwaysClean),
    _m("eof_after_header_is_clean", "a recv_frame that returns recv_exactly's b'' after a header",
       "a stream that ends right after a complete header gives b'' instead of EOFError",
       SOCKET_EXERCISE,
       "After a header, a payload shorter than announced (b'' too) is a cut frame: raise "
       "EOFError.", EndAfterHeaderIsClean),
    _m("never_sees_the_end", "socket code whose recv_exactly never checks for b''",
       "once the peer closes, recv() returns b'' for ever and the loop never ends", CUT_MID_FRAME,
       "Test each piece: b'' means the stream ended; return b'' or raise EOFError then.",
       NeverSeesTheEnd),
    _m("clean_end_is_empty", "a recv_frame that returns b'' at a clean end",
       "the end of the stream looks like an empty frame instead of None", SOCKET_EXERCISE,
       "Return None when the stream ended before a header; b'' is a real, empty frame.",
       CleanEndIsEmpty),
    _m("reads_payload_before_cap", "a recv_frame that reads the payload before any cap check",
       "a lying header makes it wait for, and buffer, a payload it should have refused",
       LYING_HEADER,
       "Compare the length with max_frame_size right after the header, before reading on.",
       (CapAfterPayload, NoCap)),
    _m("cap_exclusive", "a recv_frame whose cap is off by one (>=)",
       "a frame of exactly max_frame_size bytes is refused", LYING_HEADER,
       "The cap is inclusive: refuse only length > max_frame_size.", CapExclusive),
    _m("returns_bytearray", "socket code whose recv_exactly returns its bytearray",
       "the bytes are right but are bytearray, not bytes", BYTE_TYPES,
       "Return bytes(received).", ReturnsBytearray),
    _m("quadratic_copies", "socket code that copies all its bytes on every call",
       "data = data[sent:] and received = received + piece copy everything so far each time, "
       "so 16 MiB in 1460-byte pieces runs out of time both ways", SLOW_COPY,
       "Slice a memoryview of what is left to send, and gather pieces in a bytearray.",
       Sockets, slow=_SENDING | _RECEIVING),
    _m("send_copies_the_rest", "socket code whose send_all copies what is left on every send()",
       "data = data[sent:] copies the rest each time, so 16 MiB in 1460-byte sends runs out "
       "of time", SLOW_COPY, "Slice a memoryview of the data (no copy), or keep an offset.",
       Sockets, slow=_SENDING),
    _m("recv_rebuilds_bytes", "socket code whose recv_exactly rebuilds its bytes on every recv()",
       "received = received + piece copies everything so far each time, so a 16 MiB frame "
       "in 1460-byte pieces runs out of time", SLOW_COPY,
       "Gather the pieces in a bytearray (received += piece), or in a list joined once.",
       Sockets, slow=_RECEIVING),
)
