"""`python -m grader COMMAND`: the course's command line.

check FILE        grade a .py file or lesson notebook with the course checks (learners too)
release LESSON    the student version of a lesson, into COURSE/release/LESSON
autograde LESSON  grade every submission in COURSE/submitted/*/LESSON
feedback LESSON   the course's feedback HTML into COURSE/feedback/STUDENT/LESSON
scores LESSON     the gradebook for a lesson (--json for a machine-readable list)
export            every lesson's scores as CSV for an LMS
demo              release, a demo class, autograde, scores and feedback, end to end
workspace         a learner's working copies of every lesson in work/ (used by `make lab`)
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from grader.course import DEFAULT_COURSE_DIR, DEFAULT_MEMORY_LIMIT_BYTES, Course


def _add_course_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--course", type=Path, default=DEFAULT_COURSE_DIR,
                        help="course directory in nbgrader's layout (default: %(default)s)")
    parser.add_argument("--db-url", default=None,
                        help="gradebook database URL (default: sqlite COURSE/gradebook.db); "
                             "postgresql://user@host:port/db lets several hosts share it")


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m grader", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    commands.add_parser("check", help="grade a file with the course checks", add_help=False)

    for name, text in (("release", "generate the student version of a lesson"),
                       ("feedback", "write the course's feedback HTML for a lesson")):
        sub = commands.add_parser(name, help=text)
        sub.add_argument("lesson")
        _add_course_options(sub)

    grade = commands.add_parser("autograde", help="grade every submission of a lesson")
    grade.add_argument("lesson")
    _add_course_options(grade)
    grade.add_argument("--jobs", type=int, default=1, help="students graded at once")
    grade.add_argument("--students", default=None,
                       help="comma-separated student ids to grade (default: everyone)")
    grade.add_argument("--shard", default=None, metavar="I/N",
                       help="grade only share I of N (1-based) of the sorted students: run "
                            "1/N .. N/N on N hosts sharing the gradebook (--db-url)")
    grade.add_argument("--timeout", type=int, default=None,
                       help="seconds a learner's cell may run in the kernel (default 30)")
    grade.add_argument("--memory-limit", type=int, default=DEFAULT_MEMORY_LIMIT_BYTES,
                       help="bytes of memory for the learner's kernel (default 1 GiB)")
    grade.add_argument("--no-kernel-sandbox", action="store_true",
                       help="run the kernel without bwrap (scores still come from the "
                            "sandboxed checks)")

    worker = commands.add_parser("autograde-worker")  # internal: the worker process
    worker.add_argument("lesson")
    worker.add_argument("--course-json", required=True)

    scores = commands.add_parser("scores", help="the gradebook for a lesson")
    scores.add_argument("lesson")
    scores.add_argument("--json", action="store_true", help="print a JSON list")
    _add_course_options(scores)

    export = commands.add_parser("export", help="all scores as CSV for an LMS")
    export.add_argument("--output", "-o", default="-", help="file to write (default: stdout)")
    _add_course_options(export)

    demo = commands.add_parser("demo", help="the whole instructor workflow on a demo class")
    _add_course_options(demo)
    demo.add_argument("--jobs", type=int, default=2)

    workspace = commands.add_parser("workspace", help="learner copies of every lesson in work/")
    workspace.add_argument("--dest", type=Path, default=None,
                           help="folder for the learner's copies (default: work/ at the root)")
    return parser


def _course(args: argparse.Namespace, **options) -> Course:
    from grader.gradebook_db import normalize_db_url

    db_url = normalize_db_url(args.db_url) if args.db_url else None
    return Course(root=args.course, db_url_override=db_url, **options)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "check":
        from grader.check_cli import main as check_main

        return check_main(argv[1:])
    args = _build_parser().parse_args(argv)
    from grader.gradebook_db import GradebookURLError
    from grader.workflow import GradingInterrupted, WorkflowError

    try:
        return _dispatch(args)
    except (WorkflowError, GradebookURLError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except GradingInterrupted as interrupted:
        print(f"\n{interrupted}", file=sys.stderr)
        return 130  # the shell's code for "ended by Ctrl-C"


def _dispatch(args: argparse.Namespace) -> int:
    from grader import workflow

    if args.command == "autograde-worker":
        return workflow.worker_main(args.lesson, args.course_json)
    if args.command == "workspace":
        from grader.workspace import create_workspace

        create_workspace(args.dest)
        return 0
    if args.command == "demo":
        from grader.demo import run_demo

        return run_demo(_course(args), jobs=args.jobs)
    if args.command == "release":
        path = workflow.release(_course(args), args.lesson)
        print(f"released {args.lesson} into {path}")
        return 0
    if args.command == "autograde":
        options = {"sandbox_kernel": not args.no_kernel_sandbox,
                   "memory_limit_bytes": args.memory_limit}
        if args.timeout:
            options["cell_timeout_s"] = args.timeout
        students = [name.strip() for name in args.students.split(",")] if args.students else None
        shard = workflow.parse_shard(args.shard) if args.shard else None
        outcomes = workflow.autograde(_course(args, **options), args.lesson, jobs=args.jobs,
                                      students=students, shard=shard)
        return 0 if all(outcome.ok for outcome in outcomes) else 1
    if args.command == "feedback":
        from grader.course_feedback import write_feedback

        course = _course(args)
        written = write_feedback(course, args.lesson)
        for path in written:
            print(path)
        if not written:
            print(f"no graded submissions of {args.lesson} in {course.root}: run "
                  f"`python -m grader autograde {args.lesson}` first", file=sys.stderr)
        return 0
    if args.command == "scores":
        course = _course(args)
        rows = workflow.scores(course, args.lesson)
        print(json.dumps(rows, indent=1) if args.json
              else workflow.format_scores_table(args.lesson, rows, course))
        return 0
    if args.command == "export":
        text = workflow.export_csv(_course(args))
        if args.output == "-":
            sys.stdout.write(text)
        else:
            try:
                Path(args.output).write_text(text, encoding="utf-8")
            except OSError as error:
                raise workflow.WorkflowError(
                    f"cannot write {args.output}: {error.strerror or error}") from None
            print(f"wrote {args.output}")
        return 0
    raise AssertionError(f"unhandled command {args.command}")


if __name__ == "__main__":
    sys.exit(main())
