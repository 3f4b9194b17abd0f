"""`autograde-worker LESSON --course-json JSON`: internal, the process `autograde` starts."""

from __future__ import annotations

import argparse

HELP = None  # internal: not listed
DESCRIPTION = __doc__


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("lesson")
    parser.add_argument("--course-json", required=True)


def run(args: argparse.Namespace) -> int:
    from grader.autograde.worker import worker_main

    return worker_main(args.lesson, args.course_json)
