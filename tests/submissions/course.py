"""A throwaway course with lesson 3 released, for tests that run real nbgrader autograde."""

from __future__ import annotations

from pathlib import Path

from nbformat import NotebookNode

from grader.autograde.release import release
from grader.course import Course

from . import builder

LESSON = "03-reassembly"
TASK = "on_bytes"


def released_course(root: Path, **options) -> Course:
    """A course in `root` (fresh) with lesson 3 released; `options` go to Course."""
    course = Course(root=root, **options)
    release(course, LESSON)
    return course


def release_notebook(course: Course) -> NotebookNode:
    return builder.read(course.path("release", LESSON, f"{LESSON}.ipynb"))


def source_notebook(course: Course) -> NotebookNode:
    return builder.read(course.source_dir / LESSON / f"{LESSON}.ipynb")


def hidden_and_solution_lines(course: Course) -> list[str]:
    """Distinctive lines of the source notebook that a learner must never see."""
    lines = []
    for cell in source_notebook(course).cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("grade") and meta.get("locked") and "BEGIN HIDDEN TESTS" in cell.source:
            hidden = cell.source.split("### BEGIN HIDDEN TESTS")[1].split("### END HIDDEN")[0]
            lines += ["BEGIN HIDDEN TESTS", *hidden.strip().splitlines()]
        if meta.get("solution") and "BEGIN SOLUTION" in cell.source:
            solution = cell.source.split("### BEGIN SOLUTION")[1].split("### END SOLUTION")[0]
            lines += ["BEGIN SOLUTION"] + [line.strip() for line in solution.splitlines()
                                           if len(line.strip()) > 25]
    return [line.strip() for line in lines if line.strip()]
