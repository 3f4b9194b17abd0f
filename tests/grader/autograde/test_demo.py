"""`make demo`'s class: right answers from the lessons' own solutions, and real bugs.

The demo itself (every lesson released and autograded) takes minutes; these tests check the
class it builds, and one task of it through the course checks.
"""

from __future__ import annotations

import nbformat
import pytest

from grader.autograde.demo import DEMO_CLASS, demo_submission, solutions
from grader.course import Course
from grader.grading import grade_source


def _graded_sources() -> dict[str, nbformat.NotebookNode]:
    course = Course()
    found = {}
    for lesson in course.lessons():
        for path in sorted((course.source_dir / lesson).glob("*.ipynb")):
            nb = nbformat.read(path, as_version=4)
            if solutions(nb):
                found[lesson] = nb
    return found


def test_every_graded_lesson_has_solutions_without_markers() -> None:
    sources = _graded_sources()
    assert len(sources) >= 3
    for lesson, nb in sources.items():
        for task, solution in solutions(nb).items():
            assert "### BEGIN SOLUTION" not in solution and "### END" not in solution
            assert task in solution, (lesson, task)


def test_each_buggy_student_differs_from_the_right_answers() -> None:
    for lesson, nb in _graded_sources().items():
        right = solutions(nb)
        for student in ("ben", "cy"):
            changed = {task: DEMO_CLASS[student](task, source) for task, source in right.items()}
            assert changed != right, (lesson, student)


def test_submission_replaces_only_answer_cells() -> None:
    nb = _graded_sources()["03-reassembly"]
    submission = demo_submission(nb, {"on_bytes": "pass\n"})
    changed = [a.source for a, b in zip(nb.cells, submission.cells, strict=True)
               if a.source != b.source]
    assert len(changed) == 1 and "def on_bytes" in changed[0]


@pytest.mark.slow
def test_ben_loses_points_where_ada_gets_full_marks() -> None:
    nb = _graded_sources()["03-reassembly"]
    right = solutions(nb)["on_bytes"]
    ada = grade_source("on_bytes", DEMO_CLASS["ada"]("on_bytes", right), seed="ada")
    ben = grade_source("on_bytes", DEMO_CLASS["ben"]("on_bytes", right), seed="ben")
    assert ada.score == ada.max_score and ben.score < ben.max_score
