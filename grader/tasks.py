"""The graded tasks: which lesson each belongs to, its points, and its named checks."""

from __future__ import annotations

from dataclasses import dataclass

from .checks import frame_decoder, lesson02, line_decoder, on_bytes, safe_decoder
from .checks.base import Check

__all__ = ["TASKS", "Task", "tasks_for_lesson"]


@dataclass(frozen=True)
class Task:
    """A graded task: ``name`` is what the answer must define at top level.

    ``points`` is what the lesson's hidden test cell is worth (``graded`` scales to
    it); ``max_score`` is the sum of the checks' own points, which a ``TaskResult``
    counts in.
    """

    name: str
    lesson: str
    points: float
    checks: tuple[Check, ...]
    #: Source run before the answer, in the same namespace (imports a task may assume).
    prelude: str = ""

    @property
    def max_score(self) -> float:
        return float(sum(check.points for check in self.checks))


# Points match the `<task>-check` cells of the lesson notebooks (a test keeps them in step).
_ALL = (
    Task("encode_frame", "02-length-prefix", 5, lesson02.ENCODE_CHECKS),
    Task("read_header", "02-length-prefix", 6, lesson02.READ_HEADER_CHECKS),
    Task("on_bytes", "03-reassembly", 13, on_bytes.CHECKS),
    Task("LineDecoder", "04-delimiters", 11, line_decoder.CHECKS),
    Task("SafeDecoder", "05-watch-out", 11, safe_decoder.CHECKS),
    Task("FrameDecoder", "06-complete-decoder", 15, frame_decoder.CHECKS),
)

TASKS: dict[str, Task] = {task.name: task for task in _ALL}


def tasks_for_lesson(lesson: str) -> list[Task]:
    """The tasks graded in the lesson (assignment id) ``lesson``, in lesson order."""
    return [task for task in _ALL if task.lesson == lesson]
