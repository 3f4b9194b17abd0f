"""`scores LESSON`: the gradebook for a lesson (--json for a machine-readable list)."""

from __future__ import annotations

import argparse
import json

from grader.course import Course
from grader.formatting import pad, score_cell

from .options import add_course_options, course_from

HELP = "the gradebook for a lesson"
DESCRIPTION = __doc__


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("lesson")
    parser.add_argument("--json", action="store_true", help="print a JSON list")
    add_course_options(parser)


def run(args: argparse.Namespace) -> int:
    from grader.gradebook.queries import lesson_scores

    course = course_from(args)
    rows = lesson_scores(course, args.lesson)
    print(json.dumps(rows, indent=1) if args.json
          else format_scores_table(args.lesson, rows, course))
    return 0


def format_scores_table(lesson: str, rows: list[dict], course: Course) -> str:
    """The gradebook as a plain-text table, with the tricks each student's notebook tried."""
    from grader.autograde.reports import failed_attempts, load_reports

    width = max(len(lesson), 12)
    lines = [f"{'student':<16} {lesson:>{width}}  tricks"]
    for row in rows:
        tricks = sorted({trick["trick"] for report in load_reports(course, lesson, row["student"])
                         for trick in report.get("tricks", [])})
        score = f"{score_cell(row['score'])}/{score_cell(row['max_score'])}"
        lines.append(f"{pad(row['student'], 16)} {score:>{width}}  {', '.join(tricks) or '-'}")
    failed = failed_attempts(course, lesson)
    if failed:
        lines.append(f"\nlatest grading failed for {len(failed)} student(s) (a score above is "
                     "then from an earlier run, or 0 if nbgrader gave up midway):")
        lines.extend(f"  {student}: {message}" for student, message in failed.items())
    return "\n".join(lines)
