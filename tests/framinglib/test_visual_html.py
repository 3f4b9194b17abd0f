"""The HTML and text pictures: what sits in each lane, drawn how, and escaped.

The pictures are parsed back (``parse_lanes``) so the tests assert what a
reader would see: which bytes are in the buffer lane, which are headers, which
frame they are grouped under, which frames are complete.
"""

from __future__ import annotations

import random
import re
import subprocess
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest

from framinglib import (
    WORKED_EXAMPLE_CHUNKS,
    WORKED_EXAMPLE_MESSAGES,
    Decision,
    byte_roles,
    encode_length_prefixed,
    random_split,
    trace_length_prefixed,
)
from framinglib.visual.html import (
    LANE_LIMIT,
    render_failure_html,
    render_replay_html,
    render_step_html,
    render_step_text,
)
from framinglib.visual.teaching import NoLoopDecoder

# --- reading the pictures back ------------------------------------------------------------

_VOID = {"br", "hr", "img", "input", "meta", "wbr"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def find_all(self, predicate) -> list[Node]:
        found = []
        for child in self.children:
            if isinstance(child, Node):
                if predicate(child):
                    found.append(child)
                found.extend(child.find_all(predicate))
        return found

    def with_class(self, name: str) -> list[Node]:
        return self.find_all(lambda node: name in node.classes)


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_endtag(self, tag):
        if tag in _VOID:
            return
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data):
        if self.stack[-1].tag != "style":
            self.stack[-1].children.append(data)


def parse(markup: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(markup)
    builder.close()
    assert builder.stack == [builder.root], "unclosed tags"
    return builder.root


def parse_lanes(markup: str) -> dict[str, Node]:
    """The lanes of a picture, by name (the start of their aria-label)."""
    lanes = {}
    for lane in parse(markup).with_class("fcv-lane"):
        lanes[lane.attrs["aria-label"].split(":")[0]] = lane
    return lanes


@dataclass
class Cell:
    text: str
    role: str  # header / payload / unknown / missing
    frame: int | None  # from 1, as captioned
    position: int | None
    new: bool


def cells(node: Node) -> list[Cell]:
    found = []
    for span in node.with_class("fcv-b"):
        classes = span.classes
        role = ("missing" if "fcv-miss" in classes else "header" if "fcv-h" in classes
                else "payload" if "fcv-p" in classes else "unknown")
        title = span.attrs.get("title", "")
        position = re.search(r"byte (\d+) of the stream", title)
        frame = re.search(r"of frame (\d+)", title)
        found.append(Cell(span.text(), role, int(frame[1]) if frame else None,
                          int(position[1]) if position else None, "fcv-new" in classes))
    return found


def frame_groups(node: Node) -> list[tuple[str, list[str]]]:
    """Each frame box of a lane: its caption and the texts of its byte cells."""
    groups = []
    for box in node.with_class("fcv-frame"):
        caption = box.with_class("fcv-cap")[0].text()
        groups.append((caption, [cell.text for cell in cells(box) if cell.role != "missing"]))
    return groups


def completed(node: Node) -> list[str]:
    return [chip.with_class("fcv-txt")[0].text() for chip in node.with_class("fcv-done")]


WORKED = trace_length_prefixed(WORKED_EXAMPLE_CHUNKS, header_size=1)


def _step(steps, decision: Decision, chunk_index: int):
    return next(s for s in steps if s.decision is decision and s.chunk_index == chunk_index)


# --- one step -------------------------------------------------------------------------------

def test_appending_recv_2_shows_the_chunk_and_both_frames_in_the_buffer() -> None:
    step = _step(WORKED, Decision.CHUNK_APPENDED, 1)  # b"c\x02h" arrives
    lanes = parse_lanes(render_step_html(step))
    assert set(lanes) == {"Incoming chunk", "Reassembly buffer", "Completed frames"}

    chunk = cells(lanes["Incoming chunk"])
    assert [(c.text, c.role, c.frame) for c in chunk] == [
        ("c", "payload", 1), ("02", "header", 2), ("h", "payload", 2)]

    buffer = lanes["Reassembly buffer"]
    assert frame_groups(buffer) == [
        ("frame 1 · whole", ["03", "a", "b", "c"]),
        ("frame 2 · 1 of 2 payload bytes", ["02", "h"]),
    ]
    assert [c.new for c in cells(buffer) if c.role != "missing"] == [False] * 3 + [True] * 3
    assert [c.role for c in cells(buffer)].count("missing") == 1  # the "i" still to come
    assert "len = 3" in buffer.text() and "len = 2" in buffer.text()
    assert completed(lanes["Completed frames"]) == []
    assert "recv() 2 brings 3 bytes" in parse(render_step_html(step)).text()


def test_emitting_a_frame_moves_it_to_the_completed_lane() -> None:
    step = _step(WORKED, Decision.FRAME_EMITTED, 2)  # "hi" comes out
    lanes = parse_lanes(render_step_html(step))
    assert frame_groups(lanes["Reassembly buffer"]) == [
        ("frame 3 · 2 of 4 payload bytes", ["04", "p", "i"])]
    frames = lanes["Completed frames"]
    assert completed(frames) == ["abc", "hi"]
    assert "just emitted" in frames.with_class("fcv-just")[0].text()
    assert "emit frame 2" in parse(render_step_html(step)).text()


def test_header_and_payload_cells_are_told_apart_by_text_not_only_colour() -> None:
    step = _step(WORKED, Decision.CHUNK_APPENDED, 2)
    for cell in cells(parse_lanes(render_step_html(step))["Reassembly buffer"]):
        if cell.role == "header":
            assert re.fullmatch(r"[0-9a-f]{2}", cell.text)  # hex, captioned "len"
        elif cell.role == "payload":
            assert len(cell.text) == 1  # a character


@pytest.mark.parametrize("header_size", [1, 4])
def test_every_drawn_byte_has_the_frame_and_role_byte_roles_gives(header_size: int) -> None:
    rng = random.Random(header_size)
    messages = [bytes(rng.randrange(256) for _ in range(rng.randrange(0, 9)))
                for _ in range(6)]
    stream = b"".join(encode_length_prefixed(m, header_size) for m in messages)
    truth = byte_roles(stream, header_size)
    for seed in range(15):
        for step in trace_length_prefixed(random_split(stream, seed), header_size):
            lanes = parse_lanes(render_step_html(step))
            drawn = cells(lanes["Incoming chunk"]) + cells(lanes["Reassembly buffer"])
            for cell in drawn:
                if cell.role == "missing":
                    continue
                frame, role = truth[cell.position]
                assert (cell.frame, cell.role) == (frame + 1, role), (seed, step, cell)
            buffer_positions = [c.position for c in cells(lanes["Reassembly buffer"])
                                if c.role != "missing"]
            assert buffer_positions == list(range(step.buffer_start,
                                                  step.buffer_start + len(step.buffer)))


def test_four_byte_headers_are_read_back_in_the_trace_byte_order() -> None:
    stream = b"".join(encode_length_prefixed(m, 4, "little") for m in (b"abc", b"hello"))
    steps = trace_length_prefixed([stream[:9], stream[9:]], 4, "little")
    buffer = parse_lanes(render_step_html(steps[0], byteorder="little"))["Reassembly buffer"]
    assert frame_groups(buffer)[0] == ("frame 1 · whole", ["03", "00", "00", "00", "a", "b", "c"])
    assert "len = 3" in buffer.text()
    assert "frame 2 · header: 2 of 4 bytes" == frame_groups(buffer)[1][0]


def test_a_large_stream_is_summarised_per_lane() -> None:
    messages = [bytes([65 + i % 26]) * 40 for i in range(100)]  # 4,400 bytes with headers
    stream = b"".join(encode_length_prefixed(m, 4) for m in messages)
    steps = trace_length_prefixed([stream[:3000], stream[3000:]], 4)
    step = steps[0]
    assert len(step.buffer) > LANE_LIMIT
    markup = render_step_html(step)
    lanes = parse_lanes(markup)
    buffer_cells = [c for c in cells(lanes["Reassembly buffer"]) if c.role != "missing"]
    assert len(buffer_cells) <= LANE_LIMIT
    skipped = len(step.buffer) - len(buffer_cells)
    assert f"{skipped:,} bytes not drawn" in lanes["Reassembly buffer"].text()
    assert buffer_cells[-1].position == step.buffer_start + len(step.buffer) - 1
    assert len(markup) < 40_000


def test_frames_stuck_in_a_broken_decoder_are_marked() -> None:
    steps = trace_length_prefixed([b"\x03abc\x02hi", b"\x04ping"], decoder=NoLoopDecoder(1))
    lanes = parse_lanes(render_step_html(steps[-1]))
    buffer = lanes["Reassembly buffer"]
    stuck = buffer.with_class("fcv-stuck")
    assert [box.with_class("fcv-cap")[0].text() for box in stuck] == [
        "frame 3 · whole, stuck: not emitted"]
    assert completed(lanes["Completed frames"]) == ["abc", "hi"]
    assert "1 whole frame stuck" in lanes["Completed frames"].text()


def test_a_frame_too_large_is_captioned() -> None:
    steps = trace_length_prefixed([b"\x00\x00\x01\x00xx"], 4, max_frame_size=10)
    assert steps[-1].decision is Decision.FRAME_TOO_LARGE
    buffer = parse_lanes(render_step_html(steps[-1]))["Reassembly buffer"]
    assert "announces 256 bytes: too large" in buffer.text()


def test_the_picture_escapes_payloads_and_scopes_its_css() -> None:
    steps = trace_length_prefixed([encode_length_prefixed(b"<b>&'\"", 1)], 1)
    markup = render_step_html(steps[-1])
    assert "<b>&" not in markup
    assert completed(parse_lanes(markup)["Completed frames"]) == ["<b>&'\""]
    assert markup.count("<style>") == 1
    css = markup.split("<style>")[1].split("</style>")[0]
    selectors = re.findall(r"(?:^|})\s*([^{}]+)\{", css)
    assert selectors and all(s.strip().startswith(".fcv") for s in selectors)
    classes = {c for node in parse(markup).find_all(lambda n: "class" in n.attrs)
               for c in node.classes}
    assert all(c.startswith("fcv") for c in classes)


def test_lanes_are_labelled_for_screen_readers() -> None:
    root = parse(render_step_html(WORKED[3]))
    figure = root.with_class("fcv")[0]
    assert figure.attrs["role"] == "figure" and "frame emitted" in figure.attrs["aria-label"]
    assert all(lane.attrs.get("role") == "group" for lane in root.with_class("fcv-lane"))
    assert all(span.attrs.get("title") for span in root.with_class("fcv-b")
               if not root.with_class("fcv-legend")[0].find_all(lambda n, s=span: n is s))


def test_text_rendering_shows_headers_in_brackets_and_frames_apart() -> None:
    text = render_step_text(_step(WORKED, Decision.CHUNK_APPENDED, 1))
    assert "recv() 2 brings 3 bytes" in text
    assert "incoming chunk  recv() 2: c | [02]h" in text
    assert "[03]abc | [02]h" in text
    assert "frame 2: 1 of 2 payload bytes" in text
    final = render_step_text(WORKED[-1])
    assert "1:b'abc', 2:b'hi', 3:b'ping'" in final


def test_the_html_module_does_not_import_ipywidgets() -> None:
    code = ("import sys, framinglib.visual, framinglib.visual.html; "
            "print('ipywidgets' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "False"


# --- a failing case ---------------------------------------------------------------------------

def _rows(markup: str) -> list[list[str]]:
    table = parse(markup).with_class("fcv-cmp")[0]
    return [[cell.text() for cell in row.find_all(lambda n: n.tag == "td")]
            for row in table.find_all(lambda n: n.tag == "tr")[1:]]


def test_failure_marks_the_first_frame_and_byte_that_differ() -> None:
    frames = [b"abc", b"hi", b"ping"]
    stream = b"".join(encode_length_prefixed(f, 4) for f in frames)
    chunks = [stream[:5], stream[5:13], stream[13:]]
    markup = render_failure_html(chunks, frames, [b"abc", b"hx", b"ping"], title="on_bytes")
    root = parse(markup)
    assert root.with_class("fcv-title")[0].text() == "on_bytes"
    assert "Frame 2 differs at byte 1: expected 0x69, received 0x78." in root.text()
    first = root.with_class("fcv-first")
    assert len(first) == 1 and first[0].text().startswith("2")
    assert [m.text() for m in first[0].with_class("fcv-mark")] == ["i", "x"]
    delivered = parse_lanes(markup)["Chunks as delivered"]
    assert [box.with_class("fcv-cap")[0].text() for box in delivered.with_class("fcv-chunk")
            ] == ["recv() 1 · 5 bytes", "recv() 2 · 8 bytes", "recv() 3 · 8 bytes"]
    assert [c.role for c in cells(delivered)][:5] == ["header"] * 4 + ["payload"]


@pytest.mark.parametrize(("received", "verdict", "status"), [
    ([b"abc"], "frame 2 never came out", "missing ← first difference"),
    ([b"abc", b"hi", b"hi"], "frame 3 is extra", "extra ← first difference"),
    ([b"abc", b"h"], "Frame 2 should be 2 bytes long but is 1", "differs ← first difference"),
    ([b"abc", "hi"], "Frame 2 is not bytes but str", "differs ← first difference"),
])
def test_failure_verdicts(received, verdict, status) -> None:
    markup = render_failure_html([b"\x03abc\x02hi"], [b"abc", b"hi"], received, header_size=1)
    assert verdict in parse(markup).text()
    assert [row[3] for row in _rows(markup) if "first" in row[3]] == [status]


def test_failure_escapes_whatever_the_learner_returned() -> None:
    hostile = ["<script>alert(1)</script>", b"<img src=x onerror=alert(1)>", None]
    markup = render_failure_html([b"\x01a"], [b"a"], hostile, header_size=1,
                                 title="<i>t</i>")
    assert "<script>" not in markup and "<img" not in markup and "<i>t" not in markup
    text = parse(markup).text()
    assert "not bytes: str '<script>alert(1)</script>'" in text
    assert "not bytes: NoneType None" in text
    assert "<img src=x onerror=alert(1)>" in text


def test_failure_with_many_and_large_frames_is_summarised_around_the_difference() -> None:
    expected = [b"%05d" % i for i in range(10_000)] + [b"z" * 1_000_000]
    received = list(expected)
    received[5000] = b"05O00"
    received[-1] = b"z" * 600_000 + b"y" + b"z" * 399_999
    stream = b"".join(encode_length_prefixed(f, 4) for f in expected)
    chunks = [stream[i : i + 1460] for i in range(0, len(stream), 1460)]
    markup = render_failure_html(chunks, expected, received)
    assert len(markup) < 60_000
    rows = _rows(markup)
    marked = [row for row in rows if "first difference" in row[-1]]
    assert marked and marked[0][0] == "5001"
    assert any("rows not shown" in row[0] for row in rows)
    assert "Frame 5001 differs at byte 2" in parse(markup).text()
    assert "chunks …" in parse_lanes(markup)["Chunks as delivered"].text()


def test_matching_frames_say_so() -> None:
    markup = render_failure_html([b"\x01a"], [b"a"], [b"a"], header_size=1)
    assert "All 1 frame match." in parse(markup).text()
    assert not parse(markup).with_class("fcv-first")


# --- a replay ---------------------------------------------------------------------------------

def test_replay_lists_each_recv_and_compares_with_the_messages() -> None:
    chunks = [b"\x03abc\x02hi", b"\x04ping"]
    steps = trace_length_prefixed(chunks, 1, decoder=NoLoopDecoder(1))
    markup = render_replay_html(chunks, steps, WORKED_EXAMPLE_MESSAGES, note="broken")
    lanes = parse_lanes(markup)
    stream = lanes["Stream as sent"]
    assert [c.position for c in cells(stream)] == list(range(12))
    assert len(stream.with_class("fcv-cut")) == 1
    film = lanes["After each recv()"]
    rows = film.find_all(lambda n: n.tag == "tr")[1:]
    assert [row.find_all(lambda n: n.tag == "th")[0].text() for row in rows] == [
        "recv() 1", "recv() 2"]
    assert "frame 2 · whole, stuck: not emitted" in rows[0].text()
    assert "Expected 3 frames, received 2: frame 3 never came out." in lanes["Frames out"].text()


class _StandIn:
    """Like the grader's placeholder for a received object that was not bytes."""

    type_name = "str"

    def __repr__(self) -> str:
        return "str(b'hi')"


def test_failure_names_a_stand_in_by_its_type_name() -> None:
    markup = render_failure_html([b"\x02hi"], [b"hi"], [_StandIn()], header_size=1)
    text = parse(markup).text()
    assert "Frame 1 is not bytes but str." in text
    assert "not bytes: str(b'hi')" in text


@pytest.mark.parametrize("header_size", [0, -1, True, "4"])
def test_failure_refuses_a_header_size_that_is_not_a_size(header_size) -> None:
    with pytest.raises(ValueError, match="header_size must be"):
        render_failure_html([b"\x01a"], [b"a"], [b"a"], header_size=header_size)


def test_failure_shows_what_a_correct_decoder_decides_at_the_difference() -> None:
    chunks = [b"\x03abc\x02hi", b"\x04ping"]  # two frames complete in the first recv()
    markup = render_failure_html(chunks, WORKED_EXAMPLE_MESSAGES, [b"abc"], header_size=1)
    lanes = parse_lanes(markup)
    correct = lanes["A correct decoder"]
    assert "emit frame 2, b'hi'" in correct.with_class("fcv-why")[0].text()
    assert completed(lanes["Completed frames"]) == ["abc", "hi"]
    assert frame_groups(lanes["Reassembly buffer"]) == []  # nothing left from recv() 1

    extra = render_failure_html(chunks, WORKED_EXAMPLE_MESSAGES,
                                [*WORKED_EXAMPLE_MESSAGES, b"?"], header_size=1)
    assert "buffer is empty" in parse_lanes(extra)["A correct decoder"].text()


def test_failure_leaves_out_the_correct_decoder_when_it_cannot_help() -> None:
    # The expected frames are not what a length-prefix decoder makes of these bytes.
    odd = render_failure_html([b"\x01a"], [b"b"], [b"c"], header_size=1)
    assert "A correct decoder" not in parse_lanes(odd)
    # Too long to trace again.
    big = [encode_length_prefixed(b"x" * 20_000, 4)]
    assert "A correct decoder" not in parse_lanes(
        render_failure_html(big, [b"x" * 20_000], [b"y"]))
    # Nothing differs.
    assert "A correct decoder" not in parse_lanes(
        render_failure_html([b"\x01a"], [b"a"], [b"a"], header_size=1))


def test_text_rendering_summarises_a_large_buffer() -> None:
    stream = b"".join(encode_length_prefixed(bytes([65 + i % 26]) * 40, 4) for i in range(100))
    step = trace_length_prefixed([stream[:3000], stream[3000:]], 4)[0]
    text = render_step_text(step)
    assert f"…({len(step.buffer) - 48:,} bytes)…" in text
    assert max(map(len, text.splitlines())) < 400
