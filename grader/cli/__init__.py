"""`python -m grader COMMAND`: the course's command line.

check FILE        grade a .py file or lesson notebook with the course checks (learners too)
release LESSON    the student version of a lesson, into COURSE/release/LESSON
collect LESSON    nbgrader collect, then a record of what it copied (autograde checks it)
autograde LESSON  grade every submission in COURSE/submitted/*/LESSON
feedback LESSON   the course's feedback HTML into COURSE/feedback/STUDENT/LESSON
scores LESSON     the gradebook for a lesson (--json for a machine-readable list)
insight LESSON    the class picture: scores, misconceptions, failed checks, time (HTML, CSV)
export            every lesson's scores as CSV for an LMS
demo              release, a demo class, autograde, scores and feedback, end to end
workspace         a learner's working copies of every lesson in work/ (used by `make lab`)
doctor            check a JupyterHub deployment: each problem with its fix

Instructor commands find the course directory as nbgrader does: --course DIR, else
$FRAMING_COURSE_DIR, else CourseDirectory.root from nbgrader's configuration, else the
current directory when it holds nbgrader_config.py, else course/ in the checkout; each says
which it used.

One module per command, each with ``HELP``, ``add_arguments(parser)`` and ``run(args)``,
dispatched from ``COMMANDS``; adding a command is one module and one entry there. A
``GraderError`` becomes one message on stderr and the error's exit status, never a traceback.
"""

from __future__ import annotations

import argparse
import sys

from grader.errors import GraderError

from . import (
    autograde,
    check,
    collect,
    demo,
    doctor,
    export,
    feedback,
    insight,
    release,
    scores,
    worker,
    workspace,
)

__all__ = ["COMMANDS", "main"]

#: Command name -> its module, in the order `--help` lists them.
COMMANDS = {
    "check": check,
    "release": release,
    "collect": collect,
    "feedback": feedback,
    "autograde": autograde,
    "autograde-worker": worker,
    "scores": scores,
    "insight": insight,
    "export": export,
    "demo": demo,
    "workspace": workspace,
    "doctor": doctor,
}


def _build_parser() -> argparse.ArgumentParser:
    # The help shows the docstring's first three paragraphs: what this is, the commands, and
    # how they find the course directory.
    usage = "\n\n".join(__doc__.split("\n\n")[:3])
    parser = argparse.ArgumentParser(prog="python -m grader", description=usage,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, module in COMMANDS.items():
        # A command without HELP (the internal worker) is left out of the list.
        options = {"help": module.HELP} if module.HELP else {}
        sub = commands.add_parser(name, description=module.DESCRIPTION,
                                  formatter_class=argparse.RawDescriptionHelpFormatter,
                                  **options)
        module.add_arguments(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; return its exit status."""
    args = _build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    try:
        return COMMANDS[args.command].run(args)
    except GraderError as error:
        print(f"{error.prefix}{error}", file=sys.stderr)
        return error.exit_status
