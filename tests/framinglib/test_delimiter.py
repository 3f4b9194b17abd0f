"""DelimiterDecoder: any chunking, delimiters split across chunks, no rescanning, limits."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from framinglib import (
    DelimiterDecoder,
    FrameTooLargeError,
    IncompleteFrameError,
    split_at,
    split_every,
)

DELIMITERS = [b"\n", b"\r\n", b"\x00\x00", b"END", b"abab"]


def frames_completed(stream: bytes, delimiter: bytes) -> list[tuple[bytes, int]]:
    """Each frame that ``stream`` completes, with the offset just past its delimiter."""
    found, start = [], 0
    while (at := stream.find(delimiter, start)) >= 0:
        found.append((stream[start:at], at + len(delimiter)))
        start = at + len(delimiter)
    return found


@st.composite
def delimited_streams(draw):
    delimiter = draw(st.sampled_from(DELIMITERS))
    # Payloads drawn from the delimiter's own bytes (plus one other) make near-misses
    # and overlapping partial matches likely.
    alphabet = st.sampled_from(sorted(set(delimiter) | {ord("x")}))
    payloads = draw(st.lists(st.lists(alphabet, max_size=12).map(bytes), max_size=6))
    tail = draw(st.lists(alphabet, max_size=6).map(bytes))
    stream = b"".join(p + delimiter for p in payloads) + tail
    cuts = draw(st.sets(st.integers(1, max(1, len(stream) - 1)), max_size=20))
    return delimiter, stream, split_at(stream, [c for c in cuts if c < len(stream)])


@given(delimited_streams(), st.sampled_from([bytes, bytearray, memoryview]))
def test_any_chunking_matches_the_model(case, kind):
    delimiter, stream, chunks = case
    model = frames_completed(stream, delimiter)
    decoder = DelimiterDecoder(delimiter)
    received: list[bytes] = []
    fed = 0
    for chunk in chunks:
        received += decoder.feed(kind(chunk))
        fed += len(chunk)
        done = [frame for frame, end in model if end <= fed]
        assert received == done, f"after {fed} bytes"
        assert decoder.buffered == fed - max((end for _, end in model if end <= fed), default=0)
    if decoder.buffered:
        with pytest.raises(IncompleteFrameError) as caught:
            decoder.close()
        assert caught.value.partial == stream[len(stream) - decoder.buffered :]
        assert caught.value.expected is None
    else:
        decoder.close()


@pytest.mark.parametrize("delimiter", DELIMITERS)
def test_delimiter_split_at_every_position(delimiter):
    stream = b"one" + delimiter + b"two" + delimiter
    for cut in range(1, len(stream)):
        decoder = DelimiterDecoder(delimiter)
        received = decoder.feed(stream[:cut]) + decoder.feed(stream[cut:])
        assert received == [b"one", b"two"], f"cut at {cut}"


class CountingBuffer(bytearray):
    """A bytearray that counts how many bytes its ``find`` calls could have examined."""

    examined = 0

    def find(self, sub, start=0, *rest):  # type: ignore[override]
        self.examined += len(self) - start
        return super().find(sub, start, *rest)


@pytest.mark.parametrize("delimiter", [b"\n", b"\r\n", b"abab"])
def test_bytes_are_searched_once_however_the_stream_is_cut(delimiter):
    decoder = DelimiterDecoder(delimiter, max_frame_size=1 << 20)
    decoder._buffer = counting = CountingBuffer()
    line = b"x" * 5000
    assert [f for chunk in split_every(line, 1) for f in decoder.feed(chunk)] == []
    assert decoder.feed(delimiter) == [line]
    # A decoder that searched its whole buffer on every feed would examine about
    # 12.5 million bytes here; one that remembers where it stopped, about 5000
    # (plus a delimiter's width per feed for a tail that may begin a delimiter).
    assert counting.examined <= (len(line) + len(delimiter)) * len(delimiter)


@pytest.mark.parametrize("limit", [0, 1, 5])
def test_max_frame_size_is_inclusive_for_completed_frames(limit):
    decoder = DelimiterDecoder(b"\n", max_frame_size=limit)
    assert decoder.feed(b"a" * limit + b"\n") == [b"a" * limit]
    with pytest.raises(FrameTooLargeError) as caught:
        decoder.feed(b"ok"[:limit] + b"\n" + b"b" * (limit + 1) + b"\n")
    assert caught.value.frames == [b"ok"[:limit]]
    assert caught.value.size == limit + 1 and caught.value.max_frame_size == limit
    assert f"{limit + 1} bytes" in str(caught.value) and f"is {limit}" in str(caught.value)


def test_over_long_unterminated_frame_is_refused_as_soon_as_it_is_certain():
    decoder = DelimiterDecoder(b"\n", max_frame_size=4)
    assert decoder.feed(b"abcd") == []  # exactly at the limit: may still end here
    with pytest.raises(FrameTooLargeError, match="5 bytes without a delimiter"):
        decoder.feed(b"e")
    # With a two-byte delimiter, a trailing "\r" may still start the delimiter...
    decoder = DelimiterDecoder(b"\r\n", max_frame_size=4)
    assert decoder.feed(b"abcd\r") == []
    assert decoder.feed(b"\n") == [b"abcd"]
    # ...but any other fifth byte settles it.
    decoder = DelimiterDecoder(b"\r\n", max_frame_size=4)
    with pytest.raises(FrameTooLargeError):
        decoder.feed(b"abcde")


def test_refusal_keeps_the_unfinished_bytes():
    decoder = DelimiterDecoder(b"\n", max_frame_size=3)
    with pytest.raises(FrameTooLargeError) as caught:
        decoder.feed(b"ok\ntoo long")
    assert caught.value.frames == [b"ok"]
    assert decoder.buffered == len(b"too long")


def test_close():
    decoder = DelimiterDecoder()
    assert decoder.close() is None
    decoder.feed(b"done\nhalf")
    with pytest.raises(IncompleteFrameError, match="4 bytes") as caught:
        decoder.close()
    assert caught.value.partial == b"half"


@pytest.mark.parametrize("delimiter, error", [(b"", ValueError), ("\n", TypeError)])
def test_bad_delimiter(delimiter, error):
    with pytest.raises(error):
        DelimiterDecoder(delimiter)


@pytest.mark.parametrize("bad", [5, "text", None])
def test_feed_rejects_what_is_not_bytes_like(bad):
    decoder = DelimiterDecoder()
    decoder.feed(b"held")
    with pytest.raises(TypeError):
        decoder.feed(bad)
    assert decoder.buffered == 4
