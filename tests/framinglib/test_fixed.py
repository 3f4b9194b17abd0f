"""FixedSizeDecoder: any chunking, partial frames, bad input."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from framinglib import FixedSizeDecoder, IncompleteFrameError, split_at, split_every


@given(
    st.integers(1, 9),
    st.binary(max_size=120),
    st.data(),
    st.sampled_from([bytes, bytearray, memoryview]),
)
def test_any_chunking_gives_every_whole_frame_as_soon_as_it_is_whole(size, stream, data, kind):
    cuts = data.draw(st.sets(st.integers(1, max(1, len(stream) - 1)), max_size=25))
    chunks = split_at(stream, [c for c in cuts if c < len(stream)])
    decoder = FixedSizeDecoder(size)
    received: list[bytes] = []
    fed = 0
    for chunk in chunks:
        out = decoder.feed(kind(chunk))
        assert all(type(frame) is bytes for frame in out)
        received += out
        fed += len(chunk)
        whole = fed - fed % size
        assert received == [stream[p : p + size] for p in range(0, whole, size)]
        assert decoder.buffered == fed % size
    if len(stream) % size:
        with pytest.raises(IncompleteFrameError) as caught:
            decoder.close()
        assert caught.value.partial == stream[len(stream) - len(stream) % size :]
        assert caught.value.expected == size
        assert f"{len(stream) % size} of {size} bytes" in str(caught.value)
    else:
        decoder.close()


def test_byte_by_byte_and_whole():
    stream = bytes(range(100))
    decoder = FixedSizeDecoder(7)
    received = [frame for byte in split_every(stream, 1) for frame in decoder.feed(byte)]
    assert received == FixedSizeDecoder(7).feed(stream) == split_every(stream[:98], 7)


def test_held_bytes_survive_the_caller_reusing_its_buffer():
    decoder = FixedSizeDecoder(4)
    chunk = bytearray(b"ab")
    decoder.feed(chunk)
    chunk[:] = b"XY"
    assert decoder.feed(b"cd") == [b"abcd"]


@pytest.mark.parametrize("size, error", [(0, ValueError), (-3, ValueError), (2.0, TypeError),
                                          (True, TypeError), ("4", TypeError)])
def test_bad_size(size, error):
    with pytest.raises(error, match="size"):
        FixedSizeDecoder(size)


@pytest.mark.parametrize("bad", [5, "text", None])
def test_feed_rejects_what_is_not_bytes_like(bad):
    for held in (b"", b"ab"):
        decoder = FixedSizeDecoder(4)
        decoder.feed(held)
        with pytest.raises(TypeError):
            decoder.feed(bad)
        assert decoder.buffered == len(held)
