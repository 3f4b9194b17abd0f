"""`collect LESSON`: nbgrader's collect from the exchange, then a record of what it copied.

Runs `nbgrader collect LESSON` in the course directory (so it reads the same configuration
as the plain command), closes the collected folders to other users at once, and records a
SHA-256 of every file of each submission it copied, with nbgrader's timestamp, in
COURSE/collected/LESSON/. autograde refuses a submission that no longer matches its record.
With --update, a submission that changed after collect is moved to COURSE/set-aside/ and
collected again from the exchange (nbgrader's own --update only replaces it with a newer one).
"""

from __future__ import annotations

import argparse

from .options import add_lesson_options, course_from

HELP = "collect submissions from the exchange (nbgrader collect) and record what was copied"
DESCRIPTION = __doc__


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_lesson_options(parser)
    parser.add_argument("--update", action="store_true",
                        help="collect newer submissions (as nbgrader collect --update), and "
                             "collect again any that changed after collect (the changed copy "
                             "is kept in COURSE/set-aside/LESSON/STUDENT/)")
    parser.add_argument("--students", default=None,
                        help="comma-separated student ids to collect (default: everyone)")


def run(args: argparse.Namespace) -> int:
    from grader.autograde.collecting import collect

    students = [name.strip() for name in args.students.split(",")] if args.students else None
    summary = collect(course_from(args), args.lesson, update=args.update, students=students)
    return 1 if summary.changed else 0
