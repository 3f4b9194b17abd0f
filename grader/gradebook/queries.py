"""Reading the gradebook: scores per lesson, every lesson's scores, a notebook's grades, the log.

Each function opens nbgrader's own ``Gradebook`` (or, for the course's log table, one
short connection) and closes it before returning plain data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from grader.course import Course
from grader.errors import WorkflowError

from .retries import engine as _engine
from .schema import grading_log_table, prepare_course

__all__ = [
    "GradingRecord",
    "ScoreTable",
    "grading_log",
    "is_released",
    "lesson_scores",
    "notebook_grades",
    "score_table",
    "submission_score",
]


def submission_score(course: Course, lesson: str, student: str) -> tuple[float, float] | None:
    """(score, max_score) of one student's submission of ``lesson``, or None if there is none."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(course.db_url) as gradebook:
        try:
            submission = gradebook.find_submission(lesson, student)
        except MissingEntry:
            return None
        return float(submission.score), float(submission.max_score)


def is_released(course: Course, lesson: str) -> bool:
    """Whether the gradebook knows ``lesson`` with its notebooks (it was released here)."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(course.db_url) as gradebook:
        try:
            return bool(gradebook.find_assignment(lesson).notebooks)
        except MissingEntry:
            return False


def lesson_scores(course: Course, lesson: str) -> list[dict]:
    """Every graded student's total for one lesson: [{"student", "score", "max_score"}]."""
    from nbgrader.api import Gradebook, MissingEntry

    course.check_lesson(lesson)
    prepare_course(course)
    rows = []
    with Gradebook(course.db_url) as gradebook:
        try:
            assignment = gradebook.find_assignment(lesson)
        except MissingEntry:
            raise WorkflowError(f"{lesson} has not been released or graded in this course") \
                from None
        for submission in sorted(assignment.submissions, key=lambda s: s.student.id):
            rows.append({"student": submission.student.id, "score": float(submission.score),
                         "max_score": float(submission.max_score)})
    return rows


@dataclass
class ScoreTable:
    """Every student's score in every graded lesson (None where there is no submission)."""

    lessons: list[str]
    students: list[str]
    scores: dict[str, dict[str, float]]
    maxima: dict[str, float]


def score_table(course: Course) -> ScoreTable:
    """Students and graded lessons (those with a submission), with each score and maximum."""
    from nbgrader.api import Gradebook

    prepare_course(course)
    with Gradebook(course.db_url) as gradebook:
        lessons = sorted(assignment.name for assignment in gradebook.assignments
                         if assignment.num_submissions)
        students = sorted(student.id for student in gradebook.students)
        table: dict[str, dict[str, float]] = {student: {} for student in students}
        maxima = {}
        for lesson in lessons:
            assignment = gradebook.find_assignment(lesson)
            maxima[lesson] = float(assignment.max_score)
            for submission in assignment.submissions:
                table[submission.student.id][lesson] = float(submission.score)
    return ScoreTable(lessons, students, table, maxima)


def notebook_grades(course: Course, lesson: str, student: str, notebook: str) -> dict:
    """Score per graded cell as the gradebook has it (manual scores override automatic ones)."""
    from nbgrader.api import Gradebook, MissingEntry

    scores: dict[str, float | None] = {}
    with Gradebook(course.db_url) as gradebook:
        try:
            submitted = gradebook.find_submission_notebook(notebook, lesson, student)
        except MissingEntry:
            return scores
        for grade in submitted.grades:
            scores[grade.name] = grade.score
    return scores


@dataclass(frozen=True)
class GradingRecord:
    """A row of ``course_grading_log``: who graded a student, where, when, with what outcome."""

    lesson: str
    student: str
    host: str
    pid: int
    status: str
    started_at: dt.datetime
    finished_at: dt.datetime


def grading_log(url: str, lesson: str | None = None) -> list[GradingRecord]:
    """Every logged grading, oldest first, optionally for one lesson."""
    query = sa.select(grading_log_table).order_by(grading_log_table.c.id)
    if lesson is not None:
        query = query.where(grading_log_table.c.lesson == lesson)
    engine = _engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(query).mappings().all()
    finally:
        engine.dispose()
    return [
        GradingRecord(**{key: value for key, value in row.items() if key != "id"}) for row in rows
    ]
