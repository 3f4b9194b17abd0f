"""The player and the explorer, driven from Python as a front end would drive them.

Sliders are moved by setting their values and buttons pressed with
``click()``; each test then reads what the widget draws (its HTML parsed back
into lanes) and the trace step it exposes.
"""

from __future__ import annotations

import html
import re

import pytest
from test_visual_html import cells, completed, frame_groups, parse, parse_lanes

from framinglib import (
    WORKED_EXAMPLE_CHUNKS,
    WORKED_EXAMPLE_MESSAGES,
    Decision,
    random_split,
    worked_example_stream,
)
from framinglib.visual import ChunkExplorer, ReassemblyPlayer
from framinglib.visual.html import render_step_html, render_step_text


def _buffer_bytes(player: ReassemblyPlayer) -> list[str]:
    lanes = parse_lanes(player.picture.value)
    return [c.text for c in cells(lanes["Reassembly buffer"]) if c.role != "missing"]


def _why(markup: str) -> str:
    return parse(markup).with_class("fcv-why")[0].text()


# --- the player -------------------------------------------------------------------------------

def test_player_starts_at_the_first_recv() -> None:
    player = ReassemblyPlayer(WORKED_EXAMPLE_CHUNKS, header_size=1)
    assert player.index == 0 and player.slider.value == 1
    assert player.step.decision is Decision.CHUNK_APPENDED
    assert _buffer_bytes(player) == ["03", "a", "b"]
    assert player.back.disabled and not player.forward.disabled
    assert player.position.value == "step 1 of 13 · recv() 1 of 4"


def test_step_buttons_walk_through_the_decisions() -> None:
    player = ReassemblyPlayer(WORKED_EXAMPLE_CHUNKS, header_size=1)
    for _ in range(3):
        player.forward.click()
    assert player.step.decision is Decision.FRAME_EMITTED
    lanes = parse_lanes(player.picture.value)
    assert completed(lanes["Completed frames"]) == ["abc"]
    assert frame_groups(lanes["Reassembly buffer"]) == [
        ("frame 2 · 1 of 2 payload bytes", ["02", "h"])]
    assert "emit frame 1, b'abc'" in _why(player.picture.value)

    player.back.click()
    assert player.step.decision is Decision.CHUNK_APPENDED
    assert _buffer_bytes(player) == ["03", "a", "b", "c", "02", "h"]
    assert completed(parse_lanes(player.picture.value)["Completed frames"]) == []


def test_slider_and_play_control_move_together() -> None:
    player = ReassemblyPlayer(WORKED_EXAMPLE_CHUNKS, header_size=1)
    player.play.value = 6
    assert player.slider.value == 6
    assert "only 1 payload byte is here" in _why(player.picture.value)
    player.slider.value = 13
    assert player.play.value == 13
    assert player.step.decision is Decision.BUFFER_EMPTY
    assert _buffer_bytes(player) == []
    assert completed(parse_lanes(player.picture.value)["Completed frames"]) == [
        "abc", "hi", "ping"]
    assert player.forward.disabled and not player.back.disabled
    player.forward.click()  # at the end: nothing moves
    assert player.slider.value == 13


def test_every_step_shows_the_picture_of_that_step() -> None:
    player = ReassemblyPlayer(WORKED_EXAMPLE_CHUNKS, header_size=1)
    for number in range(1, len(player.steps) + 1):
        player.slider.value = number
        assert render_step_html(player.steps[number - 1]) in player.picture.value


def test_player_with_four_byte_headers() -> None:
    stream = worked_example_stream(header_size=4)
    player = ReassemblyPlayer([stream[:6], stream[6:]], header_size=4)
    assert _buffer_bytes(player) == ["00", "00", "00", "03", "a", "b"]
    player.go(len(player.steps) - 1)
    assert player.step.frames == WORKED_EXAMPLE_MESSAGES


def test_an_empty_stream_has_nothing_to_replay() -> None:
    player = ReassemblyPlayer([], header_size=1)
    assert player.step is None
    assert "Nothing to replay" in player.picture.value
    assert player.back.disabled and player.forward.disabled


def test_without_a_front_end_the_player_offers_a_static_picture(monkeypatch) -> None:
    player = ReassemblyPlayer(WORKED_EXAMPLE_CHUNKS, header_size=1)
    player.slider.value = 4
    bundle = player._repr_mimebundle_()
    assert bundle["text/html"] == render_step_html(player.step)
    assert render_step_text(player.step) in bundle["text/plain"]
    assert "application/vnd.jupyter.widget-view+json" in bundle

    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj, raw=False: shown.append(obj))
    player._ipython_display_()
    static, live = shown
    assert 'class="fcv-fallback"' in static["text/html"]
    assert "emit frame 1" in static["text/html"]
    assert live["application/vnd.jupyter.widget-view+json"]["model_id"] == player.model_id
    # The static twin hides itself next to a rendered widget (marked fcv-live), and the
    # live picture hides twins in front ends without JupyterLab's output classes.
    assert ":has(+ .jp-OutputArea-child .fcv-live){display:none}" in static["text/html"]
    assert "fcv-live" in player._dom_classes
    assert ".fcv-fallback{display:none}" in player.picture.value


# --- the explorer -----------------------------------------------------------------------------

def test_explorer_starts_with_the_worked_example_cutting() -> None:
    explorer = ChunkExplorer()
    assert explorer.stream == worked_example_stream(1) and len(explorer.stream) == 12
    assert explorer.cuts == [3, 6, 10]
    assert explorer.chunks == list(WORKED_EXAMPLE_CHUNKS)
    assert explorer.frames == WORKED_EXAMPLE_MESSAGES
    assert explorer.cut_text.value == "3, 6, 10"
    assert "every message came out whole" in explorer.status.value
    lanes = parse_lanes(explorer.replay.value)
    assert "All 3 frames match." in lanes["Frames out"].text()
    assert len(lanes["Stream as sent"].with_class("fcv-cut")) == 3
    # The embedded player shows the end of the replay.
    assert explorer.player.step is explorer.steps[-1]


def test_every_position_of_a_cut_gives_the_same_three_frames() -> None:
    explorer = ChunkExplorer()
    first = explorer.cut_sliders[0]
    for position in range(first.min, first.max + 1):
        first.value = position
        assert explorer.cuts == sorted({position, 6, 10})
        assert explorer.frames == WORKED_EXAMPLE_MESSAGES
        stream_lane = parse_lanes(explorer.replay.value)["Stream as sent"]
        assert len(stream_lane.with_class("fcv-cut")) == len(explorer.cuts)


def test_the_broken_decoder_leaves_frames_stuck() -> None:
    explorer = ChunkExplorer()
    explorer.broken.value = True
    # The worked cutting completes one frame per recv(), so the bug stays hidden...
    assert explorer.frames == WORKED_EXAMPLE_MESSAGES
    assert "goes unnoticed" in explorer.status.value
    # ...one cut at 7 delivers "abc" and "hi" together, and "hi" waits a recv() too long.
    explorer.cut_text.value = "7"
    assert explorer.chunks == [b"\x03abc\x02hi", b"\x04ping"]
    assert explorer.frames == (b"abc", b"hi")
    assert explorer.stuck == b"\x04ping"
    assert "2 of 3 messages came out, 5 bytes stuck" in explorer.status.value
    lanes = parse_lanes(explorer.replay.value)
    assert "frame 3 never came out" in lanes["Frames out"].text()
    assert lanes["After each recv()"].with_class("fcv-stuck")
    assert "broken decoder" in parse(explorer.replay.value).with_class("fcv-title")[0].text()

    explorer.broken.value = False  # the same cutting through the real decoder
    assert explorer.chunks == [b"\x03abc\x02hi", b"\x04ping"]
    assert explorer.frames == WORKED_EXAMPLE_MESSAGES and explorer.stuck == b""


def test_random_mode_cuts_by_chunk_count_and_seed() -> None:
    explorer = ChunkExplorer()
    explorer.mode.value = "random"
    assert len(explorer.chunks) == explorer.chunk_count.value == 4
    assert explorer.chunks == random_split(explorer.stream, 0, 4)
    explorer.chunk_count.value = 6
    explorer.seed.value = 41
    assert explorer.chunks == random_split(explorer.stream, 41, 6)
    assert explorer.frames == WORKED_EXAMPLE_MESSAGES
    assert explorer.cut_controls.layout.display == "none"
    assert explorer.random_controls.layout.display is None
    explorer.chunk_count.value = explorer.chunk_count.max
    assert explorer.chunks == [bytes([b]) for b in explorer.stream]  # byte by byte
    assert explorer.frames == WORKED_EXAMPLE_MESSAGES


def test_header_size_and_own_messages() -> None:
    explorer = ChunkExplorer()
    explorer.header.value = 4
    assert explorer.stream == worked_example_stream(4)
    assert explorer.cut_sliders[0].max == 20
    assert explorer.frames == WORKED_EXAMPLE_MESSAGES
    explorer.message_text.value = "hello\nwörld"
    assert explorer.messages == [b"hello", "wörld".encode()]
    assert explorer.frames == (b"hello", "wörld".encode())
    assert len(explorer.stream) == 4 + 5 + 4 + 6


def test_typed_cuts_that_make_no_sense_are_refused_and_nothing_is_lost() -> None:
    explorer = ChunkExplorer()
    explorer.cut_text.value = "2, x"
    assert "'x' is not a byte position" in parse_text(explorer.status.value)
    assert explorer.cuts == [3, 6, 10] and explorer.cut_text.value == "3, 6, 10"
    explorer.cut_text.value = "5, 12"
    assert "12 is not inside the 12-byte stream" in explorer.status.value
    assert explorer.cuts == [3, 6, 10]
    explorer.cut_text.value = "1 2 3"
    assert explorer.cuts == [1, 2, 3] and "not" not in explorer.status.value.split(":")[0]
    assert explorer.error == ""


def test_add_and_remove_cut_buttons() -> None:
    explorer = ChunkExplorer()
    explorer.add_cut.click()
    assert len(explorer.cut_sliders) == 4 and len(explorer.chunks) == 5
    for _ in range(4):
        explorer.remove_cut.click()
    assert explorer.cut_sliders == [] and explorer.chunks == [explorer.stream]
    assert explorer.remove_cut.disabled
    assert explorer.frames == WORKED_EXAMPLE_MESSAGES


def test_a_4_kib_explorer_stays_small() -> None:
    messages = [bytes([97 + i % 26]) * 60 for i in range(64)]  # 64 * 64 = 4 KiB with headers
    explorer = ChunkExplorer(messages, header_size=4)
    assert len(explorer.stream) == 4096
    explorer.mode.value = "random"
    explorer.chunk_count.value = 64
    assert explorer.frames == tuple(messages)
    assert len(explorer.replay.value) < 120_000
    assert "not shown" in explorer.replay.value


def test_explorer_static_forms() -> None:
    explorer = ChunkExplorer()
    explorer.broken.value = True
    explorer.cut_text.value = "7"
    bundle = explorer._repr_mimebundle_()
    assert "frame 3 never came out" in parse(bundle["text/html"]).text()
    assert "stuck in the buffer: b'\\x04ping'" in bundle["text/plain"]


@pytest.mark.slow
def test_an_exported_notebook_shows_the_static_pictures(tmp_path) -> None:
    """Run a notebook headless, export it to HTML: the pictures are there without widgets."""
    import nbformat  # slow to import: only this test needs it
    from nbclient import NotebookClient
    from nbconvert import HTMLExporter

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(
        "from framinglib.visual import ReassemblyPlayer, ChunkExplorer\n"
        "from framinglib import WORKED_EXAMPLE_CHUNKS\n"
        "player = ReassemblyPlayer(WORKED_EXAMPLE_CHUNKS)\nplayer.slider.value = 4\nplayer"),
        nbformat.v4.new_code_cell("ChunkExplorer()")]
    NotebookClient(notebook, timeout=60, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    body, _ = HTMLExporter().from_notebook_node(notebook)
    root = parse_html_fragment(body)
    fallbacks = [node for node in root if "emit frame 1" in node or "Stream as sent" in node]
    assert len(fallbacks) == 2


def parse_html_fragment(page: str) -> list[str]:
    """The static twins in an exported page, as text."""
    parts = page.split('<div class="fcv-fallback">')[1:]
    return [parse_text(part.split('<div class="fcv-legend"')[0]) for part in parts]


def parse_text(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def test_messages_too_long_for_the_header_are_refused_clearly() -> None:
    with pytest.raises(ValueError, match="message 1 is 300 bytes, more than a 1-byte header"):
        ChunkExplorer([b"x" * 300], header_size=1)
    explorer = ChunkExplorer([b"x" * 300], header_size=4)
    explorer.header.value = 1  # refused, and the toggle goes back
    assert explorer.header.value == 4 and explorer.header_size == 4
    assert "more than a 1-byte header can announce (255)" in explorer.status.value
    assert explorer.frames == (b"x" * 300,)
    explorer.message_text.value = "ok\n" + "y" * 70_000  # a four-byte header holds this
    assert explorer.frames == (b"ok", b"y" * 70_000)
    explorer.header.value = 1
    assert explorer.header.value == 4
    small = ChunkExplorer([b"ok"], header_size=1)
    typed = "short\n" + "z" * 256
    small.message_text.value = typed
    assert "message 2 is 256 bytes" in small.status.value
    assert small.message_text.value == typed  # what was typed stays, to be fixed
    assert small.messages == [b"ok"] and small.frames == (b"ok",)


def test_an_empty_message_list_replays_nothing() -> None:
    explorer = ChunkExplorer([])
    assert explorer.chunks == [] and explorer.frames == () and explorer.player.step is None
    assert "0 recv() calls" in explorer.status.value
    explorer.message_text.value = "\n"  # two empty messages: two bare headers
    assert explorer.stream == b"\x00\x00" and explorer.frames == (b"", b"")


def test_typed_cuts_beyond_the_sliders_are_kept() -> None:
    explorer = ChunkExplorer(header_size=4)  # 21 bytes: up to 20 cuts
    explorer.cut_text.value = ", ".join(map(str, range(1, 16)))
    assert explorer.cuts == list(range(1, 16)) and len(explorer.chunks) == 16
    assert len(explorer.cut_sliders) == 11
    assert "4 more cuts without a slider" in explorer.cut_note.value
    assert explorer.frames == WORKED_EXAMPLE_MESSAGES
    explorer.cut_sliders[0].value = 20  # sliders still move their own cut
    assert explorer.cuts == [*range(2, 16), 20]


def test_cuts_that_fall_off_a_shorter_stream_are_reported() -> None:
    explorer = ChunkExplorer(header_size=4)
    explorer.cut_text.value = "5, 15, 18"
    explorer.header.value = 1  # 12 bytes now
    assert explorer.cuts == [5]
    assert "cuts at 15, 18 fell off its end" in explorer.status.value
    assert explorer.frames == WORKED_EXAMPLE_MESSAGES
