"""The pictures lessons 2-6 draw, made from fixed inputs, so a change can be shown to keep them.

``picture_markups()`` renders every kind of picture (a trace step as HTML and text, a
replay with and without the learner's code, a failing case, the grader's feedback for a
failure) for the framings those lessons use: length headers of 1, 2 and 4 bytes in either
byte order, delimiters, a ``LengthFieldDecoder``'s steps, a broken decoder, a refused
header. ``trace_texts()`` does the same for the decision traces themselves.
``tests/support/pictures_before.json`` holds the SHA-256 of each, recorded before the
framings were described on failures (issue 14); ``.venv/bin/python
tests/support/picture_cases.py`` records them again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from pathlib import Path

from framinglib import (
    WORKED_EXAMPLE_MESSAGES,
    LengthFieldDecoder,
    encode_length_prefixed,
    split_at,
    split_every,
)
from framinglib.trace import trace_delimited, trace_length_prefixed
from framinglib.visual._framing import Delimited, LengthPrefixed
from framinglib.visual._learner import learner_code
from framinglib.visual._parting import compare
from framinglib.visual.html import (
    render_failure_html,
    render_replay_html,
    render_step_html,
    render_step_text,
)
from framinglib.visual.teaching import NoLoopDecoder

RECORD = Path(__file__).with_name("pictures_before.json")

WIRE4 = b"".join(encode_length_prefixed(m, 4) for m in WORKED_EXAMPLE_MESSAGES)
WIRE2_LITTLE = b"".join(encode_length_prefixed(m, 2, "little") for m in [b"abc", b"", b"xyz!"])
WIRE1 = b"".join(encode_length_prefixed(m, 1) for m in [b"a", b"bc", b"\x00\xff"])
LINES = b"hello\nhow are you?\n\nbye\n"
CRLF = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"
HOSTILE = encode_length_prefixed(b"hello", 4) + b"GET / HTTP/1.1\r\n"


def _tls(payload: bytes) -> bytes:
    return b"\x17\x03\x03" + len(payload).to_bytes(2, "big") + payload


def _pg(kind: bytes, body: bytes) -> bytes:
    return kind + (len(body) + 4).to_bytes(4, "big") + body


TLS = _tls(b"hi") + _tls(b"hello!") + _tls(b"x")
PG = _pg(b"Z", b"I") + _pg(b"D", b"row-one") + _pg(b"C", b"")


class _NotBytes:
    """A received item that was not bytes, as the grader's feedback passes one."""

    type_name = "bytearray"

    def __repr__(self) -> str:
        return "bytearray(b'abc')"


def _no_loop_on_bytes() -> Callable[..., None]:
    """Lesson 3's classic mistake: one frame per call, as a module-level on_bytes."""
    namespace: dict[str, object] = {}
    exec(  # noqa: S102 - fixed test source
        "buffer = b''\n"
        "def handle(frame):\n    pass\n"
        "def on_bytes(chunk):\n"
        "    global buffer\n"
        "    buffer += chunk\n"
        "    if len(buffer) >= 4:\n"
        "        n = int.from_bytes(buffer[:4], 'big')\n"
        "        if len(buffer) >= 4 + n:\n"
        "            handle(buffer[4:4 + n])\n"
        "            buffer = buffer[4 + n:]\n",
        namespace,
    )
    return namespace["on_bytes"]  # type: ignore[return-value]


class _DropsEmptyLines:
    """Lesson 4's mistake: a line decoder that drops empty lines."""

    def __init__(self, max_length: int = 1024) -> None:
        self.buffer = b""

    def feed(self, data: bytes) -> list[bytes]:
        self.buffer += data
        *lines, self.buffer = self.buffer.split(b"\n")
        return [line for line in lines if line]


_TRACES: dict[str, Callable[[], list]] = {
    "4-byte worked": lambda: trace_length_prefixed(split_at(WIRE4, [6, 12, 19]), 4),
    "4-byte every byte": lambda: trace_length_prefixed(split_every(WIRE4[:14], 1), 4),
    "2-byte little": lambda: trace_length_prefixed(split_at(WIRE2_LITTLE, [1, 5, 8]), 2,
                                                   "little"),
    "1-byte": lambda: trace_length_prefixed([WIRE1[:2], WIRE1[2:]], 1),
    "4-byte broken": lambda: trace_length_prefixed([WIRE4], 4, decoder=NoLoopDecoder(4)),
    "4-byte hostile": lambda: trace_length_prefixed(split_at(HOSTILE, [7, 11]), 4,
                                                    max_frame_size=1024),
    "4-byte unfinished": lambda: trace_length_prefixed([WIRE4[:-3]], 4),
    "tls": lambda: trace_length_prefixed(split_at(TLS, [4, 9]), 5,
                                         decoder=LengthFieldDecoder(3, 2)),
    "pg strip": lambda: trace_length_prefixed(split_at(PG, [3, 8]), 5, decoder=LengthFieldDecoder(
        1, 4, length_adjustment=-4, initial_bytes_to_strip=5)),
    "pg impossible": lambda: trace_length_prefixed([_pg(b"Z", b"I") + b"D\x00\x00\x00\x01"], 5,
                                                   decoder=LengthFieldDecoder(
                                                       1, 4, length_adjustment=-4)),
    "lines": lambda: trace_delimited(split_at(LINES, [3, 7, 20]), b"\n"),
    "lines every byte": lambda: trace_delimited(split_every(LINES[:9], 1), b"\n"),
    "crlf": lambda: trace_delimited(split_at(CRLF, [15, 17, 25]), b"\r\n"),
    "lines too long": lambda: trace_delimited([b"ok\n", b"x" * 40], b"\n", 16),
    "lines unfinished": lambda: trace_delimited([LINES[:-2]], b"\n"),
}

_FRAMINGS = {"2-byte little": LengthPrefixed(2, "little"), "lines": Delimited(b"\n"),
             "lines every byte": Delimited(b"\n"), "crlf": Delimited(b"\r\n"),
             "lines too long": Delimited(b"\n", 16), "lines unfinished": Delimited(b"\n")}


def trace_texts() -> Iterator[tuple[str, str]]:
    """Every step of every trace above, as ``repr`` (the explanations included)."""
    for name, make in _TRACES.items():
        yield f"trace {name}", "\n".join(repr(step) for step in make())


def _failures() -> Iterator[tuple[str, str]]:
    messages = list(WORKED_EXAMPLE_MESSAGES)
    chunks = split_at(WIRE4, [6, 12, 19])
    wrong = [messages[0], b"w" + messages[1][1:], *messages[2:]]
    yield "failure differs", render_failure_html(chunks, messages, wrong, 4, title="frames")
    yield "failure missing", render_failure_html(chunks, messages, messages[:1], 4)
    yield "failure extra", render_failure_html(chunks, messages, [*messages, b"x"], 4)
    yield "failure same", render_failure_html(chunks, messages, messages, 4, title="same")
    yield "failure not bytes", render_failure_html(chunks, messages,
                                                   [_NotBytes(), 3, "<b>x</b>"], 4)
    yield "failure little", render_failure_html(split_at(WIRE2_LITTLE, [3]),
                                                [b"abc", b"", b"xyz!"], [b"abc"], 2,
                                                byteorder="little")
    yield "failure 1-byte", render_failure_html([WIRE1], [b"a", b"bc", b"\x00\xff"], [b"a"], 1)
    yield "failure hostile", render_failure_html(split_at(HOSTILE, [7, 11]), [b"hello"],
                                                 [b"hello", b"GET "], 4)
    many = [bytes([65 + n % 26]) * (n % 7) for n in range(40)]
    stream = b"".join(encode_length_prefixed(m, 4) for m in many)
    yield "failure many", render_failure_html(split_every(stream, 13), many,
                                              many[:20] + [b"?"] + many[21:], 4)
    large = [b"L" * 20_000, b"s"]
    yield "failure large", render_failure_html(
        [b"".join(encode_length_prefixed(m, 4) for m in large)], large, large[:1], 4)
    yield "failure lines", render_failure_html(split_at(LINES, [3, 7]),
                                               [b"hello", b"how are you?", b"", b"bye"],
                                               [b"hello", b"how are you?", b"bye"], 0,
                                               delimiter=b"\n")
    yield "failure crlf", render_failure_html([CRLF], [b"GET / HTTP/1.1", b"Host: x", b""],
                                              [b"GET / HTTP/1.1"], delimiter=b"\r\n")


def _steps() -> Iterator[tuple[str, str]]:
    for name, make in _TRACES.items():
        framing = _FRAMINGS.get(name)
        for number, step in enumerate(make()):
            order = "little" if name == "2-byte little" else "big"
            yield (f"step {name} {number}",
                   render_step_html(step, byteorder=order, framing=framing))
            yield (f"text {name} {number}",
                   render_step_text(step, byteorder=order, framing=framing))


def _replays() -> Iterator[tuple[str, str]]:
    four = LengthPrefixed(4)
    cases = [
        ("worked", split_at(WIRE4, [3]), four, list(WORKED_EXAMPLE_MESSAGES),
         _no_loop_on_bytes()),
        ("lines", split_at(LINES, [3, 7, 20]), Delimited(b"\n"),
         [b"hello", b"how are you?", b"", b"bye"], _DropsEmptyLines),
    ]
    for name, chunks, framing, messages, code in cases:
        steps = framing.trace(chunks)
        yield f"replay {name}", render_replay_html(chunks, steps, messages, framing=framing,
                                                   note=name)
        run = learner_code(code).replay(chunks, time_limit=5.0, max_frames=1000)
        comparison = compare(steps, chunks, run)
        yield f"replay {name} learner", render_replay_html(chunks, steps, messages,
                                                           framing=framing,
                                                           comparison=comparison)
        for number, step in enumerate(steps):
            beside = comparison.beside(number)
            yield (f"beside {name} {number}",
                   render_step_html(step, framing=framing, beside=beside))
            yield (f"beside text {name} {number}",
                   render_step_text(step, framing=framing, beside=beside))
    tls_steps = _TRACES["tls"]()
    yield "replay tls", render_replay_html(split_at(TLS, [4, 9]), tls_steps, [b"hi"])


def _feedback() -> Iterator[tuple[str, str]]:
    from grader.checks.base import Failure
    from grader.feedback import render_task_html
    from grader.grading import TaskResult

    messages = list(WORKED_EXAMPLE_MESSAGES)
    failures = [
        Failure("four", "wrong frames", "a hint", split_at(WIRE4, [6, 12]), messages,
                messages[:2], ["bytes", "bytearray"]),
        Failure("lines", "lost a line", "", split_at(LINES, [3]),
                [b"hello", b"how are you?", b"", b"bye"], [b"hello"], header_size=0,
                delimiter=b"\n"),
        Failure("plain", "no picture", "", [b"abc"], [], [], header_size=0),
        Failure("same", "a missing ValueError", "", [WIRE4], messages, messages),
    ]
    result = TaskResult("Task", 1.0, 4.0, failures, ["passed_check"])
    yield "feedback", render_task_html(result)


def picture_markups() -> Iterator[tuple[str, str]]:
    """(name, markup) for every picture above."""
    yield from _failures()
    yield from _steps()
    yield from _replays()
    yield from _feedback()


def digests() -> dict[str, str]:
    """The SHA-256 of every picture and trace, by name."""
    out = {}
    for name, text in [*trace_texts(), *picture_markups()]:
        assert name not in out, name
        out[name] = hashlib.sha256(text.encode()).hexdigest()
    return out


if __name__ == "__main__":
    RECORD.write_text(json.dumps(digests(), indent=1, sort_keys=True) + "\n")
    print(f"recorded {len(digests())} digests in {RECORD}")
