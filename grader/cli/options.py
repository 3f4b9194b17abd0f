"""Options several commands share: where the course is, and which gradebook it uses.

Every instructor command finds its course directory as nbgrader does (see
grader.deployment.discovery), says which one it uses and why, works under a private umask (what it
writes is the instructor's only) and warns when others can read the course or its gradebook.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from grader.course import Course
from grader.deployment.discovery import (
    ENV_COURSE_DIR,
    find_course_dir,
    missing_course_message,
)
from grader.errors import WorkflowError
from grader.settings import DEFAULT_COURSE_DIR

__all__ = ["add_course_options", "add_lesson_options", "course_from"]

COURSE_HELP = (f"course directory in nbgrader's layout; without it: ${ENV_COURSE_DIR}, else "
               "CourseDirectory.root from nbgrader's configuration, else the "
               "current directory when it holds nbgrader_config.py, else "
               f"{DEFAULT_COURSE_DIR}")


def add_course_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--course", type=Path, default=None, help=COURSE_HELP)
    parser.add_argument("--db-url", default=None,
                        help="gradebook database URL (default: sqlite COURSE/gradebook.db); "
                             "postgresql://user@host:port/db lets several hosts share it")


def add_lesson_options(parser: argparse.ArgumentParser) -> None:
    """A lesson (its notebook folder's name) and the course options."""
    parser.add_argument("lesson")
    add_course_options(parser)


def course_from(args: argparse.Namespace, *, must_exist: bool = True, quiet: bool = False,
                **options: Any) -> Course:
    """The course the options name; says which and why (on stderr), and warns about modes.

    `must_exist=False` for the commands that create a course directory (release) or inspect
    one that may be missing (doctor). A bad --db-url raises GradebookURLError.
    """
    from grader.deployment.privacy import exposure_warnings, use_private_umask
    from grader.gradebook.url import normalize_db_url

    use_private_umask()
    choice = find_course_dir(args.course, default=DEFAULT_COURSE_DIR)
    if not quiet:
        print(choice.describe(), file=sys.stderr)
    if must_exist and not choice.path.is_dir():
        raise WorkflowError(missing_course_message(choice))
    db_url = normalize_db_url(args.db_url) if args.db_url else None
    course = Course(root=choice.path, db_url_override=db_url, **options)
    gradebook = course.sqlite_path
    for warning in exposure_warnings(course.root, gradebook):
        print(warning, file=sys.stderr)
    if gradebook is not None and gradebook.exists():
        check_gradebook_access(gradebook)
    return course


def check_gradebook_access(gradebook: Path, access=os.access) -> None:
    """Refuse, with the reason, a gradebook this user cannot read and write (not a traceback)."""
    if not access(gradebook, os.R_OK | os.W_OK):
        info = gradebook.stat()
        raise WorkflowError(
            f"cannot read and write the gradebook {gradebook} (owner uid {info.st_uid}, mode "
            f"{info.st_mode & 0o777:o}): run the command as the instructor who owns the course, "
            "or give this user the file")
