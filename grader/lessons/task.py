"""What a graded task is: the name an answer defines, its lesson, its points, its checks."""

from __future__ import annotations

from dataclasses import dataclass

from grader.checks.base import Check

__all__ = ["Task"]


@dataclass(frozen=True)
class Task:
    """A graded task: ``name`` is what the answer must define at top level.

    ``lesson`` is the notebook folder (nbgrader's assignment id) whose ``<name>-check``
    cell grades it. ``points`` is what that hidden test cell is worth (``graded`` scales
    to it); ``max_score`` is the sum of the checks' own points, which a ``TaskResult``
    counts in. ``checks`` are run in order; adding a check is one entry there.
    """

    name: str
    lesson: str
    points: float
    checks: tuple[Check, ...]

    @property
    def max_score(self) -> float:
        return float(sum(check.points for check in self.checks))
