"""Time one slider change in the reassembly widgets, in the kernel (no browser).

A slider change costs the trait update, the re-trace (explorer only), the
HTML rendering and the widget state update; with learner code, the explorer
also replays that code on every new cutting (each call under a time bound)
and compares it with the reference. Each scenario moves a slider
through many positions and reports the median, mean and worst time per change,
against the 50 ms budget of the course's issue, and as a ratio to a baseline
measured in the same run: rendering one step with ``render_step_html`` alone.
Timings are printed, never asserted.

    .venv/bin/python benchmarks/visual.py
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from framinglib import (
    WORKED_EXAMPLE_CHUNKS,
    WORKED_EXAMPLE_MESSAGES,
    encode_length_prefixed,
    split_at,
    trace_length_prefixed,
)
from framinglib.visual import ChunkExplorer, ReassemblyPlayer
from framinglib.visual.html import render_step_html

BUDGET_MS = 50.0
SEGMENT = 1460


_BUFFER = bytearray()


def learner_on_bytes(chunk: bytes) -> None:
    """A correct lesson-3 answer, in the shape learners write it (module buffer and handle)."""
    _BUFFER.extend(chunk)
    while len(_BUFFER) >= 4:
        end = 4 + int.from_bytes(_BUFFER[:4], "big")
        if len(_BUFFER) < end:
            return
        frame = bytes(_BUFFER[4:end])
        del _BUFFER[:end]
        handle(frame)


def handle(frame: bytes) -> None:
    """Replaced by the widgets while they replay ``learner_on_bytes``."""


class LearnerLineDecoder:
    """A correct lesson-4 answer."""

    def __init__(self, max_length: int = 1024) -> None:
        self.max_length = max_length
        self._buffer = bytearray()

    def feed(self, data: bytes) -> list[bytes]:
        self._buffer.extend(data)
        lines = []
        while (end := self._buffer.find(b"\n")) >= 0:
            lines.append(bytes(self._buffer[:end]))
            del self._buffer[: end + 1]
        return lines


def _per_call_ms(action: Callable[[int], None], positions: list[int]) -> list[float]:
    times = []
    for position in positions:
        start = time.perf_counter()
        action(position)
        times.append((time.perf_counter() - start) * 1000)
    return times


def _four_kib_messages() -> list[bytes]:
    """Messages of assorted sizes whose 4-byte-header stream is exactly 4 KiB."""
    messages, total, size = [], 0, 3
    while total < 4096:
        size = size * 7 % 97 + 1
        take = min(size, 4096 - total - 4)
        messages.append(bytes(97 + (total + i) % 26 for i in range(take)))
        total += 4 + take
    return messages


def main() -> None:
    big = _four_kib_messages()
    big_stream = b"".join(encode_length_prefixed(m, 4) for m in big)
    assert len(big_stream) == 4096
    big_chunks = [big_stream[i : i + SEGMENT] for i in range(0, len(big_stream), SEGMENT)]

    worked_steps = trace_length_prefixed(WORKED_EXAMPLE_CHUNKS, 1)
    big_steps = trace_length_prefixed(big_chunks, 4)
    baseline = {
        "worked": statistics.median(
            _per_call_ms(lambda i: render_step_html(worked_steps[i % len(worked_steps)]),
                         list(range(200)))),
        "4 KiB": statistics.median(
            _per_call_ms(lambda i: render_step_html(big_steps[i % len(big_steps)]),
                         list(range(200)))),
    }

    player = ReassemblyPlayer(WORKED_EXAMPLE_CHUNKS, header_size=1)
    big_player = ReassemblyPlayer(big_chunks, header_size=4)
    explorer = ChunkExplorer()
    broken = ChunkExplorer()
    broken.broken.value = True
    big_explorer = ChunkExplorer(big, header_size=4)
    big_random = ChunkExplorer(big, header_size=4)
    big_random.mode.value = "random"
    big_random.chunk_count.value = 64
    wire = b"".join(encode_length_prefixed(m, 4) for m in WORKED_EXAMPLE_MESSAGES)
    compared = ReassemblyPlayer(split_at(wire, [6, 12, 19]), header_size=4,
                                learner=learner_on_bytes)
    compared_explorer = ChunkExplorer(WORKED_EXAMPLE_MESSAGES, header_size=4,
                                      learner=learner_on_bytes)
    lines_explorer = ChunkExplorer([b"hello", b"how are you?", b"bye"], delimiter=b"\n",
                                   learner=LearnerLineDecoder, max_frame_size=1024)
    big_compared = ChunkExplorer(big, header_size=4, learner=learner_on_bytes)
    big_compared_random = ChunkExplorer(big, header_size=4, learner=learner_on_bytes)
    big_compared_random.mode.value = "random"
    big_compared_random.chunk_count.value = 64

    def slide(slider, values):
        return lambda i: setattr(slider, "value", values[i % len(values)])

    def positions(slider) -> list[int]:
        values = list(range(slider.min, slider.max + 1))
        return values[::-1] + values  # every position, both ways

    scenarios = [
        ("worked", "player: step slider", slide(player.slider, positions(player.slider))),
        ("worked", "explorer: cut slider", slide(explorer.cut_sliders[0],
                                                 positions(explorer.cut_sliders[0]))),
        ("worked", "explorer, broken: cut slider",
         slide(broken.cut_sliders[0], positions(broken.cut_sliders[0]))),
        ("worked", "player + on_bytes: step slider",
         slide(compared.slider, positions(compared.slider))),
        ("worked", "explorer + on_bytes: cut slider",
         slide(compared_explorer.cut_sliders[0], positions(compared_explorer.cut_sliders[0]))),
        ("worked", "explorer + LineDecoder: cut slider",
         slide(lines_explorer.cut_sliders[0], positions(lines_explorer.cut_sliders[0]))),
        ("4 KiB", "player: step slider", slide(big_player.slider,
                                               positions(big_player.slider))),
        ("4 KiB", "explorer: cut slider",
         slide(big_explorer.cut_sliders[0], list(range(1, 4096, 37)))),
        ("4 KiB", "explorer: seed slider, 64 chunks",
         slide(big_random.seed, list(range(0, 200)))),
        ("4 KiB", "explorer + on_bytes: cut slider",
         slide(big_compared.cut_sliders[0], list(range(1, 4096, 37)))),
        ("4 KiB", "explorer + on_bytes: seed, 64 chunks",
         slide(big_compared_random.seed, list(range(0, 200)))),
    ]
    print(f"one slider change, in the kernel (budget {BUDGET_MS:.0f} ms); baseline = "
          "render_step_html of one step of the same stream")
    print(f"  baseline: worked example {baseline['worked']:.3f} ms, "
          f"4 KiB stream {baseline['4 KiB']:.3f} ms")
    print(f"{'stream':8} {'scenario':38} {'changes':>7} {'median ms':>10} {'mean ms':>8} "
          f"{'max ms':>8} {'x baseline':>10} {'of budget':>9}")
    for stream, name, action in scenarios:
        count = 200 if stream == "worked" else 110
        times = _per_call_ms(action, list(range(count)))
        median = statistics.median(times)
        print(f"{stream:8} {name:38} {len(times):7d} {median:10.2f} "
              f"{statistics.fmean(times):8.2f} {max(times):8.2f} "
              f"{median / baseline[stream]:10.1f} {median / BUDGET_MS:9.1%}")


if __name__ == "__main__":
    main()
