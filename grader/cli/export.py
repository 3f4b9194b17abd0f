"""`export`: every lesson's scores as CSV for an LMS."""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path

from grader.course import Course
from grader.errors import WorkflowError
from grader.formatting import score_cell

from .options import add_course_options, course_from

HELP = "all scores as CSV for an LMS"
DESCRIPTION = __doc__


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--output", "-o", default="-", help="file to write (default: stdout)")
    add_course_options(parser)


def run(args: argparse.Namespace) -> int:
    text = export_csv(course_from(args))
    if args.output == "-":
        sys.stdout.write(text)
        return 0
    try:
        Path(args.output).write_text(text, encoding="utf-8")
    except OSError as error:
        raise WorkflowError(f"cannot write {args.output}: {error.strerror or error}") from None
    print(f"wrote {args.output}")
    return 0


def export_csv(course: Course) -> str:
    """One row per student, one score column per graded lesson, and the total (for an LMS)."""
    from grader.gradebook.queries import score_table

    table = score_table(course)
    lessons, maxima = table.lessons, table.maxima
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student", *lessons, "total", "max_total"])
    writer.writerow(["(max)", *(score_cell(maxima[lesson]) for lesson in lessons),
                     score_cell(sum(maxima.values())), score_cell(sum(maxima.values()))])
    for student in table.students:
        marks = [table.scores[student].get(lesson) for lesson in lessons]
        total = sum(mark for mark in marks if mark is not None)
        writer.writerow([student, *("" if mark is None else score_cell(mark) for mark in marks),
                         score_cell(total), score_cell(sum(maxima.values()))])
    return buffer.getvalue()
