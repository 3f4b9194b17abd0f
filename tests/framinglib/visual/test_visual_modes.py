"""The explorer's goals, and the widgets on lesson 4's delimited streams and lesson 5's
hostile headers; ``render_failure_html`` in either byte order."""

from __future__ import annotations

import pytest
from support.pictures import cells, frame_groups, parse, parse_lanes

from framinglib import (
    WORKED_EXAMPLE_MESSAGES,
    Decision,
    DelimiterDecoder,
    encode_length_prefixed,
    split_at,
)
from framinglib.trace import trace_delimited
from framinglib.visual import ChunkExplorer, Goal, ReassemblyPlayer
from framinglib.visual.html import render_failure_html, render_step_html

# --- goals ----------------------------------------------------------------------------------

def _goal_items(explorer: ChunkExplorer) -> list[tuple[bool, str]]:
    items = parse(explorer.goals_view.value).find_all(lambda node: node.tag == "li")
    return [("fcv-goal-done" in item.classes, item.text()) for item in items]


def test_the_worked_cutting_reaches_no_goal_until_the_cuts_move() -> None:
    explorer = ChunkExplorer()  # 1-byte headers, the worked example's four chunks
    assert [done for done, _ in _goal_items(explorer)] == [False, False, False]
    assert "one recv() completes two frames" in _goal_items(explorer)[0][1]
    explorer.cut_text.value = "7"  # abc and hi in one chunk
    assert explorer.reached[0] == (7,)
    done, text = _goal_items(explorer)[0]
    assert done and "done, with cuts at 7" in text
    explorer.cut_text.value = "1, 2, 3"  # the tick stays when the cuts move on
    assert _goal_items(explorer)[0][0]
    assert explorer.reached[1] == (1, 2, 3)  # a cut right after frame 1's header (1)


def test_cut_inside_a_four_byte_header() -> None:
    explorer = ChunkExplorer(WORKED_EXAMPLE_MESSAGES, header_size=4)
    explorer.cut_text.value = "4"  # after frame 1's header: not inside it
    assert explorer.reached[1] is None
    explorer.cut_text.value = "9"  # frame 2's header covers 7..10
    assert explorer.reached[1] == (9,)


def test_make_the_broken_decoder_lose_a_frame() -> None:
    explorer = ChunkExplorer()
    explorer.cut_text.value = "7"
    assert explorer.reached[2] is None  # the reference decoder loses nothing
    explorer.broken.value = True
    assert explorer.reached[2] == (7,)
    assert "Goals: 2 of 3 done" in explorer.goals_view.value  # no cut right after a header


def test_own_goals_and_a_goal_that_raises() -> None:
    goals = [Goal("Use exactly three recv() calls.", lambda c: len(c.chunks) == 3),
             Goal("A goal with a bug in it.", lambda c: 1 / 0 > 0)]
    explorer = ChunkExplorer(goals=goals)
    assert explorer.reached == [None, None]
    explorer.cut_text.value = "4, 8"
    assert explorer.reached == [(4, 8), None]
    assert "[x] Use exactly three recv() calls." in explorer.static_text()
    assert "Goals: 1 of 2 done" in explorer.static_html()


def test_goals_for_learner_code() -> None:
    namespace: dict[str, object] = {}
    exec("buffer = bytearray()\n"
         "def on_bytes(chunk):\n"
         "    buffer.extend(chunk)\n"
         "    while len(buffer) >= 4 and len(buffer) >= 4 + int.from_bytes(buffer[:4], 'big'):\n"
         "        end = 4 + int.from_bytes(buffer[:4], 'big')\n"
         "        handle(bytes(buffer[4:end]))\n"
         "        del buffer[:end]\n", namespace)
    explorer = ChunkExplorer(WORKED_EXAMPLE_MESSAGES, header_size=4,
                             learner=namespace["on_bytes"])
    assert explorer.broken not in explorer.children  # your code is what is compared
    assert "agrees with the reference" in explorer.goals[2].text
    explorer.cut_text.value = ""
    assert explorer.reached[2] == ()
    assert "done, with no cuts" in explorer.goals_view.value


# --- delimited streams (lesson 4) -----------------------------------------------------------

LINES = [b"hello", b"", b"how are you?"]
WIRE = b"hello\n\nhow are you?\n"


def test_the_delimited_trace_is_read_off_a_delimiter_decoder() -> None:
    steps = trace_delimited(split_at(WIRE, [3, 9]))
    assert [s.emitted for s in steps if s.decision is Decision.FRAME_EMITTED] == LINES
    assert steps[-1].decision is Decision.BUFFER_EMPTY
    decoder = DelimiterDecoder()
    assert decoder.feed(WIRE[:3]) == [] and steps[1].buffer == WIRE[:3]


def test_the_player_draws_delimiters_as_the_ends_of_frames() -> None:
    player = ReassemblyPlayer(split_at(WIRE, [3, 9]), delimiter=b"\n")
    assert player.step.decision is Decision.CHUNK_APPENDED
    player.forward.click()
    assert "waiting for a delimiter" in parse(player.picture.value).with_class("fcv-badge")[0] \
        .text()
    player.go(2)  # recv() 2 appended: "hel" + "lo\n\nho"
    lanes = parse_lanes(player.picture.value)
    groups = frame_groups(lanes["Reassembly buffer"])
    assert groups[0] == ("frame 1 · whole", ["h", "e", "l", "l", "o", "\\n"])
    assert groups[1] == ("frame 2 · whole", ["\\n"])
    assert groups[2][0] == "frame 3 · 2 bytes, no end yet"
    delimiter_cells = [cell for cell in lanes["Reassembly buffer"].with_class("fcv-d")]
    assert [cell.text() for cell in delimiter_cells] == ["\\n", "\\n"]
    assert "delimiter ending frame 1" in delimiter_cells[0].attrs["title"]


def test_every_cut_of_a_delimited_stream_gives_the_same_lines() -> None:
    explorer = ChunkExplorer(LINES, delimiter=b"\n")
    slider = explorer.cut_sliders[0]
    for position in range(1, len(WIRE)):
        slider.value = position
        assert explorer.frames == tuple(LINES), position


def test_the_broken_line_decoder_loses_lines_in_one_recv() -> None:
    explorer = ChunkExplorer(LINES, delimiter=b"\n")
    explorer.broken.value = True
    explorer.cut_text.value = ""
    assert explorer.frames == (b"hello",)
    lanes = parse_lanes(explorer.replay.value)
    assert lanes["After each recv()"].with_class("fcv-stuck")
    assert "Make the broken decoder lose a frame." in explorer.static_text()
    assert explorer.reached[2] == ()


def test_a_cut_inside_a_two_byte_delimiter() -> None:
    explorer = ChunkExplorer([b"one", b"two"], delimiter=b"\r\n")
    assert "inside a delimiter" in explorer.goals[1].text
    explorer.cut_text.value = "4"  # between the \r and the \n of "one\r\n"
    assert explorer.reached[1] == (4,)
    assert explorer.frames == (b"one", b"two")


def test_a_message_holding_the_delimiter_is_refused_clearly() -> None:
    explorer = ChunkExplorer(LINES, delimiter=b"\n")
    explorer.message_text.value = "fine\nstill fine"  # one message per line: no newline inside
    assert explorer.messages == [b"fine", b"still fine"]
    with pytest.raises(ValueError, match="contains the delimiter"):
        ChunkExplorer([b"two\nlines"], delimiter=b"\n")


def test_a_line_longer_than_the_limit_is_refused_at_once() -> None:
    player = ReassemblyPlayer([b"ok\n", b"x" * 20], delimiter=b"\n", max_frame_size=8)
    assert player.steps[-1].decision is Decision.FRAME_TOO_LARGE
    assert "more than the limit of 8" in player.steps[-1].explanation


# --- hostile headers (lesson 5) -------------------------------------------------------------

HOSTILE = encode_length_prefixed(b"hello", 4) + b"GET / HTTP/1.1\r\n"


def test_a_header_above_the_limit_is_refused_as_soon_as_it_is_whole() -> None:
    player = ReassemblyPlayer(split_at(HOSTILE, [11, 18]), header_size=4, max_frame_size=1024)
    last = player.steps[-1]
    assert last.decision is Decision.FRAME_TOO_LARGE
    assert last.chunk_index == 1  # the recv() that completed "GET ", not a later one
    player.go(len(player.steps) - 1)
    lanes = parse_lanes(player.picture.value)
    assert "announces 1,195,725,856 bytes: too large" in lanes["Reassembly buffer"].text()
    assert not [c for c in cells(lanes["Reassembly buffer"]) if c.role == "missing"]
    assert "refuse the stream" in parse(player.picture.value).with_class("fcv-why")[0].text()


def test_the_explorer_replays_a_hostile_stream_and_checks_its_goal() -> None:
    explorer = ChunkExplorer(stream=HOSTILE, header_size=4, max_frame_size=1024)
    assert explorer.hostile and explorer.messages == [b"hello"]
    assert "refused the stream" in explorer.status.value
    explorer.cut_text.value = "9"
    assert explorer.reached[0] is None  # 9 is not inside the bad header (9..12)
    explorer.cut_text.value = "11"
    assert explorer.reached[0] == (11,)
    assert "refused: frame too large" in explorer.replay.value


# --- render_failure_html in any byte order -----------------------------------------------------

def test_failure_pictures_read_headers_in_the_byte_order_given() -> None:
    little = b"".join(encode_length_prefixed(m, 4, "little") for m in [b"abc", b"hi"])
    picture = render_failure_html([little[:5], little[5:]], [b"abc", b"hi"], [b"abc"], 4,
                                  byteorder="little")
    lanes = parse_lanes(picture)
    drawn = [(c.role, c.frame) for c in cells(lanes["Chunks as delivered"])]
    assert drawn == [("header", 1)] * 4 + [("payload", 1)] * 3 + [("header", 2)] * 4 + [
        ("payload", 2)] * 2
    assert "little-endian" in lanes["Chunks as delivered"].attrs["aria-label"]
    # The correct decoder's step, read the same way, is the one emitting "hi", captioned.
    reference = lanes["A correct decoder"]
    assert "emit frame 2, b'hi'" in reference.text()
    assert "len = 3" not in reference.text()  # frame 1 is done; frame 2's header:
    assert "len = 2" in [n.text() for n in reference.with_class("fcv-sub")]
    # Read big-endian, the first header would announce 50,331,648 bytes: one endless frame.
    big = parse_lanes(render_failure_html([little], [b"abc", b"hi"], [b"abc"], 4))
    assert {c.frame for c in cells(big["Chunks as delivered"])} == {1}


def test_failure_pictures_of_a_delimited_stream() -> None:
    picture = render_failure_html([b"one\ntw", b"o\n"], [b"one", b"two"], [b"one"],
                                  header_size=0, delimiter=b"\n")
    lanes = parse_lanes(picture)
    assert lanes["Chunks as delivered"].with_class("fcv-d")
    assert "frame 2 never came out" in lanes["Frames"].text()
    assert "emit frame 2, b'two'" in lanes["A correct decoder"].text()


def test_one_function_draws_a_step_of_either_framing() -> None:
    delimited = trace_delimited([b"a\nb"])
    markup = render_step_html(delimited[1], framing=ChunkExplorer(
        [b"a"], delimiter=b"\n").framing)
    assert parse_lanes(markup)["Completed frames"].text().count("just emitted") == 1
