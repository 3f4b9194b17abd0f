"""LengthPrefixDecoder and the encoders, checked against a deliberately naive model."""

from __future__ import annotations

import doctest
import importlib
import tracemalloc

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from framinglib import (
    FrameTooLargeError,
    FramingError,
    IncompleteFrameError,
    LengthPrefixDecoder,
    encode_header,
    encode_length_prefixed,
    split_at,
    split_every,
)

HEADER_SIZES = (1, 2, 4, 8)
BYTEORDERS = ("big", "little")
# Above framinglib's internal threshold for gathering a frame as a list of pieces.
LARGE = 70_000


def completed_frames(stream: bytes, header_size: int, byteorder: str) -> list[tuple[bytes, int]]:
    """Each whole frame of ``stream`` with the offset just past it, read the slow obvious way."""
    found = []
    pos = 0
    while pos + header_size <= len(stream):
        length = int.from_bytes(stream[pos : pos + header_size], byteorder)
        end = pos + header_size + length
        if end > len(stream):
            break
        found.append((stream[pos + header_size : end], end))
        pos = end
    return found


def as_type(chunk: bytes, kind: str) -> bytes | bytearray | memoryview:
    return {"bytes": bytes, "bytearray": bytearray, "memoryview": memoryview}[kind](chunk)


@st.composite
def framed_streams(draw, max_payload: int = 40, max_frames: int = 8):
    """(payloads, header_size, byteorder, stream) with payloads the header can describe."""
    header_size = draw(st.sampled_from(HEADER_SIZES))
    byteorder = draw(st.sampled_from(BYTEORDERS))
    payloads = draw(st.lists(st.binary(max_size=max_payload), max_size=max_frames))
    stream = b"".join(encode_length_prefixed(p, header_size, byteorder) for p in payloads)
    return payloads, header_size, byteorder, stream


def cuts(stream_length: int):
    return st.sets(st.integers(1, max(1, stream_length - 1)), max_size=30).map(
        lambda found: sorted(c for c in found if 0 < c < stream_length)
    )


def feed_and_check(decoder, stream: bytes, chunks, kind: str = "bytes") -> list[bytes]:
    """Feed ``chunks``; after each one the output must match the model exactly."""
    header_size, byteorder = decoder.header_size, decoder.byteorder
    model = completed_frames(stream, header_size, byteorder)
    received: list[bytes] = []
    fed = done = 0  # bytes fed; model frames that those bytes complete
    for chunk in chunks:
        out = decoder.feed(as_type(chunk, kind))
        assert type(out) is list
        assert all(type(frame) is bytes for frame in out)
        received += out
        fed += len(chunk)
        while done < len(model) and model[done][1] <= fed:
            done += 1
        assert len(received) == done, f"after {fed} bytes: {len(received)} frames, not {done}"
        assert out == [frame for frame, _ in model[done - len(out) : done]]
        assert decoder.buffered == fed - (model[done - 1][1] if done else 0)
    return received


@given(framed_streams(), st.data(), st.sampled_from(["bytes", "bytearray", "memoryview"]))
def test_any_chunking_decodes_what_was_encoded(case, data, kind):
    payloads, header_size, byteorder, stream = case
    chunks = split_at(stream, data.draw(cuts(len(stream))))
    decoder = LengthPrefixDecoder(header_size, byteorder)
    assert feed_and_check(decoder, stream, chunks, kind) == payloads
    decoder.close()


@pytest.mark.parametrize("header_size", HEADER_SIZES)
@pytest.mark.parametrize("byteorder", BYTEORDERS)
@pytest.mark.parametrize("feeding", ["whole", "byte by byte", "empty chunks between"])
def test_whole_and_byte_by_byte(header_size, byteorder, feeding):
    payloads = [b"", b"a", b"hello", bytes(range(200)), b"\x00" * 3]
    stream = b"".join(encode_length_prefixed(p, header_size, byteorder) for p in payloads)
    chunks = {
        "whole": [stream],
        "byte by byte": split_every(stream, 1),
        "empty chunks between": [piece for c in split_every(stream, 7) for piece in (b"", c)],
    }[feeding]
    decoder = LengthPrefixDecoder(header_size, byteorder)
    assert feed_and_check(decoder, stream, chunks) == payloads
    assert decoder.buffered == 0
    decoder.close()


@given(framed_streams(), st.binary(min_size=1, max_size=60), st.data())
def test_trailing_partial_frame_is_held_and_reported(case, unfinished, data):
    payloads, header_size, byteorder, stream = case
    frame = encode_length_prefixed(unfinished, header_size, byteorder)
    tail = frame[: data.draw(st.integers(1, len(frame) - 1))]
    whole = stream + tail
    decoder = LengthPrefixDecoder(header_size, byteorder)
    assert feed_and_check(decoder, whole, split_at(whole, data.draw(cuts(len(whole))))) == payloads
    assert decoder.buffered == len(tail)
    with pytest.raises(IncompleteFrameError) as caught:
        decoder.close()
    assert caught.value.partial == tail
    if len(tail) < header_size:
        assert caught.value.expected is None
        assert f"{len(tail)} of {header_size} bytes" in str(caught.value)
    else:
        assert caught.value.expected == len(frame)
        assert f"announces {len(unfinished)} bytes" in str(caught.value)


@settings(max_examples=25)
@given(st.sampled_from([4, 8]), st.sampled_from(BYTEORDERS), st.data())
def test_large_frames_between_small_ones(header_size, byteorder, data):
    # Large payloads take a different path (pieces joined once); cut them every way too,
    # including runs of tiny chunks, which that path packs together.
    big = bytes(range(256)) * (LARGE // 256) + b"tail"
    payloads = [b"x", big, b"", big[::-1], b"yz"]
    stream = b"".join(encode_length_prefixed(p, header_size, byteorder) for p in payloads)
    sizes = data.draw(st.lists(st.sampled_from([1, 3, 511, 512, 1460, 65536]), min_size=1))
    chunks = []
    pos = 0
    while pos < len(stream):
        size = sizes[len(chunks) % len(sizes)]
        chunks.append(stream[pos : pos + size])
        pos += size
    kind = data.draw(st.sampled_from(["bytes", "bytearray", "memoryview"]))
    decoder = LengthPrefixDecoder(header_size, byteorder)
    assert feed_and_check(decoder, stream, chunks, kind) == payloads
    decoder.close()


def test_large_frame_cut_short_reports_every_byte_held():
    frame = encode_length_prefixed(b"q" * LARGE)
    decoder = LengthPrefixDecoder()
    for chunk in split_every(frame[:-10], 1000):
        assert decoder.feed(chunk) == []
    assert decoder.buffered == len(frame) - 10
    assert decoder.pending_length == LARGE
    with pytest.raises(IncompleteFrameError) as caught:
        decoder.close()
    assert caught.value.partial == frame[:-10]
    assert caught.value.expected == len(frame)


def test_a_trickle_into_a_large_frame_stays_compact():
    # Tiny chunks of a large frame must not be kept as one object each (a 3-byte bytes
    # object costs about 36 bytes, plus a list slot): memory stays near the frame's size.
    payload = bytes(range(256)) * 800
    stream = encode_length_prefixed(payload)
    decoder = LengthPrefixDecoder()
    tracemalloc.start()
    try:
        for pos in range(0, len(stream) - 1, 3):  # each chunk a new object, as from recv()
            decoder.feed(stream[pos : min(pos + 3, len(stream) - 1)])
        held, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert held < 2 * len(payload), f"{held} bytes held for a {len(payload)}-byte frame"
    assert decoder.feed(stream[-1:]) == [payload]


def test_mutable_input_is_copied_not_referenced():
    decoder = LengthPrefixDecoder(header_size=1)
    chunk = bytearray(b"\x03ab")
    decoder.feed(chunk)
    chunk[:] = b"XXX"
    assert decoder.feed(bytearray(b"c")) == [b"abc"]
    # The same for a large frame's pieces.
    big = bytearray(encode_length_prefixed(b"L" * LARGE))
    decoder = LengthPrefixDecoder()
    first, rest = big[:5000], big[5000:]
    decoder.feed(first)
    first[:] = b"?" * len(first)
    assert decoder.feed(memoryview(rest)) == [b"L" * LARGE]


@pytest.mark.parametrize("bad", [5, "text", None, [1, 2], 3.0])
def test_feed_rejects_what_is_not_bytes_like(bad):
    for held in (b"", b"\x00\x00", encode_length_prefixed(b"z" * LARGE)[:3000]):
        decoder = LengthPrefixDecoder()
        decoder.feed(held)
        with pytest.raises(TypeError):
            decoder.feed(bad)
        assert decoder.buffered == len(held), "a rejected feed must not change what is held"


def test_non_contiguous_memoryview_is_accepted():
    stream = encode_length_prefixed(b"abc", 1) * 2
    doubled = bytes(b for byte in stream for b in (byte, 0))
    decoder = LengthPrefixDecoder(header_size=1)
    assert decoder.feed(memoryview(doubled[:4])[::2]) == []
    assert decoder.feed(memoryview(doubled[4:])[::2]) == [b"abc", b"abc"]


@pytest.mark.parametrize("header_size", [0, 3, 5, 16, -4, True, "4", None])
def test_bad_header_size(header_size):
    with pytest.raises(ValueError, match="header_size"):
        LengthPrefixDecoder(header_size=header_size)
    with pytest.raises(ValueError, match="header_size"):
        encode_length_prefixed(b"", header_size=header_size)


@pytest.mark.parametrize("byteorder", ["native", "BIG", "", None, "<"])
def test_bad_byteorder(byteorder):
    with pytest.raises(ValueError, match="byteorder"):
        LengthPrefixDecoder(byteorder=byteorder)
    with pytest.raises(ValueError, match="byteorder"):
        encode_header(1, 4, byteorder)


@pytest.mark.parametrize("max_frame_size, error", [(-1, ValueError), (2.5, TypeError),
                                                    (True, TypeError)])
def test_bad_max_frame_size(max_frame_size, error):
    with pytest.raises(error, match="max_frame_size"):
        LengthPrefixDecoder(max_frame_size=max_frame_size)


@given(
    st.sampled_from(HEADER_SIZES),
    st.sampled_from(BYTEORDERS),
    st.integers(0, 255),
    st.lists(st.binary(max_size=10), max_size=4),
    st.data(),
)
def test_max_frame_size_is_inclusive_and_refused_when_the_header_completes(
    header_size, byteorder, limit, before, data
):
    before = [p[:limit] for p in before]
    leading = b"".join(encode_length_prefixed(p, header_size, byteorder) for p in before)
    accepted = encode_length_prefixed(b"=" * limit, header_size, byteorder)
    assume(limit + 1 < 1 << (8 * header_size))
    header = encode_header(limit + 1, header_size, byteorder)
    stream = leading + accepted + header + b"never awaited"
    header_end = len(leading) + len(accepted) + header_size
    chunks = split_at(stream, data.draw(cuts(len(stream))))
    decoder = LengthPrefixDecoder(header_size, byteorder, max_frame_size=limit)
    received: list[bytes] = []
    fed = 0
    for chunk in chunks:
        if fed + len(chunk) >= header_end:
            with pytest.raises(FrameTooLargeError) as caught:
                decoder.feed(chunk)
            error = caught.value
            break
        received += decoder.feed(chunk)
        fed += len(chunk)
    else:
        pytest.fail("the oversized header was never refused")
    assert isinstance(error, FramingError)
    assert received + error.frames == [*before, b"=" * limit]
    assert error.size == limit + 1 and error.max_frame_size == limit
    assert str(error) == f"header announces {limit + 1} bytes; max_frame_size is {limit}"
    # Nothing is lost: the decoder keeps the stream from the refused header on.
    assert decoder.buffered == fed + len(chunk) - (header_end - header_size)


@pytest.mark.parametrize("header_size, length", [(8, 1 << 32), (4, 0xFFFFFFFF), (8, 2**64 - 1)])
@pytest.mark.parametrize("split", [False, True])
def test_huge_announcement_allocates_nothing(header_size, length, split):
    header = encode_header(length, header_size)
    decoder = LengthPrefixDecoder(header_size)
    tracemalloc.start()
    try:
        if split:
            assert decoder.feed(header[:2]) == []
            tracemalloc.reset_peak()
        with pytest.raises(FrameTooLargeError, match=f"announces {length} bytes"):
            decoder.feed(header[2:] + b"xy" if split else header + b"xy")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 64 * 1024, f"peak {peak} bytes"


def test_refused_header_keeps_refusing():
    decoder = LengthPrefixDecoder(header_size=1, max_frame_size=2)
    with pytest.raises(FrameTooLargeError):
        decoder.feed(b"\x01a\x05abc")
    with pytest.raises(FrameTooLargeError) as caught:
        decoder.feed(b"de")
    assert caught.value.frames == []
    assert decoder.buffered == 6


def test_close_when_empty_is_quiet_and_repeatable():
    decoder = LengthPrefixDecoder()
    assert decoder.close() is None
    decoder.feed(encode_length_prefixed(b"done"))
    assert decoder.close() is None
    assert decoder.close() is None


def test_close_inside_header_and_inside_payload():
    decoder = LengthPrefixDecoder()
    decoder.feed(b"\x00\x00")
    with pytest.raises(IncompleteFrameError, match="2 of 4 bytes") as caught:
        decoder.close()
    assert caught.value.partial == b"\x00\x00" and caught.value.expected is None

    decoder = LengthPrefixDecoder()
    decoder.feed(b"\x00\x00\x00\x09abc")
    with pytest.raises(IncompleteFrameError, match="announces 9 bytes, 3 received") as caught:
        decoder.close()
    assert caught.value.partial == b"\x00\x00\x00\x09abc" and caught.value.expected == 13


@pytest.mark.parametrize("header_size, limit", [(1, 255), (2, 65535)])
def test_encode_refuses_what_the_header_cannot_describe(header_size, limit):
    assert len(encode_length_prefixed(b"a" * limit, header_size)) == header_size + limit
    with pytest.raises(FrameTooLargeError, match=f"{limit + 1} bytes.*at most {limit}"):
        encode_length_prefixed(b"a" * (limit + 1), header_size)


@given(st.sampled_from(HEADER_SIZES), st.sampled_from(BYTEORDERS), st.binary(max_size=300))
def test_encode_layout(header_size, byteorder, payload):
    assume(len(payload) < 1 << (8 * header_size))
    framed = encode_length_prefixed(bytearray(payload), header_size, byteorder)
    assert framed[header_size:] == payload
    assert int.from_bytes(framed[:header_size], byteorder) == len(payload)


def test_encode_rejects_text():
    with pytest.raises(TypeError):
        encode_length_prefixed("text")


@pytest.mark.parametrize("length, error", [(-1, ValueError), (2.0, TypeError), ("3", TypeError),
                                            (True, TypeError)])
def test_encode_header_rejects_bad_lengths(length, error):
    with pytest.raises(error, match="length"):
        encode_header(length)


@pytest.mark.parametrize("module", ["length_prefix", "delimiter", "fixed"])
def test_docstring_examples_run(module):
    result = doctest.testmod(importlib.import_module(f"framinglib.{module}"))
    assert result.attempted > 0 and result.failed == 0
