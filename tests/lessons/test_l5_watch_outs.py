"""Lesson 5's live watch-outs run and show what the prose says they show (no timing asserted),
and the learner's SafeDecoder in the player parts where it fails to refuse a hostile header."""

from __future__ import annotations

import struct

import pytest
from support.notebook_support import read, source_path

from framinglib import FrameTooLargeError, LengthPrefixDecoder, encode_length_prefixed, split_at
from framinglib.visual import ReassemblyPlayer

LESSON = "05-watch-out"


def run_cells(*ids: str) -> dict[str, object]:
    """Run the setup cell and then ``ids`` in one namespace, as a kernel would."""
    source = {cell.id: cell.source for cell in read(source_path(LESSON)).cells}
    namespace: dict[str, object] = {}
    for cell_id in ("setup", *ids):
        exec(source[cell_id], namespace)
    return namespace


def test_a_crashed_peer_looks_like_an_end_of_stream(capsys: pytest.CaptureFixture[str]) -> None:
    namespace = run_cells("crash-demo")
    assert namespace["pieces"] == [struct.pack(">I", 10) + b"half"]
    assert "exited with code 1" in capsys.readouterr().out


def test_writing_everything_before_reading_stalls_and_a_reader_thread_fixes_it() -> None:
    namespace = run_cells("predict-deadlock", "deadlock-demo")
    assert "stuck" in namespace["outcome"]
    assert 0 < namespace["received"][0] < len(namespace["all_requests"])
    fixed = run_cells("predict-deadlock", "deadlock-demo", "deadlock-fix")
    assert len(fixed["replies"]) == len(fixed["all_requests"]) // len(fixed["request"])


def test_the_two_write_demo_runs_all_three_ways() -> None:
    namespace = run_cells("predict-nagle", "nagle-demo")
    assert set(namespace["stall"]) == {"two writes", "one write", "two writes, TCP_NODELAY"}
    assert all(ms > 0 for ms in namespace["stall"].values())


def test_the_lost_frames_demo_shows_what_the_library_keeps() -> None:
    namespace = run_cells("trap-1-demo", "trap-1-fix-demo", "lost-frames-demo")
    try:
        LengthPrefixDecoder(max_frame_size=1024).feed(namespace["chunk"])
    except FrameTooLargeError as error:
        assert error.frames == [b"ok", b"fine!"]
    else:
        raise AssertionError("the demo's chunk should hold a header over the limit")


def test_a_signed_reading_of_a_large_length_is_negative() -> None:
    namespace = run_cells("predict-signed", "signed-demo")
    assert namespace["as_signed"] < 0 < namespace["as_unsigned"] == 3_000_000_000


def test_the_player_marks_a_safe_decoder_that_never_refuses() -> None:
    class Trusting:
        def __init__(self, max_frame_size: int = 65536) -> None:
            self.held = bytearray()

        def feed(self, data: bytes) -> list[bytes]:
            self.held += data
            frames = []
            while len(self.held) >= 4:
                (length,) = struct.unpack(">I", self.held[:4])
                if len(self.held) < 4 + length:
                    break
                frames.append(bytes(self.held[4 : 4 + length]))
                del self.held[: 4 + length]
            return frames

    hostile = encode_length_prefixed(b"hello", 4) + b"GET / HTTP/1.1\r\n"
    player = ReassemblyPlayer(split_at(hostile, [7, 11]), header_size=4, max_frame_size=1024,
                              learner=Trusting)
    assert player.parting_index is not None
