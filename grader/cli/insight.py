"""`insight LESSON`: the class picture an instructor re-teaches from, as HTML and CSV.

Writes COURSE/insight/LESSON.html (score distribution, misconceptions by number of
students, checks failed by share of the class, grading time, who has which diagnosis,
with plots) and COURSE/insight/LESSON.csv (one row per student and task), from the
gradebook (SQLite, or a PostgreSQL one shared by several hosts) and grading's reports.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from .options import add_lesson_options, course_from

HELP = "the class picture for a lesson: HTML page and CSV"
DESCRIPTION = __doc__


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_lesson_options(parser)
    parser.add_argument("--out", type=Path, default=None,
                        help="folder for LESSON.html and LESSON.csv (default: COURSE/insight)")


def run(args: argparse.Namespace) -> int:
    from grader.insight.collect import write_insight

    course = course_from(args)
    page, table = write_insight(course, args.lesson, folder=args.out)
    print(f"class picture of {args.lesson}: {page} and {table}")
    return 0
