"""The asyncio adapters over real loopback TCP connections, every wait bounded."""

from __future__ import annotations

import asyncio
import random
import struct
from collections.abc import Awaitable, Callable

import pytest

from framinglib import FrameTooLargeError, IncompleteFrameError, encode_length_prefixed
from framinglib.aio import iter_frames, read_frame, write_frame

TIMEOUT = 10.0

pytestmark = pytest.mark.timeout(60)

Sender = Callable[[asyncio.StreamWriter], Awaitable[None]]
Receiver = Callable[[asyncio.StreamReader], Awaitable[object]]


def over_loopback(send: Sender, receive: Receiver) -> object:
    """Serve ``send`` on 127.0.0.1, connect, run ``receive`` on the client's reader."""

    async def main() -> object:
        async def serve(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            try:
                await send(writer)
            finally:
                writer.close()

        server = await asyncio.start_server(serve, "127.0.0.1", 0)
        async with server:
            host, port = server.sockets[0].getsockname()[:2]
            reader, writer = await asyncio.open_connection(host, port)
            try:
                return await receive(reader)
            finally:
                writer.close()

    return asyncio.run(asyncio.wait_for(main(), TIMEOUT))


async def read_all(reader: asyncio.StreamReader, **options) -> list[bytes]:
    frames = []
    while (frame := await read_frame(reader, **options)) is not None:
        frames.append(frame)
    return frames


async def collect(reader: asyncio.StreamReader, **options) -> list[bytes]:
    return [frame async for frame in iter_frames(reader, **options)]


PAYLOADS = [random.Random(3).randbytes(n) for n in (0, 1, 5, 300, 70_000, 2)] * 50


def writing(*payloads: bytes, **options) -> Sender:
    async def send(writer: asyncio.StreamWriter) -> None:
        for payload in payloads:
            await write_frame(writer, payload, **options)

    return send


def raw(data: bytes) -> Sender:
    async def send(writer: asyncio.StreamWriter) -> None:
        writer.write(data)
        await writer.drain()

    return send


@pytest.mark.parametrize("receive", [read_all, collect])
def test_many_frames_then_a_clean_end(receive):
    assert over_loopback(writing(*PAYLOADS), receive) == PAYLOADS


@pytest.mark.parametrize("receive", [read_all, collect])
def test_a_large_frame(receive):
    big = random.Random(4).randbytes(3 * 1024 * 1024)
    assert over_loopback(writing(big, b"after"), receive) == [big, b"after"]


@pytest.mark.parametrize("header_size, byteorder", [(1, "big"), (2, "little"), (8, "little")])
def test_header_formats(header_size, byteorder):
    options = {"header_size": header_size, "byteorder": byteorder}
    payloads = [b"", b"abc", b"z" * 255]

    async def both(reader: asyncio.StreamReader) -> list[bytes]:
        first = await read_frame(reader, **options)
        return [first, *await collect(reader, **options)]

    assert over_loopback(writing(*payloads, **options), both) == payloads


@pytest.mark.parametrize("receive", [read_all, collect])
@pytest.mark.parametrize("cut", [1, 4, 7])
def test_end_in_mid_frame_raises_with_what_arrived(receive, cut):
    whole = encode_length_prefixed(b"whole")
    partial = encode_length_prefixed(b"unfinished")[:cut]
    with pytest.raises(IncompleteFrameError) as caught:
        over_loopback(raw(whole + partial), receive)
    assert caught.value.partial == partial
    assert caught.value.expected == (None if cut < 4 else 14)


@pytest.mark.parametrize("receive", [read_all, collect])
def test_refused_header(receive):
    stream = encode_length_prefixed(b"ok") + struct.pack(">I", 5000) + b"no"
    received: list[bytes] = []

    async def keep(reader: asyncio.StreamReader) -> None:
        if receive is read_all:
            while (frame := await read_frame(reader, max_frame_size=4999)) is not None:
                received.append(frame)
        else:
            async for frame in iter_frames(reader, max_frame_size=4999):
                received.append(frame)

    with pytest.raises(FrameTooLargeError, match="announces 5000 bytes; max_frame_size is 4999"):
        over_loopback(raw(stream), keep)
    assert received == [b"ok"]


def test_read_frame_refuses_bad_header_formats():
    async def bad(reader: asyncio.StreamReader) -> object:
        return await read_frame(reader, header_size=3)

    with pytest.raises(ValueError, match="header_size"):
        over_loopback(raw(b"\x00\x00\x01a"), bad)


class RecordingWriter:
    """Stands in for a StreamWriter: keeps what is written."""

    def __init__(self) -> None:
        self.written: list[bytes] = []

    def write(self, data: bytes) -> None:
        self.written.append(bytes(data))

    async def drain(self) -> None:
        pass


def test_write_frame_refuses_what_the_header_cannot_describe_and_writes_nothing():
    writer = RecordingWriter()
    with pytest.raises(FrameTooLargeError, match="256 bytes"):
        asyncio.run(write_frame(writer, b"a" * 256, header_size=1))  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        asyncio.run(write_frame(writer, "text"))  # type: ignore[arg-type]
    assert writer.written == []
    asyncio.run(write_frame(writer, bytearray(b"a" * 255), header_size=1))  # type: ignore[arg-type]
    assert b"".join(writer.written) == b"\xff" + b"a" * 255


def test_a_zero_read_size_is_refused_not_taken_for_a_close():
    async def zero(reader: asyncio.StreamReader) -> list[bytes]:
        return await collect(reader, read_size=0)

    with pytest.raises(ValueError, match="read_size"):
        over_loopback(raw(encode_length_prefixed(b"x")), zero)
