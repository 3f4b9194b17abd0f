"""The course secret and the seeds it gives: graded cases nobody can predict from the checks.

The checks' random cases are seeded. Seeded with the student id alone, a learner who reads the
check code (it ships in the learners' wheel, for the self-checks) could compute their graded
streams. So autograding seeds them with an HMAC of the student id under a secret that lives only
in the instructor's course directory (`course-secret`, mode 0600, created on first use). A
learner's self-check in their own kernel uses a practice seed instead, which can never equal a
graded one: a practice seed starts with "practice/", a graded seed is 64 hex digits.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
from pathlib import Path

from grader.errors import GraderError

SECRET_FILE = "course-secret"
PRACTICE_PREFIX = "practice/"


class CourseSecretError(GraderError):
    """The course secret cannot be used (unreadable, or readable by others)."""


def secret_path(course_root: Path) -> Path:
    return course_root / SECRET_FILE


def load_or_create(course_root: Path) -> bytes:
    """The course's secret; created (0600) the first time. Refuses one others can read."""
    path = secret_path(course_root)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_hex(32) + "\n")
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise CourseSecretError(
            f"other users can read the course secret {path} (mode {mode:o}), so they could "
            f"predict every student's graded cases: run `chmod 600 {path}` and, if anyone may "
            "have read it, delete it (a new one is made) and autograde again")
    try:
        text = path.read_text().strip()
    except OSError as error:
        raise CourseSecretError(f"cannot read the course secret {path}: "
                                f"{error.strerror or error}") from None
    if len(text) < 32:
        raise CourseSecretError(f"the course secret {path} is too short: delete it (a new one "
                                "is made on the next command)")
    return text.encode()


def graded_seed(secret: bytes, student: str) -> str:
    """The seed of `student`'s graded cases (64 hex digits)."""
    return hmac.new(secret, student.encode("utf-8"), hashlib.sha256).hexdigest()


def practice_seed(user: str) -> str:
    """The seed of a learner's self-checks: theirs, stable, and never a graded seed."""
    return f"{PRACTICE_PREFIX}{user}"
