"""`doctor`: check a JupyterHub deployment of the course; each problem with its fix; exit 1 if any.

Checks bubblewrap (as this user and, run as root, unprivileged), the course directory's and the
gradebook's modes, nbgrader's exchange root (from the same nbgrader config files every user's
nbgrader reads) and its mode, the learners' environment (instructor plug-ins disabled and
locked, the formgrader server extension off, no checkout of the course installed), home folders
others can read, and the gradebook database. See grader.deployment.doctor.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from .options import add_course_options, course_from

HELP = "check a JupyterHub deployment: each problem with its fix (exit 1 if any)"
DESCRIPTION = __doc__


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from grader.settings import DEFAULT_LEARNERS_ENV, ENV_LEARNERS_ENV

    add_course_options(parser)
    parser.add_argument("--learners-env", type=Path, default=None,
                        help=f"the learners' environment (default: ${ENV_LEARNERS_ENV}, else "
                             f"{DEFAULT_LEARNERS_ENV})")


def run(args: argparse.Namespace) -> int:
    from jupyter_core.paths import jupyter_config_path

    from grader.deployment.doctor import report, run_doctor
    from grader.settings import DEFAULT_LEARNERS_ENV, ENV_LEARNERS_ENV

    course = course_from(args, must_exist=False)
    learners_env = args.learners_env or Path(os.environ.get(ENV_LEARNERS_ENV)
                                             or DEFAULT_LEARNERS_ENV)
    findings = run_doctor(course.root, course.db_url, learners_env,
                          [Path(folder) for folder in jupyter_config_path()])
    text, status = report(findings)
    print(text)
    return status
