"""LengthFieldDecoder: Netty's and tokio's documented examples, its guarantees, and a model.

The examples restate the cases in the documentation of Netty's
``LengthFieldBasedFrameDecoder`` and tokio-util's ``length_delimited`` module:
the same bytes and settings, in our parameter names (tokio's ``num_skip``, which
defaults to the end of the length field, is ``initial_bytes_to_strip`` written
out). Each is fed whole, a byte at a time, and cut at every one and two places.
"""

from __future__ import annotations

import itertools
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framinglib import (
    FrameLengthError,
    FrameTooLargeError,
    IncompleteFrameError,
    LengthFieldDecoder,
    encode_length_prefixed,
    random_split,
    split_at,
    split_every,
    trace_length_prefixed,
)
from framinglib.trace import Decision

HELLO = b"HELLO, WORLD"


def tokio(offset: int = 0, size: int = 4, adjustment: int = 0, num_skip: int | None = None):
    """tokio's settings in Netty's terms.

    tokio skips ``num_skip`` bytes (by default, up to the end of the length
    field) and then reads ``value + adjustment`` bytes; Netty, and so
    ``LengthFieldDecoder``, counts the bytes after the length field and strips
    separately. The same frame needs Netty's adjustment to absorb the difference.
    """
    field_end = offset + size
    skip = field_end if num_skip is None else num_skip
    return dict(length_field_offset=offset, length_field_size=size,
                length_adjustment=adjustment + skip - field_end, initial_bytes_to_strip=skip)

TOKIO = b"Hello world"

# (name, settings, wire bytes, the one frame it decodes to)
EXAMPLES = [
    ("netty: 2-byte length at 0, header kept",
     dict(length_field_size=2), b"\x00\x0c" + HELLO, b"\x00\x0c" + HELLO),
    ("netty: 2-byte length at 0, header stripped",
     dict(length_field_size=2, initial_bytes_to_strip=2), b"\x00\x0c" + HELLO, HELLO),
    ("netty: the length counts the whole message",
     dict(length_field_size=2, length_adjustment=-2), b"\x00\x0e" + HELLO, b"\x00\x0e" + HELLO),
    ("netty: 3-byte length at the end of a 5-byte header",
     dict(length_field_offset=2, length_field_size=3),
     b"\xca\xfe\x00\x00\x0c" + HELLO, b"\xca\xfe\x00\x00\x0c" + HELLO),
    ("netty: 3-byte length at the start of a 5-byte header",
     dict(length_field_size=3, length_adjustment=2),
     b"\x00\x00\x0c\xca\xfe" + HELLO, b"\x00\x00\x0c\xca\xfe" + HELLO),
    ("netty: length in the middle of 4 header bytes, first two fields stripped",
     dict(length_field_offset=1, length_field_size=2, length_adjustment=1,
          initial_bytes_to_strip=3),
     b"\xca\x00\x0c\xfe" + HELLO, b"\xfe" + HELLO),
    ("netty: same, the length counting the whole message",
     dict(length_field_offset=1, length_field_size=2, length_adjustment=-3,
          initial_bytes_to_strip=3),
     b"\xca\x00\x10\xfe" + HELLO, b"\xfe" + HELLO),
    ("tokio 1: u16 at 0, head omitted",
     tokio(size=2), b"\x00\x0b" + TOKIO, TOKIO),
    ("tokio 2: u16 at 0, head kept by adding its size",
     tokio(size=2, adjustment=2, num_skip=0), b"\x00\x0b" + TOKIO, b"\x00\x0b" + TOKIO),
    ("tokio 3: the length includes the head",
     tokio(size=2, adjustment=-2), b"\x00\x0d" + TOKIO, TOKIO),
    ("tokio 4: 3-byte length in a 5-byte head, all kept",
     tokio(size=3, adjustment=5, num_skip=0),
     b"\x00\x00\x0b\xca\xfe" + TOKIO, b"\x00\x00\x0b\xca\xfe" + TOKIO),
    ("tokio 5: u16 at offset 1 of a 4-byte head, hdr2 kept",
     tokio(offset=1, size=2, adjustment=1, num_skip=3), b"\xca\x00\x0b\xfe" + TOKIO,
     b"\xfe" + TOKIO),
    ("tokio 6: same, the length counting the head",
     tokio(offset=1, size=2, adjustment=-3, num_skip=3), b"\xca\x00\x0f\xfe" + TOKIO,
     b"\xfe" + TOKIO),
    ("tokio 7: 3-byte length, a fourth head byte skipped",
     tokio(size=3, num_skip=4), b"\x00\x00\x0b\xff" + TOKIO, TOKIO),
]


def decode(chunks, **config) -> list[bytes]:
    decoder = LengthFieldDecoder(**config)
    frames = []
    for chunk in chunks:
        frames += decoder.feed(chunk)
    decoder.close()
    return frames


def cuttings(data: bytes):
    """Whole, a byte at a time, and cut at every one and every two places."""
    yield [data]
    yield split_every(data, 1)
    inner = range(1, len(data))
    for count in (1, 2):
        for cuts in itertools.combinations(inner, count):
            yield split_at(data, cuts)


@pytest.mark.parametrize("name, config, wire, frame", EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_documented_example_decodes_under_every_cutting(name, config, wire, frame):
    stream = wire * 2  # two frames back to back: the second starts where the first ends
    for chunks in cuttings(stream):
        assert decode(chunks, **config) == [frame, frame], chunks


# --- the guarantees ------------------------------------------------------------------------------

def test_an_oversized_length_is_refused_before_the_rest_of_the_frame_arrives():
    decoder = LengthFieldDecoder(length_field_offset=3, length_field_size=2, max_frame_size=100)
    good = b"\x17\x03\x03\x00\x02hi"
    with pytest.raises(FrameTooLargeError) as caught:
        decoder.feed(good + b"\x17\x03\x03\x01")  # the bad length's first byte only: wait
        decoder.feed(b"\x00")  # the length field is whole: 256 + 5 > 100
    error = caught.value
    assert error.size == 261 and error.max_frame_size == 100
    assert "length field says 256" in str(error)
    assert decoder.buffered == 5  # the refused header is kept, nothing lost
    with pytest.raises(FrameTooLargeError):
        decoder.feed(b"more")  # and refused again


def test_frames_completed_before_a_bad_length_are_on_the_error():
    decoder = LengthFieldDecoder(length_field_size=1, initial_bytes_to_strip=1, max_frame_size=3)
    with pytest.raises(FrameTooLargeError) as caught:
        decoder.feed(b"\x01a\x02bc\x09")
    assert caught.value.frames == [b"a", b"bc"]
    assert decoder.buffered == 1


def test_max_frame_size_bounds_the_frame_handed_back_inclusive():
    header_kept = LengthFieldDecoder(length_field_size=1, max_frame_size=3)
    assert header_kept.feed(b"\x02ab") == [b"\x02ab"]  # 3 bytes with the header: allowed
    with pytest.raises(FrameTooLargeError):
        header_kept.feed(b"\x03")  # 4 with the header


def test_a_length_ending_inside_its_own_field_is_refused_at_once():
    # PostgreSQL's length counts itself: a value under 4 cannot be right.
    decoder = LengthFieldDecoder(length_field_offset=1, length_adjustment=-4,
                                 initial_bytes_to_strip=5)
    assert decoder.feed(b"Z\x00\x00\x00\x05I") == [b"I"]
    with pytest.raises(FrameLengthError) as caught:
        decoder.feed(b"D\x00\x00\x00\x02")
    assert caught.value.value == 2 and caught.value.frame_size == 3
    assert "ending before its own length field" in str(caught.value)
    assert decoder.buffered == 5


def test_stripping_more_than_a_frame_holds_is_refused_when_the_length_is_read():
    decoder = LengthFieldDecoder(length_field_size=1, initial_bytes_to_strip=4)
    with pytest.raises(FrameLengthError, match="fewer than the 4 initial_bytes_to_strip"):
        decoder.feed(b"\x01")  # a 2-byte frame; nothing of it awaited


def test_a_configuration_no_frame_can_satisfy_is_refused_up_front():
    with pytest.raises(ValueError, match="no 1-byte length can make a valid frame"):
        LengthFieldDecoder(length_field_size=1, length_adjustment=-300)


@pytest.mark.parametrize("bad, error", [
    (dict(length_field_size=5), ValueError), (dict(length_field_size=True), ValueError),
    (dict(length_field_offset=-1), ValueError), (dict(initial_bytes_to_strip=-2), ValueError),
    (dict(byteorder="native"), ValueError), (dict(max_frame_size=-1), ValueError),
    (dict(length_adjustment=1.5), TypeError), (dict(max_frame_size="9"), TypeError),
])
def test_bad_settings_are_named(bad, error):
    with pytest.raises(error, match=next(iter(bad))):
        LengthFieldDecoder(**bad)


def test_close_tells_a_clean_end_from_a_cut_stream():
    decoder = LengthFieldDecoder(length_field_offset=3, length_field_size=2)
    decoder.feed(b"\x17\x03\x03\x00\x02hi")
    decoder.close()  # between frames: clean
    decoder.feed(b"\x17\x03")
    with pytest.raises(IncompleteFrameError, match="before a length field was whole") as cut:
        decoder.close()
    assert cut.value.partial == b"\x17\x03" and cut.value.expected is None
    decoder.feed(b"\x03\x00\x04ab")
    with pytest.raises(IncompleteFrameError, match="a frame of 9 bytes; 7 received") as cut:
        decoder.close()
    assert cut.value.partial == b"\x17\x03\x03\x00\x04ab" and cut.value.expected == 9


@pytest.mark.parametrize("size", [1, 2, 3, 4, 8])
@pytest.mark.parametrize("byteorder", ["big", "little"])
def test_every_field_width_in_both_orders(size, byteorder):
    payloads = [b"", b"x", b"abc" * 30]
    stream = b"".join(len(p).to_bytes(size, byteorder) + p for p in payloads)
    config = dict(length_field_size=size, byteorder=byteorder, initial_bytes_to_strip=size)
    for seed in range(20):
        assert decode(random_split(stream, seed), **config) == payloads


def test_a_three_byte_length_reads_all_24_bits():
    decoder = LengthFieldDecoder(length_field_size=3, max_frame_size=2**24)
    assert decoder.read_length(b"\x01\x02\x03") == 0x010203
    assert LengthFieldDecoder(length_field_size=3, byteorder="little").read_length(
        b"\x01\x02\x03") == 0x030201


def test_a_giant_frame_in_small_chunks_comes_out_whole():
    payload = bytes(range(256)) * 4096  # 1 MiB
    stream = struct.pack(">I", len(payload)) + payload + b"\x00\x00\x00\x01z"
    frames = decode(split_every(stream, 1460), initial_bytes_to_strip=4)
    assert frames == [payload, b"z"]


def test_feed_takes_any_bytes_like_object_and_refuses_others():
    decoder = LengthFieldDecoder(length_field_size=1, initial_bytes_to_strip=1)
    assert decoder.feed(bytearray(b"\x02a")) == []
    assert decoder.feed(memoryview(b"b\x01c")) == [b"ab", b"c"]
    with pytest.raises(TypeError):
        decoder.feed("text")  # type: ignore[arg-type]


# --- as a plain prefix it is LengthPrefixDecoder, trace included ----------------------------------

@given(st.lists(st.binary(max_size=40), max_size=12), st.integers(0, 2**32))
def test_as_a_plain_prefix_it_matches_length_prefix_decoder(payloads, seed):
    stream = b"".join(encode_length_prefixed(p) for p in payloads)
    chunks = random_split(stream, seed)
    assert decode(chunks, initial_bytes_to_strip=4) == payloads
    ours = trace_length_prefixed(chunks, decoder=LengthFieldDecoder(initial_bytes_to_strip=4))
    theirs = trace_length_prefixed(chunks, header_size=4)
    shape = [(s.decision, s.chunk_index, s.buffer, s.frames, s.header_size, s.announced,
              s.received, s.chunk_start, s.buffer_start) for s in ours]
    assert shape == [(s.decision, s.chunk_index, s.buffer, s.frames, s.header_size, s.announced,
                      s.received, s.chunk_start, s.buffer_start) for s in theirs]


def test_the_trace_of_a_real_header_reads_the_field_where_it_is():
    tls = LengthFieldDecoder(length_field_offset=3, length_field_size=2)
    record = b"\x16\x03\x03\x00\x03abc"
    steps = trace_length_prefixed([record[:4], record[4:6], record[6:]], decoder=tls)
    decisions = [step.decision for step in steps]
    assert decisions == [Decision.CHUNK_APPENDED, Decision.WAIT_HEADER,
                         Decision.CHUNK_APPENDED, Decision.WAIT_PAYLOAD,
                         Decision.CHUNK_APPENDED, Decision.FRAME_EMITTED, Decision.BUFFER_EMPTY]
    waiting = steps[3]
    assert (waiting.header_size, waiting.announced, waiting.received) == (5, 3, 1)
    assert "length field says 3" in waiting.explanation
    assert steps[5].frames == (record,)
    # What a picture needs to find the frames: the decoder's own sizes, carried on each step.
    assert waiting.frame_size(record) == 8 and waiting.strip == 0
    assert trace_length_prefixed([b"\x01a"], header_size=1)[0].frame_size is None


def test_the_trace_ends_at_an_impossible_length():
    pg = LengthFieldDecoder(length_field_offset=1, length_adjustment=-4, initial_bytes_to_strip=5)
    steps = trace_length_prefixed([b"Z\x00\x00\x00\x05ID\x00\x00\x00\x01"], decoder=pg)
    assert [s.decision for s in steps][-2:] == [Decision.FRAME_EMITTED, Decision.BAD_LENGTH]
    assert steps[-1].frames == (b"I",)


# --- against a model -----------------------------------------------------------------------------

def model_decode(stream: bytes, offset: int, size: int, adjustment: int, strip: int,
                 byteorder: str) -> list[bytes]:
    """The plainest reading of the settings: walk the whole stream frame by frame."""
    frames, pos, end = [], 0, offset + size
    while pos + end <= len(stream):
        value = int.from_bytes(stream[pos + offset : pos + end], byteorder)
        wire = end + value + adjustment
        assert wire >= end and wire >= strip, "the strategy only makes valid frames"
        if pos + wire > len(stream):
            break
        frames.append(stream[pos + strip : pos + wire])
        pos += wire
    return frames


@st.composite
def framed_streams(draw):
    size = draw(st.sampled_from([1, 2, 3, 4, 8]))
    offset = draw(st.integers(0, 3))
    end = offset + size
    adjustment = draw(st.integers(-end, 4))
    strip = draw(st.integers(0, end + 2))
    byteorder = draw(st.sampled_from(["big", "little"]))
    wires = []
    for _ in range(draw(st.integers(0, 6))):
        # The bytes after the length field: value + adjustment of them, enough to strip.
        after = draw(st.binary(min_size=max(adjustment, 0, strip - end), max_size=30))
        value = len(after) - adjustment
        wires.append(draw(st.binary(min_size=offset, max_size=offset))
                     + value.to_bytes(size, byteorder) + after)
    config = dict(length_field_offset=offset, length_field_size=size,
                  length_adjustment=adjustment, initial_bytes_to_strip=strip,
                  byteorder=byteorder)
    return config, wires


@settings(max_examples=300, deadline=None)
@given(framed_streams(), st.integers(0, 2**32))
def test_any_settings_any_cutting_agree_with_the_model(case, seed):
    config, wires = case
    stream = b"".join(wires)
    expected = [wire[config["initial_bytes_to_strip"]:] for wire in wires]
    assert model_decode(stream, config["length_field_offset"], config["length_field_size"],
                        config["length_adjustment"], config["initial_bytes_to_strip"],
                        config["byteorder"]) == expected
    assert decode(random_split(stream, seed), **config) == expected
    cut = stream[:-1]
    if wires:  # one byte short: every frame but the last, then a cut stream
        decoder = LengthFieldDecoder(**config)
        frames = [f for chunk in random_split(cut, seed) for f in decoder.feed(chunk)]
        assert frames == expected[:-1]
        if len(wires[-1]) > 1:  # bytes of the last frame are held: a cut, not a clean end
            with pytest.raises(IncompleteFrameError):
                decoder.close()
        else:
            decoder.close()


@pytest.mark.parametrize("config", [
    dict(initial_bytes_to_strip=4),
    dict(length_field_offset=3, length_field_size=2),  # TLS-like, header kept
    dict(length_field_size=3, length_adjustment=6, initial_bytes_to_strip=9),  # h2-like
    dict(length_field_offset=1, length_adjustment=-4, initial_bytes_to_strip=5),  # PostgreSQL
], ids=["plain", "tls", "h2", "postgres"])
def test_large_frames_gathered_in_pieces_come_out_whole_under_every_setting(config):
    offset = config.get("length_field_offset", 0)
    size = config.get("length_field_size", 4)
    adjustment = config.get("length_adjustment", 0)
    strip = config.get("initial_bytes_to_strip", 0)
    # Large (gathered in pieces), small, large: as large as a 2-byte field allows.
    bodies = [(bytes(range(256)) * 256)[:65_529], b"small body", bytes(65_535 - adjustment)]
    wires = [b"H" * offset + (len(body) - adjustment).to_bytes(size, "big") + body
             for body in bodies]
    stream = b"".join(wires)
    expected = [wire[strip:] for wire in wires]
    for pieces in (split_every(stream, 1), split_every(stream, 1460), random_split(stream, 3, 9),
                   split_at(stream, [offset + 1, offset + size + 1, len(wires[0]) + 2])):
        assert decode(pieces, **config, max_frame_size=2**20) == expected
    decoder = LengthFieldDecoder(**config, max_frame_size=2**20)
    for piece in split_every(stream[: len(wires[0]) - 1], 1000):
        assert decoder.feed(piece) == []
    assert decoder.buffered == len(wires[0]) - 1
    with pytest.raises(IncompleteFrameError) as cut:
        decoder.close()
    assert cut.value.partial == stream[: len(wires[0]) - 1]
    assert cut.value.expected == len(wires[0])
