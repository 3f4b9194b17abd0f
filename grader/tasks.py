"""The graded tasks: which lesson each belongs to, its points, and its named checks."""

from __future__ import annotations

from dataclasses import dataclass, field

from .checks import on_bytes
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


_ALL = (Task("on_bytes", "03-reassembly", on_bytes.CHECKS),)

TASKS: dict[str, Task] = {task.name: task for task in _ALL}


def tasks_for_lesson(lesson: str) -> list[Task]:
    """The tasks graded in the lesson (assignment id) ``lesson``, in lesson order."""
    return [task for task in _ALL if task.lesson == lesson]
