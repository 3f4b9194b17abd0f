"""A lesson's students as ``StudentRecord``s, from what grading stored: the gradebook's
scores (SQLite or PostgreSQL alike), the per-student reports and the grading log."""

from __future__ import annotations

from pathlib import Path

from grader.course import Course

from .page import render_csv, render_html
from .picture import StudentRecord, TaskRecord, class_picture

__all__ = ["student_records", "write_insight"]


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


def student_records(course: Course, lesson: str, rows: list[dict] | None = None
                    ) -> list[StudentRecord]:
    """One record per student the gradebook has graded in ``lesson`` (or per row of ``rows``,
    the gradebook's ``lesson_scores`` already read)."""
    from grader.autograde.reports import load_reports
    from grader.gradebook.queries import grading_log, lesson_scores

    seconds: dict[str, float] = {}
    for entry in grading_log(course.db_url, lesson):  # oldest first: the latest one wins
        seconds[entry.student] = (entry.finished_at - entry.started_at).total_seconds()
    records = []
    for row in lesson_scores(course, lesson) if rows is None else rows:
        student = row["student"]
        tasks = [
            _task_record(task, stored)
            for report in load_reports(course, lesson, student)
            for task, stored in report.get("tasks", {}).items()
        ]
        records.append(StudentRecord(student, row["score"], row["max_score"], tuple(tasks),
                                     seconds.get(student)))
    return records


def write_insight(course: Course, lesson: str, rows: list[dict] | None = None,
                  folder: Path | None = None) -> tuple[Path, Path]:
    """Write ``LESSON.html`` and ``LESSON.csv`` into ``folder`` (default COURSE/insight)."""
    picture = class_picture(lesson, student_records(course, lesson, rows))
    folder = folder or course.path("insight")
    folder.mkdir(parents=True, exist_ok=True)
    page, table = folder / f"{lesson}.html", folder / f"{lesson}.csv"
    page.write_text(render_html(picture), encoding="utf-8")
    table.write_text(render_csv(picture), encoding="utf-8")
    return page, table
