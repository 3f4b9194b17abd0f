"""Options several commands share: where the course is, and which gradebook it uses."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from grader.course import Course
from grader.settings import DEFAULT_COURSE_DIR

__all__ = ["add_course_options", "add_lesson_options", "course_from"]


def add_course_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--course", type=Path, default=DEFAULT_COURSE_DIR,
                        help="course directory in nbgrader's layout (default: %(default)s)")
    parser.add_argument("--db-url", default=None,
                        help="gradebook database URL (default: sqlite COURSE/gradebook.db); "
                             "postgresql://user@host:port/db lets several hosts share it")


def add_lesson_options(parser: argparse.ArgumentParser) -> None:
    """A lesson (its notebook folder's name) and the course options."""
    parser.add_argument("lesson")
    add_course_options(parser)


def course_from(args: argparse.Namespace, **options: Any) -> Course:
    """The course the options name (a bad --db-url raises GradebookURLError)."""
    from grader.gradebook.url import normalize_db_url

    db_url = normalize_db_url(args.db_url) if args.db_url else None
    return Course(root=args.course, db_url_override=db_url, **options)
