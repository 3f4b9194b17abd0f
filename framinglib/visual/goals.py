"""Tasks the chunk explorer checks by itself: "find a cut where one recv() completes two frames".

A ``Goal`` is a sentence and a test of one ``Cutting`` (the stream, its
chunks, the reference's trace, what was replayed). The explorer shows its
goals as a list and ticks each one the first time the learner's cutting
reaches it; a tick stays when the cuts move on. ``default_goals`` picks the
ones that fit a stream; any function of a ``Cutting`` makes a new goal.

This module imports no ipywidgets.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from framinglib.trace import Decision, Step

from ._framing import Delimited, Framing, LengthPrefixed
from ._parting import Comparison

__all__ = [
    "Cutting",
    "Goal",
    "broken_loses_a_frame",
    "cut_between_header_and_payload",
    "cut_inside_delimiter",
    "cut_inside_header",
    "cut_right_before_delimiter",
    "default_goals",
    "goal_status",
    "one_recv_per_byte",
    "refused_with_header_split",
    "two_frames_in_one_recv",
    "whole_stream_in_one_recv",
    "your_code_parts",
    "your_code_survives_two_frames",
]


@dataclass(frozen=True)
class Cutting:
    """One cutting of the explorer's stream, and what replaying it gave."""

    framing: Framing
    stream: bytes
    chunks: tuple[bytes, ...]
    #: The reference decoder's trace of ``chunks`` (whatever decoder is on show).
    reference: tuple[Step, ...]
    #: ``"reference"`` or ``"broken"``: the decoder whose frames are on show.
    decoder: str
    #: The frames the decoder on show delivered, and the messages that were sent.
    frames: tuple[bytes, ...]
    messages: tuple[bytes, ...]
    comparison: Comparison | None = None
    cuts: tuple[int, ...] = field(init=False)

    def __post_init__(self) -> None:
        cuts, total = [], 0
        for chunk in self.chunks[:-1]:
            total += len(chunk)
            cuts.append(total)
        object.__setattr__(self, "cuts", tuple(cuts))

    def frame_starts(self) -> list[int]:
        """Where each frame of the stream begins."""
        return self.framing.layout(self.stream).starts

    def frames_per_recv(self) -> list[int]:
        """How many frames the reference completed in each recv()."""
        counts = [0] * len(self.chunks)
        for step in self.reference:
            if step.decision is Decision.FRAME_EMITTED:
                counts[step.chunk_index] += 1
        return counts


@dataclass(frozen=True)
class Goal:
    """A task for the learner: ``text`` to show, ``reached`` to test a cutting with."""

    text: str
    reached: Callable[[Cutting], bool]
    #: Shown under an open goal: how to start.
    hint: str = ""


def two_frames_in_one_recv() -> Goal:
    """Some recv() completes two frames or more."""
    return Goal("Find a cutting where one recv() completes two frames.",
                lambda c: any(n >= 2 for n in c.frames_per_recv()),
                "Remove cuts until one chunk holds the end of a frame and all of the next.")


def cut_inside_header() -> Goal:
    """A cut falls strictly inside a length header."""
    def test(cutting: Cutting) -> bool:
        size = cutting.framing.header_size
        starts = cutting.frame_starts()
        return any(start < cut < start + size for cut in cutting.cuts for start in starts)
    return Goal("Cut inside a header, so the length arrives in two pieces.", test,
                "Put a cut one or two bytes after a frame's first byte.")


def cut_between_header_and_payload() -> Goal:
    """A cut falls right after a whole header, before its payload."""
    def test(cutting: Cutting) -> bool:
        size = cutting.framing.header_size
        starts = set(cutting.frame_starts())
        ends = {start + size for start in starts} - starts
        return any(cut in ends for cut in cutting.cuts)
    return Goal("Cut right after a header: the length is known, none of the payload is.",
                test, "Put a cut just after a frame's first byte (its header).")


def cut_inside_delimiter() -> Goal:
    """A cut falls strictly inside a multi-byte delimiter (between ``\\r`` and ``\\n``)."""
    def test(cutting: Cutting) -> bool:
        framing = cutting.framing
        if not isinstance(framing, Delimited):
            return False
        ends = framing.layout(cutting.stream).ends
        width = len(framing.delimiter)
        return any(end < cut < end + width for cut in cutting.cuts for end in ends)
    return Goal("Cut inside a delimiter, so it arrives in two pieces.", test,
                "Put a cut between the two bytes that end a line.")


def cut_right_before_delimiter() -> Goal:
    """A cut falls just before a delimiter: the line is all there, its end is not."""
    def test(cutting: Cutting) -> bool:
        framing = cutting.framing
        if not isinstance(framing, Delimited):
            return False
        ends = set(framing.layout(cutting.stream).ends)
        return any(cut in ends for cut in cutting.cuts)
    return Goal("Cut just before a delimiter: every byte of the line is there but its end.",
                test, "Put a cut right before a line's last byte.")


def broken_loses_a_frame() -> Goal:
    """With the broken decoder on, fewer frames come out than were sent."""
    return Goal("Make the broken decoder lose a frame.",
                lambda c: c.decoder == "broken" and c.frames != c.messages,
                "Tick the broken decoder, then find a cutting that leaves a frame stuck.")


def one_recv_per_byte() -> Goal:
    """Every byte arrives in a recv() of its own."""
    return Goal("Deliver the stream one byte per recv().",
                lambda c: len(c.stream) > 1 and all(len(chunk) == 1 for chunk in c.chunks),
                "Type every position into the cut box, or add cuts until none can be added.")


def whole_stream_in_one_recv() -> Goal:
    """The whole stream arrives in one recv()."""
    return Goal("Deliver the whole stream in one recv().",
                lambda c: len(c.chunks) == 1, "Remove every cut.")


def refused_with_header_split() -> Goal:
    """The oversized header arrives in two pieces and is refused when its last byte comes."""
    def test(cutting: Cutting) -> bool:
        if not cutting.reference or cutting.reference[-1].decision is not \
                Decision.FRAME_TOO_LARGE:
            return False
        refused = cutting.reference[-1]
        header_start = refused.buffer_start
        size = cutting.framing.header_size
        return any(header_start < cut < header_start + size for cut in cutting.cuts)
    return Goal("Split the oversized header across two recv() calls: it is refused as soon "
                "as its last byte arrives, before any payload.", test,
                "Put a cut inside the header that announces too much.")


def your_code_parts() -> Goal:
    """The learner's code parts from the reference on this cutting."""
    return Goal("Find a cutting where your code parts from the reference.",
                lambda c: c.comparison is not None and c.comparison.parted,
                "Try the whole stream in one recv(), then one byte per recv().")


def your_code_survives_two_frames() -> Goal:
    """The learner's code agrees with the reference on a cutting where one recv() brings two."""
    return Goal("Check that your code agrees with the reference when one recv() completes "
                "two frames.",
                lambda c: c.comparison is not None and not c.comparison.parted and any(
                    n >= 2 for n in c.frames_per_recv()),
                "Remove cuts until one chunk completes two frames, and compare.")


def default_goals(framing: Framing, *, learner: bool, broken: bool, hostile: bool
                  ) -> list[Goal]:
    """The goals that fit a stream: its framing, learner code or not, a refused header or not."""
    if hostile:
        goals = [refused_with_header_split()] if isinstance(framing, LengthPrefixed) and (
            framing.header_size > 1) else []
        goals.append(whole_stream_in_one_recv())
        return goals
    goals = [two_frames_in_one_recv()]
    if isinstance(framing, Delimited):
        goals.append(cut_inside_delimiter() if len(framing.delimiter) > 1
                     else cut_right_before_delimiter())
    elif framing.header_size > 1:
        goals.append(cut_inside_header())
    else:
        goals.append(cut_between_header_and_payload())
    if learner:
        goals.append(your_code_survives_two_frames())
    elif broken:
        goals.append(broken_loses_a_frame())
    return goals


def goal_status(goals: Sequence[Goal], cutting: Cutting) -> list[bool]:
    """Which of ``goals`` this cutting reaches (a goal whose test raises is not reached)."""
    status = []
    for goal in goals:
        try:
            status.append(bool(goal.reached(cutting)))
        except Exception:  # noqa: BLE001 - a goal written in a notebook may be wrong
            status.append(False)
    return status
