"""The course's feedback HTML: per task score and each failed check drawn as a picture.

nbgrader's own `generate_feedback` renders the autograded notebook, hidden tests and the
tracebacks that quote them included (nbgrader issue #917). The course's feedback is built
instead from the trusted preprocessor's report: scores (from the gradebook, so an instructor's
manual override shows), the failure pictures drawn by ``task_report.render_task_html``, and plain
notes about repairs. No cell of the notebook, and so no hidden source and no traceback of
a hidden cell, is copied into it. Files land where nbgrader's exchange expects them:
feedback/STUDENT/LESSON/NOTEBOOK.html.
"""

from __future__ import annotations

import html
import shutil
from pathlib import Path

from grader.autograde.reports import load_attempt, load_preflight, load_reports
from grader.course import Course
from grader.deployment.privacy import make_shareable
from grader.formatting import points
from grader.gradebook.queries import notebook_grades
from grader.gradebook.schema import prepare_course

__all__ = ["render_feedback_page", "render_ungraded_page", "write_feedback"]

_PAGE_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:60em;margin:2em auto;padding:0 1em}"
    ".total{font-size:1.3em}.notes{background:#fff7e6;padding:.5em 1em;border-radius:4px}"
    "section{border-top:1px solid #ddd;margin-top:1.5em}"
)


def render_feedback_page(
    lesson: str, student: str, report: dict, scores: dict, notes: list[str]
) -> str:
    """One notebook's feedback page (a full HTML document)."""
    esc = html.escape
    sections = []
    total = maximum = 0.0
    for task, outcome in report.get("tasks", {}).items():
        earned = scores.get(f"{task}-check", outcome["earned"])
        total += earned or 0.0
        maximum += outcome["points"]
        # The drawn report repeats the score and names the failed checks; the one-line
        # summary is only needed when there is no drawing (no answer found, say).
        details = outcome.get("html") or f"<p>{esc(outcome['summary'])}</p>"
        sections.append(
            f"<section><h2>{esc(task)}: {points(earned)} / {points(outcome['points'])}"
            f"</h2>{details}</section>"
        )
    notes_html = ""
    if notes:
        items = "".join(f"<li>{esc(note)}</li>" for note in notes)
        notes_html = f'<div class="notes"><p>About your submission:</p><ul>{items}</ul></div>'
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<title>{esc(lesson)}: feedback for {esc(student)}</title>"
        f"<style>{_PAGE_STYLE}</style></head><body>"
        f"<h1>{esc(lesson)}</h1><p>Feedback for <strong>{esc(student)}</strong></p>"
        f"<p class='total'>Score: {points(total)} / {points(maximum)}</p>"
        f"{notes_html}{''.join(sections) or '<p>No graded tasks in this notebook.</p>'}"
        "</body></html>"
    )


def render_ungraded_page(lesson: str, student: str, reason: str) -> str:
    """The page for a submission whose latest grading failed: why, and what to do."""
    esc = html.escape
    stop = "" if reason.rstrip().endswith((".", "?", "!")) else "."
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<title>{esc(lesson)}: feedback for {esc(student)}</title>"
        f"<style>{_PAGE_STYLE}</style></head><body>"
        f"<h1>{esc(lesson)}</h1><p>Feedback for <strong>{esc(student)}</strong></p>"
        "<div class='notes'><p><strong>Your latest submission could not be graded</strong>: "
        f"{esc(reason.rstrip())}{stop}</p><p>Fix this and submit again; until then this "
        "lesson has no score from that submission.</p></div></body></html>"
    )


def _learner_notes(course: Course, lesson: str, student: str, report: dict) -> list[str]:
    notes = []
    preflight = load_preflight(course, lesson, student)
    if preflight is not None:
        notes += preflight.problems + preflight.repairs
    for event in report.get("kernel_events", []):
        notes.append(f"While your notebook ran: {event}. Your answers were graded from their "
                     "source all the same.")
    return notes


def write_feedback(course: Course, lesson: str) -> list[Path]:
    """Write feedback/STUDENT/LESSON/NOTEBOOK.html for every graded student; return the paths."""
    course.check_lesson(lesson)
    prepare_course(course)
    written = []
    reports_root = course.reports_dir / lesson
    students = sorted(p.name for p in reports_root.iterdir() if p.is_dir()) \
        if reports_root.is_dir() else []
    for student in students:
        attempt = load_attempt(course, lesson, student)
        if attempt is not None and not attempt.get("ok"):
            written += _write_ungraded(course, lesson, student, attempt["learner_message"])
            continue
        for report in load_reports(course, lesson, student):
            notebook = report.get("notebook") or lesson
            scores = notebook_grades(course, lesson, student, notebook)
            page = render_feedback_page(lesson, student, report, scores,
                                        _learner_notes(course, lesson, student, report))
            folder = course.path("feedback", student, lesson)
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / f"{notebook}.html"
            target.write_text(page, encoding="utf-8")
            make_shareable(target)
            _copy_submission_stamps(course.path("autograded", student, lesson), folder)
            written.append(target)
    return written


def _write_ungraded(course: Course, lesson: str, student: str, reason: str) -> list[Path]:
    folder = course.path("feedback", student, lesson)
    folder.mkdir(parents=True, exist_ok=True)
    names = sorted(path.stem for path in course.path("release", lesson).glob("*.ipynb"))
    written = []
    for notebook in names or [lesson]:
        target = folder / f"{notebook}.html"
        target.write_text(render_ungraded_page(lesson, student, reason), encoding="utf-8")
        written.append(target)
    for target in written:
        make_shareable(target)
    _copy_submission_stamps(course.path("submitted", student, lesson), folder)
    return written


def _copy_submission_stamps(submission: Path, folder: Path) -> None:
    """The files nbgrader's release_feedback matches feedback by: the submission's timestamp,
    and its secret (without which release_feedback stops with FileNotFoundError)."""
    for name in ("timestamp.txt", "submission_secret.txt"):
        if (submission / name).exists():
            # nbgrader makes them read-only (0444): replace, do not write into, an old copy.
            (folder / name).unlink(missing_ok=True)
            shutil.copy(submission / name, folder / name)
