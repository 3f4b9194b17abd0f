"""The graded lessons: one module per notebook folder, each holding its tasks and their checks.

A lesson module (``lesson03`` for ``notebooks/03-reassembly``) says, in one place, what
its notebook grades: its ``LESSON`` id (the notebook folder, nbgrader's assignment id)
and ``TASKS``, a tuple of ``Task(name, LESSON, points, checks)``. Each check carries its
cases, its points, a one-line summary and the hint a learner sees when it fails; the
shared machinery they are built from (deliveries, probes, reports) is ``grader.checks``.

To add a lesson: write ``lessonNN.py`` here with ``LESSON`` and ``TASKS``, add it to
``LESSON_MODULES`` below, and give its notebook a ``<task>-answer`` cell and a
``<task>-check`` cell worth ``points`` for each task (a test keeps the points in step).
To add a check to a task: add one entry to that lesson's checks tuple.
"""

from __future__ import annotations

from . import lesson02, lesson03, lesson04, lesson05, lesson06
from .task import Task

__all__ = ["LESSON_MODULES", "TASKS", "Task", "tasks_for_lesson"]

#: The lesson modules, in course order.
LESSON_MODULES = (lesson02, lesson03, lesson04, lesson05, lesson06)

_ALL: tuple[Task, ...] = tuple(task for module in LESSON_MODULES for task in module.TASKS)

#: Every graded task by name (the name its answer defines).
TASKS: dict[str, Task] = {task.name: task for task in _ALL}


def tasks_for_lesson(lesson: str) -> list[Task]:
    """The tasks graded in the lesson (assignment id) ``lesson``, in lesson order."""
    return [task for task in _ALL if task.lesson == lesson]
