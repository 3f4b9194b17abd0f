"""The student version of a lesson: nbgrader's generate_assignment, once, under a lock.

Solutions and hidden tests are removed by nbgrader itself; the release is recorded in
the gradebook, which autograding needs.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from grader.course import Course
from grader.errors import WorkflowError
from grader.gradebook.locks import exclusive
from grader.gradebook.queries import is_released
from grader.gradebook.schema import prepare_course

__all__ = ["ensure_released", "nbgrader_api", "release"]


def nbgrader_api(course: Course, *, submitted_dir: str = "submitted"):
    """nbgrader's API object, configured for ``course``."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    config = course.nbgrader_config(submitted_dir=submitted_dir)
    return NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)


def release(course: Course, lesson: str) -> Path:
    """Generate the student version of a lesson into release/LESSON and record it in the gradebook.

    Solutions and hidden tests are removed by nbgrader's generate_assignment.
    """
    course.check_lesson(lesson)
    prepare_course(course)
    with exclusive(course.db_url, "release", lesson):
        _generate_release(course, lesson)
    return course.path("release", lesson)


def _generate_release(course: Course, lesson: str) -> None:
    result = nbgrader_api(course).generate_assignment(lesson, force=True, create=True)
    if not result.get("success"):
        raise WorkflowError(f"nbgrader could not release {lesson}:\n{_tail(result)}")


def ensure_released(course: Course, lesson: str, out: TextIO = sys.stdout) -> None:
    """Release the lesson unless this gradebook and course folder already have it.

    Checked under the release lock, so graders starting together (shards on several hosts)
    release it once, not over each other's grading.
    """
    with exclusive(course.db_url, "release", lesson):
        if not is_released(course, lesson) or not course.path("release", lesson).is_dir():
            print(f"{lesson} was not released into this course yet; releasing it first",
                  file=out)
            _generate_release(course, lesson)


def _tail(result: dict, lines: int = 15) -> str:
    text = (result.get("log") or "") + (result.get("error") or "")
    return "\n".join(text.strip().splitlines()[-lines:])
