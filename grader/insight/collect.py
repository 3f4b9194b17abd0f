"""A lesson's students as ``StudentRecord``s, from what grading stored: the gradebook's
scores (SQLite or PostgreSQL alike), the per-student reports and the grading log."""

from __future__ import annotations

from grader.course import Course

from .picture import StudentRecord, TaskRecord

__all__ = ["student_records"]


def _task_record(task: str, stored: dict) -> TaskRecord:
    result = stored.get("result") or {}
    failed = tuple(failure.get("check", "") for failure in result.get("failures", []))
    diagnosis = result.get("diagnosis") or {}
    matched = diagnosis.get("status") == "match"
    return TaskRecord(
        task,
        float(stored.get("earned", 0.0)),
        float(stored.get("points", 0.0)),
        failed,
        diagnosis.get("id", "") if matched else "",
        diagnosis.get("sentence", "") if matched else "",
    )


def student_records(course: Course, lesson: str) -> list[StudentRecord]:
    """One record per student the gradebook has graded in ``lesson``."""
    from grader.autograde.reports import load_reports
    from grader.gradebook.queries import grading_log, lesson_scores

    seconds: dict[str, float] = {}
    for entry in grading_log(course.db_url, lesson):  # oldest first: the latest one wins
        seconds[entry.student] = (entry.finished_at - entry.started_at).total_seconds()
    records = []
    for row in lesson_scores(course, lesson):
        student = row["student"]
        tasks = [
            _task_record(task, stored)
            for report in load_reports(course, lesson, student)
            for task, stored in report.get("tasks", {}).items()
        ]
        records.append(StudentRecord(student, row["score"], row["max_score"], tuple(tasks),
                                     seconds.get(student)))
    return records
