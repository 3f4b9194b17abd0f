"""The ``LengthField`` framing: a real protocol's header drawn by what its bytes are, from a real
``LengthFieldDecoder``; messages compared as ``(type, body)`` pairs; framings as plain JSON."""

from __future__ import annotations

import json
import re

import pytest
from support.pictures import cells, frame_groups, parse_lanes

from framinglib import LengthFieldDecoder, split_at
from framinglib.trace import Decision
from framinglib.visual._framing import (
    Delimited,
    LengthField,
    LengthPrefixed,
    framing_from_description,
)
from framinglib.visual.html import render_failure_html, render_step_html

PG = LengthField(1, 4, -4, leading="type", message_parts=("type", "body"))


def _pg(kind: bytes, body: bytes) -> bytes:
    return kind + (len(body) + 4).to_bytes(4, "big") + body


STREAM = _pg(b"Z", b"I") + _pg(b"D", b"row") + _pg(b"C", b"")
MESSAGES = [(b"Z", b"I"), (b"D", b"row"), (b"C", b"")]


def _titles(markup: str, lane: str) -> dict[int, str]:
    """What each byte cell of a lane says it is, by stream offset."""
    found = {}
    for cell in parse_lanes(markup)[lane].with_class("fcv-b"):
        match = re.match(r"byte (\d+) of the stream: (.*), value", cell.attrs.get("title", ""))
        if match:
            found[int(match[1])] = match[2]
    return found


# --- the framing asks the real decoder ---------------------------------------------------------

def test_its_trace_and_reference_are_a_real_length_field_decoder() -> None:
    chunks = split_at(STREAM, [3, 9])
    assert isinstance(PG.reference(), LengthFieldDecoder)
    # Chunks of 3, 6 and 11 bytes: the type and 2 length bytes wait for the rest of the
    # 5-byte header; then the 6-byte Z message comes out and "D" plus 2 length bytes wait;
    # then the D and C messages come out and nothing is left.
    D = Decision
    assert [step.decision for step in PG.trace(chunks)] == [
        D.CHUNK_APPENDED, D.WAIT_HEADER,
        D.CHUNK_APPENDED, D.FRAME_EMITTED, D.LEFTOVER_KEPT, D.WAIT_HEADER,
        D.CHUNK_APPENDED, D.FRAME_EMITTED, D.FRAME_EMITTED, D.BUFFER_EMPTY]
    frames = [s.emitted for s in PG.trace(chunks) if s.decision is Decision.FRAME_EMITTED]
    assert [PG.message(frame) for frame in frames] == MESSAGES
    assert PG.layout(STREAM).starts == [0, 6, 14]
    assert PG.header_size == 5 and PG.overhead == 5 and PG.payload_length(STREAM[:5]) == 1
    assert PG.describe() == "1-byte type, then a 4-byte big-endian length that counts itself"
    assert LengthField(3, 2).describe() == (
        "3-byte header, then a 2-byte big-endian length of what follows it")
    # HTTP/2-like: stripped frames cannot be re-encoded.
    with pytest.raises(ValueError, match="stripped"):
        LengthField(0, 3, 0, 3).encode([b"x"])
    assert PG.encode([_pg(b"Z", b"I")]) == _pg(b"Z", b"I")


@pytest.mark.parametrize("settings, words", [
    ({"length_field_size": 5}, "length_field_size"),
    ({"message_parts": ("type",)}, "two names"),
    ({"message_parts": ("type", "body"), "initial_bytes_to_strip": 5}, "initial_bytes_to_strip=0"),
    ({"leading": ""}, "leading"),
])
def test_a_framing_that_cannot_work_is_refused_by_name(settings, words) -> None:
    with pytest.raises(ValueError, match=words):
        LengthField(1, **{"length_field_size": 4, **settings})


# --- descriptions as plain JSON ----------------------------------------------------------------

@pytest.mark.parametrize("framing", [LengthPrefixed(4), LengthPrefixed(2, "little", 99),
                                     Delimited(b"\r\n"), PG, LengthField(3, 2)])
def test_every_framing_survives_a_trip_through_json(framing) -> None:
    text = json.dumps(framing.description())
    assert framing_from_description(json.loads(text)) == framing


@pytest.mark.parametrize("description, words", [
    ({"kind": "varint"}, "unknown framing kind 'varint'"),
    ({"kind": "length_prefix", "delimiter": "0a"}, "takes no delimiter"),
    ({"kind": "delimited", "delimiter": "zz"}, "hex"),
    ({"kind": "length_prefix", "header_size": 0}, "header_size"),
    ({"kind": "length_field", "length_field_offset": "1"}, "length_field_offset"),
    ([1, 2], "mapping"),
])
def test_a_bad_description_is_a_clear_error(description, words) -> None:
    with pytest.raises(ValueError, match=words):
        framing_from_description(description)


# --- the failure picture of a PostgreSQL stream --------------------------------------------------

def test_a_failure_names_the_type_byte_and_the_self_counting_length_at_their_offsets() -> None:
    markup = render_failure_html(split_at(STREAM, [8]), MESSAGES, MESSAGES[:1],
                                 framing=PG.description())
    titles = _titles(markup, "Chunks as delivered")
    assert titles[0] == "type of frame 1"
    assert [titles[i] for i in range(1, 5)] == ["length field of frame 1"] * 4
    assert titles[5] == "payload of frame 1"
    assert titles[6] == "type of frame 2"
    assert [titles[i] for i in range(7, 11)] == ["length field of frame 2"] * 4
    assert [titles[i] for i in range(11, 14)] == ["payload of frame 2"] * 3
    assert titles[14] == "type of frame 3"
    lane = parse_lanes(markup)["Chunks as delivered"]
    assert "a 4-byte big-endian length that counts itself" in lane.attrs["aria-label"]
    # The correct decoder's step: a buffer boxed message by message, the length read as such.
    reference = parse_lanes(markup)["A correct decoder"]
    assert "emit frame 2" in reference.text()
    captions = [n.text() for n in reference.with_class("fcv-sub")]
    assert "type" in captions and "len = 4: frame of 5" in captions
    assert "message 2 never came out" in parse_lanes(markup)["Messages"].text()


def test_messages_are_compared_as_pairs_and_anything_else_is_described_by_type() -> None:
    class Sneaky:
        def __eq__(self, other):
            return True

        def __repr__(self):
            return "<script>x</script>"

    markup = render_failure_html([STREAM], MESSAGES, [(b"Z", b"I"), (b"D", b"rox"), Sneaky()],
                                 framing=PG)
    lane = parse_lanes(markup)["Messages"]
    assert "Message 2's body differs at byte 2: expected 0x77, received 0x78." in lane.text()
    assert "<script>" not in markup and "not bytes: Sneaky" in lane.text()
    assert lane.with_class("fcv-mark")[0].text() == "w"  # marked in the expected body first
    cases = {
        "int first": ([(90, b"I")], "Message 1's type is not bytes but int."),
        "a list": ([[b"Z", b"I"]], "Message 1 is not a (type, body) tuple but list."),
        "bytes": ([b"ZI"], "Message 1 is not a (type, body) tuple but bytes."),
        "three parts": ([(b"Z", b"I", b"")], "Message 1 is a tuple of 3 parts, not the 2 of"),
        "short type": ([(b"", b"I")], "Message 1's type should be 1 byte long but is 0."),
        "none": ([], "Expected 3 messages, received 0: message 1 never came out."),
    }
    for name, (received, verdict) in cases.items():
        text = parse_lanes(render_failure_html([STREAM], MESSAGES, received, framing=PG)
                           )["Messages"].text()
        assert verdict in text, name
    same = render_failure_html([STREAM], MESSAGES, [(bytearray(b"Z"), b"I"), *MESSAGES[1:]],
                               framing=PG)
    assert "All 3 messages match." in parse_lanes(same)["Messages"].text()


def test_a_step_drawn_in_the_framing_captions_the_fields() -> None:
    steps = PG.trace([STREAM[:3], STREAM[3:]])
    groups = frame_groups(parse_lanes(render_step_html(steps[0], framing=PG))[
        "Reassembly buffer"])
    assert groups[0][1] == ["5a", "00", "00"]
    markup = render_step_html(steps[0], framing=PG)
    assert "len (2 of 4 bytes)" in markup and ">type<" in markup
    whole = render_step_html(steps[-1], framing=PG)
    # The second chunk starts inside the first length field (stream offset 3).
    assert [c.role for c in cells(parse_lanes(whole)["Incoming chunk"])][:8] == [
        "header", "header", "payload", *["header"] * 5]
