"""`release LESSON`: the student version of a lesson, into COURSE/release/LESSON."""

from __future__ import annotations

import argparse

from .options import add_course_options, course_from

HELP = "generate the student version of a lesson"
DESCRIPTION = __doc__


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("lesson")
    add_course_options(parser)


def run(args: argparse.Namespace) -> int:
    from grader.autograde.release import release

    path = release(course_from(args), args.lesson)
    print(f"released {args.lesson} into {path}")
    return 0
