"""The graded tasks: which lesson each belongs to, its points, and its named checks."""

from __future__ import annotations

from dataclasses import dataclass, field

from .checks import frame_decoder, lesson02, line_decoder, on_bytes, safe_decoder
from .checks.base import Check

__all__ = ["TASKS", "Task", "tasks_for_lesson"]


@dataclass(frozen=True)
class Task:
    """A graded task: ``name`` is what the answer must define at top level."""

    name: str
    lesson: str
    checks: tuple[Check, ...]
    #: Source run before the answer, in the same namespace (imports a task may assume).
    prelude: str = ""
    points: float = field(default=0.0)

    def __post_init__(self) -> None:
        if not self.points:
            object.__setattr__(self, "points", float(sum(c.points for c in self.checks)))


_ALL = (
    Task("encode_frame", "02-length-prefix", lesson02.ENCODE_CHECKS),
    Task("read_header", "02-length-prefix", lesson02.READ_HEADER_CHECKS),
    Task("on_bytes", "03-reassembly", on_bytes.CHECKS),
    Task("LineDecoder", "04-delimiters", line_decoder.CHECKS),
    Task("SafeDecoder", "05-watch-out", safe_decoder.CHECKS),
    Task("FrameDecoder", "06-complete-decoder", frame_decoder.CHECKS),
)

TASKS: dict[str, Task] = {task.name: task for task in _ALL}


def tasks_for_lesson(lesson: str) -> list[Task]:
    """The tasks graded in the lesson (assignment id) ``lesson``, in lesson order."""
    return [task for task in _ALL if task.lesson == lesson]
