"""`demo`: release, a demo class, autograde, scores and feedback, end to end."""

from __future__ import annotations

import argparse

from .options import add_course_options, course_from

HELP = "the whole instructor workflow on a demo class"
DESCRIPTION = __doc__


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_course_options(parser)
    parser.add_argument("--jobs", type=int, default=2)


def run(args: argparse.Namespace) -> int:
    from grader.autograde.demo import run_demo

    return run_demo(course_from(args, must_exist=False), jobs=args.jobs)
