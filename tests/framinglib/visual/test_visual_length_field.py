"""Pictures of real length fields: a ``LengthFieldDecoder``'s trace steps from frame to frame
by its own frame sizes (TLS records, PostgreSQL messages), and a plain prefix draws as before."""

from __future__ import annotations

from support.pictures import frame_groups, parse_lanes

from framinglib import LengthFieldDecoder, encode_length_prefixed
from framinglib.trace import Decision, trace_length_prefixed
from framinglib.visual import ReassemblyPlayer
from framinglib.visual._framing import LengthPrefixed
from framinglib.visual.html import render_step_html


def _tls_record(payload: bytes) -> bytes:
    return b"\x17\x03\x03" + len(payload).to_bytes(2, "big") + payload


def _pg_message(kind: bytes, body: bytes) -> bytes:
    return kind + (len(body) + 4).to_bytes(4, "big") + body


def _texts(frame: bytes) -> list[str]:
    """How the picture writes a frame's bytes: header bytes as hex, printable payload as text."""
    return [f"{byte:02x}" for byte in frame]


def _buffer_groups(chunks: list[bytes], decoder: LengthFieldDecoder, step_number: int = 0):
    steps = trace_length_prefixed(chunks, decoder.header_size, decoder=decoder)
    return steps, frame_groups(parse_lanes(render_step_html(steps[step_number]))[
        "Reassembly buffer"])


def test_a_tls_stream_is_boxed_record_by_record() -> None:
    records = [_tls_record(b"hi"), _tls_record(b"hello!"), _tls_record(b"x")]
    stream = b"".join(records)
    steps, groups = _buffer_groups([stream[:-2]], LengthFieldDecoder(3, 2))
    assert steps[0].decision is Decision.CHUNK_APPENDED
    sizes = [len(cells) for _, cells in groups]
    assert sizes == [7, 11, 4]  # two whole records, then 4 of the third's 6 bytes
    assert groups[0][1][:5] == _texts(records[0][:5])
    assert groups[0][1][5:] == ["h", "i"]
    assert groups[1][1][5:] == list("hello!")


def test_a_postgresql_stream_is_boxed_message_by_message() -> None:
    messages = [_pg_message(b"Z", b"I"), _pg_message(b"D", b"row-one"), _pg_message(b"C", b"")]
    stream = b"".join(messages)
    decoder = LengthFieldDecoder(1, 4, length_adjustment=-4, initial_bytes_to_strip=5)
    steps, groups = _buffer_groups([stream], decoder)
    assert [len(cells) for _, cells in groups] == [6, 12, 5]
    assert groups[1][1][5:] == list("row-one")
    # Once frames are emitted, the buffered ones still start where the messages do.
    emitted = [step for step in steps if step.decision is Decision.FRAME_EMITTED]
    assert [step.emitted for step in emitted] == [b"I", b"row-one", b""]
    later = trace_length_prefixed([stream[:8], stream[8:]], 5, decoder=LengthFieldDecoder(
        1, 4, length_adjustment=-4, initial_bytes_to_strip=5))
    first_emit = next(step for step in later if step.decision is Decision.FRAME_EMITTED)
    layout = LengthPrefixed(5).sized_as(first_emit).layout(
        first_emit.buffer, first_emit.buffer_start, first_emit.frames)
    assert layout.starts == [0, 6]


def test_an_impossible_length_is_not_stepped_over() -> None:
    # A PostgreSQL length below 4 would end the message before its own length field.
    decoder = LengthFieldDecoder(1, 4, length_adjustment=-4, initial_bytes_to_strip=5)
    stream = _pg_message(b"Z", b"I") + b"E\x00\x00\x00\x01rest"
    framing = LengthPrefixed(5).sized_as(
        trace_length_prefixed([stream[:3]], 5, decoder=decoder)[0])
    layout = framing.layout(stream)
    assert layout.starts == [0, 6]
    assert layout.role(12) == (-1, "unknown")


def test_the_player_draws_a_tls_stream_with_its_decoder() -> None:
    records = [_tls_record(b"ab"), _tls_record(b"cd")]
    player = ReassemblyPlayer([b"".join(records)], header_size=5,
                              decoder=LengthFieldDecoder(3, 2))
    assert player.index == 0
    page = player.static_html()
    groups = frame_groups(parse_lanes(page)["Reassembly buffer"])
    assert [len(cells) for _, cells in groups] == [7, 7]
    assert "frame = 7" in page  # the header's caption is the record's size, not 0x170303_0002
    assert "whole" in player.static_text()


def test_a_plain_prefix_draws_exactly_as_before() -> None:
    messages = [b"abc", b"hello", b""]
    wire = b"".join(encode_length_prefixed(m, 2) for m in messages)
    chunks = [wire[:3], wire[3:9], wire[9:]]
    plain = trace_length_prefixed(chunks, 2)
    assert all(step.frame_size is None for step in plain)
    assert "len = 3" in render_step_html(plain[1]) and "frame =" not in render_step_html(plain[1])
    # The same stream read as a length field at offset 0 is boxed the same way.
    field = trace_length_prefixed(chunks, 2, decoder=LengthFieldDecoder(0, 2,
                                                                        initial_bytes_to_strip=2))
    assert field[0].frame_size is not None
    for step, other in zip(plain, field, strict=True):
        assert (frame_groups(parse_lanes(render_step_html(step))["Reassembly buffer"])
                == frame_groups(parse_lanes(render_step_html(other))["Reassembly buffer"]))
