"""The gradebook's database: checking its URL, creating it once, and sharing it between graders.

nbgrader keeps grades in one SQL database, SQLite by default. Several graders -- worker processes
on one machine, or grading hosts sharing a PostgreSQL server -- may write to it at once. Out of the
box that breaks in four ways, each handled here:

* ``postgresql://`` URLs: SQLAlchemy 2.1 maps them to the ``psycopg`` (3) driver, while the course
  installs ``psycopg2``; :func:`normalize_db_url` names the installed driver explicitly.
* Creating the schema: every ``nbgrader.api.Gradebook`` checks for tables, creates them, stamps
  alembic's version and inserts the course row, with no lock. Two graders starting on an empty
  database fail with duplicate-table or duplicate-key errors. :func:`prepare_gradebook` does all
  of it once under a lock (a PostgreSQL advisory lock, or a file lock for SQLite) before grading.
* The course row: with no course id configured, nbgrader files assignments under course ""
  without ever creating it. SQLite does not enforce the foreign key; PostgreSQL does, so
  ``release`` fails there. :func:`prepare_gradebook` creates nbgrader's default course rows.
* Two graders on the same student (overlapping shards, a rerun while a run is going): nbgrader's
  find-then-insert of a submission races. :func:`claim_student` serialises grading per
  (lesson, student) across processes and hosts, and logs who graded whom in ``course_grading_log``.

Transient errors (serialization failures, deadlocks, a busy SQLite file, a dropped connection) are
retried by :func:`with_retries`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import importlib.util
import os
import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.pool import NullPool

T = TypeVar("T")

SUPPORTED_BACKENDS = ("sqlite", "postgresql")
URL_EXAMPLES = "sqlite:////path/to/gradebook.db or postgresql://USER[:PASSWORD]@HOST[:PORT]/DBNAME"
# PostgreSQL drivers the course can use, preferred first; psycopg2 is the one it installs.
POSTGRES_DRIVERS = ("psycopg2", "psycopg")
# The course ids nbgrader uses when none is configured: CourseDirectory.course_id defaults to ""
# (and its assignment rows then refer to course ""), a bare Gradebook(url) to "default_course".
NBGRADER_DEFAULT_COURSE_IDS = ("", "default_course")

# SQLSTATE codes worth retrying: serialization_failure, deadlock_detected, lock_not_available,
# admin_shutdown/crash_shutdown/cannot_connect_now; class 08 (connection exceptions) is matched by
# prefix.
TRANSIENT_SQLSTATES = frozenset({"40001", "40P01", "55P03", "57P01", "57P02", "57P03"})

LOG_TABLE = "course_grading_log"
_metadata = sa.MetaData()
grading_log_table = sa.Table(
    LOG_TABLE,
    _metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("lesson", sa.String(128), nullable=False, index=True),
    sa.Column("student", sa.String(128), nullable=False),
    sa.Column("host", sa.String(255), nullable=False),
    sa.Column("pid", sa.Integer, nullable=False),
    sa.Column("status", sa.String(32), nullable=False),
    sa.Column("started_at", sa.DateTime, nullable=False),
    sa.Column("finished_at", sa.DateTime, nullable=False),
)


class GradebookURLError(ValueError):
    """A database URL the gradebook cannot use; the message says what is wrong and what works."""


class GradebookUnreachableError(GradebookURLError):
    """The URL is well formed but its database cannot be reached (down, wrong port, no access)."""


# --- URLs -----------------------------------------------------------------------------------------


def normalize_db_url(url: str | Path, *, base_dir: str | Path | None = None) -> str:
    """Check a gradebook URL and return it in the form to hand to nbgrader.

    Accepts ``sqlite:///relative.db``, ``sqlite:////absolute.db`` and ``postgresql://...``
    (with or without ``+driver``). A bare filesystem path is taken as a SQLite file. Relative SQLite
    paths are resolved against ``base_dir`` (default: the current directory), because nbgrader
    changes directory while it works. Raises :class:`GradebookURLError` naming the problem.
    """
    text = str(url).strip()
    if not text:
        raise GradebookURLError(f"empty gradebook database URL; expected {URL_EXAMPLES}")
    if "://" not in text:  # a path, not a URL
        return _sqlite_url(Path(text), base_dir)
    try:
        parsed = make_url(text)
    except ArgumentError as error:
        raise GradebookURLError(
            f"not a database URL: {redact_db_url(text)!r} ({error}); expected {URL_EXAMPLES}"
        ) from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return _normalize_sqlite(parsed, base_dir)
    if backend == "postgresql":
        return _normalize_postgres(parsed)
    raise GradebookURLError(
        f"unsupported gradebook database {backend!r} in {redact_db_url(text)!r}: "
        f"the course supports {', '.join(SUPPORTED_BACKENDS)}; expected {URL_EXAMPLES}"
    )


def _normalize_sqlite(parsed: URL, base_dir: str | Path | None) -> str:
    database = parsed.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        raise GradebookURLError(
            f"SQLite gradebook URL {parsed!s} names no file: an in-memory database is private to "
            f"one process and lost at exit; expected {URL_EXAMPLES}"
        )
    return _sqlite_url(Path(database), base_dir)


def _sqlite_url(path: Path, base_dir: str | Path | None) -> str:
    if not path.is_absolute():
        path = Path(base_dir or os.getcwd()) / path
    path = path.resolve()
    if path.is_dir():
        raise GradebookURLError(f"SQLite gradebook {path} is a directory, not a database file")
    if not path.parent.is_dir():
        raise GradebookURLError(
            f"SQLite gradebook {path}: its directory {path.parent} does not exist"
        )
    return f"sqlite:///{path}"


def _normalize_postgres(parsed: URL) -> str:
    if not parsed.database:
        raise GradebookURLError(
            f"PostgreSQL gradebook URL {redact_db_url(parsed)!r} names no database; "
            f"expected {URL_EXAMPLES}"
        )
    driver = parsed.drivername.partition("+")[2]
    if driver:
        if importlib.util.find_spec(driver) is None:
            raise GradebookURLError(
                f"PostgreSQL driver {driver!r} from {redact_db_url(parsed)!r} is not installed"
            )
    else:
        # SQLAlchemy 2.1 reads a bare postgresql:// as psycopg 3; use whichever is installed.
        installed = [name for name in POSTGRES_DRIVERS if importlib.util.find_spec(name)]
        if not installed:
            raise GradebookURLError(
                "a PostgreSQL gradebook needs a driver: pip install psycopg2-binary"
            )
        parsed = parsed.set(drivername=f"postgresql+{installed[0]}")
    return parsed.render_as_string(hide_password=False)


def redact_db_url(url: str | URL) -> str:
    """The URL with any password replaced by ``***``, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparsable URL>"


def is_postgres(url: str) -> bool:
    """True when the URL points at PostgreSQL."""
    return make_url(url).get_backend_name() == "postgresql"


def _engine(url: str) -> Engine:
    # No pool: each helper here opens one connection and closes it; nothing should linger.
    return sa.create_engine(url, poolclass=NullPool)


# --- transient errors ----------------------------------------------------------------------------


def is_transient_error(error: BaseException) -> bool:
    """True for database errors that go away when the transaction is simply run again."""
    if not isinstance(error, DBAPIError):
        return False
    original = error.orig
    sqlstate = getattr(original, "pgcode", None) or getattr(original, "sqlstate", None)
    if sqlstate:
        return sqlstate in TRANSIENT_SQLSTATES or sqlstate.startswith("08")
    if isinstance(error, OperationalError):
        message = str(original).lower()
        return (
            "database is locked" in message
            or "server closed the connection" in message
            or "could not connect" in message
            or "connection refused" in message
        )
    return False


def with_retries(
    operation: Callable[[], T], *, attempts: int = 6, first_delay: float = 0.05
) -> T:
    """Run ``operation``; on a transient database error run it again, waiting longer each time.

    ``operation`` must be a whole transaction (it opens, commits and closes what it uses), so that
    running it twice is safe. The last error is raised if every attempt fails.
    """
    if attempts < 1:
        raise ValueError(f"attempts must be at least 1, got {attempts}")
    delay = first_delay
    for attempt in range(1, attempts + 1):
        try:
            return operation()
        except DBAPIError as error:
            if attempt == attempts or not is_transient_error(error):
                raise
        time.sleep(delay)
        delay *= 2
    raise AssertionError("unreachable")


# --- locks ---------------------------------------------------------------------------------------


def _lock_key(*parts: str) -> int:
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
        lock_id = _lock_key(*key)
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


# --- schema --------------------------------------------------------------------------------------


def alembic_head() -> str:
    """The alembic revision nbgrader's models correspond to (read in-process, no subprocess)."""
    from alembic.script import ScriptDirectory
    from nbgrader.dbutil import ALEMBIC_DIR

    head = ScriptDirectory(ALEMBIC_DIR).get_current_head()
    if head is None:
        raise RuntimeError(f"nbgrader's alembic directory {ALEMBIC_DIR} has no head revision")
    return head


def prepare_gradebook(url: str, course_id: str = "") -> None:
    """Create nbgrader's tables, alembic stamp, course rows and the grading log, once and safely.

    Idempotent; call it before starting graders. Concurrent callers are serialised by a lock,
    so later ones find everything in place. nbgrader's own ``Gradebook(url)`` then finds existing
    tables and an existing course, and skips the racy creation code.

    Rows are made for ``course_id`` and for nbgrader's two defaults. The empty id matters on
    PostgreSQL: with no course id configured nbgrader files assignments under course "" but
    never creates that course (``check_course`` skips an empty id), which SQLite lets pass and
    PostgreSQL's foreign key refuses, so ``release`` would fail.
    """
    from nbgrader.api import Base, Course

    head = alembic_head()

    def create(connection: Connection) -> None:
        Base.metadata.create_all(connection)
        _metadata.create_all(connection)
        inspector = sa.inspect(connection)
        if "alembic_version" not in inspector.get_table_names():
            connection.execute(
                sa.text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
            )
        if connection.execute(sa.text("SELECT count(*) FROM alembic_version")).scalar() == 0:
            connection.execute(
                sa.text("INSERT INTO alembic_version (version_num) VALUES (:v)"), {"v": head}
            )
        course = Course.__table__
        for wanted in dict.fromkeys((course_id, *NBGRADER_DEFAULT_COURSE_IDS)):
            exists = connection.execute(
                sa.select(course.c.id).where(course.c.id == wanted)
            ).first()
            if exists is None:
                connection.execute(course.insert().values(id=wanted))

    def transaction() -> None:
        engine = _engine(url)
        try:
            with engine.begin() as connection:
                if is_postgres(url):
                    # Held to the end of this transaction: DDL of concurrent callers waits here.
                    connection.execute(
                        sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _lock_key("schema")}
                    )
                create(connection)
        finally:
            engine.dispose()

    url = normalize_db_url(url)
    try:
        if is_postgres(url):
            with_retries(transaction)
        else:
            with exclusive(url, "schema"):
                with_retries(transaction)
    except OperationalError as error:
        reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        raise GradebookUnreachableError(
            f"cannot use the gradebook database {redact_db_url(url)}: {reason}"
        ) from error


# --- claiming students ---------------------------------------------------------------------------


@dataclass
class StudentClaim:
    """One grader's hold on one student of one lesson; set ``status`` before the block ends."""

    lesson: str
    student: str
    acquired: bool
    status: str = "graded"


@dataclass(frozen=True)
class GradingRecord:
    """A row of ``course_grading_log``: who graded a student, where, when, with what outcome."""

    lesson: str
    student: str
    host: str
    pid: int
    status: str
    started_at: dt.datetime
    finished_at: dt.datetime


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


def grading_log(url: str, lesson: str | None = None) -> list[GradingRecord]:
    """Every logged grading, oldest first, optionally for one lesson."""
    query = sa.select(grading_log_table).order_by(grading_log_table.c.id)
    if lesson is not None:
        query = query.where(grading_log_table.c.lesson == lesson)
    engine = _engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(query).mappings().all()
    finally:
        engine.dispose()
    return [
        GradingRecord(**{key: value for key, value in row.items() if key != "id"}) for row in rows
    ]
