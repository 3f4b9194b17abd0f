"""VarintDecoder and the varint encoder: protobuf's delimited format, its limits, and a model."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framinglib import (
    FrameLengthError,
    FrameTooLargeError,
    IncompleteFrameError,
    VarintDecoder,
    encode_varint,
    encode_varint_delimited,
    random_split,
    split_every,
)


def decode(chunks, **config) -> list[bytes]:
    decoder = VarintDecoder(**config)
    frames = []
    for chunk in chunks:
        frames += decoder.feed(chunk)
    decoder.close()
    return frames


@pytest.mark.parametrize("value, wire", [
    (0, b"\x00"), (1, b"\x01"), (127, b"\x7f"), (128, b"\x80\x01"), (300, b"\xac\x02"),
    (16383, b"\xff\x7f"), (16384, b"\x80\x80\x01"), (2**64 - 1, b"\xff" * 9 + b"\x01"),
])
def test_encode_varint_matches_the_protobuf_encoding_guide(value, wire):
    assert encode_varint(value) == wire


def test_encode_varint_refuses_what_is_not_a_length():
    with pytest.raises(ValueError):
        encode_varint(-1)
    with pytest.raises(TypeError):
        encode_varint(True)


def test_frames_of_every_varint_width_under_byte_at_a_time_and_random_cuts():
    payloads = [b"", b"a", b"b" * 127, b"c" * 128, b"d" * 300, b"e" * 20_000]
    stream = b"".join(encode_varint_delimited(p) for p in payloads)
    assert decode([stream]) == payloads
    assert decode(split_every(stream, 1)) == payloads
    for seed in range(10):
        assert decode(random_split(stream, seed)) == payloads


def test_a_non_minimal_varint_is_read_as_protobuf_reads_it():
    assert decode([b"\x82\x00ab"]) == [b"ab"]  # 2 written in two bytes


def test_an_over_long_varint_is_refused_at_its_tenth_byte():
    decoder = VarintDecoder(max_frame_size=2**70)
    with pytest.raises(FrameLengthError, match="runs past 10 bytes") as caught:
        decoder.feed(b"\x01x" + b"\x80" * 9)
        decoder.feed(b"\x80")  # ten bytes, each saying "more follows"
    assert caught.value.frames == []
    assert decoder.buffered == 10


def test_an_oversized_length_is_refused_before_its_varint_ends():
    decoder = VarintDecoder(max_frame_size=1000)
    with pytest.raises(FrameTooLargeError) as caught:
        decoder.feed(b"\x02hi\x80\x7f")  # 127 << 7 = 16256 so far, and more may follow
    assert caught.value.frames == [b"hi"]
    assert caught.value.size == 16256 and caught.value.max_frame_size == 1000
    assert decoder.buffered == 2  # the offending varint is kept


def test_a_limit_under_127_is_checked_on_one_byte_varints_too():
    decoder = VarintDecoder(max_frame_size=3)
    assert decoder.feed(b"\x03abc") == [b"abc"]
    with pytest.raises(FrameTooLargeError):
        decoder.feed(b"\x04")


def test_close_tells_a_clean_end_from_a_cut_stream():
    decoder = VarintDecoder()
    decoder.feed(b"\x01a")
    decoder.close()
    decoder.feed(b"\x80")
    with pytest.raises(IncompleteFrameError, match="inside a varint") as cut:
        decoder.close()
    assert cut.value.partial == b"\x80" and cut.value.expected is None
    decoder.feed(b"\x01abc")
    with pytest.raises(IncompleteFrameError, match="says 128 bytes, 3 received") as cut:
        decoder.close()
    assert cut.value.expected == 2 + 128


@pytest.mark.parametrize("bad, error", [(dict(max_frame_size=-1), ValueError),
                                        (dict(max_varint_size=11), ValueError),
                                        (dict(max_frame_size=2.0), TypeError)])
def test_bad_settings_are_named(bad, error):
    with pytest.raises(error, match=next(iter(bad))):
        VarintDecoder(**bad)


def test_protobuf_writes_what_the_decoder_reads_and_reads_what_it_frames():
    proto = pytest.importorskip("google.protobuf.proto")
    from google.protobuf import struct_pb2

    messages = []
    out = io.BytesIO()
    for number in range(4):
        message = struct_pb2.Struct()
        message.update({"n": number, "text": "x" * (60 * number)})
        proto.serialize_length_prefixed(message, out)
        messages.append(message)
    frames = decode(split_every(out.getvalue(), 7))
    assert [struct_pb2.Struct.FromString(frame) for frame in frames] == messages


def model_decode(stream: bytes) -> list[bytes]:
    frames, pos = [], 0
    while pos < len(stream):
        value = shift = 0
        while True:
            byte = stream[pos]
            pos += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                break
        frames.append(stream[pos : pos + value])
        pos += value
    return frames


@settings(max_examples=200, deadline=None)
@given(st.lists(st.binary(max_size=300), max_size=10), st.integers(0, 2**32))
def test_any_frames_any_cutting_agree_with_the_model(payloads, seed):
    stream = b"".join(encode_varint_delimited(p) for p in payloads)
    assert model_decode(stream) == payloads
    assert decode(random_split(stream, seed)) == payloads
