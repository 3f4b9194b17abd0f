"""The instructor's per-student files beside the gradebook: reports, preflight, attempts, runs.

Under ``course/reports/LESSON/STUDENT/``: one JSON report per notebook from the trusted
preprocessor (scores, failures, tricks, kernel events), ``preflight.json`` (what preflight
repaired) and ``last-attempt.json`` (how the latest grading went). ``last-run.json`` in
``course/reports/LESSON/`` lists the outcomes of the latest run.
"""

from __future__ import annotations

import json
import time

from grader.course import Course

from .outcome import StudentOutcome
from .preflight import PreflightResult

__all__ = [
    "ATTEMPT_FILE",
    "GRADER_TROUBLE",
    "PREFLIGHT_FILE",
    "failed_attempts",
    "load_attempt",
    "load_preflight",
    "load_reports",
    "record_attempt",
    "write_preflight",
    "write_run_summary",
]

# Per student, beside the notebook reports: how the latest grading attempt went.
PREFLIGHT_FILE = "preflight.json"
ATTEMPT_FILE = "last-attempt.json"
# What a learner is told when grading failed for a reason that is not in their submission.
GRADER_TROUBLE = "the grader could not process it; your instructor has the details"


def load_reports(course: Course, lesson: str, student: str) -> list[dict]:
    """The trusted preprocessor's per-notebook reports for one student (notebook order)."""
    folder = course.reports_dir / lesson / student
    return [json.loads(path.read_text()) for path in sorted(folder.glob("*.json"))
            if path.name not in (PREFLIGHT_FILE, ATTEMPT_FILE)]


def write_preflight(course: Course, lesson: str, preflight: PreflightResult) -> None:
    """Start a student's reports afresh with what preflight found (older reports go)."""
    report_dir = course.reports_dir / lesson / preflight.student
    report_dir.mkdir(parents=True, exist_ok=True)
    for stale in report_dir.glob("*.json"):
        stale.unlink()
    (report_dir / PREFLIGHT_FILE).write_text(json.dumps(preflight.to_json(), indent=1))


def record_attempt(course: Course, lesson: str, outcome: StudentOutcome) -> None:
    """Remember how this student's latest grading went (scores and feedback read it)."""
    folder = course.reports_dir / lesson / outcome.student
    folder.mkdir(parents=True, exist_ok=True)
    learner = "" if outcome.ok else (outcome.message if outcome.submission_problem
                                     else GRADER_TROUBLE)
    attempt = {"ok": outcome.ok, "message": outcome.message, "learner_message": learner,
               "finished": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())}
    (folder / ATTEMPT_FILE).write_text(json.dumps(attempt, indent=1))


def load_attempt(course: Course, lesson: str, student: str) -> dict | None:
    """The latest grading attempt of one student (None if never graded by this version)."""
    path = course.reports_dir / lesson / student / ATTEMPT_FILE
    try:
        return json.loads(path.read_text())
    except (OSError, json.JSONDecodeError):
        return None


def failed_attempts(course: Course, lesson: str) -> dict[str, str]:
    """student -> why their latest grading failed, for every student whose latest run failed."""
    folder = course.reports_dir / lesson
    students = sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []
    failed = {}
    for student in students:
        attempt = load_attempt(course, lesson, student)
        if attempt is not None and not attempt.get("ok"):
            failed[student] = attempt.get("message", "")
    return failed


def load_preflight(course: Course, lesson: str, student: str) -> PreflightResult | None:
    """What preflight found in one student's latest submission, if it ran."""
    path = course.reports_dir / lesson / student / PREFLIGHT_FILE
    if not path.exists():
        return None
    return PreflightResult(**json.loads(path.read_text()))


def write_run_summary(course: Course, lesson: str, outcomes: list[StudentOutcome]) -> None:
    """The latest run's outcomes, every student's, in one file."""
    path = course.reports_dir / lesson / "last-run.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps([outcome.to_json() for outcome in outcomes], indent=1))
