"""The kernel side: ``graded(task)`` for hidden test cells, ``check(task)`` for learners.

Both find the task's answer among the cells this kernel has run (the newest one
that defines the task's name at top level) and grade it with ``grade_source``,
in a sandboxed child process, never in the kernel. ``graded`` prints one line to
stdout (never stderr: a test cell with stderr output scores zero in nbgrader)
and returns the points as a number, which nbgrader takes as partial credit.
At autograde time the course's preprocessor recomputes these cells from the
notebook's answer cells, so nothing the kernel prints or returns is trusted.
"""

from __future__ import annotations

import ast
import getpass
import html
import os

from . import settings
from .cells import defined_names
from .deployment.secret import practice_seed
from .grading import TaskResult, grade_source
from .lessons import TASKS

__all__ = ["answer_from_history", "check", "graded"]


def _history() -> list[str]:
    try:
        from IPython import get_ipython
    except ImportError:
        return []
    shell = get_ipython()
    if shell is None:
        return []
    history = shell.user_ns.get("In")
    if not isinstance(history, list):
        history = list(shell.history_manager.input_hist_raw)
    return [cell for cell in history if isinstance(cell, str)]


def answer_from_history(task: str, history: list[str] | None = None) -> str | None:
    """The newest executed cell that defines ``task`` at top level, or ``None``."""
    cells = _history() if history is None else history
    for cell in reversed(cells):
        try:
            tree = ast.parse(cell)
        except SyntaxError:
            continue
        if task in defined_names(tree):
            return cell
    return None


def _seed() -> str:
    # Never the graded seed: that needs the course secret, which only the instructor has.
    user = os.environ.get(settings.ENV_HUB_USER)
    if not user:
        try:
            user = getpass.getuser()
        except (KeyError, OSError):  # a uid with no name (the grading kernel's sandbox)
            user = ""
    return os.environ.get(settings.ENV_SEED) or practice_seed(user)


def _grade(task: str) -> TaskResult | str:
    if task not in TASKS:
        return f"unknown task {task!r}; known tasks: {', '.join(TASKS)}"
    source = answer_from_history(task)
    if source is None:
        return f"no cell defining `{task}` has been run yet: run your answer cell first"
    try:
        return grade_source(task, source, _seed())
    except Exception as error:  # the learner should see why, never a grader traceback
        return f"grading could not run ({type(error).__name__}: {error})"


def graded(task: str, points: float | None = None) -> float:
    """Grade ``task``'s answer; print a one-line summary; return the points earned.

    The result is scaled to ``points`` (default: the task's own points, which the
    lesson's test cell should carry).
    """
    scale = TASKS[task].points if points is None and task in TASKS else (points or 0.0)
    result = _grade(task)
    if isinstance(result, str):
        print(f"{task}: 0 / {scale:g} points ({result})")
        return 0.0
    earned = scale * result.score / result.max_score if result.max_score else 0.0
    failed = ", ".join(f.check for f in result.failures)
    summary = f"{task}: {earned:g} / {scale:g} points"
    print(summary + (f" (failed: {failed})" if failed else " (all checks passed)"))
    return round(earned, 4)


def check(task: str) -> TaskResult | None:
    """Grade ``task``'s answer and show the HTML report (failures drawn); return the result."""
    from IPython.display import HTML, display

    from .feedback import render_task_html

    result = _grade(task)
    if isinstance(result, str):
        display(HTML(f"<p><strong>{task}</strong>: {html.escape(result)}</p>"))
        return None
    display(HTML(render_task_html(result)))
    return result

