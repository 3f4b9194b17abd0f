"""Locks shared by every grader process (and, on PostgreSQL, every host), and claims on students.

Two graders on the same student (overlapping shards, a rerun while a run is going) would race
in nbgrader's find-then-insert of a submission: :func:`claim_student` serialises grading per
(lesson, student) across processes and hosts, and logs who graded whom in
``course_grading_log``. :func:`exclusive` is the lock under it, and under release and schema
creation.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import os
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from .retries import engine as _engine
from .retries import with_retries
from .url import is_postgres

__all__ = ["StudentClaim", "claim_student", "exclusive", "lock_key"]


def lock_key(*parts: str) -> int:
    """A signed 64-bit key for pg_advisory_lock, stable across hosts and Python runs."""
    digest = hashlib.sha256("\x1f".join(("framing-course", *parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _sqlite_lock_path(url: str, *parts: str) -> Path:
    database = Path(make_url(url).database or "")
    name = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:24]
    return database.parent / f".{database.name}.locks" / f"{name}.lock"


@contextlib.contextmanager
def exclusive(url: str, *key: str, wait: bool = True) -> Iterator[bool]:
    """Hold a lock named by ``key`` shared by every process (and, on PostgreSQL, every host).

    Yields True while the lock is held. With ``wait=False`` it yields False at once when another
    grader holds it. On PostgreSQL this is a session advisory lock on its own connection (released
    by the server if the grader dies); on SQLite a ``flock`` on a file beside the database.
    """
    if is_postgres(url):
        lock_id = lock_key(*key)
        engine = _engine(url)
        try:
            with engine.connect() as connection:
                if wait:
                    connection.execute(sa.text("SELECT pg_advisory_lock(:k)"), {"k": lock_id})
                    held = True
                else:
                    held = bool(
                        connection.execute(
                            sa.text("SELECT pg_try_advisory_lock(:k)"), {"k": lock_id}
                        ).scalar()
                    )
                connection.commit()  # don't sit "idle in transaction" while grading
                try:
                    yield held
                finally:
                    if held:
                        connection.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": lock_id})
                        connection.commit()
        finally:
            engine.dispose()
        return
    path = _sqlite_lock_path(url, *key)
    path.parent.mkdir(exist_ok=True)
    # flock, not fcntl byte locks: held per open file, so threads of one process exclude each other.
    with open(path, "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@dataclass
class StudentClaim:
    """One grader's hold on one student of one lesson; set ``status`` before the block ends."""

    lesson: str
    student: str
    acquired: bool
    status: str = "graded"


@contextlib.contextmanager
def claim_student(
    url: str, lesson: str, student: str, *, wait: bool = True
) -> Iterator[StudentClaim]:
    """Grade one student while no other grader, on any host, grades the same one.

    ``with claim_student(url, lesson, student) as claim:`` -- when ``claim.acquired`` is False
    (only with ``wait=False``) another grader holds the student and the block should skip it.
    When acquired, a row is added to ``course_grading_log`` as the block ends, with
    ``claim.status`` ("graded" unless changed; "error" if the block raised). Needs
    :func:`prepare_gradebook` first. ``wait=True`` suits workers that split students between
    them (a claim only ever waits for a stray overlapping run); ``wait=False`` lets overlapping
    graders skip whatever another one is grading right now.
    """
    with exclusive(url, "student", lesson, student, wait=wait) as held:
        claim = StudentClaim(lesson, student, held)
        if not held:
            yield claim
            return
        started = _now()
        try:
            yield claim
        except BaseException:
            claim.status = "error"
            raise
        finally:
            _log_grading(url, claim, started)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _log_grading(url: str, claim: StudentClaim, started: dt.datetime) -> None:
    from .schema import grading_log_table  # the schema's own creation takes these locks

    row = {
        "lesson": claim.lesson,
        "student": claim.student,
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "status": claim.status,
        "started_at": started,
        "finished_at": _now(),
    }

    def insert() -> None:
        engine = _engine(url)
        try:
            with engine.begin() as connection:
                connection.execute(grading_log_table.insert().values(**row))
        finally:
            engine.dispose()

    with_retries(insert)
