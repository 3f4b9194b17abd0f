"""`autograde LESSON`: grade every submission in COURSE/submitted/*/LESSON.

A submission whose files differ from what collect copied (the course's record of it, or the
exchange's inbound copy) is not graded: its line names the files changed and when, and says
what to do. Nothing is deleted and its gradebook entry is left as it was. `python -m grader
collect LESSON --update --students ID` collects it again (the changed copy is kept in
COURSE/set-aside/); --grade-changed grades it as it is, and its line says so.
"""

from __future__ import annotations

import argparse

from grader import settings

from .options import add_course_options, course_from

HELP = "grade every submission of a lesson"
DESCRIPTION = __doc__


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("lesson")
    add_course_options(parser)
    parser.add_argument("--jobs", type=int, default=1, help="students graded at once")
    parser.add_argument("--students", default=None,
                        help="comma-separated student ids to grade (default: everyone)")
    parser.add_argument("--shard", default=None, metavar="I/N",
                        help="grade only share I of N (1-based) of the sorted students: run "
                             "1/N .. N/N on N hosts sharing the gradebook (--db-url)")
    parser.add_argument("--timeout", type=int, default=None,
                        help="seconds a learner's cell may run in the kernel "
                             f"(default {settings.DEFAULT_CELL_TIMEOUT_S})")
    parser.add_argument("--memory-limit", type=int, default=settings.DEFAULT_MEMORY_LIMIT_BYTES,
                        help="bytes of memory for the learner's kernel and for the sandboxed "
                             "checks (default 1 GiB)")
    parser.add_argument("--grade-changed", action="store_true",
                        help="grade submissions that changed after collect as they are now "
                             "(default: refuse them, naming the files; each run needs the "
                             "flag again, and the record of what collect copied is kept)")
    parser.add_argument("--no-kernel-sandbox", action="store_true",
                        help="run the kernel without bwrap (scores still come from the "
                             "sandboxed checks)")


def run(args: argparse.Namespace) -> int:
    from grader.autograde import run as autograde_run
    from grader.autograde.selection import parse_shard

    options = {"sandbox_kernel": not args.no_kernel_sandbox,
               "memory_limit_bytes": args.memory_limit}
    if args.timeout:
        options["cell_timeout_s"] = args.timeout
    students = [name.strip() for name in args.students.split(",")] if args.students else None
    shard = parse_shard(args.shard) if args.shard else None
    outcomes = autograde_run.autograde(course_from(args, **options), args.lesson,
                                       jobs=args.jobs, students=students, shard=shard,
                                       grade_changed=args.grade_changed)
    return 0 if all(outcome.ok for outcome in outcomes) else 1
