"""The blocking socket adapters over real loopback TCP connections.

Every socket has a timeout and every thread is joined with one, so a broken
adapter fails a test instead of hanging the suite.
"""

from __future__ import annotations

import random
import socket
import struct
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

from framinglib import FrameTooLargeError, IncompleteFrameError, encode_length_prefixed
from framinglib.sockets import iter_frames, send_frame

TIMEOUT = 10.0

pytestmark = pytest.mark.timeout(60)


@contextmanager
def tcp_pair() -> Iterator[tuple[socket.socket, socket.socket]]:
    """A connected (sender, receiver) pair over 127.0.0.1, both with timeouts."""
    with socket.create_server(("127.0.0.1", 0)) as server:
        server.settimeout(TIMEOUT)
        sender = socket.create_connection(server.getsockname(), timeout=TIMEOUT)
        receiver, _ = server.accept()
    receiver.settimeout(TIMEOUT)
    with sender, receiver:
        yield sender, receiver


def in_thread(work: Callable[[], None]) -> Callable[[], None]:
    """Run ``work`` in a thread; return a function that joins it and re-raises its error."""
    errors: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as error:  # handed to the test's thread below
            errors.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()

    def join() -> None:
        thread.join(TIMEOUT)
        assert not thread.is_alive(), "the sending thread did not finish"
        if errors:
            raise errors[0]

    return join


def test_many_frames_then_a_clean_close():
    rng = random.Random(7)
    payloads = [rng.randbytes(rng.randint(0, 300)) for _ in range(3000)]
    with tcp_pair() as (sender, receiver):

        def send_all() -> None:
            for payload in payloads:
                send_frame(sender, payload)
            sender.shutdown(socket.SHUT_WR)

        join = in_thread(send_all)
        assert list(iter_frames(receiver)) == payloads
        join()


@pytest.mark.parametrize("header_size, byteorder", [(2, "little"), (8, "big")])
def test_header_formats(header_size, byteorder):
    payloads = [b"", b"x" * 1000, b"yz"]
    with tcp_pair() as (sender, receiver):
        for payload in payloads:
            send_frame(sender, payload, header_size, byteorder)
        sender.shutdown(socket.SHUT_WR)
        assert list(iter_frames(receiver, header_size, byteorder)) == payloads


def test_a_large_frame():
    big = random.Random(1).randbytes(3 * 1024 * 1024)
    with tcp_pair() as (sender, receiver):

        def send_all() -> None:
            send_frame(sender, memoryview(big))
            send_frame(sender, b"after")
            sender.shutdown(socket.SHUT_WR)

        join = in_thread(send_all)
        assert list(iter_frames(receiver, recv_size=4096)) == [big, b"after"]
        join()


@pytest.mark.parametrize("cut", [2, 4, 9])
def test_close_in_mid_frame_raises_with_what_arrived(cut):
    stream = encode_length_prefixed(b"whole") + encode_length_prefixed(b"unfinished")
    partial = stream[: len(encode_length_prefixed(b"whole")) + cut]
    with tcp_pair() as (sender, receiver):
        sender.sendall(partial)
        sender.shutdown(socket.SHUT_WR)
        frames = iter_frames(receiver)
        assert next(frames) == b"whole"
        with pytest.raises(IncompleteFrameError) as caught:
            next(frames)
    assert caught.value.partial == partial[len(encode_length_prefixed(b"whole")) :]


def test_refused_header_comes_after_the_frames_before_it():
    with tcp_pair() as (sender, receiver):
        sender.sendall(encode_length_prefixed(b"ok") + struct.pack(">I", 1_000_000) + b"x")
        sender.shutdown(socket.SHUT_WR)
        received = []
        with pytest.raises(FrameTooLargeError, match="announces 1000000 bytes"):
            for frame in iter_frames(receiver, max_frame_size=1000):
                received.append(frame)
    assert received == [b"ok"]


def test_a_silent_peer_times_out_instead_of_hanging():
    with tcp_pair() as (sender, receiver):
        receiver.settimeout(0.2)
        sender.sendall(b"\x00\x00")
        with pytest.raises(TimeoutError):
            list(iter_frames(receiver))


def test_send_frame_sends_everything_when_send_writes_only_part():
    # A tiny send buffer and a sending timeout make each send() write only part of what
    # it is given (send on a socket with a timeout is one non-blocking write). A lone
    # send would leave most of the frame unsent; the reader would then time out.
    payload = random.Random(2).randbytes(2 * 1024 * 1024)
    left, right = socket.socketpair()
    with left, right:
        left.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
        right.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        left.settimeout(TIMEOUT)
        right.settimeout(TIMEOUT)
        assert left.send(payload) < len(payload), "the set-up should force partial sends"
        # Start over on a fresh pair: the probe above put part of a payload on the wire.
    left, right = socket.socketpair()
    with left, right:
        left.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
        right.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        left.settimeout(TIMEOUT)
        right.settimeout(TIMEOUT)
        received: list[bytes] = []

        def read_all() -> None:
            received.extend(iter_frames(right, recv_size=1000))

        join = in_thread(read_all)
        send_frame(left, payload)
        send_frame(left, b"x" * 100)  # small frames take the header-glued path
        left.shutdown(socket.SHUT_WR)
        join()
    assert received == [payload, b"x" * 100]


def test_send_frame_refuses_what_the_header_cannot_describe():
    with tcp_pair() as (sender, _):
        with pytest.raises(FrameTooLargeError):
            send_frame(sender, b"a" * 256, header_size=1)
        with pytest.raises(TypeError):
            send_frame(sender, "text")  # type: ignore[arg-type]


def test_a_zero_recv_size_is_refused_not_taken_for_a_close():
    with tcp_pair() as (_, receiver):
        with pytest.raises(ValueError, match="recv_size"):
            next(iter_frames(receiver, recv_size=0))
