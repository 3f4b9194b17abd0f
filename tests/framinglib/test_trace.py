"""The decision trace: the worked example step by step, and agreement with the decoder."""

from __future__ import annotations

import subprocess
import sys

from hypothesis import given
from hypothesis import strategies as st

from framinglib import (
    WORKED_EXAMPLE_CHUNKS,
    WORKED_EXAMPLE_MESSAGES,
    Decision,
    LengthPrefixDecoder,
    byte_roles,
    encode_length_prefixed,
    split_at,
    trace_delimited,
    trace_length_prefixed,
    worked_example_stream,
)

D = Decision


def test_worked_example_stream_matches_its_chunks():
    assert b"".join(WORKED_EXAMPLE_CHUNKS) == worked_example_stream(1)
    assert worked_example_stream(1) == b"\x03abc\x02hi\x04ping"


def test_worked_example_decisions_step_by_step():
    steps = trace_length_prefixed(WORKED_EXAMPLE_CHUNKS, header_size=1)
    expected = [
        # decision, chunk index, buffer after it, frames so far, announced, received
        (D.CHUNK_APPENDED, 0, b"\x03ab", (), 3, 2),
        (D.WAIT_PAYLOAD, 0, b"\x03ab", (), 3, 2),
        (D.CHUNK_APPENDED, 1, b"\x03abc\x02h", (), 3, 3),
        (D.FRAME_EMITTED, 1, b"\x02h", (b"abc",), 2, 1),
        (D.LEFTOVER_KEPT, 1, b"\x02h", (b"abc",), 2, 1),
        (D.WAIT_PAYLOAD, 1, b"\x02h", (b"abc",), 2, 1),
        (D.CHUNK_APPENDED, 2, b"\x02hi\x04pi", (b"abc",), 2, 2),
        (D.FRAME_EMITTED, 2, b"\x04pi", (b"abc", b"hi"), 4, 2),
        (D.LEFTOVER_KEPT, 2, b"\x04pi", (b"abc", b"hi"), 4, 2),
        (D.WAIT_PAYLOAD, 2, b"\x04pi", (b"abc", b"hi"), 4, 2),
        (D.CHUNK_APPENDED, 3, b"\x04ping", (b"abc", b"hi"), 4, 4),
        (D.FRAME_EMITTED, 3, b"", (b"abc", b"hi", b"ping"), None, None),
        (D.BUFFER_EMPTY, 3, b"", (b"abc", b"hi", b"ping"), None, None),
    ]
    got = [(s.decision, s.chunk_index, s.buffer, s.frames, s.announced, s.received)
           for s in steps]
    assert got == expected
    assert [s.chunk for s in steps if s.decision is D.CHUNK_APPENDED] == list(
        WORKED_EXAMPLE_CHUNKS
    )
    assert steps[-1].frames == WORKED_EXAMPLE_MESSAGES
    assert [s.emitted for s in steps if s.emitted is not None] == list(WORKED_EXAMPLE_MESSAGES)
    # The explanations give the numbers a learner needs.
    assert "only 2 payload bytes" in steps[1].explanation
    assert "emit frame 1, b'abc'" in steps[3].explanation
    assert "2 bytes left over" in steps[4].explanation
    assert "only 1 payload byte is here" in steps[5].explanation
    assert "buffer is empty" in steps[-1].explanation


@st.composite
def chunked_streams(draw):
    header_size = draw(st.sampled_from([1, 2, 4]))
    payloads = draw(st.lists(st.binary(max_size=12), max_size=6))
    stream = b"".join(encode_length_prefixed(p, header_size) for p in payloads)
    tail = draw(st.binary(max_size=header_size + 3))
    stream += tail
    cuts = draw(st.sets(st.integers(1, max(1, len(stream) - 1)), max_size=12))
    return header_size, stream, split_at(stream, [c for c in cuts if c < len(stream)])


@given(chunked_streams())
def test_trace_agrees_with_the_decoder(case):
    header_size, stream, chunks = case
    # No limit here: the random tail may announce anything.
    steps = trace_length_prefixed(chunks, header_size=header_size, max_frame_size=2**64)
    decoder = LengthPrefixDecoder(header_size, max_frame_size=2**64)
    decoded: list[bytes] = []
    for index, chunk in enumerate(chunks):
        decoded += decoder.feed(chunk)
        of_chunk = [s for s in steps if s.chunk_index == index]
        assert of_chunk[0].decision is D.CHUNK_APPENDED
        last = of_chunk[-1]
        assert last.decision in (D.WAIT_HEADER, D.WAIT_PAYLOAD, D.BUFFER_EMPTY)
        assert len(last.buffer) == decoder.buffered
        assert list(last.frames) == decoded
        emitted = [s.emitted for s in of_chunk if s.decision is D.FRAME_EMITTED]
        assert len(decoded) - len(emitted) == len(of_chunk[0].frames)
        for step in of_chunk:
            # Offsets place the chunk and the buffer in the whole stream.
            assert stream[step.chunk_start : step.chunk_start + len(chunk)] == chunk
            assert stream[step.buffer_start : step.buffer_start + len(step.buffer)] == step.buffer
            if step.decision is D.WAIT_HEADER:
                assert 0 < len(step.buffer) < header_size and step.announced is None
            if step.decision is D.WAIT_PAYLOAD:
                assert step.received is not None and step.announced is not None
                assert step.received < step.announced
                assert step.received == len(step.buffer) - header_size
    assert not steps or steps[-1].frames == tuple(decoded)


class OneFramePerFeed:
    """A broken decoder that forgets to loop: it returns at most one frame per feed."""

    header_size = 1

    def __init__(self) -> None:
        self.buffer = bytearray()

    @property
    def buffered(self) -> int:
        return len(self.buffer)

    def feed(self, data: bytes) -> list[bytes]:
        self.buffer += data
        if self.buffer and len(self.buffer) > self.buffer[0]:
            size = self.buffer[0]
            frame = bytes(self.buffer[1 : 1 + size])
            del self.buffer[: 1 + size]
            return [frame]
        return []


def test_broken_decoder_shows_a_stuck_frame():
    steps = trace_length_prefixed([b"\x02ab\x01c\x01d"], decoder=OneFramePerFeed())
    assert [s.decision for s in steps] == [
        D.CHUNK_APPENDED, D.FRAME_EMITTED, D.LEFTOVER_KEPT, D.WAIT_PAYLOAD,
    ]
    stuck = steps[-1]
    assert stuck.buffer == b"\x01c\x01d"
    assert stuck.frames == (b"ab",)
    assert stuck.announced == 1 and stuck.received == 1
    assert "stopped looking" in stuck.explanation
    # The reference decoder, given the same chunk, finishes the job.
    fixed = trace_length_prefixed([b"\x02ab\x01c\x01d"], header_size=1)
    assert fixed[-1].decision is D.BUFFER_EMPTY and fixed[-1].frames == (b"ab", b"c", b"d")


def test_frame_too_large_ends_the_trace():
    chunks = [b"\x01a\x02", b"bc\x09xyz", b"never fed"]
    steps = trace_length_prefixed(chunks, header_size=1, max_frame_size=5)
    assert [s.decision for s in steps][-3:] == [D.CHUNK_APPENDED, D.FRAME_EMITTED,
                                                 D.FRAME_TOO_LARGE]
    last = steps[-1]
    assert last.chunk_index == 1
    assert last.frames == (b"a", b"bc")
    assert last.buffer == b"\x09xyz"
    assert "announces 9 bytes" in last.explanation and "limit of 5" in last.explanation


def test_byte_roles():
    stream = encode_length_prefixed(b"ab", 2) + encode_length_prefixed(b"", 2) + b"\x00"
    assert byte_roles(stream, header_size=2) == [
        (0, "header"), (0, "header"), (0, "payload"), (0, "payload"),
        (1, "header"), (1, "header"),
        (2, "header"),
    ]
    assert byte_roles(b"\x00\x00\x00\x05ab") == [(0, "header")] * 4 + [(0, "payload")] * 2
    assert byte_roles(b"\x05\x00", header_size=2, byteorder="little") == [(0, "header")] * 2


def test_every_cutting_of_the_worked_example_yields_the_three_messages():
    """All 2,048 ways to cut the 12-byte example: the trace always recovers the same frames."""
    from framinglib import all_splits

    cuttings = list(all_splits(worked_example_stream(1)))
    assert len(cuttings) == 2048
    for chunks in cuttings:
        steps = trace_length_prefixed(chunks, header_size=1)
        assert steps[-1].frames == WORKED_EXAMPLE_MESSAGES, chunks
        assert steps[-1].decision is D.BUFFER_EMPTY, chunks


def test_the_no_loop_decoder_loses_frames_on_some_cuttings_but_not_all():
    """The lesson's "check yourself": without the loop, coalesced frames get stuck."""
    from framinglib import all_splits
    from framinglib.visual.teaching import NoLoopDecoder

    outcomes = {
        trace_length_prefixed(chunks, decoder=NoLoopDecoder(1))[-1].frames
        for chunks in all_splits(worked_example_stream(1))
    }
    assert WORKED_EXAMPLE_MESSAGES in outcomes  # one frame per recv() happens to work
    assert (b"abc",) in outcomes  # the whole stream in one recv(): two frames stuck


# --- the delimited trace, in the core beside the length-prefix one --------------------------

def test_the_delimited_trace_is_the_cores_and_reads_a_real_delimiter_decoder() -> None:
    steps = trace_delimited([b"ab\nc", b"d\r", b"\n"], b"\r\n")
    assert [step.decision for step in steps] == [
        Decision.CHUNK_APPENDED, Decision.WAIT_PAYLOAD,
        Decision.CHUNK_APPENDED, Decision.WAIT_PAYLOAD,
        Decision.CHUNK_APPENDED, Decision.FRAME_EMITTED, Decision.BUFFER_EMPTY]
    emitted = steps[5]
    assert emitted.emitted == b"ab\ncd"
    assert (emitted.header_size, emitted.announced, emitted.received) == (2, None, None)
    assert emitted.explanation == "A b'\\r\\n' ends a frame of 5 bytes: emit frame 1, b'ab\\ncd'."
    # Counts keep their thousands separators, as the delimited trace always wrote them.
    big = trace_delimited([b"x" * 1500])
    assert big[0].explanation.startswith("recv() 1 brings 1,500 bytes")
    assert "1,500 bytes held" in big[1].explanation


def test_the_traces_import_nothing_of_the_visuals() -> None:
    code = ("import sys, framinglib, framinglib.trace; "
            "print(sorted(m for m in sys.modules if m.startswith(('ipywidgets', "
            "'framinglib.visual'))))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"
