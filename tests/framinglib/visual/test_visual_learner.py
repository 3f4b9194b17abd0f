"""The learner's own code beside the reference: replayed, bounded, compared, drawn.

Answers come from the answer corpus (``tests/answers``), run in a namespace of
their own as a notebook cell would define them; a few hand-written ones cover
what the corpus cannot run in the test process (endless loops).
"""

from __future__ import annotations

import itertools
import struct

import pytest
from answers import answer_files, answer_source
from support.pictures import parse, parse_lanes

from framinglib import (
    WORKED_EXAMPLE_MESSAGES,
    Decision,
    encode_length_prefixed,
    split_at,
    split_every,
)
from framinglib.visual import ReassemblyPlayer
from framinglib.visual._framing import Delimited, LengthPrefixed
from framinglib.visual._learner import learner_code
from framinglib.visual._parting import compare

WIRE = b"".join(encode_length_prefixed(m, 4) for m in WORKED_EXAMPLE_MESSAGES)
FOUR = LengthPrefixed(4)

#: Corpus answers that would patch modules or flood the output of the test process itself.
_NOT_IN_PROCESS = {"patches_modules_but_correct", "print_flood"}


def _answer(task: str, kind: str, name: str, symbol: str) -> object:
    namespace: dict[str, object] = {"__name__": f"answer_{name}"}
    exec(compile(answer_source(task, kind, name), f"<{name}>", "exec"), namespace)
    return namespace[symbol]


def _comparison(code: object, chunks: list[bytes], framing=FOUR, *, time_limit: float = 1.0,
                limit: int | None = None):
    learner = learner_code(code, limit=limit)
    steps = framing.trace(chunks)
    used = steps[-1].chunk_index + 1 if steps else 0
    run = learner.replay(chunks[:used], time_limit=time_limit,
                         max_frames=sum(map(len, chunks)) // framing.overhead + 1)
    return steps, compare(steps, chunks[:used], run)


def _cuttings(stream: bytes, most: int = 2) -> list[list[bytes]]:
    inner = range(1, len(stream))
    cuttings = [split_at(stream, cuts) for count in range(most + 1)
                for cuts in itertools.combinations(inner, count)]
    return [*cuttings, split_every(stream, 1)]


# --- the comparison -------------------------------------------------------------------------

def test_a_no_while_loop_on_bytes_parts_where_the_second_frame_is_emitted() -> None:
    on_bytes = _answer("on_bytes", "broken", "no_while_loop", "on_bytes")
    steps, comparison = _comparison(on_bytes, [WIRE])
    parting = comparison.parting
    assert parting is not None
    # Steps of the one chunk: appended, emit abc, emit hi (here), emit ping, buffer empty.
    assert parting.step_index == 2 and parting.chunk_index == 0 and parting.frame == 1
    assert steps[2].decision is Decision.FRAME_EMITTED and steps[2].emitted == b"hi"
    assert "frame 2, b'hi'" in parting.reason
    state = comparison.run.at(0)
    assert state.frames == (b"abc",)
    assert state.buffer == WIRE[7:]  # hi and ping are still held


def test_the_no_while_loop_answer_agrees_while_each_recv_completes_one_frame() -> None:
    on_bytes = _answer("on_bytes", "broken", "no_while_loop", "on_bytes")
    _, comparison = _comparison(on_bytes, split_at(WIRE, [6, 12, 19]))
    assert comparison.parting is None
    assert "agrees" in comparison.verdict()


@pytest.mark.parametrize(
    "path", [p for p in answer_files("on_bytes", "correct") if p.stem not in _NOT_IN_PROCESS],
    ids=lambda p: p.stem)
def test_a_correct_on_bytes_never_parts_on_any_cutting(path) -> None:
    on_bytes = _answer("on_bytes", "correct", path.stem, "on_bytes")
    for chunks in _cuttings(WIRE):
        _, comparison = _comparison(on_bytes, chunks)
        assert comparison.parting is None, (chunks, comparison.verdict())


@pytest.mark.parametrize(("name", "chunk_index", "words"), [
    ("delivers_late", 0, "not handed it over"),
    ("little_endian", 0, "not handed it over"),
    ("early_delivery", 0, "not all of its bytes have arrived"),
    ("bytearray_frames", None, None),  # a bytearray with the right bytes is the same frame
])
def test_broken_on_bytes_answers_part_where_they_go_wrong(name, chunk_index, words) -> None:
    on_bytes = _answer("on_bytes", "broken", name, "on_bytes")
    found = None
    for chunks in _cuttings(WIRE, most=1):
        _, comparison = _comparison(on_bytes, chunks)
        if comparison.parting is not None:
            found = comparison
            break
    if chunk_index is None:
        assert found is None
        return
    assert found is not None, f"{name} never parted"
    assert words in found.parting.reason


def test_an_exception_is_the_step_where_it_went_wrong() -> None:
    namespace: dict[str, object] = {}
    exec("buffer = bytearray()\n"
         "def on_bytes(chunk):\n"
         "    buffer.extend(chunk)\n"
         "    if len(buffer) > 8:\n"
         "        raise IndexError('the header is at buffer[0:4]')\n", namespace)
    steps, comparison = _comparison(namespace["on_bytes"], split_at(WIRE, [6, 12, 19]))
    parting = comparison.parting
    assert parting is not None and parting.chunk_index == 1
    assert steps[parting.step_index].decision is Decision.CHUNK_APPENDED  # the recv()'s start
    assert comparison.run.steps[-1].outcome == "raised"
    assert "IndexError: the header is at buffer[0:4]" in parting.reason
    assert comparison.run.at(2).outcome == "not run"


@pytest.mark.parametrize("body", [
    "    while True:\n        pass\n",
    # Bare excepts swallow the first two stops; the stop is raised again until it lands.
    "    for _ in range(2):\n        try:\n            while True:\n                pass\n"
    "        except:\n            pass\n    while True:\n        pass\n",
])
def test_a_call_that_never_returns_is_stopped_and_reported(body) -> None:
    namespace: dict[str, object] = {}
    exec("buffer = bytearray()\ndef on_bytes(chunk):\n" + body, namespace)
    _, comparison = _comparison(namespace["on_bytes"], [WIRE[:6], WIRE[6:]], time_limit=0.2)
    assert comparison.run.steps[0].outcome == "stopped"
    assert len(comparison.run.steps) == 1
    assert comparison.parting is not None and comparison.parting.step_index == 0
    assert "still running after 0.2 s" in comparison.parting.reason


def test_handle_called_without_end_is_stopped() -> None:
    on_bytes = _answer("on_bytes", "broken", "handle_forever", "on_bytes")
    _, comparison = _comparison(on_bytes, [WIRE])
    state = comparison.run.steps[0]
    assert state.outcome == "stopped" and "calling handle without end" in state.error
    assert len(state.handed) == len(WIRE) // 4 + 1


def test_the_replay_leaves_the_learners_variables_as_they_were() -> None:
    namespace: dict[str, object] = {}
    exec(answer_source("on_bytes", "correct", "extra_state"), namespace)
    mine = bytearray(b"\x00\x00")  # the learner was in the middle of something
    namespace["buffer"] = mine
    handle = namespace["handle"] = print
    namespace["frames_seen"] = 7
    _, comparison = _comparison(namespace["on_bytes"], [WIRE])
    assert comparison.parting is None
    assert namespace["buffer"] is mine and mine == b"\x00\x00"
    assert namespace["handle"] is handle and namespace["frames_seen"] == 7


def test_an_on_bytes_taking_buffer_data_and_handle_is_called_that_way() -> None:
    def on_bytes(buffer, data, handle):
        buffer += data
        while len(buffer) >= 4 and len(buffer) >= 4 + int.from_bytes(buffer[:4], "big"):
            end = 4 + int.from_bytes(buffer[:4], "big")
            handle(bytes(buffer[4:end]))
            del buffer[:end]

    _, comparison = _comparison(on_bytes, split_at(WIRE, [2, 9]))
    assert comparison.parting is None
    assert comparison.run.steps[-1].frames == WORKED_EXAMPLE_MESSAGES


# --- decoders of lessons 4 to 6 -------------------------------------------------------------

LINES = b"hello\n\nhow are you?\nbye\n"


@pytest.mark.parametrize("path", answer_files("LineDecoder", "correct"), ids=lambda p: p.stem)
def test_a_correct_line_decoder_agrees_with_the_delimiter_decoder(path) -> None:
    decoder = _answer("LineDecoder", "correct", path.stem, "LineDecoder")
    for chunks in _cuttings(LINES, most=2)[::7]:
        _, comparison = _comparison(decoder, chunks, Delimited(b"\n", 1024), limit=1024)
        assert comparison.parting is None, (chunks, comparison.verdict())


def test_a_line_decoder_that_drops_empty_lines_parts_at_the_empty_line() -> None:
    decoder = _answer("LineDecoder", "broken", "drops_empty_lines", "LineDecoder")
    steps, comparison = _comparison(decoder, [LINES], Delimited(b"\n", 1024), limit=1024)
    parting = comparison.parting
    assert parting is not None and parting.frame == 1
    assert steps[parting.step_index].emitted == b""
    assert comparison.run.buffer_name.startswith("self.")


HOSTILE = encode_length_prefixed(b"hello", 4) + b"GET / HTTP/1.1\r\n"


@pytest.mark.parametrize("path", answer_files("SafeDecoder", "correct"), ids=lambda p: p.stem)
def test_a_safe_decoder_refuses_the_hostile_header_in_the_same_recv(path) -> None:
    decoder = _answer("SafeDecoder", "correct", path.stem, "SafeDecoder")
    for cuts in ([], [7], [7, 11], [9, 10]):
        steps, comparison = _comparison(decoder, split_at(HOSTILE, cuts), limit=1024)
        assert steps[-1].decision is Decision.FRAME_TOO_LARGE
        assert comparison.parting is None, (cuts, comparison.verdict())
        assert comparison.run.steps[-1].outcome == "refused"


def test_the_frames_before_a_bad_header_in_the_same_call_are_noted() -> None:
    decoder = _answer("SafeDecoder", "correct", "bytearray_del", "SafeDecoder")
    _, comparison = _comparison(decoder, [HOSTILE], limit=1024)
    assert comparison.parting is None
    assert "error.frames" in comparison.note and "1 frame" in comparison.note


def test_a_decoder_that_waits_for_the_payload_parts_where_the_reference_refuses() -> None:
    decoder = _answer("SafeDecoder", "broken", "waits_for_payload", "SafeDecoder")
    steps, comparison = _comparison(decoder, split_at(HOSTILE, [7, 11]), limit=1024)
    parting = comparison.parting
    assert parting is not None and parting.step_index == len(steps) - 1
    assert "without raising ValueError" in parting.reason


def test_a_decoder_instance_or_a_number_is_refused_by_name() -> None:
    decoder = _answer("SafeDecoder", "correct", "bytearray_del", "SafeDecoder")
    with pytest.raises(TypeError, match="not an instance"):
        learner_code(decoder())
    with pytest.raises(TypeError, match="not int"):
        learner_code(5)


# --- in the player --------------------------------------------------------------------------

def test_the_player_marks_the_step_where_they_part_and_jumps_there() -> None:
    on_bytes = _answer("on_bytes", "broken", "no_while_loop", "on_bytes")
    player = ReassemblyPlayer(split_at(WIRE, [6, 15]), header_size=4, learner=on_bytes)
    assert player.parting_index is not None
    assert "parts at step" in player.position.value
    first = parse(player.picture.value)
    assert first.with_class("fcv-verdict")[0].text().startswith("\u2713 same so far")
    player.to_parting.click()
    assert player.index == player.parting_index and player.to_parting.disabled
    picture = player.picture.value
    assert "\u2717 parted here" in parse(picture).with_class("fcv-parted")[0].text()
    lanes = parse_lanes(picture)
    yours = lanes["Your frames"]
    assert [c.text() for c in yours.with_class("fcv-cap")] == [
        "frame 1 · 3 bytes", "frame 2 · not handed over"]
    assert yours.with_class("fcv-wrong")
    assert "whole, not handed over" in lanes["Your buffer"].text()
    player.forward.click()
    assert "parted earlier" in parse(player.picture.value).with_class("fcv-after")[0].text()
    assert ">>> parted here" not in player.static_text()
    player.go(player.parting_index)
    assert ">>> parted here" in player.static_text()


def test_an_exercise_not_written_yet_says_so() -> None:
    def on_bytes(chunk):
        raise NotImplementedError

    player = ReassemblyPlayer([WIRE], header_size=4, learner=on_bytes)
    assert "NotImplementedError: not written yet?" in player.comparison.parting.reason


def test_the_player_draws_an_exception_in_the_learners_lane() -> None:
    def on_bytes(chunk):
        raise struct.error("unpack requires a buffer of 4 bytes")

    player = ReassemblyPlayer([WIRE], header_size=4, learner=on_bytes)
    assert player.parting_index == 0
    lanes = parse_lanes(player.picture.value)
    assert "error: unpack requires a buffer of 4 bytes" in lanes["Your frames"].text()


def test_without_learner_code_the_player_has_no_comparison() -> None:
    player = ReassemblyPlayer([WIRE], header_size=4)
    assert player.comparison is None and player.parting_index is None
    assert "Your buffer" not in parse_lanes(player.picture.value)
    assert player.to_parting not in player.children[0].children


def test_code_that_is_not_the_learners_can_be_named() -> None:
    from framinglib.visual.teaching import NoLoopDecoder

    player = ReassemblyPlayer([b"\x02ab\x01c"], learner=NoLoopDecoder,
                              learner_name="the broken receiver")
    assert player.comparison.verdict().startswith("The broken receiver parts from the reference")
    player.go(player.parting_index)
    assert "Your frames" in parse_lanes(player.picture.value)
