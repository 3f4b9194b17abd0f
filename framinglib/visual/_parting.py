"""Where a learner's code parts from the reference decoder, replayed on the same chunks.

The reference's trace has several steps per recv(); learner code is seen once
per recv(), when its call is over. After each recv() the frames handed over
so far are compared with the reference's, and the refusals too (an oversized
header must be refused in the call that completes it). The first recv() where
they differ is where the two part, and within it the step to mark is the
reference's emission of the first frame that differs (or the recv()'s first
step, for code that raised or was stopped; or its last, for a frame handed
over early).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from framinglib.trace import Decision, Step

from ._compare import as_frame, first_difference, type_name
from ._learner import LearnerRun, LearnerStep

__all__ = ["Beside", "Comparison", "Parting", "compare"]


def _show(item: object, limit: int = 24) -> str:
    frame = as_frame(item)
    if frame is None:
        text = repr(item)
        return text[:40] + ("…" if len(text) > 40 else "")
    return repr(frame[:limit]) + ("…" if len(frame) > limit else "")


@dataclass(frozen=True)
class Parting:
    """The first place where the learner's code and the reference differ."""

    chunk_index: int
    #: The reference step to mark "parted here" (an index into the trace).
    step_index: int
    reason: str
    #: The frame (from 0) that differs, when frames are what differ.
    frame: int | None = None


@dataclass(frozen=True)
class Beside:
    """The learner's code as seen at one step of the reference's trace."""

    name: str
    buffer_name: str
    #: What is called with each chunk: ``on_bytes`` or ``feed``.
    call: str
    state: LearnerStep
    #: The stream up to the end of this step's recv(), to place the held bytes in it.
    seen: bytes
    parting: Parting | None
    #: The reference step this is drawn beside (an index into the trace).
    step_index: int
    #: A note when both refused (what the reference keeps that the learner may lose).
    note: str = ""

    @property
    def here(self) -> bool:
        """This is the step where they part."""
        return self.parting is not None and self.parting.step_index == self.step_index

    @property
    def parted_before(self) -> bool:
        return self.parting is not None and self.step_index > self.parting.step_index


@dataclass(frozen=True)
class Comparison:
    """A learner run set against the reference trace of the same chunks."""

    run: LearnerRun
    steps: tuple[Step, ...]
    chunks: tuple[bytes, ...]
    parting: Parting | None
    note: str = ""

    @property
    def parted(self) -> bool:
        return self.parting is not None

    def beside(self, step_index: int) -> Beside:
        """What to draw beside reference step ``step_index``."""
        step = self.steps[step_index]
        index = step.chunk_index
        seen = b"".join(self.chunks[: index + 1])
        return Beside(self.run.name, self.run.buffer_name, self.run.call, self.run.at(index), seen,
                      self.parting, step_index, self.note)

    def verdict(self) -> str:
        """One sentence for the whole replay, starting with the code's name."""
        text = self._verdict()
        return text[:1].upper() + text[1:]

    def _verdict(self) -> str:
        if self.parting is None:
            last = self.run.steps[-1] if self.run.steps else None
            count = len(last.frames) if last else 0
            ending = f" {self.note}" if self.note else ""
            return (f"{self.run.name} agrees with the reference on every recv(): "
                    f"{count:,} frame{'s' if count != 1 else ''} handed over.{ending}")
        parting = self.parting
        reason = parting.reason[:1].upper() + parting.reason[1:]
        return (f"{self.run.name} parts from the reference at step {parting.step_index + 1}, "
                f"recv() {parting.chunk_index + 1}. {reason}")


def _steps_by_chunk(steps: Sequence[Step]) -> dict[int, list[int]]:
    groups: dict[int, list[int]] = {}
    for number, step in enumerate(steps):
        groups.setdefault(step.chunk_index, []).append(number)
    return groups


def compare(steps: Sequence[Step], chunks: Sequence[bytes], run: LearnerRun) -> Comparison:
    """Set ``run`` (the learner's replay of ``chunks``) against the reference ``steps``."""
    steps, chunks = tuple(steps), tuple(bytes(c) for c in chunks)
    name = run.name
    note = ""
    agreed = 0
    for index, numbers in sorted(_steps_by_chunk(steps).items()):
        first, last = numbers[0], numbers[-1]
        final = steps[last]
        mine = run.at(index)
        recv = f"recv() {index + 1}"
        refused = final.decision is Decision.FRAME_TOO_LARGE
        if mine.outcome == "not run":
            break
        if mine.failed:
            what = "was" if mine.outcome == "stopped" else "raised"
            return Comparison(run, steps, chunks, Parting(
                index, first, _sentence(f"On {recv}, {name} {what} {mine.error}")), note)
        if refused and mine.outcome != "refused":
            return Comparison(run, steps, chunks, Parting(
                index, last, f"the reference refuses the stream at this step, in the recv() that "
                f"completes the bad header; {name} returned from {recv} without raising "
                "ValueError, so it would wait for bytes that never make a frame."), note)
        if mine.outcome == "refused" and not refused:
            return Comparison(run, steps, chunks, Parting(
                index, first, f"{name} raised {mine.error} on {recv}, but the reference "
                "accepts every byte so far."), note)
        if refused:
            # Both refused in the same call: the learner's frames of that call are lost with
            # the exception (the lessons ask for a plain ValueError), the reference's are not.
            before = len(steps[first].frames)
            kept = len(final.frames) - before
            if kept:
                note = (f"The reference also keeps the {kept} frame{'s' if kept != 1 else ''} "
                        "completed in that call before the bad header, on error.frames; a "
                        "plain ValueError loses them.")
            reference_frames: Sequence[bytes] = final.frames[:before]
        else:
            reference_frames = final.frames
        # Frames before ``agreed`` matched after an earlier recv(): compare only the rest.
        differs = first_difference(reference_frames[agreed:], mine.frames[agreed:])
        if differs is None:
            agreed = len(reference_frames)
            if refused:
                break
            continue
        differs += agreed
        mark = last
        if differs < len(reference_frames):
            mark = next((n for n in numbers if steps[n].decision is Decision.FRAME_EMITTED
                         and len(steps[n].frames) == differs + 1), last)
        return Comparison(run, steps, chunks, Parting(
            index, mark, _frame_reason(name, recv, differs, reference_frames, mine.frames),
            differs), note)
    return Comparison(run, steps, chunks, None, note)


def _sentence(text: str) -> str:
    return text if text.endswith((".", "?", "!")) else text + "."


def _frame_reason(
    name: str, recv: str, index: int, want: Sequence[bytes], got: Sequence[object]
) -> str:
    number = index + 1
    if index >= len(got):
        return (f"the reference has frame {number}, {_show(want[index])}, complete, but "
                f"{name} had not handed it over when it returned from {recv}.")
    if index >= len(want):
        return (f"{name} handed over frame {number}, {_show(got[index])}, on {recv}, but the "
                "reference has not completed it: not all of its bytes have arrived.")
    if as_frame(got[index]) is None:
        return (f"{name} handed over a {type_name(got[index])} as frame {number}, not bytes "
                f"({_show(got[index])}).")
    return (f"frame {number} differs: the reference has {_show(want[index])}, {name} handed "
            f"over {_show(got[index])}.")
