"""Lesson 4's claims that code can check, and the learner's LineDecoder in the explorer."""

from __future__ import annotations

import re
import struct

from answers import answer_source
from support.notebook_support import read, source_path

from framinglib.visual import ChunkExplorer

LESSON = "04-delimiters"


def cells() -> dict[str, str]:
    return {cell.id: cell.source for cell in read(source_path(LESSON)).cells}


def test_the_fixed_size_prose_states_the_size_the_code_packs() -> None:
    source = cells()
    fmt = re.search(r'READING = "([^"]+)"', source["fixed-demo"]).group(1)
    size = struct.calcsize(fmt)
    assert f"{size} bytes" in source["fixed-idea"], (fmt, size, source["fixed-idea"])
    assert "16 bytes" not in source["fixed-idea"]


def test_the_cost_table_no_longer_says_a_length_prefix_costs_nothing_per_byte() -> None:
    table = cells()["cost-summary"]
    row = next(line for line in table.splitlines() if line.startswith("| receiver work per byte"))
    length_prefix = row.split("|")[2]
    assert "none" not in length_prefix.lower() and "copy" in length_prefix.lower(), row


def test_latency_is_pinned_on_the_interface_not_on_length_prefixes() -> None:
    source = cells()
    assert "frame-at-a-time" in source["latency-intro"]
    assert "Content-Length" in source["latency-note"]


def test_the_explorer_marks_where_a_broken_line_decoder_parts() -> None:
    namespace: dict[str, object] = {}
    exec(answer_source("LineDecoder", "correct", sorted_first("LineDecoder")), namespace)
    good = ChunkExplorer([b"hello", b"how are you?", b"bye"], delimiter=b"\n",
                         learner=namespace["LineDecoder"], max_frame_size=1024)
    assert "agrees with the reference" in good.static_text()

    class OneLinePerFeed:
        """A classic mistake: returns at most one line per feed call."""

        def __init__(self, max_length: int = 1024) -> None:
            self.held = bytearray()

        def feed(self, data: bytes) -> list[bytes]:
            self.held += data
            end = self.held.find(b"\n")
            if end < 0:
                return []
            line = bytes(self.held[:end])
            del self.held[: end + 1]
            return [line]

    broken = ChunkExplorer([b"hello", b"how are you?", b"bye"], delimiter=b"\n",
                           learner=OneLinePerFeed, max_frame_size=1024)
    assert "parts from the reference" in broken.static_text()


def sorted_first(task: str) -> str:
    from answers import answer_files

    return answer_files(task, "correct")[0].stem
