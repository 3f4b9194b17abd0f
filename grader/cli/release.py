"""`release LESSON`: the student version of a lesson, into COURSE/release/LESSON."""

from __future__ import annotations

import argparse

from .options import add_lesson_options, course_from

HELP = "generate the student version of a lesson"
DESCRIPTION = __doc__
add_arguments = add_lesson_options


def run(args: argparse.Namespace) -> int:
    from grader.autograde.release import release

    path = release(course_from(args, must_exist=False), args.lesson)
    print(f"released {args.lesson} into {path}")
    return 0
